/**
 * Refresh in place as real Excel behaves (issue 10): never half old, half new; a generic error on a large request
 * split and retried; positions read from the table at every step; Excel's refusals to shift cells below the table
 * said with what to move; the user's conditional formats left alone; manual calculation recalculated; the 1904 date
 * system; text that looks like a formula, and text longer than a cell, stored as Excel allows.
 */
import {
  writeBillingTable,
  replaceTableRowsInPlace,
  BillingTableError,
  type WriteOptions,
} from "../../src/excel/table-writer";
import { shapeResult, type TableShape } from "../../src/excel/shape";
import { TABLE_HEADER_ROW_INDEX } from "../../src/excel/layout";
import { CUT_MARKER } from "../../src/excel/sheet-cells";
import {
  STAGING_LEFTOVER_AGE_MS,
  STAGING_SHEET_PREFIX,
  stagingNameAt,
  stagingTime,
} from "../../src/excel/refresh-in-place";
import { calculatingDouble } from "./billing-fixture";
import {
  columnLetters,
  createExcelDouble,
  quoteSheet,
  type ExcelDouble,
  type ExcelDoubleOptions,
} from "./excel-double";
import { fixtureInput } from "./fixtures";

const HEADER_ROW = TABLE_HEADER_ROW_INDEX + 1; // 1-based
const FIRST_DATA_ROW = HEADER_ROW + 1;

function shapeOf(rows: number, firstDay = "2026-02-01", requestId = "req-old"): TableShape {
  return shapeResult(fixtureInput({ rows, firstDay, requestId }));
}

function opts(excel: ExcelDouble, more: WriteOptions = {}): WriteOptions {
  return { log: () => undefined, host: excel.requirements, ...more };
}

interface Built {
  excel: ExcelDouble;
  tableName: string;
  sheetName: string;
  old: TableShape;
}

async function built(
  rows: number,
  options: ExcelDoubleOptions = {},
  excel = createExcelDouble(options),
  firstDay = "2026-02-01"
): Promise<Built> {
  const old = shapeOf(rows, firstDay);
  const report = await writeBillingTable(excel.newContext(), old, { kind: "new-sheet" }, opts(excel));
  return { excel, tableName: report.tableName, sheetName: report.sheetName, old };
}

/** The table's rows, our columns only (the first `width`). */
function ourRows(excel: ExcelDouble, tableName: string, width: number): unknown[][] {
  return (excel.inspect.table(tableName)?.rows ?? []).map((row) => row.slice(0, width));
}

describe("a refresh that fails part-way leaves the table as it was or fully new, and says which", () => {
  const OLD_ROWS = 300;
  const NEW_ROWS = 420;
  const budget = { payloadBudgetBytes: 24 * 1024 };

  it("fails every request of the refresh in turn", async () => {
    // How many requests a clean refresh makes.
    const clean = await built(OLD_ROWS);
    const fresh = shapeOf(NEW_ROWS, "2026-03-01", "req-new");
    const before = clean.excel.syncs.length;
    await replaceTableRowsInPlace(clean.excel.newContext(), clean.tableName, fresh, opts(clean.excel, budget));
    const requests = clean.excel.syncs.length - before;
    expect(requests).toBeGreaterThan(6);

    const endings: string[] = [];
    for (let at = 1; at <= requests; at++) {
      const { excel, tableName, sheetName, old } = await built(OLD_ROWS);
      excel.failSync({ at, code: "ServiceNotAvailable", message: "The service is unavailable." });
      let error: unknown;
      try {
        await replaceTableRowsInPlace(excel.newContext(), tableName, fresh, opts(excel, budget));
      } catch (caught) {
        error = caught;
      }
      const rows = ourRows(excel, tableName, old.columns.length);
      if (error === undefined) {
        expect(rows).toEqual(fresh.rows);
        endings.push("new");
      } else {
        expect(error).toBeInstanceOf(BillingTableError);
        expect((error as BillingTableError).table).toBe("as-it-was");
        expect((error as Error).message).toMatch(/(The table was left as it was|Nothing was written)/);
        expect(rows).toEqual(old.rows);
        endings.push("old");
      }
      // Never a staging sheet left behind, never the user's sheet name lost.
      expect(excel.inspect.sheetNames()).toEqual(["Sheet1", sheetName]);
      expect(excel.inspect.table(tableName)?.address).toBe(
        `${quoteSheet(sheetName)}!A${HEADER_ROW}:${columnLetters(old.columns.length - 1)}${HEADER_ROW + (error ? OLD_ROWS : NEW_ROWS)}`
      );
    }
    // A failed first read is read again (without the date probe) and a failed swap is tried again: both end with
    // the new rows; every failure in between (staging, resizing) leaves the old ones.
    expect(endings[0]).toBe("new");
    expect(endings.slice(1, -1).every((e) => e === "old")).toBe(true);
    expect(endings[endings.length - 1]).toBe("new");
  });

  it("finishes the swap when Excel stops it part-way, after some of its commands were applied", async () => {
    const { excel, tableName, old } = await built(40);
    const fresh = shapeOf(60, "2026-03-01", "req-new");
    excel.failSync({
      when: (ops) => ops.some((op) => op.kind === "copyFrom"),
      afterOperations: 3,
      code: "GeneralException",
    });
    await replaceTableRowsInPlace(excel.newContext(), tableName, fresh, opts(excel));
    expect(ourRows(excel, tableName, old.columns.length)).toEqual(fresh.rows);
    expect(excel.inspect.conditionalFormats(excel.inspect.table(tableName)?.sheet ?? "")).toHaveLength(1);
  });
});

describe("staging sheets", () => {
  it("removes one a crashed refresh left behind over an hour ago, and leaves a younger one (a co-author's refresh)", async () => {
    const { excel, tableName, sheetName } = await built(5);
    const old = stagingNameAt(Date.now() - STAGING_LEFTOVER_AGE_MS - 60_000);
    const young = stagingNameAt(Date.now() - 60_000);
    excel.inspect.seedSheet(old);
    excel.inspect.seedSheet(young);
    expect(old.length).toBeLessThanOrEqual(31);
    expect(stagingTime(young)).toBeGreaterThan(stagingTime(old) ?? Infinity);
    expect(stagingTime(sheetName)).toBeUndefined();
    await replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(7), opts(excel));
    expect(excel.inspect.sheetNames()).toEqual(["Sheet1", sheetName, young]);
  });
});

describe("Excel on the web's generic error for an oversized request", () => {
  it("is split and retried like RequestPayloadSizeLimitExceeded, for a new sheet and a refresh", async () => {
    const excel = createExcelDouble({ payloadLimitBytes: 96 * 1024, oversizedGeneralExceptionShare: 1 });
    const first = shapeOf(1500);
    const written = await writeBillingTable(
      excel.newContext(),
      first,
      { kind: "new-sheet" },
      opts(excel, { payloadBudgetBytes: 400 * 1024 })
    );
    expect(written.retries).toBeGreaterThan(0);
    expect(excel.syncs.some((s) => s.error === "GeneralException")).toBe(true);
    expect(excel.syncs.some((s) => s.error === "RequestPayloadSizeLimitExceeded")).toBe(false);
    expect(ourRows(excel, written.tableName, first.columns.length)).toEqual(first.rows);

    const fresh = shapeOf(1800, "2026-03-01", "req-new");
    const refreshed = await replaceTableRowsInPlace(
      excel.newContext(),
      written.tableName,
      fresh,
      opts(excel, { payloadBudgetBytes: 400 * 1024 })
    );
    expect(refreshed.retries).toBeGreaterThan(0);
    expect(ourRows(excel, written.tableName, fresh.columns.length)).toEqual(fresh.rows);
  });

  it("answers a share of oversized requests generically and the rest with RequestPayloadSizeLimitExceeded", async () => {
    const excel = createExcelDouble({ payloadLimitBytes: 80 * 1024, oversizedGeneralExceptionShare: 0.5 });
    const shape = shapeOf(2500);
    await writeBillingTable(
      excel.newContext(),
      shape,
      { kind: "new-sheet" },
      opts(excel, { payloadBudgetBytes: 600 * 1024 })
    );
    const refused = excel.syncs.filter((s) => s.error).map((s) => s.error);
    expect(refused.length).toBeGreaterThan(2);
    expect(refused.filter((e) => e === "GeneralException").length).toBe(Math.floor(refused.length / 2));
  });

  it("stays a failure on a small request", async () => {
    const { excel, tableName, old } = await built(5);
    excel.failSync({ when: (ops) => ops.some((op) => op.kind === "worksheets.add"), code: "GeneralException" });
    await expect(replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(6), opts(excel))).rejects.toThrow(
      /An internal error has occurred\. The table was left as it was/
    );
    expect(ourRows(excel, tableName, old.columns.length)).toEqual(old.rows);
  });
});

describe("positions come from the table at every step", () => {
  it("writes into the table even when the user inserts rows above it while the rows are staged", async () => {
    const { excel, tableName, sheetName } = await built(30);
    const fresh = shapeOf(50, "2026-03-01", "req-new");
    let inserted = false;
    excel.betweenSyncs((sync) => {
      if (inserted || !sync.operations.some((op) => op.kind === "worksheets.add")) return;
      inserted = true;
      // The user inserts three whole rows above the table (a heading of their own).
      const sheet = excel.state.sheetByName(sheetName);
      if (sheet) excel.state.insertCells(sheet, { row: 0, col: 0, rows: 3, cols: 16_384 }, "Down");
    });
    const report = await replaceTableRowsInPlace(
      excel.newContext(),
      tableName,
      fresh,
      opts(excel, { payloadBudgetBytes: 16 * 1024 })
    );
    expect(inserted).toBe(true);
    const table = excel.inspect.table(tableName);
    expect(table?.address).toBe(
      `${quoteSheet(sheetName)}!A${HEADER_ROW + 3}:${columnLetters(fresh.columns.length - 1)}${HEADER_ROW + 3 + 50}`
    );
    expect(table?.rows).toEqual(fresh.rows);
    // Nothing was written where the table and its provenance used to be: the user's rows stay empty, and the
    // provenance (which moved with the table) is left alone rather than written at a stale position.
    expect(report.provenanceWritten).toBe(false);
    expect(excel.inspect.values(sheetName, "A1:B3")).toEqual([
      ["", ""],
      ["", ""],
      ["", ""],
    ]);
    expect(excel.inspect.values(sheetName, "A8:B8")).toEqual([["Request ID", "req-old"]]);
  });
});

describe("shifting the cells below the table, where Excel refuses", () => {
  async function withSomethingBelow(
    setUp: (excel: ExcelDouble, sheetName: string, belowRow: number) => Promise<void> | void
  ): Promise<{ error: Error; excel: ExcelDouble; tableName: string; sheetName: string; old: TableShape }> {
    const b = await built(20);
    await setUp(b.excel, b.sheetName, HEADER_ROW + 20 + 3);
    const error = await replaceTableRowsInPlace(
      b.excel.newContext(),
      b.tableName,
      shapeOf(30, "2026-03-01"),
      opts(b.excel)
    ).then(
      () => new Error("the refresh was not refused"),
      (e: Error) => e
    );
    return { error, ...b };
  }

  function expectLeftAsItWas(excel: ExcelDouble, tableName: string, sheetName: string, old: TableShape): void {
    expect(ourRows(excel, tableName, old.columns.length)).toEqual(old.rows);
    expect(excel.inspect.table(tableName)?.dataRowCount).toBe(20);
    expect(excel.inspect.sheetNames().filter((n) => n.startsWith(STAGING_SHEET_PREFIX))).toEqual([]);
    expect(excel.inspect.sheetNames()).toContain(sheetName);
  }

  it("says to move a PivotTable below the table", async () => {
    const { error, excel, tableName, sheetName, old } = await withSomethingBelow(async (excel, sheetName, row) => {
      excel.requirements.isSetSupported("ExcelApi", "1.8");
      const ctx = excel.newContext();
      ctx.workbook.worksheets
        .getItem(sheetName)
        .pivotTables.add("Below", ctx.workbook.tables.getItem(excel.inspect.tableNames()[0] ?? ""), `B${row}`);
      await ctx.sync();
    });
    expect(error.message).toMatch(
      new RegExp(
        `^Excel could not make room for 10 more rows below the table ${tableName} on sheet “.+”: it cannot move a PivotTable that sits below the table in columns A–M \\(from row 31 down\\)\\. Move it to other columns or another sheet, then refresh again\\. The table was left as it was\\.`
      )
    );
    expectLeftAsItWas(excel, tableName, sheetName, old);
  });

  it("says to unmerge or move merged cells that straddle the table's columns", async () => {
    const { error, excel, tableName, sheetName, old } = await withSomethingBelow((excel, sheetName, row) =>
      excel.inspect.seedMerge(sheetName, `L${row}:O${row}`)
    );
    expect(error.message).toMatch(
      /it cannot move merged cells that sit below the table in columns A–M.*Move them to other columns or another sheet, or unmerge them.*The table was left as it was/
    );
    expectLeftAsItWas(excel, tableName, sheetName, old);
  });

  it("says to move a spilled array that straddles the table's columns", async () => {
    const { error, excel, tableName, sheetName, old } = await withSomethingBelow((excel, sheetName, row) =>
      excel.inspect.seedSpill(sheetName, `K${row}:P${row + 4}`)
    );
    expect(error.message).toMatch(
      /it cannot move a formula whose results spill over several cells \(a dynamic array\)/
    );
    expectLeftAsItWas(excel, tableName, sheetName, old);
  });

  it("says to move another table that only partly sits under the table", async () => {
    const { error, excel, tableName, sheetName, old } = await withSomethingBelow(async (excel, sheetName, row) => {
      const ctx = excel.newContext();
      ctx.workbook.worksheets.getItem(sheetName).tables.add(`L${row}:P${row + 2}`, true).name = "MyNotes";
      await ctx.sync();
    });
    expect(error.message).toMatch(/it cannot move another table that sits below the table/);
    expectLeftAsItWas(excel, tableName, sheetName, old);
    expect(excel.inspect.tableNames()).toContain("MyNotes");
  });

  it("undoes the resize when the freed rows cannot be deleted as the table shrinks", async () => {
    const b = await built(20);
    b.excel.inspect.seedMerge(b.sheetName, `M${HEADER_ROW + 22}:N${HEADER_ROW + 22}`);
    await expect(
      replaceTableRowsInPlace(b.excel.newContext(), b.tableName, shapeOf(12, "2026-03-01"), opts(b.excel))
    ).rejects.toThrow(/remove the 8 rows the table .+ no longer needs.*merged cells.*The table was left as it was/);
    expectLeftAsItWas(b.excel, b.tableName, b.sheetName, b.old);
  });
});

describe("the user's conditional formats and calculation", () => {
  it("replaces only the add-in's marking of provisional rows, after the table has its new size", async () => {
    const { excel, tableName, sheetName } = await built(20, {}, createExcelDouble(), "2026-02-20");
    const status = columnLetters(12);
    const ours = excel.inspect.conditionalFormats(sheetName);
    expect(ours).toHaveLength(1);
    const onTable = excel.inspect.seedConditionalFormat(sheetName, `G${FIRST_DATA_ROW}:G${HEADER_ROW + 20}`, {
      formula: `=$J${FIRST_DATA_ROW}>10`,
      fillColor: "#FF0000",
    });
    const below = excel.inspect.seedConditionalFormat(sheetName, `A${HEADER_ROW + 23}:M${HEADER_ROW + 25}`, {
      formula: "=TRUE",
      fillColor: "#00FF00",
    });
    await replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(30, "2026-02-20"), opts(excel));
    const after = excel.inspect.conditionalFormats(sheetName);
    expect(after.filter((cf) => cf.id === onTable)).toEqual([
      expect.objectContaining({ address: `${quoteSheet(sheetName)}!G${FIRST_DATA_ROW}:G${HEADER_ROW + 20}` }),
    ]);
    // The user's rule below the table moved down with its cells.
    expect(after.filter((cf) => cf.id === below)).toEqual([
      expect.objectContaining({ address: `${quoteSheet(sheetName)}!A${HEADER_ROW + 33}:M${HEADER_ROW + 35}` }),
    ]);
    expect(after.filter((cf) => cf.id === undefined)).toEqual([
      expect.objectContaining({
        address: `${quoteSheet(sheetName)}!A${FIRST_DATA_ROW}:M${HEADER_ROW + 30}`,
        formula: `=$${status}${FIRST_DATA_ROW}="Provisional"`,
      }),
    ]);
  });

  it("recalculates a workbook in manual calculation, so totals built on the table are not stale", async () => {
    const excel = calculatingDouble();
    const { tableName } = await built(10, {}, excel);
    const ctx = excel.newContext();
    ctx.workbook.worksheets.add("Summary").getRange("A1").formulas = [[`=SUM(${tableName}[Total])`]];
    ctx.application.calculationMode = "Manual";
    excel.requirements.isSetSupported("ExcelApi", "1.8");
    await ctx.sync();
    const fresh = shapeOf(25, "2026-03-01", "req-new");
    await replaceTableRowsInPlace(excel.newContext(), tableName, fresh, opts(excel));
    const totalIndex = fresh.columns.findIndex((c) => c.header === "Total");
    const expected = fresh.rows.reduce((sum, row) => sum + Number(row[totalIndex]), 0);
    expect(excel.inspect.values("Summary", "A1")[0]?.[0]).toBeCloseTo(expected, 9);
    expect(excel.syncs[excel.syncs.length - 1]?.operations.map((op) => op.kind)).toEqual(["calculate"]);
  });
});

describe("what Excel must receive", () => {
  it("writes dates as serials of a 1904 workbook, new and refreshed", async () => {
    const { excel, tableName, sheetName, old } = await built(3, { dateSystem: 1904 });
    const day = excel.inspect.values(sheetName, `C${FIRST_DATA_ROW}`)[0]?.[0];
    expect(typeof day).toBe("number");
    expect(excel.inspect.dateOf(Number(day))).toBe("2026-02-01");
    expect(Number(old.rows[0]?.[2]) - Number(day)).toBe(1462);
    await replaceTableRowsInPlace(excel.newContext(), tableName, shapeOf(3, "2026-03-01"), opts(excel));
    expect(excel.inspect.dateOf(Number(excel.inspect.values(sheetName, `C${FIRST_DATA_ROW}`)[0]?.[0]))).toBe(
      "2026-03-01"
    );
  });

  it("keeps text that starts like a formula as text, and cuts text longer than a cell holds", async () => {
    const excel = createExcelDouble();
    const input = fixtureInput({ rows: 5 });
    const senderAt = input.columns.findIndex((c) => c.columnName === "SENDER");
    const texts = ["=SPRING", "+385911234567", "-N/A-", "@shop", "x".repeat(40_000)];
    input.pages = [input.pages[0]!.map((row, i) => row.map((cell, c) => (c === senderAt ? texts[i]! : cell)))];
    const shape = shapeResult(input);
    const report = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, opts(excel));
    const senders = excel.inspect.table(report.tableName)?.rows.map((row) => row[senderAt]);
    expect(senders?.slice(0, 4)).toEqual(texts.slice(0, 4));
    expect(excel.inspect.formulas(report.sheetName, `F${FIRST_DATA_ROW}:F${FIRST_DATA_ROW + 3}`)).toEqual(
      texts.slice(0, 4).map((t) => [t])
    );
    const long = String(senders?.[4]);
    expect(long).toHaveLength(32_767);
    expect(long.endsWith(CUT_MARKER)).toBe(true);
    expect(report.cutCells).toBe(1);
  });

  it("names a new table clear of the workbook's defined names (one namespace)", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedName("Billing_Day_Country_Network_Sender_1", "Sheet1", "A1");
    const report = await writeBillingTable(excel.newContext(), shapeOf(2), { kind: "new-sheet" }, opts(excel));
    expect(report.tableName).toBe("Billing_Day_Country_Network_Sender_2");
  });
});
