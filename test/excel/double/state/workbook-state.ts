/**
 * The double's whole workbook: the grid and its tables (`cells.ts`, `tables.ts`), plus custom XML parts,
 * PivotTable records and defined names. Tests read it through `ExcelDouble.state`.
 */
import { intersects, type Rect } from "../address";
import { officeError } from "../errors";
import type { FormulaEvaluator, SheetState } from "./cells";
import type { ChartState } from "./charts";
import { namespaceOf } from "./rules";
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
      if (pivot.sheetId === sheetId && intersects(pivot.destination, rect)) {
        throw officeError("PivotTableRangeConflict", "A table can't overlap a PivotTable report.");
      }
    }
  }

  protected override tableDeleted(table: TableState): void {
    for (const pivot of this.pivotTables) {
      if (pivot.source.kind === "table" && pivot.source.tableId === table.id) {
        pivot.source = { kind: "range", sheetId: "", rect: { row: 0, col: 0, rows: 1, cols: 1 } };
      }
    }
  }
}
