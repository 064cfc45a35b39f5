/**
 * The full result as CSV (RFC 4180), pure. Choices, since "CSV" is read by Excel more than by anything else:
 * - every text field is quoted (quotes doubled), lines end with CRLF, and the file starts with a UTF-8 BOM
 *   so Excel reads accents and currency symbols right;
 * - numbers are written plainly with a dot (0.0075), dates as yyyy-mm-dd (yyyy-mm for MONTH), N/A empty;
 * - identifiers made of digits (campaign and template IDs, account keys, prefixes) are written as
 *   `="…"` so that Excel keeps them as text: no scientific notation, no digits lost past 15;
 * - text that Excel would run as a formula (starting with = + - @ or a tab/CR) is prefixed with `'`
 *   (the usual guard against CSV injection).
 */
import type { TypedCell } from "../billing";
import { displayCell, type ShapedColumn } from "./result-view";

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMERIC_LOOKING = /^[+-]?[\d.,]+([eE][+-]?\d+)?$/;

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** One cell as a CSV field. */
export function csvField(cell: TypedCell, column: ShapedColumn): string {
  if (cell === null) return "";
  if (typeof cell === "number") {
    if (column.kind === "identifier") return `=${quote(String(cell))}`;
    return Number.isFinite(cell) ? String(cell) : "";
  }
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  const text = displayCell(cell, column.kind);
  if (cell instanceof Date) return text;
  if (column.kind === "identifier" && NUMERIC_LOOKING.test(text)) return `=${quote(text)}`;
  return quote(FORMULA_START.test(text) ? `'${text}` : text);
}

export function csvLine(cells: readonly string[]): string {
  return cells.join(",");
}

/** The whole table, header first. */
export function toCsv(columns: readonly ShapedColumn[], rows: readonly (readonly TypedCell[])[]): string {
  const lines = [csvLine(columns.map((c) => quote(c.label)))];
  for (const row of rows) lines.push(csvLine(columns.map((column, i) => csvField(row[i] ?? null, column))));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** A file name for the download: the label (or "billing-usage") and the period. */
export function csvFileName(label: string | undefined, since: string, until: string): string {
  const base = (label ?? "").trim().replace(/[^\p{L}\p{N}_-]+/gu, "-").replace(/^-+|-+$/g, "") || "billing-usage";
  return `${base}_${since}_to_${until}.csv`;
}
