/**
 * Test support for the living-sheet tests: a billing table seeded through the double's context (text
 * columns formatted "@" first, as the writer does, so "2026-10" stays text), and a small evaluator for the
 * formulas the reconciliation sheet writes (SUMIFS over structured references, IF, the Difference), so the
 * double can compute the sheet's totals. The evaluator follows Excel's SUMIFS criteria rules that matter
 * here: case-insensitive text comparison, a leading "=" for an exact match ("=" alone matches blank cells),
 * `*` `?` wildcards and `~` escapes; a criterion that is an empty cell matches nothing.
 */
import type { SnapshotCell } from "../../src/excel/billing-table";
import { textCell } from "../../src/excel/sheet-cells";
import { createExcelDouble, type CellValue, type ExcelDouble, type ExcelDoubleOptions } from "./excel-double";

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

type Value = CellValue | CellValue[];

export function evaluateReconciliationFormula(
  double: ExcelDouble,
  formula: string,
  sheetName: string,
  row: number,
  col: number
): CellValue {
  const state = double.state;
  const sheet = state.sheetByName(sheetName);
  if (!sheet) throw new Error(`no sheet ${sheetName}`);
  const here = state.tables.find(
    (t) =>
      t.sheetId === sheet.id &&
      row > t.rect.row &&
      row < t.rect.row + t.rect.rows &&
      col >= t.rect.col &&
      col < t.rect.col + t.rect.cols
  );
  const columnOf = (tableName: string, column: string): CellValue[] => {
    const table = state.tableByName(tableName);
    if (!table) return ["#REF!"];
    const owner = state.requireSheet(table.sheetId);
    const offset = state.tableHeaders(table).findIndex((h) => h.toLowerCase() === column.toLowerCase());
    if (offset < 0) return ["#REF!"];
    const values: CellValue[] = [];
    for (let r = table.rect.row + 1; r < table.rect.row + table.rect.rows; r++)
      values.push(state.readValue(owner, r, table.rect.col + offset));
    return values;
  };
  const thisRow = (column: string): CellValue => {
    if (!here) return "#VALUE!";
    const offset = state.tableHeaders(here).findIndex((h) => h.toLowerCase() === column.toLowerCase());
    return offset < 0 ? "#REF!" : state.readValue(sheet, row, here.rect.col + offset);
  };
  const unescape = (name: string) => name.replace(/'(.)/g, "$1");

  const evaluate = (expression: string): Value => {
    const text = expression.trim();
    let match: RegExpExecArray | null;
    if ((match = /^"((?:[^"]|"")*)"$/.exec(text))) return (match[1] ?? "").replace(/""/g, '"');
    if ((match = /^\[@\[((?:[^\]']|'.)*)\]\]$/.exec(text)) || (match = /^\[@([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(text)))
      return thisRow(unescape(match[1] ?? ""));
    if ((match = /^([A-Za-z_][A-Za-z0-9_.]*)\[((?:[^\]']|'.)*)\]$/.exec(text)))
      return columnOf(match[1] ?? "", unescape(match[2] ?? ""));
    const call = /^([A-Z]+)\((.*)\)$/s.exec(text);
    if (call) {
      const args = splitArgs(call[2] ?? "");
      const scalar = (arg: string) => evaluate(arg) as CellValue;
      switch (call[1]) {
        case "SUMIFS": {
          const [sumRange, ...pairs] = args.map(evaluate);
          let sum = 0;
          (sumRange as CellValue[]).forEach((value, index) => {
            for (let p = 0; p < pairs.length; p += 2) {
              if (!matches((pairs[p] as CellValue[])[index], pairs[p + 1] as CellValue)) return;
            }
            if (typeof value === "number") sum += value;
          });
          return sum;
        }
        case "SUBSTITUTE":
          return String(scalar(args[0] ?? ""))
            .split(String(scalar(args[1] ?? "")))
            .join(String(scalar(args[2] ?? "")));
        case "IF":
          return truthy(scalar(args[0] ?? "")) ? scalar(args[1] ?? "") : scalar(args[2] ?? "");
        case "SUM":
          return args
            .map(evaluate)
            .flat()
            .reduce<number>((sum, value) => sum + (typeof value === "number" ? value : 0), 0);
      }
      throw new Error(`the test evaluator does not know ${call[1]}`);
    }
    const concat = splitTop(text, "&");
    if (concat.length > 1) return concat.map((part) => String(evaluate(part))).join("");
    const equals = splitTop(text, "=");
    if (equals.length === 2)
      return String(evaluate(equals[0] ?? "")).toLowerCase() === String(evaluate(equals[1] ?? "")).toLowerCase();
    const minus = splitTop(text, "-");
    if (minus.length === 2) return Number(evaluate(minus[0] ?? "")) - Number(evaluate(minus[1] ?? ""));
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    throw new Error(`the test evaluator cannot read ${text}`);
  };
  const result = evaluate(formula.replace(/^=/, ""));
  return Array.isArray(result) ? "#VALUE!" : result;
}

function truthy(value: CellValue): boolean {
  return value === true || (typeof value === "number" && value !== 0);
}

/** SUMIFS criteria: "=x" exact, "=" blank, wildcards, case-insensitive; an empty criterion cell matches nothing. */
function matches(cell: CellValue | undefined, criterion: CellValue): boolean {
  if (criterion === "") return false;
  let wanted = String(criterion);
  if (wanted.startsWith("=")) {
    wanted = wanted.slice(1);
    if (wanted === "") return cell === "" || cell === undefined;
  }
  let pattern = "";
  for (let i = 0; i < wanted.length; i++) {
    const c = wanted[i] ?? "";
    if (c === "~" && i + 1 < wanted.length) pattern += escapeRegExp(wanted[++i] ?? "");
    else if (c === "*") pattern += ".*";
    else if (c === "?") pattern += ".";
    else pattern += escapeRegExp(c);
  }
  return new RegExp(`^${pattern}$`, "i").test(String(cell ?? ""));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function splitArgs(text: string): string[] {
  return splitTop(text, ",");
}

/** Splits at `separator` outside parentheses, brackets and quotes. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === "'") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
