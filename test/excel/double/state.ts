/**
 * The double's workbook: a real cell store (values and formula text), number formats and styles, tables,
 * conditional formats, custom XML parts and PivotTable records. Everything here is applied at sync time by
 * the client objects in `objects.ts`; tests may also read it directly through `ExcelDouble.inspect`.
 *
 * Writing cells follows Excel's rules where they matter for our code:
 * - `null` in a values array leaves the cell unchanged; `""` empties it;
 * - a string written to a cell that is not formatted as text ("@") is converted the way Excel converts typed
 *   input: numeric text becomes a number ("0044" → 44, "754564654689" → 754564654689), `yyyy-mm-dd` and
 *   `yyyy-mm` become date serials, TRUE/FALSE become booleans, and text starting with "=", "+" or "-" becomes
 *   a formula. In a cell formatted "@" the text is kept as written;
 * - a `Date` is sent as its JSON text (as Office.js serializes it), which Excel keeps as text.
 */
import {
  MAX_COLUMNS,
  MAX_ROWS,
  assertInGrid,
  columnLetters,
  contains,
  containsCell,
  formatA1,
  intersects,
  type Rect,
} from "./address";
import { invalidArgument, officeError } from "./errors";

export type CellValue = string | number | boolean;

export interface CellState {
  value: CellValue;
  formula?: string;
}

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
  /** row → cells of that row (sparse). */
  rows: Map<number, (CellState | undefined)[]>;
  styleRuns: StyleRun[];
  /** Per-cell number formats written as full 2D arrays: "row:col" → {seq, format}. */
  cellFormats: Map<string, { seq: number; format: string }>;
  conditionalFormats: ConditionalFormatState[];
}

export interface TableState {
  id: string;
  name: string;
  sheetId: string;
  /** Header row plus data body. */
  rect: Rect;
  style: string;
  showBandedRows: boolean;
  showHeaders: boolean;
  showTotals: boolean;
}

export interface CustomXmlPartState {
  id: string;
  namespaceUri: string;
  xml: string;
}

export type PivotSource = { kind: "table"; tableId: string } | { kind: "range"; sheetId: string; rect: Rect };

export interface PivotTableState {
  id: string;
  name: string;
  sheetId: string;
  destination: Rect;
  source: PivotSource;
  rowHierarchies: string[];
  columnHierarchies: string[];
  dataHierarchies: { name: string; summarizeBy: string; numberFormat?: string }[];
  filterHierarchies: string[];
  refreshCount: number;
  /** `layout.showColumnGrandTotals` / `showRowGrandTotals` when set (Excel's default is true). */
  showColumnGrandTotals?: boolean;
  showRowGrandTotals?: boolean;
  /** Field name → the items a PivotManualFilter keeps. */
  manualFilters?: Record<string, string[]>;
}

/** A workbook-scoped defined name (`workbook.names`) that refers to a range. */
export interface NamedItemState {
  name: string;
  sheetId: string;
  rect: Rect;
  comment: string;
}

/** Computes a formula cell's value; the double does not calculate by default (see ExcelDoubleOptions). */
export type FormulaEvaluator = (formula: string, sheet: string, row: number, col: number) => CellValue;

export class WorkbookState {
  sheets: SheetState[] = [];
  tables: TableState[] = [];
  customXmlParts: CustomXmlPartState[] = [];
  pivotTables: PivotTableState[] = [];
  names: NamedItemState[] = [];
  activeSheetId = "";
  selection: { sheetId: string; rect: Rect } | undefined;
  private counter = 0;
  private seq = 0;

  constructor(readonly evaluate: FormulaEvaluator) {
    const first = this.addSheet("Sheet1");
    this.activeSheetId = first.id;
  }

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
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
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

  deleteSheet(sheet: SheetState): void {
    if (this.sheets.length === 1) {
      throw officeError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    }
    for (const table of this.tables.filter((t) => t.sheetId === sheet.id)) this.deleteTable(table, false);
    this.pivotTables = this.pivotTables.filter((p) => p.sheetId !== sheet.id);
    this.sheets = this.sheets.filter((s) => s !== sheet);
    if (this.activeSheetId === sheet.id) this.activeSheetId = this.sheets[0]?.id ?? "";
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

  /** The value a read of `values` returns: formula cells through the evaluator, empty cells as "". */
  readValue(sheet: SheetState, row: number, col: number): CellValue {
    const cell = this.cell(sheet, row, col);
    if (!cell) return "";
    if (cell.formula !== undefined) return this.evaluate(cell.formula, sheet.name, row, col);
    return cell.value;
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
    for (let r = 0; r < rect.rows; r++) {
      for (let c = 0; c < rect.cols; c++) {
        const raw = at(r, c);
        if (raw === null || raw === undefined) continue;
        const row = rect.row + r;
        const col = rect.col + c;
        const isText = textColumns(row, col);
        this.setCell(sheet, row, col, coerceInput(raw, isText, asFormulas, property));
      }
    }
    this.normalizeHeadersIn(sheet, rect);
  }

  clearContents(sheet: SheetState, rect: Rect): void {
    for (const [row, cells] of sheet.rows) {
      if (row < rect.row || row >= rect.row + rect.rows) continue;
      for (let c = rect.col; c < Math.min(cells.length, rect.col + rect.cols); c++) cells[c] = undefined;
    }
    this.normalizeHeadersIn(sheet, rect);
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
    for (const table of this.tables.filter((t) => t.sheetId === sheet.id)) {
      const t = table.rect;
      const sharesColumns = t.col < rect.col + rect.cols && rect.col < t.col + t.cols;
      const sharesRows = t.row < rect.row + rect.rows && rect.row < t.row + t.rows;
      const shifted =
        shift === "Up" ? sharesColumns && t.row + t.rows > rect.row : sharesRows && t.col + t.cols > rect.col;
      const whole =
        shift === "Up"
          ? rect.col <= t.col && rect.col + rect.cols >= t.col + t.cols
          : rect.row <= t.row && rect.row + rect.rows >= t.row + t.rows;
      if ((shifted && !whole) || intersects(t, rect)) {
        throw officeError(
          "InvalidOperation",
          "This operation is not allowed. The operation is attempting to shift cells in a table on your worksheet."
        );
      }
    }
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
      for (const table of this.tables.filter((t) => t.sheetId === sheet.id && t.rect.row >= rect.row + rect.rows)) {
        table.rect = { ...table.rect, row: table.rect.row - rect.rows };
      }
    } else {
      for (const [row, cells] of sheet.rows) {
        if (row >= rect.row && row < rect.row + rect.rows) cells.splice(rect.col, rect.cols);
      }
      for (const table of this.tables.filter((t) => t.sheetId === sheet.id && t.rect.col >= rect.col + rect.cols)) {
        table.rect = { ...table.rect, col: table.rect.col - rect.cols };
      }
    }
  }

  /** `Range.insert("Down" | "Right")`: cells at and below (right of) the range move to make room. */
  insertCells(sheet: SheetState, rect: Rect, shift: "Down" | "Right"): void {
    for (const table of this.tables.filter((t) => t.sheetId === sheet.id)) {
      const t = table.rect;
      const sharesColumns = t.col < rect.col + rect.cols && rect.col < t.col + t.cols;
      const sharesRows = t.row < rect.row + rect.rows && rect.row < t.row + t.rows;
      const moves =
        shift === "Down" ? sharesColumns && t.row + t.rows > rect.row : sharesRows && t.col + t.cols > rect.col;
      const whole =
        shift === "Down"
          ? rect.col <= t.col && rect.col + rect.cols >= t.col + t.cols && t.row >= rect.row
          : rect.row <= t.row && rect.row + rect.rows >= t.row + t.rows && t.col >= rect.col;
      if (moves && !whole) {
        throw officeError(
          "InvalidOperation",
          "This operation is not allowed. The operation is attempting to shift cells in a table on your worksheet."
        );
      }
    }
    if (shift === "Down") {
      const last = Math.max(-1, ...[...sheet.rows.keys()].filter((r) => r >= rect.row));
      if (last >= 0 && last + rect.rows >= MAX_ROWS) {
        const cells = sheet.rows.get(last) ?? [];
        if (cells.slice(rect.col, rect.col + rect.cols).some((c) => c !== undefined)) {
          throw officeError(
            "InvalidOperation",
            "Excel can't insert cells: that would push non-empty cells off the worksheet."
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
      for (const table of this.tables.filter((t) => t.sheetId === sheet.id && t.rect.row >= rect.row)) {
        table.rect = { ...table.rect, row: table.rect.row + rect.rows };
      }
    } else {
      for (const [row, cells] of sheet.rows) {
        if (row >= rect.row && row < rect.row + rect.rows && cells.length > rect.col) {
          cells.splice(rect.col, 0, ...new Array<CellState | undefined>(rect.cols).fill(undefined));
        }
      }
      for (const table of this.tables.filter((t) => t.sheetId === sheet.id && t.rect.col >= rect.col)) {
        table.rect = { ...table.rect, col: table.rect.col + rect.cols };
      }
    }
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
    for (const table of this.tables.filter((t) => t.sheetId === sheet.id)) {
      minRow = Math.min(minRow, table.rect.row);
      maxRow = Math.max(maxRow, table.rect.row + table.rect.rows - 1);
      minCol = Math.min(minCol, table.rect.col);
      maxCol = Math.max(maxCol, table.rect.col + table.rect.cols - 1);
    }
    if (maxRow < 0) return undefined;
    return { row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1 };
  }

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

  // ---------------------------------------------------------------- tables

  tableByName(name: string): TableState | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  tableById(id: string): TableState | undefined {
    return this.tables.find((t) => t.id === id);
  }

  tableHeaders(table: TableState): string[] {
    const sheet = this.requireSheet(table.sheetId);
    const headers: string[] = [];
    for (let c = 0; c < table.rect.cols; c++)
      headers.push(String(this.readValue(sheet, table.rect.row, table.rect.col + c)));
    return headers;
  }

  addTable(sheet: SheetState, rect: Rect, hasHeaders: boolean): TableState {
    if (!hasHeaders) {
      throw officeError("NotImplemented", "The Excel double only creates tables whose first row is the header row.");
    }
    this.assertNoTableOverlap(sheet.id, rect, undefined);
    let n = this.tables.length + 1;
    while (this.tableByName(`Table${n}`)) n++;
    const table: TableState = {
      id: this.nextId("table"),
      name: `Table${n}`,
      sheetId: sheet.id,
      rect: rect.rows === 1 ? { ...rect, rows: 2 } : rect,
      style: "TableStyleMedium2",
      showBandedRows: true,
      showHeaders: true,
      showTotals: false,
    };
    assertInGrid(table.rect);
    this.tables.push(table);
    this.normalizeHeaders(table);
    return table;
  }

  renameTable(table: TableState, name: string): void {
    validateTableName(name);
    const other = this.tableByName(name);
    if (other && other !== table) {
      throw officeError("ItemAlreadyExists", `A table named "${name}" already exists in this workbook.`);
    }
    const old = table.name;
    table.name = name;
    if (old !== name)
      this.rewriteTableReferences(old, (ref) => ref.replace(new RegExp(`^${escapeRegExp(old)}`, "i"), name));
  }

  /**
   * `Table.resize`: the header row stays where it is and the new range overlaps the old one. Calculated
   * columns (every data cell holding the same formula text, as structured references like `=[@Total]*2`
   * do) are filled into new rows, as Excel does.
   */
  resizeTable(table: TableState, rect: Rect): void {
    if (rect.row !== table.rect.row || !intersects(rect, table.rect) || rect.rows < 2) {
      throw invalidArgument(
        "The argument is invalid or missing or has an incorrect format: the headers must remain in the same row and the new range must overlap the table."
      );
    }
    assertInGrid(rect);
    this.assertNoTableOverlap(table.sheetId, rect, table);
    const sheet = this.requireSheet(table.sheetId);
    const calculated = this.calculatedColumns(table);
    const oldRows = table.rect.rows;
    table.rect = rect;
    for (const [offset, formula] of calculated) {
      const col = table.rect.col + offset;
      if (col >= rect.col + rect.cols) continue;
      for (let r = oldRows; r < rect.rows; r++) {
        const row = rect.row + r;
        if (this.cell(sheet, row, col) === undefined) this.setCell(sheet, row, col, { value: 0, formula });
      }
    }
    this.normalizeHeaders(table);
  }

  /** Column offset → formula of every calculated column of a table. */
  calculatedColumns(table: TableState): Map<number, string> {
    const sheet = this.requireSheet(table.sheetId);
    const result = new Map<number, string>();
    for (let c = 0; c < table.rect.cols; c++) {
      const col = table.rect.col + c;
      const first = this.cell(sheet, table.rect.row + 1, col)?.formula;
      if (first === undefined) continue;
      let same = true;
      for (let r = 2; r < table.rect.rows && same; r++)
        same = this.cell(sheet, table.rect.row + r, col)?.formula === first;
      if (same) result.set(c, first);
    }
    return result;
  }

  /** Appends rows at the bottom of a table (TableRowCollection.add), shifting the cells below within its columns. */
  addTableRows(table: TableState, index: number | undefined, count: number): number {
    const sheet = this.requireSheet(table.sheetId);
    const dataRows = table.rect.rows - 1;
    const at = index === undefined || index < 0 ? dataRows : index;
    if (at > dataRows)
      throw invalidArgument("The argument is invalid or missing or has an incorrect format: row index.");
    const insertRow = table.rect.row + 1 + at;
    const calculated = this.calculatedColumns(table);
    const rows = [...sheet.rows.keys()].filter((r) => r >= insertRow).sort((a, b) => b - a);
    for (const row of rows) {
      const cells = sheet.rows.get(row) ?? [];
      for (let c = table.rect.col; c < table.rect.col + table.rect.cols; c++) {
        this.setCell(sheet, row + count, c, cells[c]);
        cells[c] = undefined;
      }
    }
    table.rect = { ...table.rect, rows: table.rect.rows + count };
    for (const [offset, formula] of calculated) {
      for (let r = 0; r < count; r++)
        this.setCell(sheet, insertRow + r, table.rect.col + offset, { value: 0, formula });
    }
    return insertRow;
  }

  /**
   * `TableRow.delete()`: the row's cells go and the rows below move up within the table's columns. The only
   * data row of a table is emptied instead (a table keeps one data row).
   */
  deleteTableRow(table: TableState, index: number): void {
    const sheet = this.requireSheet(table.sheetId);
    const dataRows = table.rect.rows - 1;
    if (index < 0 || index >= dataRows) throw officeError("ItemNotFound", `The table has no row ${index}.`);
    const row = table.rect.row + 1 + index;
    if (dataRows === 1) {
      this.clearContents(sheet, { row, col: table.rect.col, rows: 1, cols: table.rect.cols });
      return;
    }
    const below = [...sheet.rows.keys()].filter((r) => r > row).sort((a, b) => a - b);
    this.clearContents(sheet, { row, col: table.rect.col, rows: 1, cols: table.rect.cols });
    for (const r of below) {
      const cells = sheet.rows.get(r) ?? [];
      for (let c = table.rect.col; c < table.rect.col + table.rect.cols; c++) {
        this.setCell(sheet, r - 1, c, cells[c]);
        cells[c] = undefined;
      }
    }
    table.rect = { ...table.rect, rows: table.rect.rows - 1 };
  }

  /** Adds a column at `index` (default: the right end), shifting cells right within the table's rows. */
  addTableColumn(table: TableState, index: number | undefined): number {
    const sheet = this.requireSheet(table.sheetId);
    const at = index === undefined || index < 0 ? table.rect.cols : index;
    if (at > table.rect.cols)
      throw invalidArgument("The argument is invalid or missing or has an incorrect format: column index.");
    const col = table.rect.col + at;
    if (col >= MAX_COLUMNS)
      throw officeError("InvalidOperation", "The table cannot grow past the last column of the sheet.");
    for (let r = table.rect.row; r < table.rect.row + table.rect.rows; r++) {
      const cells = sheet.rows.get(r);
      if (cells && cells.length > col) cells.splice(col, 0, undefined);
    }
    table.rect = { ...table.rect, cols: table.rect.cols + 1 };
    return col;
  }

  /** `Table.delete()`: the table and its cells go; formulas that referred to it become #REF!. */
  deleteTable(table: TableState, clearCells = true): void {
    if (clearCells) {
      const sheet = this.requireSheet(table.sheetId);
      this.tables = this.tables.filter((t) => t !== table);
      this.clearContents(sheet, table.rect);
      this.clearFormats(sheet, table.rect);
    } else {
      this.tables = this.tables.filter((t) => t !== table);
    }
    this.rewriteTableReferences(table.name, () => "#REF!");
    for (const pivot of this.pivotTables) {
      if (pivot.source.kind === "table" && pivot.source.tableId === table.id) {
        pivot.source = { kind: "range", sheetId: "", rect: { row: 0, col: 0, rows: 1, cols: 1 } };
      }
    }
  }

  /** Header cells are text, never empty and unique within a table (Excel renames "Total" to "Total2"). */
  normalizeHeaders(table: TableState): void {
    const sheet = this.requireSheet(table.sheetId);
    const seen = new Set<string>();
    for (let c = 0; c < table.rect.cols; c++) {
      const col = table.rect.col + c;
      const cell = this.cell(sheet, table.rect.row, col);
      let name = cell === undefined || cell.value === "" ? `Column${c + 1}` : String(cell.formula ?? cell.value);
      if (seen.has(name.toLowerCase())) {
        let n = 2;
        while (seen.has(`${name}${n}`.toLowerCase())) n++;
        name = `${name}${n}`;
      }
      seen.add(name.toLowerCase());
      this.setCell(sheet, table.rect.row, col, { value: name });
    }
  }

  private normalizeHeadersIn(sheet: SheetState, rect: Rect): void {
    for (const table of this.tables) {
      if (table.sheetId !== sheet.id) continue;
      const header = { ...table.rect, rows: 1 };
      if (intersects(header, rect)) this.normalizeHeaders(table);
    }
  }

  private assertNoTableOverlap(sheetId: string, rect: Rect, except: TableState | undefined): void {
    for (const other of this.tables) {
      if (other !== except && other.sheetId === sheetId && intersects(other.rect, rect)) {
        throw officeError("InvalidOperation", `A table can't overlap another table (${other.name}).`);
      }
    }
    for (const pivot of this.pivotTables) {
      if (pivot.sheetId === sheetId && intersects(pivot.destination, rect)) {
        throw officeError("PivotTableRangeConflict", "A table can't overlap a PivotTable report.");
      }
    }
  }

  /** Applies `rewrite` to every structured reference to `tableName` in every formula of the workbook. */
  private rewriteTableReferences(tableName: string, rewrite: (reference: string) => string): void {
    const pattern = new RegExp(
      `(?<![A-Za-z0-9_.\\\\])${escapeRegExp(tableName)}\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]`,
      "gi"
    );
    for (const sheet of this.sheets) {
      for (const cells of sheet.rows.values()) {
        cells.forEach((cell) => {
          if (cell?.formula !== undefined) cell.formula = cell.formula.replace(pattern, rewrite);
        });
      }
    }
  }

  // ---------------------------------------------------------------- custom XML

  addCustomXmlPart(xml: string): CustomXmlPartState {
    const part: CustomXmlPartState = { id: this.nextId("xml"), namespaceUri: namespaceOf(xml), xml };
    this.customXmlParts.push(part);
    return part;
  }

  setCustomXml(part: CustomXmlPartState, xml: string): void {
    part.namespaceUri = namespaceOf(xml);
    part.xml = xml;
  }
}

// ------------------------------------------------------------------ rules

const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/;

export function validateSheetName(name: string): void {
  if (
    name.trim().length === 0 ||
    name.length > 31 ||
    SHEET_NAME_FORBIDDEN.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'") ||
    name.toLowerCase() === "history"
  ) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: worksheet name "${name}".`);
  }
}

/** Excel's rules for a table name. */
export function validateTableName(name: string): void {
  const looksLikeCell = /^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr](\d*)[Cc](\d*)$/.test(name) || /^[RrCc]$/.test(name);
  if (name.length === 0 || name.length > 255 || !/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) || looksLikeCell) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: table name "${name}".`);
  }
}

/** The namespace of a custom XML part's root element; the XML must be well formed enough to have one. */
export function namespaceOf(xml: string): string {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*(?::[\w.-]+)?)([^>]*)>/.exec(xml);
  const tagName = root?.[1];
  if (!root || !tagName)
    throw invalidArgument("The argument is invalid or missing or has an incorrect format: XML has no root element.");
  const prefix = tagName.includes(":") ? tagName.split(":")[0] : undefined;
  const attribute =
    prefix === undefined
      ? /\sxmlns\s*=\s*("([^"]*)"|'([^']*)')/
      : new RegExp(`\\sxmlns:${prefix}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const match = attribute.exec(root[2] ?? "");
  const closing = new RegExp(`</${escapeRegExp(tagName)}\\s*>\\s*$`);
  if (!closing.test(xml) && !/\/>\s*$/.test(root[0])) {
    throw invalidArgument(
      "The argument is invalid or missing or has an incorrect format: XML root element is not closed."
    );
  }
  return match?.[2] ?? match?.[3] ?? "";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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

export { MAX_ROWS, MAX_COLUMNS, columnLetters };
