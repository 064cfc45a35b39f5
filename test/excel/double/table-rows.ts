/** `table.rows`: rows reached by position, added at the bottom, deleted one at a time. */
import { formatAddress, type Rect } from "./address";
import { ClientObjectDouble, CollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { RangeDouble } from "./ranges";
import type { CellValue } from "./state/cells";
import type { TableState } from "./state/tables";
import type { TableDouble } from "./tables";

export class TableRowCollectionDouble extends CollectionDouble<number, TableRowDouble> {
  protected readonly entity = "TableRowCollection";
  protected override readonly collectionProperties = ["count"];

  constructor(
    context: RequestContextDouble,
    path: string,
    private readonly table: TableDouble
  ) {
    super(context, path, () => {
      const t = table.resolve();
      return Array.from({ length: t.rect.rows - 1 }, (_, i) => i);
    });
  }

  get count(): number {
    return this.get("count");
  }

  protected wrap(index: number): TableRowDouble {
    return this.getItemAt(index);
  }

  getItemAt(index: number): TableRowDouble {
    return new TableRowDouble(this.context, `${this.path}.getItemAt(${index})`, () => ({
      table: this.table.resolve(),
      index,
    }));
  }

  /** Adds rows; the writer must not use this for bulk data (the test asserts it), but users and tests may. */
  add(index?: number | null, values?: unknown[][] | null): void {
    const count = values?.length ?? 1;
    this.context.enqueue("table.rows.add", this.path, values ?? null, (record) => {
      const state = this.context.state;
      const table = this.table.resolve();
      const sheet = state.requireSheet(table.sheetId);
      const first = state.addTableRows(table, index ?? undefined, count);
      const rect = { row: first, col: table.rect.col, rows: count, cols: table.rect.cols };
      record.address = formatAddress(sheet.name, rect);
      if (values) state.writeCells(sheet, rect, values, false, "values");
    });
  }
}

export class TableRowDouble extends ClientObjectDouble<{ table: TableState; index: number }> {
  protected readonly entity = "TableRow";
  protected readonly scalarProperties = ["index", "values"];

  get index(): number {
    return this.get("index");
  }
  get values(): CellValue[][] {
    return this.get("values");
  }

  private rect({ table, index }: { table: TableState; index: number }): Rect {
    return { row: table.rect.row + 1 + index, col: table.rect.col, rows: 1, cols: table.rect.cols };
  }

  protected read(name: string, target: { table: TableState; index: number }): unknown {
    if (name === "index") return target.index;
    if (name === "values") {
      const state = this.context.state;
      const sheet = state.requireSheet(target.table.sheetId);
      return state.readGrid(sheet, this.rect(target), (r, c) => state.readValue(sheet, r, c));
    }
    return this.unknownProperty(name);
  }

  getRange(): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getRange()`, () => {
      const target = this.resolve();
      return { sheet: this.context.state.requireSheet(target.table.sheetId), rect: this.rect(target) };
    });
  }

  delete(): void {
    this.command("table.rows.delete", undefined, ({ table, index }) => {
      this.context.state.deleteTableRow(table, index);
    });
  }
}
