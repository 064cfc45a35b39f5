/**
 * The double's grid: worksheets, a real (sparse) cell store of values and formula text, number formats and
 * styles, and conditional formats. Tables (`tables.ts`) and the rest of the workbook (`workbook-state.ts`)
 * build on it and hook into its edits. Everything here is applied at sync time by the client objects; tests
 * may also read it directly through `ExcelDouble.inspect` and `ExcelDouble.state`.
 *
 * Writing cells follows Excel's rules where they matter for our code (see `cell-input.ts`): `null` in a
 * values array leaves the cell unchanged, `""` empties it, and text is converted as Excel converts typed
 * input unless the cell is formatted as text ("@").
 */
import { MAX_ROWS, containsCell, contains, formatA1, intersects, type Rect } from "../address";
import { officeError } from "../errors";
import { broadcaster, coerceInput } from "./cell-input";
import { sameName, validateSheetName } from "./rules";
import { shiftArea, straddles, type ShiftEdit } from "./shift";

export type CellValue = string | number | boolean;

export interface CellState {
  value: CellValue;
  formula?: string;
  /** Text entered with a leading apostrophe (Excel's quote prefix). */
  quotePrefix?: boolean;
  /** In manual calculation: the formula's result when it was last calculated (what Excel shows until it recalculates). */
  cached?: CellValue;
}

export type CalculationMode = "Automatic" | "AutomaticExceptTables" | "Manual";

export interface StyleState {
  numberFormat?: string;
  bold?: boolean;
  italic?: boolean;
  fontColor?: string;
  fillColor?: string | null;
  horizontalAlignment?: string;
  wrapText?: boolean;
  columnWidth?: number;
}
export type StyleKey = keyof StyleState;

interface StyleRun {
  rect: Rect;
  seq: number;
  style: StyleState;
}

export interface ConditionalFormatState {
  id: string;
  sheetId: string;
  rect: Rect;
  type: string;
  formula?: string;
  formula2?: string;
  operator?: string;
  fillColor?: string;
  fontItalic?: boolean;
  fontBold?: boolean;
  fontColor?: string;
}

export interface SheetState {
  id: string;
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  /** Merged areas (Range.merge). */
  merges: Rect[];
  /** Ranges that dynamic-array formulas spill into (set up by tests). */
  spills: Rect[];
  /** row → cells of that row (sparse). */
  rows: Map<number, (CellState | undefined)[]>;
  styleRuns: StyleRun[];
  /** Per-cell number formats written as full 2D arrays: "row:col" → {seq, format}. */
  cellFormats: Map<string, { seq: number; format: string }>;
  conditionalFormats: ConditionalFormatState[];
}

/** Computes a formula cell's value; the double does not calculate by default (see ExcelDoubleOptions). */
export type FormulaEvaluator = (formula: string, sheet: string, row: number, col: number) => CellValue;

/** Sheets, cells and formats; the layers above react to edits through the protected hooks. */
export abstract class CellStore {
  sheets: SheetState[] = [];
  activeSheetId = "";
  selection: { sheetId: string; rect: Rect } | undefined;
  /** The workbook's date system: dates typed as text become serials counted from 1904-01-01 instead of 1900-01-00. */
  date1904 = false;
  calculationMode: CalculationMode = "Automatic";
  private counter = 0;
  private seq = 0;

  constructor(readonly evaluate: FormulaEvaluator) {}

  nextId(prefix: string): string {
    this.counter += 1;
    return `{${prefix}-${this.counter}}`;
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  // ---------------------------------------------------------------- sheets

  sheetById(id: string): SheetState | undefined {
    return this.sheets.find((s) => s.id === id);
  }

  sheetByName(name: string): SheetState | undefined {
    return this.sheets.find((s) => sameName(s.name, name));
  }

  requireSheet(id: string): SheetState {
    const sheet = this.sheetById(id);
    if (!sheet) throw officeError("ItemNotFound", "The requested resource doesn't exist: the worksheet was deleted.");
    return sheet;
  }

  defaultSheetName(): string {
    for (let n = this.sheets.length + 1; ; n++) {
      if (!this.sheetByName(`Sheet${n}`)) return `Sheet${n}`;
    }
  }

  addSheet(name: string): SheetState {
    validateSheetName(name);
    if (this.sheetByName(name)) {
      throw officeError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    }
    const sheet: SheetState = {
      id: this.nextId("sheet"),
      name,
      visibility: "Visible",
      merges: [],
      spills: [],
      rows: new Map(),
      styleRuns: [],
      cellFormats: new Map(),
      conditionalFormats: [],
    };
    this.sheets.push(sheet);
    return sheet;
  }

  renameSheet(sheet: SheetState, name: string): void {
    validateSheetName(name);
    const other = this.sheetByName(name);
    if (other && other !== sheet) throw officeError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    sheet.name = name;
  }

  // ---------------------------------------------------------------- cells

  cell(sheet: SheetState, row: number, col: number): CellState | undefined {
    return sheet.rows.get(row)?.[col];
  }

  setCell(sheet: SheetState, row: number, col: number, cell: CellState | undefined): void {
    let cells = sheet.rows.get(row);
    if (!cells) {
      if (cell === undefined) return;
      cells = [];
      sheet.rows.set(row, cells);
    }
    cells[col] = cell;
  }

  /**
   * The value a read of `values` returns: formula cells through the evaluator, empty cells as "". In manual
   * calculation a formula shows its last calculated result until the workbook is calculated again.
   */
  readValue(sheet: SheetState, row: number, col: number): CellValue {
    const cell = this.cell(sheet, row, col);
    if (!cell) return "";
    if (cell.formula !== undefined) {
      if (this.calculationMode === "Manual" && cell.cached !== undefined) return cell.cached;
      return this.evaluate(cell.formula, sheet.name, row, col);
    }
    return cell.value;
  }

  /** Switching to manual calculation freezes every formula's current result. */
  setCalculationMode(mode: CalculationMode): void {
    if (mode === "Manual" && this.calculationMode !== "Manual") {
      this.calculationMode = mode;
      this.calculateAll();
      return;
    }
    this.calculationMode = mode;
    if (mode !== "Manual") this.forEachFormula((cell) => delete cell.cached);
  }

  /** `Application.calculate`: every formula's result brought up to date (and kept, in manual calculation). */
  calculateAll(): void {
    this.forEachFormula((cell) => delete cell.cached);
    if (this.calculationMode !== "Manual") return;
    const results: [CellState, CellValue][] = [];
    for (const sheet of this.sheets) {
      for (const [row, cells] of sheet.rows) {
        cells.forEach((cell, col) => {
          if (cell?.formula !== undefined) results.push([cell, this.evaluate(cell.formula, sheet.name, row, col)]);
        });
      }
    }
    for (const [cell, value] of results) cell.cached = value;
  }

  private forEachFormula(visit: (cell: CellState) => void): void {
    for (const sheet of this.sheets) {
      for (const cells of sheet.rows.values()) for (const cell of cells) if (cell?.formula !== undefined) visit(cell);
    }
  }

  /**
   * `Range.text`: what the cell shows. Dates under a `yyyy-mm-dd`, `yyyy-mm` or `yyyy-mm-dd hh:mm` format are shown
   * by the workbook's date system; booleans as TRUE/FALSE; other values as their text.
   */
  displayText(sheet: SheetState, row: number, col: number): string {
    const value = this.readValue(sheet, row, col);
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    if (typeof value !== "number") return value;
    const format = this.numberFormatAt(sheet, row, col);
    if (!/y/i.test(format)) return String(value);
    const days = value - 25_569 + (this.date1904 ? 1_462 : 0);
    const iso = new Date(Math.round(days * 86_400_000)).toISOString();
    if (/h/i.test(format)) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    return /d/i.test(format) ? iso.slice(0, 10) : iso.slice(0, 7);
  }

  readFormula(sheet: SheetState, row: number, col: number): CellValue {
    const cell = this.cell(sheet, row, col);
    if (!cell) return "";
    return cell.formula ?? cell.value;
  }

  readGrid(sheet: SheetState, rect: Rect, read: (row: number, col: number) => CellValue): CellValue[][] {
    const grid: CellValue[][] = [];
    for (let r = 0; r < rect.rows; r++) {
      const line: CellValue[] = [];
      for (let c = 0; c < rect.cols; c++) line.push(read(rect.row + r, rect.col + c));
      grid.push(line);
    }
    return grid;
  }

  /**
   * Writes `values` (or `formulas`) into a rectangle: `input` is a 2D array of exactly the rectangle's shape,
   * or a single value / 1×1 array applied to every cell (as Office does).
   */
  writeCells(sheet: SheetState, rect: Rect, input: unknown, asFormulas: boolean, property: string): void {
    const at = broadcaster(input, rect, property);
    const textColumns = this.textFormatProbe(sheet, rect);
    const entered: [number, number, CellState][] = [];
    for (let r = 0; r < rect.rows; r++) {
      for (let c = 0; c < rect.cols; c++) {
        const raw = at(r, c);
        if (raw === null || raw === undefined) continue;
        const row = rect.row + r;
        const col = rect.col + c;
        const isText = textColumns(row, col);
        const cell = coerceInput(raw, isText, asFormulas, property, this.date1904);
        this.setCell(sheet, row, col, cell);
        if (cell?.formula !== undefined) entered.push([row, col, cell]);
      }
    }
    this.cellsChanged(sheet, rect);
    // Excel calculates a formula as it is entered, even in manual calculation; its dependents wait.
    if (this.calculationMode === "Manual") {
      for (const [row, col, cell] of entered) cell.cached = this.evaluate(cell.formula ?? "", sheet.name, row, col);
    }
  }

  clearContents(sheet: SheetState, rect: Rect): void {
    for (const [row, cells] of sheet.rows) {
      if (row < rect.row || row >= rect.row + rect.rows) continue;
      for (let c = rect.col; c < Math.min(cells.length, rect.col + rect.cols); c++) cells[c] = undefined;
    }
    this.cellsChanged(sheet, rect);
  }

  clearFormats(sheet: SheetState, rect: Rect): void {
    sheet.styleRuns.push({
      rect,
      seq: this.nextSeq(),
      style: {
        numberFormat: "General",
        bold: false,
        italic: false,
        fontColor: "#000000",
        fillColor: null,
        horizontalAlignment: "General",
        wrapText: false,
      },
    });
    for (const key of [...sheet.cellFormats.keys()]) {
      const [row, col] = key.split(":").map(Number) as [number, number];
      if (containsCell(rect, row, col)) sheet.cellFormats.delete(key);
    }
    sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => !contains(rect, cf.rect));
  }

  /** Moves the cells under/right of a deleted rectangle, as `Range.delete("Up" | "Left")` does. */
  deleteCells(sheet: SheetState, rect: Rect, shift: "Up" | "Left"): void {
    this.assertShiftAllowed(sheet, { rect, shift });
    this.clearContents(sheet, rect);
    if (shift === "Up") {
      const below = [...sheet.rows.keys()].filter((r) => r >= rect.row + rect.rows).sort((a, b) => a - b);
      for (const row of below) {
        const cells = sheet.rows.get(row) ?? [];
        for (let c = rect.col; c < rect.col + rect.cols; c++) {
          this.setCell(sheet, row - rect.rows, c, cells[c]);
          cells[c] = undefined;
        }
      }
    } else {
      for (const [row, cells] of sheet.rows) {
        if (row >= rect.row && row < rect.row + rect.rows) cells.splice(rect.col, rect.cols);
      }
    }
    this.shiftAreas(sheet, { rect, shift });
  }

  /** `Range.insert("Down" | "Right")`: cells at and below (right of) the range move to make room. */
  insertCells(sheet: SheetState, rect: Rect, shift: "Down" | "Right"): void {
    this.assertShiftAllowed(sheet, { rect, shift });
    if (shift === "Down") {
      const last = Math.max(-1, ...[...sheet.rows.keys()].filter((r) => r >= rect.row));
      if (last >= 0 && last + rect.rows >= MAX_ROWS) {
        const cells = sheet.rows.get(last) ?? [];
        if (cells.slice(rect.col, rect.col + rect.cols).some((c) => c !== undefined)) {
          throw officeError(
            "NonBlankCellOffSheet",
            "Microsoft Excel can't insert new cells because it would push non-empty cells off the end of the worksheet."
          );
        }
      }
      const below = [...sheet.rows.keys()].filter((r) => r >= rect.row).sort((a, b) => b - a);
      for (const row of below) {
        const cells = sheet.rows.get(row) ?? [];
        for (let c = rect.col; c < rect.col + rect.cols; c++) {
          this.setCell(sheet, row + rect.rows, c, cells[c]);
          cells[c] = undefined;
        }
      }
    } else {
      for (const [row, cells] of sheet.rows) {
        if (row >= rect.row && row < rect.row + rect.rows && cells.length > rect.col) {
          cells.splice(rect.col, 0, ...new Array<CellState | undefined>(rect.cols).fill(undefined));
        }
      }
    }
    this.shiftAreas(sheet, { rect, shift });
  }

  /**
   * Refuses, before anything moves, a shift that would split a merged area or a spilled array, or delete part
   * of one (see shift.ts). Tables and PivotTables add their own refusals.
   */
  protected assertShiftAllowed(sheet: SheetState, edit: ShiftEdit): void {
    const deleting = edit.shift === "Up" || edit.shift === "Left";
    const cut = (area: Rect) => deleting && intersects(area, edit.rect) && !contains(edit.rect, area);
    for (const merge of sheet.merges) {
      if (straddles(merge, edit) || cut(merge)) {
        throw officeError("InsertDeleteConflict", `We can't do that to a merged cell (${formatA1(merge)}).`);
      }
    }
    for (const spill of sheet.spills) {
      if (straddles(spill, edit) || cut(spill)) {
        throw officeError(
          "InsertDeleteConflict",
          `You can't change part of an array (the spilled range ${formatA1(spill)}).`
        );
      }
    }
  }

  /** After a shift, formats, conditional formats, merged areas and spill ranges follow their cells. */
  protected shiftAreas(sheet: SheetState, edit: ShiftEdit): void {
    sheet.styleRuns = sheet.styleRuns.flatMap((run) => {
      const rect = shiftArea(run.rect, edit);
      return rect ? [{ ...run, rect }] : [];
    });
    const formats = new Map<string, { seq: number; format: string }>();
    for (const [key, format] of sheet.cellFormats) {
      const [row, col] = key.split(":").map(Number) as [number, number];
      const rect = shiftArea({ row, col, rows: 1, cols: 1 }, edit);
      if (rect) formats.set(`${rect.row}:${rect.col}`, format);
    }
    sheet.cellFormats = formats;
    // In place: a conditional format keeps its identity (its id) as its range moves.
    sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => {
      const rect = shiftArea(cf.rect, edit);
      if (rect) cf.rect = rect;
      return rect !== null;
    });
    const keep = (areas: Rect[]) => areas.flatMap((area) => shiftArea(area, edit) ?? []);
    sheet.merges = keep(sheet.merges);
    sheet.spills = keep(sheet.spills);
  }

  usedRect(sheet: SheetState): Rect | undefined {
    let minRow = Infinity;
    let maxRow = -1;
    let minCol = Infinity;
    let maxCol = -1;
    for (const [row, cells] of sheet.rows) {
      cells.forEach((cell, col) => {
        if (!cell || (cell.value === "" && cell.formula === undefined)) return;
        minRow = Math.min(minRow, row);
        maxRow = Math.max(maxRow, row);
        minCol = Math.min(minCol, col);
        maxCol = Math.max(maxCol, col);
      });
    }
    if (maxRow < 0) return undefined;
    return { row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1 };
  }

  /** Called after cells of `rect` were written or cleared (tables renormalize their headers). */
  protected cellsChanged(_sheet: SheetState, _rect: Rect): void {}

  // ---------------------------------------------------------------- formats

  applyStyle(sheet: SheetState, rect: Rect, style: StyleState): void {
    sheet.styleRuns.push({ rect, seq: this.nextSeq(), style });
  }

  /** Writes `numberFormat`: one format for the whole range (a run) or a full 2D array (per cell). */
  writeNumberFormat(sheet: SheetState, rect: Rect, input: unknown): void {
    const at = broadcaster(input, rect, "numberFormat");
    const first = at(0, 0);
    let uniform = true;
    for (let r = 0; r < rect.rows && uniform; r++) {
      for (let c = 0; c < rect.cols; c++) {
        if (at(r, c) !== first) {
          uniform = false;
          break;
        }
      }
    }
    if (uniform) {
      if (first === null || first === undefined) return;
      this.applyStyle(sheet, rect, { numberFormat: String(first) });
      return;
    }
    const seq = this.nextSeq();
    for (let r = 0; r < rect.rows; r++) {
      for (let c = 0; c < rect.cols; c++) {
        const format = at(r, c);
        if (format === null || format === undefined) continue;
        sheet.cellFormats.set(`${rect.row + r}:${rect.col + c}`, { seq, format: String(format) });
      }
    }
  }

  styleAt<K extends StyleKey>(sheet: SheetState, row: number, col: number, key: K): StyleState[K] | undefined {
    let best: StyleRun | undefined;
    for (const run of sheet.styleRuns) {
      if (run.style[key] === undefined || !containsCell(run.rect, row, col)) continue;
      if (!best || run.seq > best.seq) best = run;
    }
    if (key === "numberFormat") {
      const cell = sheet.cellFormats.get(`${row}:${col}`);
      if (cell && (!best || cell.seq > best.seq)) return cell.format as StyleState[K];
    }
    return best?.style[key];
  }

  numberFormatAt(sheet: SheetState, row: number, col: number): string {
    return this.styleAt(sheet, row, col, "numberFormat") ?? "General";
  }

  /** A fast "is this cell formatted as text?" for a block about to be written. */
  private textFormatProbe(sheet: SheetState, rect: Rect): (row: number, col: number) => boolean {
    const runs = sheet.styleRuns.filter((run) => run.style.numberFormat !== undefined && intersects(run.rect, rect));
    const hasCellFormats = sheet.cellFormats.size > 0;
    if (runs.length === 0 && !hasCellFormats) return () => false;
    return (row, col) => {
      let best: StyleRun | undefined;
      for (const run of runs) if (containsCell(run.rect, row, col) && (!best || run.seq > best.seq)) best = run;
      let format = best?.style.numberFormat;
      if (hasCellFormats) {
        const cell = sheet.cellFormats.get(`${row}:${col}`);
        if (cell && (!best || cell.seq > best.seq)) format = cell.format;
      }
      return format === "@";
    };
  }
}
