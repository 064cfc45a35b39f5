/**
 * A shaped cell as Excel must receive it to store exactly what it means (pure):
 *
 * - **Text that Excel would read as a formula** — starting with "=", "+", "-" or "@" (a sender "+385…", a campaign
 *   reference "=SPRING") — gets an apostrophe in front, Excel's documented way to enter such text as text (its own
 *   message: "Not trying to type a formula? ... type an apostrophe ( ' ) first"; `Range.values`: "If the returned
 *   value starts with a plus ("+"), minus ("-"), or equal sign ("="), Excel interprets this value as a formula",
 *   https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member). Excel keeps
 *   the text without the apostrophe. Text starting with an apostrophe gets one more, so that one is kept.
 * - **Text longer than a cell holds** (32,767 characters: https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
 *   is cut, ending in a marker that says so, instead of failing the whole request it travels in.
 * - **Dates** are serials counted in the workbook's date system: the shaper counts in the 1900 system; a workbook
 *   in the 1904 system (Excel for Mac's old default) counts 1,462 days fewer for the same day
 *   (https://learn.microsoft.com/office/troubleshoot/excel/1900-and-1904-date-system).
 *
 * The browser preview and the CSV keep the shape's own cells; only what goes to Excel is changed here.
 */
import type { ColumnKind, ExcelCell, TableShape } from "./shape";

export const CELL_TEXT_LIMIT = 32_767;
/** Ends a cut text cell (the cell holds the limit, marker included). */
export const CUT_MARKER = " … [cut: Excel holds at most 32,767 characters in a cell]";
export const DATE_1904_OFFSET_DAYS = 1_462;

export type DateSystem = 1900 | 1904;

const LOOKS_LIKE_FORMULA = /^[=+\-@']/;

/** The text as written to a cell so that Excel stores exactly `text`. */
export function textCell(text: string): string {
  return LOOKS_LIKE_FORMULA.test(text) ? `'${text}` : text;
}

/** Text cut to the cell limit (marker included), or the text itself. */
export function fitCellText(text: string): { text: string; cut: boolean } {
  if (text.length <= CELL_TEXT_LIMIT) return { text, cut: false };
  return { text: text.slice(0, CELL_TEXT_LIMIT - CUT_MARKER.length) + CUT_MARKER, cut: true };
}

/** A 1900-system serial in the given date system. */
export function serialIn(serial1900: number, dateSystem: DateSystem): number {
  return dateSystem === 1904 ? serial1900 - DATE_1904_OFFSET_DAYS : serial1900;
}

const DATE_KINDS: ReadonlySet<ColumnKind> = new Set(["day", "month", "date-time"]);

/** One cell for Excel; `onCut` is told when text was cut. */
export function toSheetCell(
  cell: ExcelCell,
  kind: ColumnKind | undefined,
  dateSystem: DateSystem,
  onCut?: () => void
): ExcelCell {
  if (typeof cell === "string") {
    if (cell === "") return cell;
    const fitted = fitCellText(cell);
    if (fitted.cut) onCut?.();
    return textCell(fitted.text);
  }
  if (typeof cell === "number" && kind !== undefined && DATE_KINDS.has(kind)) return serialIn(cell, dateSystem);
  return cell;
}

export interface SheetRows {
  rows: ExcelCell[][];
  /** Cells whose text was cut to Excel's limit. */
  cutCells: number;
}

/** Every row of a shape as Excel should receive it. */
export function sheetRowsOf(shape: Pick<TableShape, "columns" | "rows">, dateSystem: DateSystem): SheetRows {
  let cutCells = 0;
  const onCut = () => {
    cutCells += 1;
  };
  const kinds = shape.columns.map((c) => c.kind);
  const rows = shape.rows.map((row) => row.map((cell, index) => toSheetCell(cell, kinds[index], dateSystem, onCut)));
  return { rows, cutCells };
}

/** The plain-words note for cut cells, or undefined. */
export function cutCellsNote(cutCells: number): string | undefined {
  if (cutCells === 0) return undefined;
  return `${cutCells.toLocaleString("en-US")} ${cutCells === 1 ? "cell was" : "cells were"} longer than the 32,767 characters an Excel cell holds and ${cutCells === 1 ? "was" : "were"} cut; ${cutCells === 1 ? "it ends" : "they end"} with "[cut: …]".`;
}
