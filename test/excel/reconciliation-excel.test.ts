/**
 * The reconciliation sheet as real Excel behaves (issue 10): dates in a 1904 workbook, account names that look like
 * formulas kept as text, names within Excel's limits and clear of the user's defined names, the user's conditional
 * formats on the sheet kept, and a workbook in manual calculation recalculated.
 */
import { buildReconciliation, updateReconciliation } from "../../src/excel/reconciliation";
import { BILLING_HEADER, billingRow, calculatingDouble, replaceBillingRows, seedBillingTable } from "./billing-fixture";
import { createExcelDouble, type ExcelDouble } from "./excel-double";

const PERIODS = [
  { month: "2026-09", volumeFinalized: true },
  { month: "2026-10", volumeFinalized: false },
];
const ROWS = [billingRow("Acme", "DE", 10, "EUR", "2026-09", "Final"), billingRow("Beta", "FR", 5, "EUR", "2026-10")];
const SHEET = "Recon Costs";

async function build(double: ExcelDouble, rows = ROWS, name = "Costs") {
  await seedBillingTable(double, name, BILLING_HEADER, rows);
  return buildReconciliation(double.newContext(), name, { billingPeriods: PERIODS });
}

/** The reconciliation table's column, by header. */
function column(double: ExcelDouble, header: string): unknown[] {
  const table = double.inspect.table("Costs_Recon");
  const index = table?.headers.indexOf(header) ?? -1;
  return (table?.rows ?? []).map((row) => row[index]);
}

describe("the reconciliation sheet in real Excel's terms", () => {
  it("writes Finalizes on in a 1904 workbook's date system", async () => {
    const double = createExcelDouble({ dateSystem: 1904 });
    await build(double);
    expect(column(double, "Finalizes on").map((serial) => double.inspect.dateOf(Number(serial)))).toEqual([
      "2026-10-05",
      "2026-11-05",
    ]);
  });

  it("keeps account names that look like formulas as text, and SUMIFS still matches them", async () => {
    const double = calculatingDouble();
    await build(double, [
      billingRow("=Acme", "DE", 10, "EUR", "2026-09", "Final"),
      billingRow("-Beta-", "FR", 5, "EUR", "2026-09", "Final"),
    ]);
    expect(column(double, "Account")).toEqual(["-Beta-", "=Acme"]);
    expect(column(double, "Billing total")).toEqual([5, 10]);
  });

  it("builds the sheet for a table whose name is as long as Excel allows, with names within 255 characters", async () => {
    const double = createExcelDouble();
    const name = `Billing_${"x".repeat(247)}`;
    expect(name).toHaveLength(255);
    const result = await build(double, ROWS, name);
    expect(result.tableName.length).toBeLessThanOrEqual(255);
    expect(result.toleranceName.length).toBeLessThanOrEqual(255);
    expect(double.inspect.names()[result.toleranceName]).toMatch(/!B2$/);
  });

  it("refuses plainly when a defined name of the user's already has the reconciliation table's name", async () => {
    const double = createExcelDouble();
    double.inspect.seedName("Costs_Recon", "Sheet1", "A1");
    await expect(build(double)).rejects.toThrow(
      "The reconciliation table would be named Costs_Recon, but the workbook already has a defined name Costs_Recon"
    );
    expect(double.inspect.sheetNames()).toEqual(["Sheet1", "Billing"]);
  });

  it("replaces only its own marking of the Difference column, keeping the user's conditional formats", async () => {
    const double = createExcelDouble();
    await build(double);
    const difference = "H5:H6";
    const user = double.inspect.seedConditionalFormat(SHEET, difference, { formula: "=$H5<0", fillColor: "#00B050" });
    await updateReconciliation(double.newContext(), "Costs", { billingPeriods: PERIODS });
    const formats = double.inspect.conditionalFormats(SHEET);
    expect(formats.filter((cf) => cf.id === user)).toHaveLength(1);
    expect(formats.filter((cf) => cf.id === undefined)).toEqual([
      expect.objectContaining({ formula: "=AND(ISNUMBER($H5),ROUND(ABS($H5),9)>Costs_Recon_Tolerance)" }),
    ]);
  });

  it("recalculates a workbook in manual calculation after updating the sheet", async () => {
    const double = calculatingDouble({ calculationMode: "Manual" });
    await build(double);
    const setup = double.newContext();
    setup.workbook.worksheets.add("Summary").getRange("A1").formulas = [["=SUM(Costs_Recon[Billing total])"]];
    await setup.sync();
    expect(double.inspect.values("Summary", "A1")).toEqual([[15]]);
    await replaceBillingRows(double, "Costs", [...ROWS, billingRow("Gamma", "IT", 7, "EUR", "2026-10")]);
    expect(double.inspect.values("Summary", "A1")).toEqual([[15]]); // stale, as Excel shows it in manual mode
    await updateReconciliation(double.newContext(), "Costs", { billingPeriods: PERIODS });
    expect(double.inspect.values("Summary", "A1")).toEqual([[22]]);
  });
});
