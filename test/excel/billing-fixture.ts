/**
 * Test support for the living-sheet tests: a billing table seeded through the double's context (text
 * columns formatted "@" first, as the writer does, so "2026-10" stays text), and a double whose formula
 * cells are computed (formula-evaluator.ts: SUMIFS over structured references with Excel's criteria rules,
 * and the other functions the reconciliation and the cost overview write), so tests read the sheets' totals.
 */
import type { SnapshotCell } from "../../src/excel/billing-table";
import { textCell } from "../../src/excel/sheet-cells";
import { createExcelDouble, type CellValue, type ExcelDouble, type ExcelDoubleOptions } from "./excel-double";
import { evaluateFormula } from "./formula-evaluator";

export const BILLING_HEADER = [
  "Account",
  "Category code",
  "Country",
  "Unit",
  "Unit price",
  "Quantity",
  "Total",
  "Currency",
  "Billing month",
  "Period status",
];
/** The reconciliation table's columns, in the order the reconciliation writes them. */
export const RECONCILIATION_HEADER = [
  "Billing month",
  "Currency",
  "Account",
  "Period status",
  "Finalizes on",
  "Billing total",
  "Invoice amount",
  "Difference",
];
const TEXT_COLUMNS = new Set([
  "Account",
  "Account key",
  "Category code",
  "Country",
  "Unit",
  "Currency",
  "Billing month",
  "Period status",
]);

export function billingRow(
  account: string,
  country: string,
  total: number,
  currency: string,
  month: string,
  status = "Provisional"
): SnapshotCell[] {
  return [account, "SMS", country, "message", 0.01, Math.round(total * 100), total, currency, month, status];
}

/** A row as the writer sends it: text that looks like a formula with its apostrophe (src/excel/sheet-cells.ts). */
function sheetRow(row: readonly SnapshotCell[]): (string | number | boolean | Date)[] {
  return row.map((c) => (typeof c === "string" ? textCell(c) : (c ?? "")));
}

/** Writes a billing table named `name` on a new sheet (A1 header) in one sync. */
export async function seedBillingTable(
  double: ExcelDouble,
  name: string,
  header: readonly string[],
  rows: readonly (readonly SnapshotCell[])[],
  sheetName = "Billing"
): Promise<void> {
  const context = double.newContext();
  const sheet = context.workbook.worksheets.add(sheetName);
  const bodyRows = Math.max(rows.length, 1);
  header.forEach((label, column) => {
    if (TEXT_COLUMNS.has(label)) sheet.getRangeByIndexes(1, column, bodyRows, 1).numberFormat = [["@"]];
  });
  sheet.getRangeByIndexes(0, 0, 1, header.length).values = [[...header]];
  if (rows.length > 0) sheet.getRangeByIndexes(1, 0, rows.length, header.length).values = rows.map(sheetRow);
  const table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, 1 + bodyRows, header.length), true);
  table.name = name;
  await context.sync();
}

/**
 * Replaces a billing table's rows in place (a stand-in for the writer's refresh), in one sync; columns the
 * user added to the right of the billing columns are left as they are.
 */
export async function replaceBillingRows(
  double: ExcelDouble,
  name: string,
  rows: readonly (readonly SnapshotCell[])[]
): Promise<void> {
  const context = double.newContext();
  const table = context.workbook.tables.getItem(name);
  const body = table.getDataBodyRange().load("rowCount,rowIndex,columnIndex");
  const header = table.getHeaderRowRange().load("values");
  await context.sync();
  const labels = (header.values[0] ?? []).map(String);
  const width = rows[0]?.length ?? labels.length;
  for (let i = body.rowCount - 1; i > 0; i--) table.rows.getItemAt(i).delete();
  if (rows.length > 1)
    table.rows.add(
      undefined,
      rows.slice(1).map(() => labels.map(() => ""))
    );
  labels.forEach((label, column) => {
    if (TEXT_COLUMNS.has(label)) table.columns.getItemAt(column).getDataBodyRange().numberFormat = [["@"]];
  });
  const cells = table.worksheet.getRangeByIndexes(body.rowIndex, body.columnIndex, Math.max(rows.length, 1), width);
  if (rows.length === 0) cells.clear("Contents");
  else cells.values = rows.map(sheetRow);
  await context.sync();
}

/** A double whose formula cells are computed by {@link evaluateReconciliationFormula}. */
export function calculatingDouble(options: Omit<ExcelDoubleOptions, "evaluateFormula"> = {}): ExcelDouble {
  // The evaluator runs at read time, long after `double` is assigned.
  const double: ExcelDouble = createExcelDouble({
    ...options,
    evaluateFormula: (formula, sheet, row, col) => evaluateReconciliationFormula(double, formula, sheet, row, col),
  });
  return double;
}

/** A formula cell's value, as Excel computes it (see formula-evaluator.ts for what it knows). */
export function evaluateReconciliationFormula(
  double: ExcelDouble,
  formula: string,
  sheetName: string,
  row: number,
  col: number
): CellValue {
  const sheet = double.state.sheetByName(sheetName);
  if (!sheet) throw new Error(`no sheet ${sheetName}`);
  return evaluateFormula(formula, { state: double.state, sheet, row, col });
}
