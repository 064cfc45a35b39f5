/** `workbook.tables` / `worksheet.tables` / `range.getTables()` and a table: its ranges, rows, columns, resize. */
import { formatAddress, parseA1, type Rect } from "./address";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { invalidArgument, officeError } from "./errors";
import { RangeDouble } from "./ranges";
import type { SheetState } from "./state/cells";
import { sameName } from "./state/rules";
import type { TableState } from "./state/tables";
import { TableColumnCollectionDouble } from "./table-columns";
import { TableRowCollectionDouble } from "./table-rows";
import { WorksheetDouble } from "./worksheets";

function tableBody(table: TableState): Rect {
  return { row: table.rect.row + 1, col: table.rect.col, rows: table.rect.rows - 1, cols: table.rect.cols };
}

export class TableCollectionDouble extends NamedCollectionDouble<TableState, TableDouble> {
  protected readonly entity = "TableCollection";
  protected readonly itemClass = TableDouble;
  protected override readonly collectionProperties = ["count"];

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => TableState[] | undefined,
    /** The worksheet of `worksheet.tables` (where `add` takes a local address); undefined elsewhere. */
    private readonly sheet: WorksheetDouble | undefined
  ) {
    super(context, path, locate);
  }

  get count(): number {
    return this.get("count");
  }

  /** A table is reached by its name (without case) or its id. */
  protected matches(table: TableState, key: string): boolean {
    return sameName(table.name, key) || table.id === key;
  }

  protected keyOf(table: TableState): string {
    return table.name;
  }

  add(address: string | RangeDouble, hasHeaders: boolean): TableDouble {
    let created: TableState | undefined;
    const label = typeof address === "string" ? address : address.path;
    this.context.enqueue(
      "tables.add",
      `${this.path}.add(${JSON.stringify(label)})`,
      { address: label, hasHeaders },
      (record) => {
        const state = this.context.state;
        let sheet: SheetState;
        let rect: Rect;
        if (typeof address === "string") {
          const parsed = parseA1(address);
          if (parsed.sheet !== undefined) {
            const named = state.sheetByName(parsed.sheet);
            if (!named) throw officeError("ItemNotFound", `The worksheet ${parsed.sheet} doesn't exist.`);
            sheet = named;
          } else if (this.sheet) {
            sheet = this.sheet.resolve();
          } else {
            throw invalidArgument("A workbook-level tables.add needs a sheet-qualified address or a Range.");
          }
          rect = parsed.rect;
        } else {
          ({ sheet, rect } = address.resolve());
        }
        record.address = formatAddress(sheet.name, rect);
        created = state.addTable(sheet, rect, hasHeaders);
      }
    );
    return new TableDouble(this.context, `${this.path}.add(${JSON.stringify(label)})`, () => created);
  }

  getItemAt(index: number): TableDouble {
    return this.itemAt(index, `getItemAt(${index})`);
  }

  getFirst(): TableDouble {
    return this.itemAt(0, "getFirst()");
  }

  getFirstOrNullObject(): TableDouble {
    return this.itemAt(0, "getFirstOrNullObject()", true);
  }
}

export class TableDouble extends ClientObjectDouble<TableState> {
  protected readonly entity = "Table";
  protected readonly scalarProperties = ["name", "id", "style", "showBandedRows", "showHeaders", "showTotals"];

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.setProperty("name", value, (table) => this.context.state.renameTable(table, value), "table.name");
  }
  get id(): string {
    return this.get("id");
  }
  get style(): string {
    return this.get("style");
  }
  set style(value: string) {
    this.setProperty(
      "style",
      value,
      (table) => {
        table.style = value;
      },
      "table.style"
    );
  }
  get showBandedRows(): boolean {
    return this.get("showBandedRows");
  }
  set showBandedRows(value: boolean) {
    this.setProperty(
      "showBandedRows",
      value,
      (table) => {
        this.context.requires("Table.showBandedRows");
        table.showBandedRows = value;
      },
      "table.showBandedRows"
    );
  }
  get showHeaders(): boolean {
    return this.get("showHeaders");
  }
  get showTotals(): boolean {
    return this.get("showTotals");
  }
  set showTotals(value: boolean) {
    this.setProperty(
      "showTotals",
      value,
      () => {
        if (value) throw officeError("NotImplemented", "The Excel double has no total rows.");
      },
      "table.showTotals"
    );
  }

  protected read(name: string, table: TableState): unknown {
    switch (name) {
      case "name":
        return table.name;
      case "id":
        return table.id;
      case "style":
        return table.style;
      case "showBandedRows":
        return table.showBandedRows;
      case "showHeaders":
        return table.showHeaders;
      case "showTotals":
        return table.showTotals;
      default:
        return this.unknownProperty(name);
    }
  }

  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    return name === "worksheet" ? (this.worksheet as ClientObjectDouble<unknown>) : undefined;
  }

  private range(label: string, rect: (table: TableState) => Rect): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.${label}`, () => {
      const table = this.resolve();
      return { sheet: this.context.state.requireSheet(table.sheetId), rect: rect(table) };
    });
  }

  getRange(): RangeDouble {
    return this.range("getRange()", (t) => t.rect);
  }

  getHeaderRowRange(): RangeDouble {
    return this.range("getHeaderRowRange()", (t) => ({ ...t.rect, rows: 1 }));
  }

  getDataBodyRange(): RangeDouble {
    return this.range("getDataBodyRange()", tableBody);
  }

  get worksheet(): WorksheetDouble {
    return this.cached(
      "worksheet",
      () =>
        new WorksheetDouble(this.context, `${this.path}.worksheet`, () => {
          this.context.requires("Table.worksheet");
          return this.context.state.requireSheet(this.resolve().sheetId);
        })
    );
  }

  get rows(): TableRowCollectionDouble {
    return this.cached("rows", () => new TableRowCollectionDouble(this.context, `${this.path}.rows`, this));
  }

  get columns(): TableColumnCollectionDouble {
    return this.cached("columns", () => new TableColumnCollectionDouble(this.context, `${this.path}.columns`, this));
  }

  /** `Table.resize(newRange)` (ExcelApi 1.13): the header stays in place, the name and columns are kept. */
  resize(newRange: string | RangeDouble): void {
    const label = typeof newRange === "string" ? newRange : newRange.path;
    this.command("table.resize", label, (table, record) => {
      this.context.requires("Table.resize");
      const state = this.context.state;
      const sheet = state.requireSheet(table.sheetId);
      let rect: Rect;
      if (typeof newRange === "string") {
        const parsed = parseA1(newRange);
        if (parsed.sheet !== undefined && parsed.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
          throw invalidArgument("A table can only be resized on its own worksheet.");
        }
        rect = parsed.rect;
      } else {
        const target = newRange.resolve();
        if (target.sheet !== sheet) throw invalidArgument("A table can only be resized on its own worksheet.");
        rect = target.rect;
      }
      record.address = formatAddress(sheet.name, rect);
      state.resizeTable(table, rect);
    });
  }

  delete(): void {
    this.command("table.delete", undefined, (table) => this.context.state.deleteTable(table));
  }

  convertToRange(): RangeDouble {
    let rect: Rect | undefined;
    let sheet: SheetState | undefined;
    this.command("table.convertToRange", undefined, (table) => {
      const state = this.context.state;
      sheet = state.requireSheet(table.sheetId);
      rect = table.rect;
      state.tables = state.tables.filter((t) => t !== table);
    });
    return new RangeDouble(this.context, `${this.path}.convertToRange()`, () =>
      sheet && rect ? { sheet, rect } : undefined
    );
  }
}
