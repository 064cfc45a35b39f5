/** A1 addresses for the double: cells, rectangles, whole columns and rows, optional sheet prefix. */
import { invalidArgument } from "./errors";

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** A rectangle of cells, zero-based. */
export interface Rect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

function parsePart(part: string): { row?: number; col?: number } {
  const cell = CELL.exec(part);
  if (cell) return { col: columnIndex(cell[1] ?? ""), row: Number(cell[2]) - 1 };
  const column = COLUMN.exec(part);
  if (column) return { col: columnIndex(column[1] ?? "") };
  const row = ROW.exec(part);
  if (row) return { row: Number(row[1]) - 1 };
  throw invalidArgument(`The argument is invalid or missing or has an incorrect format: address "${part}".`);
}

/** Splits `'My sheet'!A1:B2` into the sheet name (unquoted) and the rest. */
export function splitSheet(address: string): { sheet?: string; local: string } {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return { local: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(bang + 1) };
}

export function parseA1(address: string): { sheet?: string; rect: Rect } {
  const { sheet, local } = splitSheet(address.trim());
  const [first = "", second] = local.split(":");
  const a = parsePart(first);
  const b = second === undefined ? a : parsePart(second);
  const wholeColumns = a.row === undefined && b.row === undefined;
  const wholeRows = a.col === undefined && b.col === undefined;
  if ((a.row === undefined) !== (b.row === undefined) || (a.col === undefined) !== (b.col === undefined)) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: address "${address}".`);
  }
  const r1 = wholeColumns ? 0 : (a.row ?? 0);
  const r2 = wholeColumns ? MAX_ROWS - 1 : (b.row ?? 0);
  const c1 = wholeRows ? 0 : (a.col ?? 0);
  const c2 = wholeRows ? MAX_COLUMNS - 1 : (b.col ?? 0);
  const rect = {
    row: Math.min(r1, r2),
    col: Math.min(c1, c2),
    rows: Math.abs(r2 - r1) + 1,
    cols: Math.abs(c2 - c1) + 1,
  };
  assertInGrid(rect);
  return sheet === undefined ? { rect } : { sheet, rect };
}

export function assertInGrid(rect: Rect): void {
  if (
    rect.row < 0 ||
    rect.col < 0 ||
    rect.rows < 1 ||
    rect.cols < 1 ||
    rect.row + rect.rows > MAX_ROWS ||
    rect.col + rect.cols > MAX_COLUMNS
  ) {
    throw invalidArgument(
      `The argument is invalid or missing or has an incorrect format: range (row ${rect.row}, column ${rect.col}, ${rect.rows}×${rect.cols}) is outside the sheet.`
    );
  }
}

export function formatA1(rect: Rect): string {
  const start = `${columnLetters(rect.col)}${rect.row + 1}`;
  if (rect.rows === 1 && rect.cols === 1) return start;
  return `${start}:${columnLetters(rect.col + rect.cols - 1)}${rect.row + rect.rows}`;
}

/** A sheet name as Excel writes it in an address: quoted when it is not a plain word. */
export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function formatAddress(sheet: string, rect: Rect): string {
  return `${quoteSheet(sheet)}!${formatA1(rect)}`;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

export function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.row >= outer.row &&
    inner.col >= outer.col &&
    inner.row + inner.rows <= outer.row + outer.rows &&
    inner.col + inner.cols <= outer.col + outer.cols
  );
}

export function containsCell(rect: Rect, row: number, col: number): boolean {
  return row >= rect.row && row < rect.row + rect.rows && col >= rect.col && col < rect.col + rect.cols;
}
