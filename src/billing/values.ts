/**
 * Typing of result cells: the API's STRING / INTEGER / NUMBER / BOOLEAN / DATE_TIME cells, and the
 * string "N/A" that any column may hold where a metric or dimension does not apply to a channel.
 *
 * - "N/A" (and null) → `null`, an empty cell, never a number;
 * - identifiers (campaign, template, account keys, prefixes…) → text, so Excel neither rounds them past
 *   15 digits nor shows them in scientific notation;
 * - NUMBER / INTEGER → numbers (numeric strings are read as numbers; other text, and numeric text too
 *   large for a finite number, is kept as text);
 * - DATE_TIME → a UTC `Date` (see `parseApiDateTime` for the accepted spellings; `yyyy-MM-dd` too).
 */
import { isIsoDate, isoDateToUtc, parseApiDateTime } from "./atoms";
import { dimensionInfo, isAggregateDimension } from "./catalog";
import type { ColumnInfo, RawCell } from "./result";

export const NOT_APPLICABLE = "N/A";

export type TypedCell = string | number | boolean | Date | null;

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Is this column kept as text whatever its declared type? */
export function isIdentifierColumn(columnName: string): boolean {
  return isAggregateDimension(columnName) && dimensionInfo(columnName).valueKind === "identifier";
}

/** One raw cell to a typed value, by its column. */
export function typeCell(value: RawCell | undefined, column: ColumnInfo): TypedCell {
  if (value === undefined || value === null || value === NOT_APPLICABLE) return null;
  if (isIdentifierColumn(column.columnName)) return String(value);
  switch (column.columnDataType) {
    case "NUMBER":
    case "INTEGER":
      if (typeof value === "number") return value;
      if (typeof value === "string" && NUMERIC_TEXT.test(value.trim())) {
        // "1e400" matches the pattern but is Infinity, which no cell can hold: keep what was sent.
        const number = Number(value);
        return Number.isFinite(number) ? number : value;
      }
      return typeof value === "boolean" ? String(value) : value;
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return String(value);
    case "DATE_TIME":
      if (typeof value === "string") {
        const date = parseApiDateTime(value) ?? (isIsoDate(value) ? isoDateToUtc(value) : undefined);
        if (date) return date;
      }
      return String(value);
    case "STRING":
      return String(value);
  }
}

/** A whole row, cell by cell. */
export function typeRow(row: readonly RawCell[], columns: readonly ColumnInfo[]): TypedCell[] {
  return columns.map((column, index) => typeCell(row[index], column));
}
