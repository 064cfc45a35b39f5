/**
 * The full result as CSV (RFC 4180), pure. Choices, since this CSV is opened in Excel more than anywhere:
 * - the header and every text field are quoted (quotes doubled), lines end with CRLF, and the file starts
 *   with a UTF-8 BOM so Excel reads accents and currency symbols right;
 * - numbers are written plainly with a dot (0.0075), dates as yyyy-mm-dd (yyyy-mm for MONTH), N/A empty;
 * - identifiers made of digits (campaign and template IDs, account keys, prefixes) are written as
 *   `="…"` so that Excel keeps them as text: no scientific notation, no digits lost past 15;
 * - other text that Excel would run as a formula (starting with = + - @, a tab or a CR) gets a leading `'`
 *   (the usual guard against CSV injection).
 */
import { addDays, type DateInterval } from "../billing";
import type { ColumnKind, PreviewCell } from "../excel/shape";

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_LIKE = /^[\s+-]*[\d.,]+([eE][+-]?\d+)?\s*$/;

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** One cell as a CSV field. */
export function csvField(cell: PreviewCell, kind: ColumnKind): string {
  if (cell === "") return "";
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (typeof cell === "number") {
    if (kind === "identifier" || kind === "text") return `=${quote(String(cell))}`;
    return Number.isFinite(cell) ? String(cell) : "";
  }
  if (kind === "day" || kind === "month" || kind === "date-time") return cell;
  if (kind === "identifier" && NUMBER_LIKE.test(cell)) return `=${quote(cell)}`;
  return quote(FORMULA_START.test(cell) ? `'${cell}` : cell);
}

/** The whole table, header first. */
export function toCsv(
  headers: readonly string[],
  kinds: readonly ColumnKind[],
  rows: readonly (readonly PreviewCell[])[]
): string {
  const lines = [headers.map(quote).join(",")];
  for (const row of rows) lines.push(kinds.map((kind, i) => csvField(row[i] ?? "", kind)).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/**
 * A file name for the download: the label (or "billing-usage") and the period from its first to its last day,
 * as the pane and the sheet write periods (`sentUntil` is exclusive, so the last day is the one before it).
 */
export function csvFileName(label: string | undefined, period: DateInterval): string {
  const base =
    (label ?? "")
      .trim()
      .replace(/[^\p{L}\p{N}_-]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "billing-usage";
  return `${base}_${period.sentSince}_to_${addDays(period.sentUntil, -1)}.csv`;
}
