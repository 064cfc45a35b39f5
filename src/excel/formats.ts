/**
 * Number formats per column and the marking of provisional rows. Pure: the writer applies them with one
 * assignment per column, over the rows in use only.
 */
import { columnLetters } from "./layout";
import { PERIOD_STATUS_HEADER } from "./billing-table";
import type { ColumnKind, ExcelCell, ShapedColumn, TableShape } from "./shape";

export const TEXT_FORMAT = "@";
export const GENERAL_FORMAT = "General";

export const NUMBER_FORMATS = {
  day: "yyyy-mm-dd",
  month: "yyyy-mm",
  dateTime: "yyyy-mm-dd hh:mm",
  /** At least 2 decimals, up to 8 without trailing zeros: 0.0075 → 0.0075, 1.5 → 1.50. */
  unitPrice: "#,##0.00######",
  /** Whole quantities: no decimal point at all ("#,##0.####" would show "12." for 12). */
  quantityWhole: "#,##0",
  /** Fractional quantities (minutes, sessions): one decimal always, up to four. */
  quantityFractional: "#,##0.0###",
  total: "#,##0.00",
} as const;

/** True for columns written as text, which must be formatted "@" before their values are written. */
export function isTextKind(kind: ColumnKind): boolean {
  return (
    kind === "text" ||
    kind === "identifier" ||
    kind === "billing-month" ||
    kind === "period-status" ||
    kind === "connection"
  );
}

/** The format of a quantity column: whole-number format unless some value has a fraction. */
export function quantityFormat(values: Iterable<ExcelCell>): string {
  for (const value of values) {
    if (typeof value === "number" && !Number.isInteger(value)) return NUMBER_FORMATS.quantityFractional;
  }
  return NUMBER_FORMATS.quantityWhole;
}

/** The number format of one column of a shape (`rows` is read only for quantity columns). */
export function columnNumberFormat(kind: ColumnKind, columnValues: () => Iterable<ExcelCell>): string {
  switch (kind) {
    case "day":
      return NUMBER_FORMATS.day;
    case "month":
      return NUMBER_FORMATS.month;
    case "date-time":
      return NUMBER_FORMATS.dateTime;
    case "unit-price":
      return NUMBER_FORMATS.unitPrice;
    case "quantity":
      return quantityFormat(columnValues());
    case "total":
      return NUMBER_FORMATS.total;
    case "text":
    case "identifier":
    case "billing-month":
    case "period-status":
    case "connection":
      return TEXT_FORMAT;
    case "number":
    case "boolean":
      return GENERAL_FORMAT;
  }
}

function* columnOf(rows: readonly (readonly ExcelCell[])[], index: number): Iterable<ExcelCell> {
  for (const row of rows) {
    const value = row[index];
    if (value !== undefined) yield value;
  }
}

/** One number format per column of the shape, in column order. */
export function numberFormatsFor(shape: Pick<TableShape, "columns" | "rows">): string[] {
  return shape.columns.map((column, index) => columnNumberFormat(column.kind, () => columnOf(shape.rows, index)));
}

/** The visible marking of provisional rows. */
export const PROVISIONAL_MARK = {
  fillColor: "#FFF2CC",
  fontColor: "#7F6000",
  italic: true,
} as const;

export interface ProvisionalRule {
  /** A custom conditional-format formula, relative to the first cell of the range it applies to. */
  formula: string;
  fillColor: string;
  fontColor: string;
  italic: boolean;
}

/**
 * The conditional format that marks provisional rows: over the data rows in use, a formula on the Period
 * status column with the column fixed and the row relative, e.g. `=$M11="Provisional"`.
 *
 * @param statusColumnIndex zero-based sheet column of "Period status"
 * @param firstDataRowIndex zero-based sheet row of the first data row
 */
export function provisionalRule(statusColumnIndex: number, firstDataRowIndex: number): ProvisionalRule {
  return {
    formula: `=$${columnLetters(statusColumnIndex)}${firstDataRowIndex + 1}="Provisional"`,
    fillColor: PROVISIONAL_MARK.fillColor,
    fontColor: PROVISIONAL_MARK.fontColor,
    italic: PROVISIONAL_MARK.italic,
  };
}

/** The zero-based index of the Period status column in a shape. */
export function periodStatusIndex(columns: readonly ShapedColumn[]): number {
  return columns.findIndex((c) => c.header === PERIOD_STATUS_HEADER);
}
