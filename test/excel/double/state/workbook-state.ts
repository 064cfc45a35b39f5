/**
 * The double's whole workbook: the grid and its tables (`cells.ts`, `tables.ts`), plus custom XML parts,
 * PivotTable records and defined names. Tests read it through `ExcelDouble.state`.
 */
import { intersects, type Rect } from "../address";
import { officeError } from "../errors";
import { serialOf } from "./cell-input";
import type { CellValue, FormulaEvaluator, SheetState } from "./cells";
import type { ChartState } from "./charts";
import { namespaceOf, sameName } from "./rules";
import { movingBand, shiftArea, type ShiftEdit } from "./shift";
import { TableStore, type TableState } from "./tables";

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
  /** The cell the PivotTable starts at. */
  destination: Rect;
  /** The cells the report covers (at least its destination; tests may widen it). */
  extent: Rect;
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

/** A workbook-scoped defined name (`workbook.names`): it refers to a range, or holds a formula. */
export interface NamedItemState {
  name: string;
  /** The range it refers to; `formula` instead for a named formula such as `=DATE(2000,1,1)`. */
  sheetId: string;
  rect: Rect;
  formula?: string;
  comment: string;
}

export class WorkbookState extends TableStore {
  customXmlParts: CustomXmlPartState[] = [];
  pivotTables: PivotTableState[] = [];
  names: NamedItemState[] = [];
  charts: ChartState[] = [];

  constructor(evaluate: FormulaEvaluator) {
    super(evaluate);
    const first = this.addSheet("Sheet1");
    this.activeSheetId = first.id;
  }

  // ---------------------------------------------------------------- names

  protected override isDefinedName(name: string): boolean {
    return this.names.some((n) => sameName(n.name, name));
  }

  /**
   * `NamedItem.value`: "the value computed by the name's formula. For a named range, it will return the range
   * address" (ExcelApi 1.1, https://learn.microsoft.com/javascript/api/excel/excel.nameditem#excel-excel-nameditem-value-member).
   * `=DATE(y,m,d)` is computed in the workbook's date system (36526 for 2000-01-01 in the 1900 system, 35064 in
   * the 1904 system); other formulas go to the double's evaluator.
   */
  namedValue(item: NamedItemState, address: () => string): CellValue {
    if (item.formula === undefined) return address();
    const date = /^=\s*DATE\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)\s*$/i.exec(item.formula);
    if (date) return serialOf(Number(date[1]), Number(date[2]), Number(date[3]), this.date1904);
    return this.evaluate(item.formula, "", 0, 0);
  }

  deleteSheet(sheet: SheetState): void {
    if (this.sheets.length === 1) {
      throw officeError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    }
    for (const table of this.tables.filter((t) => t.sheetId === sheet.id)) this.deleteTable(table, false);
    this.pivotTables = this.pivotTables.filter((p) => p.sheetId !== sheet.id);
    this.charts = this.charts.filter((c) => c.sheetId !== sheet.id);
    this.sheets = this.sheets.filter((s) => s !== sheet);
    if (this.activeSheetId === sheet.id) this.activeSheetId = this.sheets[0]?.id ?? "";
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

  // ---------------------------------------------------------------- PivotTables and tables

  protected override assertRoomForTable(sheetId: string, rect: Rect): void {
    for (const pivot of this.pivotTables) {
      if (pivot.sheetId === sheetId && intersects(pivot.extent, rect)) {
        throw officeError("PivotTableRangeConflict", "A table can't overlap a PivotTable report.");
      }
    }
  }

  /** Cells cannot be shifted through a PivotTable (shift.ts). */
  protected override assertShiftAllowed(sheet: SheetState, edit: ShiftEdit): void {
    for (const pivot of this.pivotTables) {
      if (pivot.sheetId === sheet.id && intersects(pivot.extent, movingBand(edit))) {
        throw officeError(
          "PivotTableRangeConflict",
          `The attempted operation causes a conflict with a PivotTable range (PivotTable ${pivot.name}).`
        );
      }
    }
    super.assertShiftAllowed(sheet, edit);
  }

  /** Defined names that refer to shifted cells move with them. */
  protected override shiftAreas(sheet: SheetState, edit: ShiftEdit): void {
    super.shiftAreas(sheet, edit);
    for (const item of this.names) {
      if (item.sheetId !== sheet.id || item.formula !== undefined) continue;
      const rect = shiftArea(item.rect, edit);
      if (rect) item.rect = rect;
    }
  }

  // ---------------------------------------------------------------- copy

  /**
   * `Range.copyFrom(source, "Values")`: the destination takes the source's values (a formula's result, never
   * its formula; text stays text whatever the destination's format), over the source's size from the
   * destination's top-left cell ("The destination is expanded automatically if it's smaller than the source",
   * ExcelApi 1.9, https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-copyfrom-member(1)).
   * "Formats" copies number formats; "All" both.
   */
  copyRange(from: { sheet: SheetState; rect: Rect }, to: { sheet: SheetState; rect: Rect }, copyType: string): Rect {
    const target = { row: to.rect.row, col: to.rect.col, rows: from.rect.rows, cols: from.rect.cols };
    const values = this.readGrid(from.sheet, from.rect, (r, c) => this.readValue(from.sheet, r, c));
    if (copyType === "Formats" || copyType === "All") {
      this.writeNumberFormat(
        to.sheet,
        target,
        this.readGrid(from.sheet, from.rect, (r, c) => this.numberFormatAt(from.sheet, r, c))
      );
    }
    if (copyType === "Values" || copyType === "All") {
      for (let r = 0; r < target.rows; r++) {
        for (let c = 0; c < target.cols; c++) {
          const value = values[r]?.[c] ?? "";
          this.setCell(to.sheet, target.row + r, target.col + c, value === "" ? undefined : { value });
        }
      }
      this.cellsChanged(to.sheet, target);
    }
    return target;
  }

  protected override tableDeleted(table: TableState): void {
    for (const pivot of this.pivotTables) {
      if (pivot.source.kind === "table" && pivot.source.tableId === table.id) {
        pivot.source = { kind: "range", sheetId: "", rect: { row: 0, col: 0, rows: 1, cols: 1 } };
      }
    }
  }
}
