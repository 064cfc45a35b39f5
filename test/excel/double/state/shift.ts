/**
 * What happens to things on a sheet when `Range.insert` / `Range.delete` shift cells: everything that lives on
 * cells (formats, conditional formats, merged areas, spill ranges, defined names) moves with the cells, as in
 * Excel; and what Excel refuses to split.
 *
 * A shift moves a "band": for `insert("Down")` at rows [r, r+k) of columns [c0, c1), every cell of those columns
 * at or below r moves down k rows; `delete("Up")` removes those rows of those columns and moves the cells below
 * up. (`Right` / `Left` are the same with rows and columns swapped.) An area wholly inside the band's columns
 * moves (or grows, when the insert cuts through it; shrinks or disappears under a delete); an area outside them
 * stays. An area that straddles the band's edge would be split: Excel refuses that for merged cells ("We can't
 * do that to a merged cell") and spilled arrays ("You can't change part of an array"), and for PivotTables any
 * shift through them ("The attempted operation causes a conflict with a PivotTable range", PivotTableRangeConflict:
 * https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling). Formats and
 * conditional formats that straddle are left where they are (a simplification: Excel would split them).
 */
import { MAX_COLUMNS, MAX_ROWS, intersects, type Rect } from "../address";

export interface ShiftEdit {
  rect: Rect;
  shift: "Down" | "Up" | "Right" | "Left";
}

function transpose(rect: Rect): Rect {
  return { row: rect.col, col: rect.row, rows: rect.cols, cols: rect.rows };
}

function vertical(edit: ShiftEdit): boolean {
  return edit.shift === "Down" || edit.shift === "Up";
}

/** The cells that move (or go): the edited columns from the edited row down (or rows from the column right). */
export function movingBand(edit: ShiftEdit): Rect {
  const { rect } = edit;
  return vertical(edit)
    ? { row: rect.row, col: rect.col, rows: MAX_ROWS - rect.row, cols: rect.cols }
    : { row: rect.row, col: rect.col, rows: rect.rows, cols: MAX_COLUMNS - rect.col };
}

/** Does `area` reach into the moving band without lying wholly within its columns (rows, for Right/Left)? */
export function straddles(area: Rect, edit: ShiftEdit): boolean {
  if (!intersects(area, movingBand(edit))) return false;
  const a = vertical(edit) ? area : transpose(area);
  const e = vertical(edit) ? edit.rect : transpose(edit.rect);
  return a.col < e.col || a.col + a.cols > e.col + e.cols;
}

/**
 * Where an area is after the shift: moved, grown, shrunk, `null` when deleted with its cells, or the same
 * object when the shift does not concern it (outside the band, or straddling its edge).
 */
export function shiftArea(area: Rect, edit: ShiftEdit): Rect | null {
  const isVertical = vertical(edit);
  const a = isVertical ? area : transpose(area);
  const e = isVertical ? edit.rect : transpose(edit.rect);
  const inColumns = a.col >= e.col && a.col + a.cols <= e.col + e.cols;
  if (!inColumns) return area;
  const end = a.row + a.rows;
  const k = e.rows;
  let moved: Rect;
  if (edit.shift === "Down" || edit.shift === "Right") {
    if (end <= e.row) return area;
    // Below the inserted cells: moved down; cut through by them: grown. Cells pushed past the last row are gone.
    const row = a.row >= e.row ? a.row + k : a.row;
    const rows = Math.min(end + k, MAX_ROWS) - row;
    if (rows <= 0) return null;
    moved = { ...a, row, rows };
  } else {
    const cutEnd = e.row + k;
    if (end <= e.row) return area;
    // Rows above the deleted ones stay, the deleted ones go, the rows below move up.
    const row = a.row < e.row ? a.row : Math.max(e.row, a.row - k);
    const newEnd = end <= cutEnd ? e.row : end - k;
    if (newEnd - row <= 0) return null;
    moved = { ...a, row, rows: newEnd - row };
  }
  return isVertical ? moved : transpose(moved);
}
