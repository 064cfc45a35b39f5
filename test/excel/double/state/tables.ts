/**
 * Tables on the grid: created over a range with its first row as header, renamed (formulas follow),
 * resized in place, rows and columns added and deleted (calculated columns filled in), deleted (formulas
 * that referred to them become #REF!). Cell edits that would shift part of a table are refused, as in Excel.
 */
import { MAX_COLUMNS, assertInGrid, intersects, type Rect } from "../address";
import { invalidArgument, officeError, type OfficeErrorDouble } from "../errors";
import { CellStore, type SheetState } from "./cells";
import { escapeRegExp, sameName, validateTableName } from "./rules";

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

/** The grid with its tables. */
export abstract class TableStore extends CellStore {
  tables: TableState[] = [];

  tableByName(name: string): TableState | undefined {
    return this.tables.find((t) => sameName(t.name, name));
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
    while (this.tableByName(`Table${n}`) || this.isDefinedName(`Table${n}`)) n++;
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

  /**
   * Table names and defined names share one namespace: Excel lists both in its Name Manager and refuses a table
   * name that is already a defined name, as it refuses a defined name that is a table's (names.ts).
   */
  renameTable(table: TableState, name: string): void {
    validateTableName(name);
    const other = this.tableByName(name);
    if (other && other !== table) {
      throw officeError("ItemAlreadyExists", `A table named "${name}" already exists in this workbook.`);
    }
    if (this.isDefinedName(name)) {
      throw officeError("ItemAlreadyExists", `The name "${name}" is already a defined name in this workbook.`);
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
    this.tableDeleted(table);
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

  /** A write or clear over a table's header row renormalizes the header. */
  protected override cellsChanged(sheet: SheetState, rect: Rect): void {
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
    this.assertRoomForTable(sheetId, rect);
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

  /** `Range.delete`: refused when it would shift part of a table; whole tables below (right) move with the cells. */
  override deleteCells(sheet: SheetState, rect: Rect, shift: "Up" | "Left"): void {
    for (const table of this.tablesOn(sheet)) {
      const t = table.rect;
      const sharesColumns = t.col < rect.col + rect.cols && rect.col < t.col + t.cols;
      const sharesRows = t.row < rect.row + rect.rows && rect.row < t.row + t.rows;
      const shifted =
        shift === "Up" ? sharesColumns && t.row + t.rows > rect.row : sharesRows && t.col + t.cols > rect.col;
      const whole =
        shift === "Up"
          ? rect.col <= t.col && rect.col + rect.cols >= t.col + t.cols
          : rect.row <= t.row && rect.row + rect.rows >= t.row + t.rows;
      if ((shifted && !whole) || intersects(t, rect)) throw shiftsTable();
    }
    super.deleteCells(sheet, rect, shift);
    for (const table of this.tablesOn(sheet)) {
      if (shift === "Up" && table.rect.row >= rect.row + rect.rows) {
        table.rect = { ...table.rect, row: table.rect.row - rect.rows };
      } else if (shift === "Left" && table.rect.col >= rect.col + rect.cols) {
        table.rect = { ...table.rect, col: table.rect.col - rect.cols };
      }
    }
  }

  /** `Range.insert`: refused when it would shift part of a table; whole tables below (right) move. */
  override insertCells(sheet: SheetState, rect: Rect, shift: "Down" | "Right"): void {
    for (const table of this.tablesOn(sheet)) {
      const t = table.rect;
      const sharesColumns = t.col < rect.col + rect.cols && rect.col < t.col + t.cols;
      const sharesRows = t.row < rect.row + rect.rows && rect.row < t.row + t.rows;
      const moves =
        shift === "Down" ? sharesColumns && t.row + t.rows > rect.row : sharesRows && t.col + t.cols > rect.col;
      const whole =
        shift === "Down"
          ? rect.col <= t.col && rect.col + rect.cols >= t.col + t.cols && t.row >= rect.row
          : rect.row <= t.row && rect.row + rect.rows >= t.row + t.rows && t.col >= rect.col;
      if (moves && !whole) throw shiftsTable();
    }
    super.insertCells(sheet, rect, shift);
    for (const table of this.tablesOn(sheet)) {
      if (shift === "Down" && table.rect.row >= rect.row) {
        table.rect = { ...table.rect, row: table.rect.row + rect.rows };
      } else if (shift === "Right" && table.rect.col >= rect.col) {
        table.rect = { ...table.rect, col: table.rect.col + rect.cols };
      }
    }
  }

  /** The used range takes in every table of the sheet, empty cells included. */
  override usedRect(sheet: SheetState): Rect | undefined {
    let used = super.usedRect(sheet);
    for (const { rect } of this.tablesOn(sheet)) {
      if (!used) {
        used = rect;
        continue;
      }
      const row = Math.min(used.row, rect.row);
      const col = Math.min(used.col, rect.col);
      used = {
        row,
        col,
        rows: Math.max(used.row + used.rows, rect.row + rect.rows) - row,
        cols: Math.max(used.col + used.cols, rect.col + rect.cols) - col,
      };
    }
    return used;
  }

  private tablesOn(sheet: SheetState): TableState[] {
    return this.tables.filter((t) => t.sheetId === sheet.id);
  }

  /** Whether `name` is a defined name of the workbook (the workbook's names live one layer up). */
  protected isDefinedName(_name: string): boolean {
    return false;
  }

  /** Called before a table takes `rect`: the workbook refuses it where a PivotTable sits. */
  protected assertRoomForTable(_sheetId: string, _rect: Rect): void {}

  /** Called after a table was deleted: PivotTables built on it lose their source. */
  protected tableDeleted(_table: TableState): void {}
}

function shiftsTable(): OfficeErrorDouble {
  return officeError(
    "InvalidOperation",
    "This operation is not allowed. The operation is attempting to shift cells in a table on your worksheet."
  );
}
