/**
 * The table writer against the strict Excel double: values, formats, names, request sizes and sync counts,
 * retries, the row limit, empty results, provenance, and refresh in place keeping what users built on the
 * table.
 */
import { BILLING_TABLE_COLUMNS } from "../../src/excel/billing-table";
import { rowBytes } from "../../src/excel/chunks";
import { NUMBER_FORMATS, numberFormatsFor } from "../../src/excel/formats";
import {
  EMPTY_RESULT_NOTE,
  MAX_TABLE_DATA_ROWS,
  PROVENANCE_LABELS,
  TABLE_HEADER_ROW_INDEX,
} from "../../src/excel/layout";
import { isValidSheetName, isValidTableName } from "../../src/excel/names";
import { headersOf, shapeResult, type TableShape } from "../../src/excel/shape";
import {
  BillingTableError,
  planNewSheetWrite,
  replaceTableRowsInPlace,
  writeBillingTable,
  type WriteOptions,
} from "../../src/excel/table-writer";
import {
  columnLetters,
  createExcelDouble,
  jsonBytes,
  quoteSheet,
  type ExcelDouble,
  type SyncRecord,
} from "./excel-double";
import { FIXTURE_COLUMNS, fixtureInput } from "./fixtures";

const quiet: WriteOptions = { log: () => undefined };
/** Quiet, with the double's requirement sets as the host's (refresh in place checks ExcelApi 1.13). */
function opts(excel: ExcelDouble, more: WriteOptions = {}): WriteOptions {
  return { ...quiet, host: excel.requirements, ...more };
}
const HEADER_ROW = TABLE_HEADER_ROW_INDEX + 1; // 1-based sheet row of the header
const FIRST_DATA_ROW = HEADER_ROW + 1;

function shapeOf(rows: number, overrides: Parameters<typeof fixtureInput>[0] = { rows }): TableShape {
  return shapeResult(fixtureInput({ ...overrides, rows }));
}

function lastColumn(shape: TableShape): string {
  return columnLetters(shape.columns.length - 1);
}

function writesIn(sync: SyncRecord | undefined): string[] {
  return (sync?.operations ?? []).filter((op) => op.kind !== "load" && op.kind !== "resolve").map((op) => op.kind);
}

/** The date-system probe: a defined name added, read and deleted in the first request (date-system.ts). */
const DATE_PROBE = ["names.add", "names.delete"];

describe("writing a new billing table", () => {
  let excel: ExcelDouble;
  beforeEach(() => {
    excel = createExcelDouble();
  });

  it("writes typed values under friendly headers, with the period-status columns last", async () => {
    const shape = shapeOf(40);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const table = excel.inspect.table(report.tableName);
    expect(table?.headers).toEqual(headersOf(shape));
    expect(table?.headers.slice(-2)).toEqual([BILLING_TABLE_COLUMNS.billingMonth, BILLING_TABLE_COLUMNS.periodStatus]);
    expect(table?.rows).toEqual(shape.rows);
    expect(table?.address).toBe(
      `${quoteSheet(report.sheetName)}!A${HEADER_ROW}:${lastColumn(shape)}${HEADER_ROW + 40}`
    );
    expect(report).toMatchObject({ rowCount: 40, address: table?.address, tableId: expect.stringMatching(/.+/) });
    expect(excel.inspect.activeSheet()).toBe(report.sheetName);
  });

  it("keeps IDs and phone-number senders as text, exactly as delivered", async () => {
    const shape = shapeOf(12);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const senderIndex = headersOf(shape).indexOf("Sender");
    const written = excel.inspect.table(report.tableName)?.rows.map((row) => row[senderIndex]);
    expect(written).toEqual(shape.rows.map((row) => row[senderIndex]));
    expect(written).toEqual(expect.arrayContaining(["0044123", "447860099299", "+385911234567"]));
  });

  it("formats each column over the used rows, the text format before the values and number formats after", async () => {
    const shape = shapeOf(30);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const formats = numberFormatsFor(shape);
    const end = HEADER_ROW + 30;
    expect(
      excel.inspect.numberFormats(report.sheetName, `A${FIRST_DATA_ROW}:${lastColumn(shape)}${FIRST_DATA_ROW}`)
    ).toEqual([formats]);
    expect(excel.inspect.numberFormats(report.sheetName, `A${end}:${lastColumn(shape)}${end}`)).toEqual([formats]);
    expect(
      excel.inspect
        .numberFormats(report.sheetName, `A${end + 1}:${lastColumn(shape)}${end + 1}`)[0]
        ?.every((f) => f === "General")
    ).toBe(true);
    expect(formats).toContain(NUMBER_FORMATS.unitPrice);
    expect(formats).toContain(NUMBER_FORMATS.total);

    const ops = excel.syncs.flatMap((sync) => sync.operations);
    const firstValues = ops.findIndex(
      (op) => op.kind === "values" && op.address?.endsWith(`A${FIRST_DATA_ROW}:${lastColumn(shape)}${end}`)
    );
    const textFormats = ops.flatMap((op, index) =>
      op.kind === "numberFormat" && op.detail === "@" && op.address?.includes(`${FIRST_DATA_ROW}:`) ? [index] : []
    );
    const otherFormats = ops.flatMap((op, index) => (op.kind === "numberFormat" && op.detail !== "@" ? [index] : []));
    expect(firstValues).toBeGreaterThan(0);
    expect(textFormats.length).toBe(formats.filter((f) => f === "@").length);
    expect(Math.max(...textFormats)).toBeLessThan(firstValues);
    expect(Math.min(...otherFormats)).toBeGreaterThan(firstValues);
  });

  it("marks provisional rows with one conditional format over the used rows", async () => {
    const shape = shapeOf(25, { rows: 25, firstDay: "2026-02-20" });
    expect(shape.provisionalRowCount).toBeGreaterThan(0);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const statusColumn = columnLetters(shape.columns.length - 1);
    expect(excel.inspect.conditionalFormats(report.sheetName)).toEqual([
      {
        address: `${quoteSheet(report.sheetName)}!A${FIRST_DATA_ROW}:${statusColumn}${HEADER_ROW + 25}`,
        type: "Custom",
        formula: `=$${statusColumn}${FIRST_DATA_ROW}="Provisional"`,
        fillColor: "#FFF2CC",
        fontItalic: true,
        fontColor: "#7F6000",
      },
    ]);
  });

  it("names tables Billing_<title>_<n> and sheets validly, unique across writes", async () => {
    const shape = shapeOf(5);
    const first = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const second = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, quiet);
    const custom = await writeBillingTable(
      excel.newContext(),
      shape,
      { kind: "new-sheet", sheetName: "Q1: costs/EUR [draft]" },
      { ...quiet, title: "Q1 costs" }
    );
    expect(first.tableName).toBe("Billing_Day_Country_Network_Sender_1");
    expect(second.tableName).toBe("Billing_Day_Country_Network_Sender_2");
    expect(custom.tableName).toBe("Billing_Q1_costs_1");
    expect(custom.sheetName).toBe("Q1- costs-EUR -draft-");
    expect(new Set([first.sheetName, second.sheetName, custom.sheetName]).size).toBe(3);
    for (const report of [first, second, custom]) {
      expect(isValidTableName(report.tableName)).toBe(true);
      expect(isValidSheetName(report.sheetName)).toBe(true);
    }
    expect(excel.inspect.tableNames()).toEqual([first.tableName, second.tableName, custom.tableName]);
  });

  it("gives concurrent writes distinct names (writes are queued one at a time)", async () => {
    const shape = shapeOf(20);
    const reports = await Promise.all(
      [1, 2, 3].map(() => writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, quiet))
    );
    expect(new Set(reports.map((r) => r.sheetName)).size).toBe(3);
    expect(new Set(reports.map((r) => r.tableName)).size).toBe(3);
    for (const report of reports) expect(excel.inspect.table(report.tableName)?.rows).toEqual(shape.rows);
  });

  it("writes the provenance above the table", async () => {
    const shape = shapeOf(3);
    const report = await writeBillingTable(
      excel.context,
      shape,
      { kind: "new-sheet" },
      { ...quiet, title: "Weekly SMS" }
    );
    expect(excel.inspect.values(report.sheetName, "A1:B8")).toEqual([
      ["Billing usage — Weekly SMS", ""],
      ["Requested period", "2026-02-01 to 2026-03-31"],
      ["Client-requested period", "2026-02-01 to 2026-03-31"],
      ["Retrieved at (UTC)", "2026-03-20 09:31:05"],
      ["Request ID", "req-5f2a9c"],
      ["Provisional data included", "Yes"],
      ["Billing periods", "2026-02 Final; 2026-03 Provisional (final on 2026-04-05)"],
      ["Rows", "3"],
    ]);
    expect(excel.inspect.values(report.sheetName, `A${HEADER_ROW - 1}`)).toEqual([[""]]);
  });

  it("writes only the header, one empty row and the note for an empty result", async () => {
    const shape = shapeOf(0);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet);
    const table = excel.inspect.table(report.tableName);
    expect(table?.headers).toEqual(headersOf(shape));
    expect(table?.rows).toEqual([headersOf(shape).map(() => "")]);
    expect(excel.inspect.values(report.sheetName, "A8:B8")).toEqual([["Rows", EMPTY_RESULT_NOTE]]);
    expect(excel.inspect.conditionalFormats(report.sheetName)).toEqual([]);
    expect(
      excel.syncs
        .flatMap((s) => s.operations)
        .filter((op) => op.kind === "numberFormat" && op.address?.includes(`${FIRST_DATA_ROW}:`))
    ).toEqual([]);
    expect(report.syncs).toBe(2);
  });

  it("refuses a result over Excel's row limit before anything is written", async () => {
    const shape = shapeOf(2);
    const huge: TableShape = { ...shape, rows: new Array(MAX_TABLE_DATA_ROWS + 1) };
    await expect(writeBillingTable(excel.context, huge, { kind: "new-sheet" }, quiet)).rejects.toThrow(
      /1,048,567 rows, more than the 1,048,566 an Excel sheet can hold.*Nothing was written/
    );
    expect(excel.syncs).toEqual([]);
    expect(excel.inspect.sheetNames()).toEqual(["Sheet1"]);
  });

  it("writes in blocks under the budget, with the fewest syncs, calculation suspended, never table.rows.add", async () => {
    const shape = shapeOf(3000);
    const options = { ...quiet, payloadBudgetBytes: 64 * 1024 };
    const plan = planNewSheetWrite(shape, options);
    const report = await writeBillingTable(excel.context, shape, { kind: "new-sheet" }, options);

    expect(plan.length).toBeGreaterThan(3);
    expect(report).toMatchObject({ syncs: 1 + plan.length, blocks: plan.length, retries: 0 });
    expect(excel.syncs).toHaveLength(1 + plan.length);
    expect(writesIn(excel.syncs[0])).toEqual(DATE_PROBE);
    for (const sync of excel.syncs.slice(1)) {
      expect(sync.payloadBytes).toBeLessThanOrEqual(64 * 1024);
      expect(sync.calculationSuspended).toBe(true);
    }
    // Fewest: every block but the last is full — its next row would not have fitted.
    plan.slice(0, -1).forEach((block, index) => {
      const next = plan[index + 1];
      const nextRow = next && next.count > 0 ? shape.rows[next.start] : undefined;
      if (nextRow) expect(block.bytes + rowBytes(nextRow)).toBeGreaterThan(64 * 1024);
    });
    const valueWrites = excel.syncs
      .slice(1)
      .map((sync) =>
        sync.operations.filter(
          (op) => op.kind === "values" && op.columns === shape.columns.length && (op.rows ?? 0) > 1
        )
      );
    expect(valueWrites.map((writes) => writes.reduce((n, op) => n + (op.rows ?? 0), 0))).toEqual(
      plan.map((b) => b.count)
    );
    expect(excel.syncs.flatMap((s) => s.operations).some((op) => op.kind === "table.rows.add")).toBe(false);
    expect(excel.inspect.table(report.tableName)?.rows).toEqual(shape.rows);
  });

  it("halves a block Excel refuses as too large and retries until it fits", async () => {
    const shape = shapeOf(1500);
    excel.payloadLimitBytes = 40 * 1024;
    const report = await writeBillingTable(
      excel.context,
      shape,
      { kind: "new-sheet" },
      { ...quiet, payloadBudgetBytes: 150 * 1024 }
    );
    expect(report.retries).toBeGreaterThan(0);
    const refused = excel.syncs.filter((s) => s.error === "RequestPayloadSizeLimitExceeded");
    expect(refused).toHaveLength(report.retries);
    for (const sync of excel.syncs.filter((s) => !s.error)) expect(sync.payloadBytes).toBeLessThanOrEqual(40 * 1024);
    expect(excel.inspect.table(report.tableName)?.rows).toEqual(shape.rows);
    expect(excel.inspect.tableNames()).toEqual([report.tableName]);
  });

  it("retries a refused first request (setup included) without creating the sheet twice", async () => {
    const shape = shapeOf(50);
    // The names read fails, and so does the same read without the date-system probe...
    excel.failNextSync("GeneralException");
    excel.failNextSync("GeneralException");
    await expect(writeBillingTable(excel.context, shape, { kind: "new-sheet" }, quiet)).rejects.toBeInstanceOf(
      BillingTableError
    );
    const ctx = excel.newContext();
    const names = ctx.workbook.worksheets;
    names.load("items/name");
    await ctx.sync();
    expect(names.items.map((s) => s.name)).toEqual(["Sheet1"]);
    // ...and a refused first write request is split and retried.
    excel.payloadLimitBytes = 6 * 1024;
    const report = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, quiet);
    expect(report.retries).toBeGreaterThan(0);
    expect(excel.inspect.sheetNames()).toEqual(["Sheet1", report.sheetName]);
    expect(excel.inspect.table(report.tableName)?.rows).toEqual(shape.rows);
  });

  it("removes its sheet and explains when Excel fails half way", async () => {
    const shape = shapeOf(2000);
    const options = { log: jest.fn(), payloadBudgetBytes: 64 * 1024 };
    const context = excel.newContext();
    const originalSync = context.sync.bind(context);
    let calls = 0;
    context.sync = (async () => {
      calls += 1;
      if (calls === 3) excel.failNextSync("ServiceNotAvailable", "The service is unavailable.");
      return originalSync();
    }) as typeof context.sync;
    await expect(writeBillingTable(context, shape, { kind: "new-sheet" }, options)).rejects.toThrow(
      /Excel could not finish writing the table Billing_Day_Country_Network_Sender_1: The service is unavailable\. Nothing was kept/
    );
    expect(options.log).toHaveBeenCalledWith(
      expect.stringContaining("Excel error"),
      expect.objectContaining({ code: "ServiceNotAvailable", debugInfo: expect.anything() })
    );
    expect(excel.inspect.sheetNames()).toEqual(["Sheet1"]);
  });
});

describe("refreshing a billing table in place", () => {
  async function builtOn(rows: number): Promise<{ excel: ExcelDouble; tableName: string; sheetName: string }> {
    const excel = createExcelDouble();
    const report = await writeBillingTable(excel.context, shapeOf(rows), { kind: "new-sheet" }, quiet);
    // What a user builds on the table: a calculated column, a formula on another sheet, a note under it.
    const ctx = excel.newContext();
    const table = ctx.workbook.tables.getItem(report.tableName);
    const column = table.columns.add(undefined, undefined, "With VAT");
    column.getDataBodyRange().formulas = [["=[@Total]*1.2"]];
    const summary = ctx.workbook.worksheets.add("Summary");
    summary.getRange("A1:B1").formulas = [
      [`=SUM(${report.tableName}[Total])`, `=COUNTA(${report.tableName}[Period status])`],
    ];
    ctx.workbook.worksheets.getItem(report.sheetName).getRange(`A${HEADER_ROW + rows + 3}`).values = [
      ["Checked by Ana"],
    ];
    await ctx.sync();
    return { excel, tableName: report.tableName, sheetName: report.sheetName };
  }

  it.each([
    ["grows", 20, 35],
    ["shrinks", 35, 20],
    ["keeps its size", 20, 20],
  ])("%s: same table, header and sheet; user column kept; formulas still valid", async (_label, before, after) => {
    const { excel, tableName, sheetName } = await builtOn(before);
    const shape = shapeOf(after, { rows: after, requestId: "req-refresh", firstDay: "2026-03-01" });
    const report = await replaceTableRowsInPlace(excel.newContext(), tableName, shape, opts(excel));

    const table = excel.inspect.table(tableName);
    expect(report).toMatchObject({ tableName, sheetName, rowCount: after, provenanceWritten: true });
    expect(table?.headers).toEqual([...headersOf(shape), "With VAT"]);
    expect(table?.dataRowCount).toBe(after);
    expect(table?.rows.map((row) => row.slice(0, -1))).toEqual(shape.rows);
    expect(table?.calculatedColumns).toEqual({ "With VAT": "=[@Total]*1.2" });
    expect(table?.address).toBe(
      `${quoteSheet(sheetName)}!A${HEADER_ROW}:${columnLetters(shape.columns.length)}${HEADER_ROW + after}`
    );
    expect(excel.inspect.formulas("Summary", "A1:B1")).toEqual([
      [`=SUM(${tableName}[Total])`, `=COUNTA(${tableName}[Period status])`],
    ]);
    expect(excel.inspect.brokenFormulas()).toEqual({});
    expect(excel.inspect.values(sheetName, `A${HEADER_ROW + after + 3}`)).toEqual([["Checked by Ana"]]);
    expect(excel.inspect.values(sheetName, "B5")).toEqual([["req-refresh"]]);
    const marks = excel.inspect.conditionalFormats(sheetName);
    expect(marks.map((m) => m.address)).toEqual([
      `${quoteSheet(sheetName)}!A${FIRST_DATA_ROW}:${lastColumn(shape)}${HEADER_ROW + after}`,
    ]);
    expect(
      excel.syncs
        .slice(-report.syncs)
        .flatMap((s) => s.operations)
        .some((op) => op.kind === "tables.add" || op.kind === "table.delete")
    ).toBe(false);
  });

  it("writes only our columns when the user put a column between them", async () => {
    const excel = createExcelDouble();
    const first = await writeBillingTable(excel.context, shapeOf(10), { kind: "new-sheet" }, quiet);
    const ctx = excel.newContext();
    const column = ctx.workbook.tables.getItem(first.tableName).columns.add(3, undefined, "Note");
    column.getDataBodyRange().values = [["keep me"]];
    await ctx.sync();
    const shape = shapeOf(12, { rows: 12, firstDay: "2026-03-10" });
    const report = await replaceTableRowsInPlace(excel.newContext(), first.tableName, shape, opts(excel));
    const table = excel.inspect.table(first.tableName);
    expect(table?.headers[3]).toBe("Note");
    expect(table?.rows.map((row) => [...row.slice(0, 3), ...row.slice(4)])).toEqual(shape.rows);
    expect(table?.rows.slice(0, 10).map((row) => row[3])).toEqual(new Array(10).fill("keep me"));
    expect(report.rowCount).toBe(12);
  });

  it("empties the rows but keeps the header and the user's column for an empty result", async () => {
    const { excel, tableName, sheetName } = await builtOn(15);
    const shape = shapeOf(0);
    await replaceTableRowsInPlace(excel.newContext(), tableName, shape, opts(excel));
    const table = excel.inspect.table(tableName);
    expect(table?.dataRowCount).toBe(1);
    expect(table?.rows[0]?.slice(0, -1)).toEqual(headersOf(shape).map(() => ""));
    expect(excel.inspect.formulas(sheetName, `${columnLetters(shape.columns.length)}${FIRST_DATA_ROW}`)).toEqual([
      ["=[@Total]*1.2"],
    ]);
    expect(excel.inspect.values(sheetName, "B8")).toEqual([[EMPTY_RESULT_NOTE]]);
    expect(excel.inspect.conditionalFormats(sheetName)).toEqual([]);
  });

  it("reads only what it loaded (the strict double throws on anything else) and syncs once to read", async () => {
    const { excel, tableName } = await builtOn(10);
    const before = excel.syncs.length;
    const report = await replaceTableRowsInPlace(
      excel.newContext(),
      tableName,
      shapeOf(10),
      opts(excel, { payloadBudgetBytes: 16 * 1024 })
    );
    const syncs = excel.syncs.slice(before);
    expect(report.syncs).toBe(syncs.length);
    expect(writesIn(syncs[0])).toEqual(DATE_PROBE);
    expect(syncs.slice(1).every((s) => s.calculationSuspended && s.payloadBytes <= 16 * 1024)).toBe(true);
  });

  it("refuses, before writing, a table that lost one of our columns or a table that is gone", async () => {
    const { excel, tableName } = await builtOn(5);
    const ctx = excel.newContext();
    ctx.workbook.tables.getItem(tableName).columns.getItem("Quantity").name = "Qty";
    await ctx.sync();
    const before = excel.syncs.length;
    await expect(replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(5), opts(excel))).rejects.toThrow(
      `The table "${tableName}" has no column "Quantity" any more`
    );
    expect(excel.syncs.slice(before).flatMap((s) => writesIn(s))).toEqual(DATE_PROBE);
    await expect(
      replaceTableRowsInPlace(excel.newContext(), "Billing_Gone_1", shapeOf(5), opts(excel))
    ).rejects.toThrow('There is no table named "Billing_Gone_1" in this workbook any more');
  });

  it("refuses a result that would run past the sheet's last row, before writing", async () => {
    const { excel, tableName } = await builtOn(5);
    const huge: TableShape = { ...shapeOf(1), rows: new Array(MAX_TABLE_DATA_ROWS + 1) };
    const before = excel.syncs.length;
    await expect(replaceTableRowsInPlace(excel.newContext(), tableName, huge, opts(excel))).rejects.toThrow(
      /Nothing was written/
    );
    expect(excel.syncs.slice(before).flatMap((s) => writesIn(s))).toEqual(DATE_PROBE);
  });

  it("leaves the provenance alone when the table no longer sits under it", async () => {
    const { excel, tableName, sheetName } = await builtOn(5);
    const ctx = excel.newContext();
    ctx.workbook.worksheets.getItem(sheetName).getRange("A1:B8").clear("Contents");
    ctx.workbook.worksheets.getItem(sheetName).getRange("A2").values = [["My own notes"]];
    await ctx.sync();
    const report = await replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(6), opts(excel));
    expect(report.provenanceWritten).toBe(false);
    expect(excel.inspect.values(sheetName, "A2:B3")).toEqual([
      ["My own notes", ""],
      ["", ""],
    ]);
    expect(PROVENANCE_LABELS[0]).toBe("Requested period");
  });

  it("refuses plainly, before reading or writing, where the host lacks Table.resize (ExcelApi 1.13)", async () => {
    const { excel, tableName } = await builtOn(3);
    excel.requirements.level = "1.12";
    const before = excel.syncs.length;
    await expect(replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(4), opts(excel))).rejects.toThrow(
      /Refreshing a table in place is not available in this version of Excel: it needs the Excel JavaScript API 1\.13.*Nothing was written/
    );
    expect(excel.syncs.length).toBe(before);
  });

  it("is what writeBillingTable does for a replace destination", async () => {
    const { excel, tableName } = await builtOn(4);
    const shape = shapeOf(7);
    const report = await writeBillingTable(excel.newContext(), shape, { kind: "replace", tableName }, opts(excel));
    expect(report.tableName).toBe(tableName);
    expect(excel.inspect.table(tableName)?.dataRowCount).toBe(7);
  });
});

it("estimates request sizes the way the double measures them", () => {
  const shape = shapeOf(200);
  const measured = jsonBytes(shape.rows);
  const estimated = shape.rows.reduce((sum, row) => sum + rowBytes(row), 2);
  expect(estimated).toBeGreaterThanOrEqual(measured);
  expect(estimated - measured).toBeLessThanOrEqual(1);
  expect(FIXTURE_COLUMNS.length + 2).toBe(shape.columns.length);
});
