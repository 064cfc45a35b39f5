/**
 * What Excel stores for a value written to a cell, and the shape check of a written 2D array:
 * - `null` in a values array leaves the cell unchanged; `""` empties it;
 * - a string that starts with an apostrophe is stored as the text after it, never converted (Excel's quote
 *   prefix: "To get around this, type an apostrophe ( ' ) first", Excel's own message for text that looks like a
 *   formula; reading `values` or `formulas` gives the text without the apostrophe, OfficeDev/office-js#6687);
 * - a string that starts with "=", "+", "-" or "@" becomes a formula, whatever the cell's number format:
 *   `Range.values` "If the returned value starts with a plus ("+"), minus ("-"), or equal sign ("="), Excel
 *   interprets this value as a formula" (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member),
 *   and "@" starts a formula in typed input too (Lotus compatibility). Plain numeric text ("-5", "+44") in a cell
 *   that is not formatted as text is a number;
 * - any other string written to a cell that is not formatted as text ("@") is converted the way Excel converts
 *   typed input: numeric text becomes a number ("0044" → 44, "754564654689" → 754564654689), `yyyy-mm-dd` and
 *   `yyyy-mm` become date serials in the workbook's date system (1900 or 1904), TRUE/FALSE become booleans. In a
 *   cell formatted "@" such text is kept as written;
 * - text longer than 32,767 characters is refused ("Total number of characters that a cell can contain: 32,767",
 *   https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3);
 * - a `Date` is sent as its JSON text (as Office.js serializes it), which Excel keeps as text.
 */
import { formatA1, type Rect } from "../address";
import { invalidArgument } from "../errors";
import type { CellState } from "./cells";

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

/** Excel's character limit per cell. */
export const MAX_CELL_TEXT = 32_767;

/** Days between the 1900 system's day 0 and the 1904 system's (1904-01-01 is serial 1462 in the 1900 system). */
export const DATE_1904_OFFSET = 1_462;

/** The serial of a calendar date in the 1900 or 1904 date system. */
export function serialOf(year: number, month: number, day: number, date1904 = false): number {
  const serial1900 = Date.UTC(year, month - 1, day) / 86_400_000 + 25_569;
  return date1904 ? serial1900 - DATE_1904_OFFSET : serial1900;
}

const FORMULA_START = /^[=+\-@]/;

/** One input cell to what Excel stores (see the file comment). */
export function coerceInput(
  raw: unknown,
  isText: boolean,
  asFormulas: boolean,
  property: string,
  date1904 = false
): CellState | undefined {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw))
      throw invalidArgument(`The argument is invalid or missing or has an incorrect format: ${property} holds ${raw}.`);
    return { value: raw };
  }
  if (typeof raw === "boolean") return { value: raw };
  const text = raw instanceof Date ? raw.toJSON() : raw;
  if (typeof text !== "string") {
    throw invalidArgument(
      `The argument is invalid or missing or has an incorrect format: ${property} holds a ${typeof raw}.`
    );
  }
  if (text === "") return undefined;
  const stored = text.startsWith("'") ? text.slice(1) : text;
  if (stored.length > MAX_CELL_TEXT) {
    throw invalidArgument(
      `The argument is invalid or missing or has an incorrect format: ${property} holds text of ${stored.length} characters; a cell holds at most ${MAX_CELL_TEXT}.`
    );
  }
  if (text.startsWith("'")) return { value: stored, quotePrefix: true };
  if (text.startsWith("=") && text.length > 1) return { value: 0, formula: text };
  if (FORMULA_START.test(text) && text.length > 1 && !(NUMERIC_TEXT.test(text) && !isText)) {
    return { value: 0, formula: `=${text}` };
  }
  if (isText) return { value: text };
  if (NUMERIC_TEXT.test(text)) return { value: Number(text) };
  const date = ISO_DATE.exec(text);
  if (date) return { value: serialOf(Number(date[1]), Number(date[2]), Number(date[3]), date1904) };
  const month = ISO_MONTH.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12)
    return { value: serialOf(Number(month[1]), Number(month[2]), 1, date1904) };
  if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === "true" };
  return { value: text };
}

/**
 * Checks an input against a rectangle and returns a cell accessor. A single value or a 1×1 array applies to
 * every cell; any other shape must match exactly (Excel: "The number of rows or columns in the input array
 * doesn't match the size or dimensions of the range.").
 */
export function broadcaster(input: unknown, rect: Rect, property: string): (r: number, c: number) => unknown {
  if (!Array.isArray(input)) return () => input;
  const rows = input as unknown[];
  if (rows.length === 1 && Array.isArray(rows[0]) && (rows[0] as unknown[]).length === 1) {
    const only = (rows[0] as unknown[])[0];
    return () => only;
  }
  const ok =
    rows.length === rect.rows && rows.every((line) => Array.isArray(line) && (line as unknown[]).length === rect.cols);
  if (!ok) {
    const width = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
    throw invalidArgument(
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range ` +
        `(${property}: ${rows.length}×${width} written to ${formatA1(rect)}, ${rect.rows}×${rect.cols}).`
    );
  }
  return (r, c) => (rows[r] as unknown[])[c];
}
