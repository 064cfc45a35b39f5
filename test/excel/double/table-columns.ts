/** `table.columns`: columns reached by name or id, added with a header and values, renamed, deleted. */
import { formatAddress, type Rect } from "./address";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { RangeDouble } from "./ranges";
import type { CellValue } from "./state/cells";
import { sameName } from "./state/rules";
import type { TableState } from "./state/tables";
import type { TableDouble } from "./tables";

interface ColumnTarget {
  table: TableState;
  index: number;
}

export class TableColumnCollectionDouble extends NamedCollectionDouble<
  ColumnTarget,
  TableColumnDouble,
  string | number
> {
  protected readonly entity = "TableColumnCollection";
  protected readonly itemClass = TableColumnDouble;
  protected override readonly collectionProperties = ["count"];

  constructor(
    context: RequestContextDouble,
    path: string,
    private readonly table: TableDouble
  ) {
    super(context, path, () => {
      const t = table.resolve();
      return Array.from({ length: t.rect.cols }, (_, index) => ({ table: t, index }));
    });
  }

  get count(): number {
    return this.get("count");
  }

  /** A column is reached by its name (without case) or its id, which is its 1-based position in the double. */
  protected matches({ table, index }: ColumnTarget, key: string | number): boolean {
    if (typeof key === "number") return index === key - 1;
    return sameName(this.context.state.tableHeaders(table)[index] ?? "", key);
  }

  protected keyOf(column: ColumnTarget): number {
    return column.index + 1;
  }

  /** A name first; text that names no column but is a number is taken as an id. */
  protected override find(key: string | number): ColumnTarget | undefined {
    const byKey = super.find(key);
    return byKey ?? (typeof key === "string" && /^\d+$/.test(key) ? super.find(Number(key)) : undefined);
  }

  getItemAt(index: number): TableColumnDouble {
    return this.itemAt(index, `getItemAt(${index})`);
  }

  /** Adds a column (at the right by default) with a header `name` and optional values (header + data rows). */
  add(index?: number | null, values?: unknown[][] | null, name?: string): TableColumnDouble {
    let created: ColumnTarget | undefined;
    this.context.enqueue("table.columns.add", this.path, { values: values ?? null, name: name ?? null }, (record) => {
      const state = this.context.state;
      const table = this.table.resolve();
      const sheet = state.requireSheet(table.sheetId);
      const col = state.addTableColumn(table, index ?? undefined);
      const rect = { row: table.rect.row, col, rows: table.rect.rows, cols: 1 };
      record.address = formatAddress(sheet.name, rect);
      if (values) state.writeCells(sheet, rect, values, true, "values");
      if (name !== undefined) state.writeCells(sheet, { ...rect, rows: 1 }, name, false, "name");
      state.normalizeHeaders(table);
      created = { table, index: col - table.rect.col };
    });
    return new TableColumnDouble(this.context, `${this.path}.add()`, () => created);
  }
}

export class TableColumnDouble extends ClientObjectDouble<ColumnTarget> {
  protected readonly entity = "TableColumn";
  protected readonly scalarProperties = ["name", "index", "id", "values"];

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.setProperty(
      "name",
      value,
      ({ table, index }) => {
        const state = this.context.state;
        const sheet = state.requireSheet(table.sheetId);
        state.writeCells(
          sheet,
          { row: table.rect.row, col: table.rect.col + index, rows: 1, cols: 1 },
          value,
          false,
          "name"
        );
      },
      "tableColumn.name"
    );
  }
  get index(): number {
    return this.get("index");
  }
  get id(): number {
    return this.get("id");
  }
  get values(): CellValue[][] {
    return this.get("values");
  }

  private rect({ table, index }: ColumnTarget): Rect {
    return { row: table.rect.row, col: table.rect.col + index, rows: table.rect.rows, cols: 1 };
  }

  protected read(name: string, column: ColumnTarget): unknown {
    const state = this.context.state;
    switch (name) {
      case "name":
        return state.tableHeaders(column.table)[column.index];
      case "index":
        return column.index;
      case "id":
        return column.index + 1;
      case "values": {
        const sheet = state.requireSheet(column.table.sheetId);
        return state.readGrid(sheet, this.rect(column), (r, c) => state.readValue(sheet, r, c));
      }
      default:
        return this.unknownProperty(name);
    }
  }

  private range(label: string, rect: (column: ColumnTarget) => Rect): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.${label}`, () => {
      const column = this.resolve();
      return { sheet: this.context.state.requireSheet(column.table.sheetId), rect: rect(column) };
    });
  }

  getRange(): RangeDouble {
    return this.range("getRange()", (c) => this.rect(c));
  }

  getHeaderRowRange(): RangeDouble {
    return this.range("getHeaderRowRange()", (c) => ({ ...this.rect(c), rows: 1 }));
  }

  getDataBodyRange(): RangeDouble {
    return this.range("getDataBodyRange()", (c) => ({
      ...this.rect(c),
      row: c.table.rect.row + 1,
      rows: c.table.rect.rows - 1,
    }));
  }

  delete(): void {
    this.command("tableColumn.delete", undefined, ({ table, index }) => {
      const state = this.context.state;
      const sheet = state.requireSheet(table.sheetId);
      const rect = this.rect({ table, index });
      state.clearContents(sheet, rect);
      for (let r = rect.row; r < rect.row + rect.rows; r++) sheet.rows.get(r)?.splice(rect.col, 1);
      table.rect = { ...table.rect, cols: table.rect.cols - 1 };
    });
  }
}
