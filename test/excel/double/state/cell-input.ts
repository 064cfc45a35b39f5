/**
 * What Excel stores for a value written to a cell, and the shape check of a written 2D array:
 * - `null` in a values array leaves the cell unchanged; `""` empties it;
 * - a string written to a cell that is not formatted as text ("@") is converted the way Excel converts typed
 *   input: numeric text becomes a number ("0044" → 44, "754564654689" → 754564654689), `yyyy-mm-dd` and
 *   `yyyy-mm` become date serials, TRUE/FALSE become booleans, and text starting with "=", "+" or "-" becomes
 *   a formula. In a cell formatted "@" the text is kept as written;
 * - a `Date` is sent as its JSON text (as Office.js serializes it), which Excel keeps as text.
 */
import { formatA1, type Rect } from "../address";
import { invalidArgument } from "../errors";
import type { CellState } from "./cells";

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

function serialOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000 + 25_569;
}

/** One input cell to what Excel stores (see the file comment). */
export function coerceInput(
  raw: unknown,
  isText: boolean,
  asFormulas: boolean,
  property: string
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
  if (isText && !asFormulas) return { value: text };
  if (isText && asFormulas && !text.startsWith("=")) return { value: text };
  if (text.startsWith("=") && text.length > 1) return { value: 0, formula: text };
  if (NUMERIC_TEXT.test(text)) return { value: Number(text) };
  if ((text.startsWith("+") || text.startsWith("-")) && text.length > 1) return { value: 0, formula: `=${text}` };
  const date = ISO_DATE.exec(text);
  if (date) return { value: serialOf(Number(date[1]), Number(date[2]), Number(date[3])) };
  const month = ISO_MONTH.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12)
    return { value: serialOf(Number(month[1]), Number(month[2]), 1) };
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
