/** `context.workbook`: its collections and the selection. */
import type { RequestContextDouble } from "./context";
import { CustomXmlPartCollectionDouble } from "./custom-xml-parts";
import { NamedItemCollectionDouble } from "./names";
import { PivotTableCollectionDouble } from "./pivot-tables";
import { RangeDouble, type RangeTarget } from "./ranges";
import { TableCollectionDouble } from "./tables";
import { WorksheetCollectionDouble } from "./worksheets";

export class WorkbookDouble {
  readonly worksheets: WorksheetCollectionDouble;
  readonly tables: TableCollectionDouble;
  readonly customXmlParts: CustomXmlPartCollectionDouble;
  readonly pivotTables: PivotTableCollectionDouble;
  readonly names: NamedItemCollectionDouble;

  constructor(private readonly context: RequestContextDouble) {
    this.names = new NamedItemCollectionDouble(context, "names", () => context.state.names);
    this.worksheets = new WorksheetCollectionDouble(context, "worksheets", () => context.state.sheets);
    this.tables = new TableCollectionDouble(context, "tables", () => context.state.tables, undefined);
    this.customXmlParts = new CustomXmlPartCollectionDouble(
      context,
      "customXmlParts",
      () => {
        context.requires("Workbook.customXmlParts");
        return context.state.customXmlParts;
      },
      undefined
    );
    this.pivotTables = new PivotTableCollectionDouble(
      context,
      "pivotTables",
      () => {
        context.requires("Workbook.pivotTables");
        return context.state.pivotTables;
      },
      undefined
    );
  }

  getSelectedRange(): RangeDouble {
    return new RangeDouble(this.context, "getSelectedRange()", () => this.selection());
  }

  getActiveCell(): RangeDouble {
    return new RangeDouble(this.context, "getActiveCell()", () => {
      this.context.requires("Workbook.getActiveCell");
      const { sheet, rect } = this.selection();
      return { sheet, rect: { ...rect, rows: 1, cols: 1 } };
    });
  }

  /** The selection, or A1 of the active sheet when nothing was selected. */
  private selection(): RangeTarget {
    const state = this.context.state;
    const selection = state.selection ?? { sheetId: state.activeSheetId, rect: { row: 0, col: 0, rows: 1, cols: 1 } };
    return { sheet: state.requireSheet(selection.sheetId), rect: selection.rect };
  }
}
