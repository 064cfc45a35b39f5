import { isoDateToUtc, toExcelSerial } from "../../src/billing";
import { buildReconciliation, KEY_READ_BLOCK_ROWS, updateReconciliation } from "../../src/excel/reconciliation";
import { computeReconciliationTotals, NOT_IN_TABLE_STATUS } from "../../src/excel/reconciliation-plan";
import {
  BILLING_HEADER,
  billingRow,
  calculatingDouble,
  RECONCILIATION_HEADER,
  replaceBillingRows,
  seedBillingTable,
} from "./billing-fixture";
import { saveTableRecord, tableRecordFor, WORKBOOK_STATE_NAMESPACE } from "../../src/excel/workbook-store";
import { createExcelDouble, type ExcelDouble } from "./excel-double";

const PERIODS = [
  { month: "2026-09", volumeFinalized: true },
  { month: "2026-10", volumeFinalized: false },
];

const ROWS = [
  billingRow("Acme", "DE", 10.1, "EUR", "2026-09", "Final"),
  billingRow("Acme", "FR", 0.2, "EUR", "2026-09", "Final"),
  billingRow("Beta", "DE", 5, "EUR", "2026-10"),
  billingRow("Acme", "US", 1.25, "USD", "2026-10"),
  billingRow("ACME", "CA", 1, "USD", "2026-10"),
];

const SHEET = "Recon Costs";
async function build(double: ExcelDouble, rows = ROWS, header = BILLING_HEADER) {
  await seedBillingTable(double, "Costs", header, rows);
  return buildReconciliation(double.newContext(), "Costs", { billingPeriods: PERIODS });
}

/** Which Difference cells the sheet's conditional format marks, evaluating its rule as Excel would. */
function markedRows(double: ExcelDouble, sheet: string): number[] {
  const [format] = double.inspect.conditionalFormats(sheet);
  const rule = /^=AND\(ISNUMBER\(\$([A-Z]+)(\d+)\),ROUND\(ABS\(\$[A-Z]+\d+\),9\)>(.+)\)$/.exec(format?.formula ?? "");
  if (!format || !rule) throw new Error(`unexpected rule ${format?.formula}`);
  const named = double.state.names.find((n) => n.name === rule[3]);
  const toleranceSheet = named && double.state.sheetById(named.sheetId);
  const tolerance =
    named && toleranceSheet
      ? Number(double.state.readValue(toleranceSheet, named.rect.row, named.rect.col))
      : Number(rule[3]);
  const range = /!([A-Z]+)(\d+):[A-Z]+(\d+)$/.exec(format.address);
  if (!range || range[1] !== rule[1] || range[2] !== rule[2])
    throw new Error(`rule ${format.formula} is not written for the first cell of ${format.address}`);
  const cells = double.inspect.values(sheet, format.address.split("!")[1] ?? "").map((row) => row[0]);
  return cells.flatMap((value, index) =>
    typeof value === "number" && Math.round(Math.abs(value) * 1e9) / 1e9 > tolerance ? [index] : []
  );
}

describe("buildReconciliation", () => {
  it("creates a sheet with a table of billing month × currency × account and live formulas over the billing table", async () => {
    const double = createExcelDouble();
    const result = await build(double);

    expect(result).toMatchObject({
      sheetName: SHEET,
      tableName: "Costs_Recon",
      created: true,
      rowCount: 3,
      toleranceName: "Costs_Recon_Tolerance",
    });
    const table = double.inspect.table("Costs_Recon");
    expect(table?.address).toBe(`'${SHEET}'!A4:H7`);
    expect(table?.headers).toEqual(RECONCILIATION_HEADER);
    expect(table?.rows.map((r) => r.slice(0, 4))).toEqual([
      ["2026-09", "EUR", "Acme", "Final"],
      ["2026-10", "EUR", "Beta", "Provisional"],
      ["2026-10", "USD", "Acme", "Provisional"],
    ]);
    expect(table?.calculatedColumns).toEqual({
      "Billing total":
        "=SUMIFS(Costs[Total],Costs[Billing month],[@[Billing month]],Costs[Currency],[@Currency],Costs[Account],[@Account])",
      Difference: '=IF([@[Invoice amount]]="","",[@[Invoice amount]]-[@[Billing total]])',
    });
    expect(double.inspect.activeSheet()).toBe(SHEET);
  });

  it("keeps billing months as text, finalization dates as dates and amounts formatted", async () => {
    const double = createExcelDouble();
    await build(double);
    expect(double.inspect.values(SHEET, "A5:A7").flat()).toEqual(["2026-09", "2026-10", "2026-10"]);
    expect(double.inspect.values(SHEET, "E5:E6").flat()).toEqual([
      toExcelSerial(isoDateToUtc("2026-10-05")),
      toExcelSerial(isoDateToUtc("2026-11-05")),
    ]);
    expect(double.inspect.numberFormats(SHEET, "A5:H5")[0]).toEqual([
      "@",
      "@",
      "@",
      "@",
      "yyyy-mm-dd",
      "#,##0.00",
      "#,##0.00",
      "#,##0.00",
    ]);
  });

  it("puts the tolerance in a named cell and marks the Difference column over the used rows", async () => {
    const double = createExcelDouble();
    await build(double);
    const name = double.state.names.find((n) => n.name === "Costs_Recon_Tolerance");
    expect(name && double.state.sheetById(name.sheetId)?.name).toBe(SHEET);
    expect(name?.rect).toEqual({ row: 1, col: 1, rows: 1, cols: 1 });
    expect(double.inspect.values(SHEET, "A2:B2")).toEqual([["Tolerance", 0.01]]);
    expect(double.inspect.conditionalFormats(SHEET)).toEqual([
      {
        address: `'${SHEET}'!H5:H7`,
        type: "Custom",
        formula: "=AND(ISNUMBER($H5),ROUND(ABS($H5),9)>Costs_Recon_Tolerance)",
        fillColor: "#FFC7CE",
        fontColor: "#9C0006",
      },
    ]);
  });

  it("computes the same totals in the sheet as computeReconciliationTotals does for the preview", async () => {
    const double = calculatingDouble();
    await build(double);
    const sheetTotals = double.inspect.values(SHEET, "A5:F7").map((r) => [r[0], r[1], r[2], r[5]]);
    const preview = computeReconciliationTotals({ header: BILLING_HEADER, rows: ROWS, billingPeriods: PERIODS });
    expect(preview.map((t) => [t.billingMonth, t.currency, t.account, t.billingTotal])).toEqual(
      sheetTotals.map(([month, currency, account, total]) => [
        month,
        currency,
        account,
        Math.round(Number(total) * 1e6) / 1e6,
      ])
    );
    expect(sheetTotals.map((r) => r[3])).toEqual([10.3, 5, 2.25].map((x) => expect.closeTo(x, 9)));
  });

  it("marks only differences beyond the tolerance, and follows the tolerance cell", async () => {
    const double = calculatingDouble();
    await build(double);
    double.inspect.seedValues(SHEET, "G5:G7", [[10.31], [5.5], [""]]);
    expect(
      double.inspect
        .values(SHEET, "H5:H7")
        .flat()
        .map((v) => (typeof v === "number" ? Math.round(v * 100) / 100 : v))
    ).toEqual([0.01, 0.5, ""]);
    expect(markedRows(double, SHEET)).toEqual([1]);
    double.inspect.seedValues(SHEET, "B2", [[0.001]]);
    expect(markedRows(double, SHEET)).toEqual([0, 1]);
  });

  it("has no Account column when the billing table has no account", async () => {
    const double = calculatingDouble();
    const header = BILLING_HEADER.filter((h) => h !== "Account");
    await build(
      double,
      ROWS.map((r) => r.slice(1)),
      header
    );
    const table = double.inspect.table("Costs_Recon");
    expect(table?.headers).toEqual(RECONCILIATION_HEADER.filter((h) => h !== "Account"));
    expect(table?.calculatedColumns["Billing total"]).toBe(
      "=SUMIFS(Costs[Total],Costs[Billing month],[@[Billing month]],Costs[Currency],[@Currency])"
    );
    expect(table?.rows.map((r) => [r[0], r[1], Math.round(Number(r[4]) * 100) / 100])).toEqual([
      ["2026-09", "EUR", 10.3],
      ["2026-10", "EUR", 5],
      ["2026-10", "USD", 2.25],
    ]);
  });

  it("splits by Account key when that is the table's account column", async () => {
    const double = createExcelDouble();
    await build(double, ROWS, ["Account key", ...BILLING_HEADER.slice(1)]);
    expect(double.inspect.table("Costs_Recon")?.calculatedColumns["Billing total"]).toContain(
      "Costs[Account key],[@Account]"
    );
  });

  it("matches blank and wildcard accounts exactly", async () => {
    const double = calculatingDouble();
    await build(double, [
      billingRow("Acme*", "DE", 1, "EUR", "2026-10"),
      billingRow("Acme Corp", "DE", 2, "EUR", "2026-10"),
      billingRow("", "DE", 4, "EUR", "2026-10"),
    ]);
    const rows = double.inspect.table("Costs_Recon")?.rows.map((r) => [r[2], r[5]]);
    expect(rows).toEqual([
      ["", 4],
      ["Acme Corp", 2],
      ["Acme*", 1],
    ]);
  });

  it("builds again after the user deleted the reconciliation sheet (its tolerance name left behind)", async () => {
    const double = createExcelDouble();
    await build(double);
    const context = double.newContext();
    context.workbook.worksheets.getItem(SHEET).delete();
    await context.sync();
    expect(double.state.names.map((n) => n.name)).toEqual(["Costs_Recon_Tolerance"]);

    const again = await buildReconciliation(double.newContext(), "Costs");
    expect(again).toMatchObject({ created: true, sheetName: SHEET, rowCount: 3 });
    const names = double.state.names.map((n) => [n.name, double.state.sheetById(n.sheetId)?.name]);
    expect(names).toEqual([["Costs_Recon_Tolerance", SHEET]]);
  });

  it("takes the period statuses from the table's saved record when none are given", async () => {
    const double = createExcelDouble();
    await seedBillingTable(double, "Costs", BILLING_HEADER, ROWS);
    const provenance = {
      requestId: "req-1",
      requestedPeriod: { sentSince: "2026-09-01", sentUntil: "2026-11-01" },
      clientRequestedPeriod: { sentSince: "2026-09-01", sentUntil: "2026-11-01" },
      retrievedAt: "2026-11-06T08:00:00.000Z",
      includeUnfinalizedData: true,
      billingPeriods: [
        { month: "2026-09", status: "Final" as const, finalizationDate: "2026-10-05" },
        { month: "2026-10", status: "Final" as const, finalizationDate: "2026-11-05" },
      ],
      rowCount: ROWS.length,
    };
    const definition = {
      version: 1 as const,
      period: { preset: "custom" as const, sentSince: "2026-09-01", sentUntil: "2026-11-01" },
      aggregateBy: ["COUNTRY_NAME" as const],
      filters: {},
      includeUnfinalizedData: true,
    };
    await saveTableRecord(
      double.newContext(),
      tableRecordFor(
        { tableName: "Costs", tableId: "", sheetName: "Billing" },
        definition,
        BILLING_HEADER,
        provenance,
        new Date()
      )
    );
    await buildReconciliation(double.newContext(), "Costs");
    expect(double.inspect.values(SHEET, "D5:D7").flat()).toEqual(["Final", "Final", "Final"]);
  });

  it("falls back on the Period status column when the saved billing information is damaged", async () => {
    const double = createExcelDouble();
    await seedBillingTable(double, "Costs", BILLING_HEADER, ROWS);
    const context = double.newContext();
    context.workbook.customXmlParts.add(
      `<billingUsage xmlns="${WORKBOOK_STATE_NAMESPACE}"><state>{not json</state></billingUsage>`
    );
    await context.sync();
    await buildReconciliation(double.newContext(), "Costs");
    expect(double.inspect.values(SHEET, "D5:D7").flat()).toEqual(["Final", "Provisional", "Provisional"]);
  });

  it("names the table that is missing", async () => {
    const double = createExcelDouble();
    await expect(buildReconciliation(double.newContext(), "Nope")).rejects.toThrow(
      "There is no table named Nope in this workbook."
    );
  });

  it("reads the billing table's keys in blocks, each request far below 5 MB", async () => {
    const double = createExcelDouble();
    const many = Array.from({ length: KEY_READ_BLOCK_ROWS * 2 + 5 }, (_, i) =>
      billingRow(`Account ${i % 7}`, "DE", 1, "EUR", "2026-10")
    );
    await seedBillingTable(double, "Costs", BILLING_HEADER, many);
    const before = double.syncs.length;
    const result = await buildReconciliation(double.newContext(), "Costs", { billingPeriods: PERIODS });
    const syncs = double.syncs.slice(before);
    expect(result.rowCount).toBe(7);
    // 2 look-ups, 3 blocks of key cells, 1 write.
    expect(syncs).toHaveLength(6);
    expect(syncs.slice(2, 5).map((s) => s.operations.filter((o) => o.kind === "load").length)).toEqual([4, 4, 4]);
    expect(syncs[5]?.calculationSuspended).toBe(true);
    expect(Math.max(...syncs.map((s) => s.payloadBytes))).toBeLessThan(64 * 1024);
  });
});

describe("updateReconciliation", () => {
  it("does nothing for a table without a reconciliation sheet", async () => {
    const double = createExcelDouble();
    await seedBillingTable(double, "Costs", BILLING_HEADER, ROWS);
    await expect(updateReconciliation(double.newContext(), "Costs")).resolves.toBeNull();
    expect(double.inspect.tableNames()).toEqual(["Costs"]);
  });

  it("keeps the user's invoice amounts and columns by key, appends new keys, flags or removes vanished ones", async () => {
    const double = calculatingDouble();
    await build(double);
    // The user types invoice amounts and adds a Notes column.
    double.inspect.seedValues(SHEET, "G5:G6", [[10.3], [""]]);
    const context = double.newContext();
    context.workbook.tables.getItem("Costs_Recon").columns.add(undefined, undefined, "Notes");
    await context.sync();
    double.inspect.seedValues(SHEET, "I7", [["asked Infobip"]]);

    // The refresh: 2026-09 left the period, 2026-10 EUR Beta vanished, USD moved, 2026-11 appeared.
    await replaceBillingRows(double, "Costs", [
      billingRow("Acme", "US", 3, "USD", "2026-10"),
      billingRow("Acme", "DE", 7, "EUR", "2026-11"),
    ]);
    const result = await updateReconciliation(double.newContext(), "Costs", {
      billingPeriods: [
        { month: "2026-10", volumeFinalized: true },
        { month: "2026-11", volumeFinalized: false },
      ],
    });

    expect(result).toMatchObject({ created: false, sheetName: SHEET, tableName: "Costs_Recon", rowCount: 3 });
    expect(result?.notes).toEqual([
      "1 new row added at the end.",
      `1 row is no longer in table Costs and kept because it has an invoice amount or notes (Period status "${NOT_IN_TABLE_STATUS}").`,
      "1 empty row no longer in the billing table removed.",
    ]);
    const table = double.inspect.table("Costs_Recon");
    expect(table?.headers).toEqual([...RECONCILIATION_HEADER, "Notes"]);
    expect(table?.rows.map((r) => [r[0], r[1], r[2], r[3], round(r[5]), r[6], r[8]])).toEqual([
      ["2026-09", "EUR", "Acme", NOT_IN_TABLE_STATUS, 0, 10.3, ""],
      ["2026-10", "USD", "Acme", "Final", 3, "", "asked Infobip"],
      ["2026-11", "EUR", "Acme", "Provisional", 7, "", ""],
    ]);
    expect(table?.calculatedColumns["Billing total"]).toContain("Costs[Total]");
    expect(double.inspect.conditionalFormats(SHEET).map((cf) => cf.address)).toEqual([`'${SHEET}'!H5:H7`]);
    expect(double.inspect.values(SHEET, "A2:B2")).toEqual([["Tolerance", 0.01]]);
  });

  it("reuses the table when every old row goes, and leaves the table empty when the billing table is", async () => {
    const double = createExcelDouble();
    await build(double);
    await replaceBillingRows(double, "Costs", [billingRow("Zed", "DE", 1, "EUR", "2026-11")]);
    await updateReconciliation(double.newContext(), "Costs");
    expect(double.inspect.table("Costs_Recon")?.rows.map((r) => r.slice(0, 3))).toEqual([["2026-11", "EUR", "Zed"]]);

    await replaceBillingRows(double, "Costs", []);
    const result = await updateReconciliation(double.newContext(), "Costs");
    expect(result?.rowCount).toBe(0);
    expect(double.inspect.table("Costs_Recon")?.rows).toEqual([["", "", "", "", "", "", "", ""]]);
    expect(double.inspect.conditionalFormats(SHEET)).toEqual([]);
  });

  it("marks against the default when the user deleted the tolerance name", async () => {
    const double = createExcelDouble();
    await build(double);
    double.state.names = [];
    const result = await updateReconciliation(double.newContext(), "Costs");
    expect(result?.notes).toContain(
      "The tolerance cell Costs_Recon_Tolerance was deleted; differences above 0.01 are marked."
    );
    expect(double.inspect.conditionalFormats(SHEET)[0]?.formula).toBe("=AND(ISNUMBER($H5),ROUND(ABS($H5),9)>0.01)");
  });
});

function round(value: unknown): unknown {
  return typeof value === "number" ? Math.round(value * 1e6) / 1e6 : value;
}
