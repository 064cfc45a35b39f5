/**
 * PivotTables (minimal; extend as needed): created from a table or range, with row, column, filter and data
 * hierarchies, the grand-total switches, a manual filter on a field's items, refresh, and their data source.
 */
import { formatAddress, parseA1, type Rect } from "./address";
import { ClientObjectDouble, ClientResultDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { invalidArgument, officeError, propertyNotLoaded } from "./errors";
import { RangeDouble, type RangeTarget } from "./ranges";
import type { SheetState } from "./state/cells";
import { sameName } from "./state/rules";
import type { PivotTableState } from "./state/workbook-state";
import { TableDouble } from "./tables";
import { WorksheetDouble } from "./worksheets";

export class PivotTableCollectionDouble extends NamedCollectionDouble<PivotTableState, PivotTableDouble> {
  protected readonly entity = "PivotTableCollection";
  protected readonly itemClass = PivotTableDouble;

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => PivotTableState[] | undefined,
    private readonly sheet: WorksheetDouble | undefined
  ) {
    super(context, path, locate);
  }

  /** A PivotTable is reached by its name (without case). */
  protected matches(pivot: PivotTableState, name: string): boolean {
    return sameName(pivot.name, name);
  }

  protected keyOf(pivot: PivotTableState): string {
    return pivot.name;
  }

  /** `add(name, source, destination)`: source a TableDouble, RangeDouble or address; destination a range or address. */
  add(name: string, source: string | RangeDouble | TableDouble, destination: string | RangeDouble): PivotTableDouble {
    let created: PivotTableState | undefined;
    const label = (x: string | RangeDouble | TableDouble): string => (typeof x === "string" ? x : x.path);
    this.context.enqueue(
      "pivotTables.add",
      `${this.path}.add(${JSON.stringify(name)})`,
      { name, source: label(source), destination: label(destination) },
      () => {
        const state = this.context.state;
        if (state.pivotTables.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
          throw officeError("ItemAlreadyExists", `A PivotTable named "${name}" already exists.`);
        }
        let pivotSource: PivotTableState["source"];
        if (source instanceof TableDouble) {
          pivotSource = { kind: "table", tableId: source.resolve().id };
        } else if (source instanceof RangeDouble) {
          const target = source.resolve();
          pivotSource = { kind: "range", sheetId: target.sheet.id, rect: target.rect };
        } else {
          const table = state.tableByName(source);
          if (table) pivotSource = { kind: "table", tableId: table.id };
          else {
            const parsed = parseA1(source);
            const sheet = parsed.sheet !== undefined ? state.sheetByName(parsed.sheet) : undefined;
            if (!sheet) throw invalidArgument(`PivotTable source ${source} is not a table or a sheet-qualified range.`);
            pivotSource = { kind: "range", sheetId: sheet.id, rect: parsed.rect };
          }
        }
        let destinationTarget: RangeTarget;
        if (destination instanceof RangeDouble) destinationTarget = destination.resolve();
        else {
          const parsed = parseA1(destination);
          const sheet = parsed.sheet !== undefined ? state.sheetByName(parsed.sheet) : this.sheet?.resolve();
          if (!sheet) throw invalidArgument(`PivotTable destination ${destination} needs a worksheet.`);
          destinationTarget = { sheet, rect: parsed.rect };
        }
        this.context.requires("PivotTableCollection.add");
        // A new report covers at least a few rows and columns from its destination cell (filter area, header, total).
        const anchor = destinationTarget.rect;
        created = {
          id: state.nextId("pivot"),
          name,
          sheetId: destinationTarget.sheet.id,
          destination: anchor,
          extent: { ...anchor, rows: Math.max(anchor.rows, 4), cols: Math.max(anchor.cols, 3) },
          source: pivotSource,
          rowHierarchies: [],
          columnHierarchies: [],
          dataHierarchies: [],
          filterHierarchies: [],
          refreshCount: 0,
        };
        state.pivotTables.push(created);
      }
    );
    return new PivotTableDouble(this.context, `${this.path}.add(${JSON.stringify(name)})`, () => created);
  }

  refreshAll(): void {
    this.context.enqueue("pivotTables.refreshAll", this.path, undefined, () => {
      this.context.requires("PivotTableCollection.refreshAll");
      for (const pivot of this.resolve()) pivot.refreshCount += 1;
    });
  }
}

type HierarchyKind = "rowHierarchies" | "columnHierarchies" | "filterHierarchies" | "dataHierarchies";

export class PivotHierarchyDouble {
  constructor(
    readonly name: string,
    private readonly pivot?: PivotTableDouble
  ) {}

  /** `hierarchy.fields.getItem(name)`: a hierarchy has exactly one field, of the same name. */
  get fields(): { getItem: (name: string) => PivotFieldDouble } {
    const pivot = this.pivot;
    if (!pivot) throw invalidArgument("This PivotHierarchy was not reached through a PivotTable.");
    return {
      getItem: (name: string) => {
        if (name.toLowerCase() !== this.name.toLowerCase())
          throw invalidArgument(`The hierarchy ${this.name} has no field ${name}.`);
        return new PivotFieldDouble(pivot, this.name);
      },
    };
  }
}

/** A PivotField: its items (the distinct values of the source column) and `applyFilter` with a manual filter. */
export class PivotFieldDouble {
  constructor(
    private readonly pivot: PivotTableDouble,
    readonly name: string
  ) {}

  get items(): PivotItemCollectionDouble {
    return new PivotItemCollectionDouble(
      this.pivot.context,
      `${this.pivot.path}.hierarchies.getItem(${JSON.stringify(this.name)}).fields.getItem(${JSON.stringify(this.name)}).items`,
      () => this.pivot.fieldItems(this.pivot.resolve(), this.name)
    );
  }

  /** Only `manualFilter` is modelled; its items must exist and the field must be on an axis (as in Excel). */
  applyFilter(filter: { manualFilter?: { selectedItems?: unknown[] } }): void {
    this.pivot.applyManualFilter(this.name, filter);
  }
}

export class PivotItemCollectionDouble extends NamedCollectionDouble<string, PivotItemDouble> {
  protected readonly entity = "PivotItemCollection";
  protected readonly itemClass = PivotItemDouble;

  /** An item is reached by its name (without case). */
  protected matches(item: string, name: string): boolean {
    return sameName(item, name);
  }

  protected keyOf(item: string): string {
    return item;
  }
}

export class PivotItemDouble extends ClientObjectDouble<string> {
  protected readonly entity = "PivotItem";
  protected readonly scalarProperties = ["name"];

  get name(): string {
    return this.get("name");
  }

  protected read(name: string, item: string): unknown {
    if (name === "name") return item;
    return this.unknownProperty(name);
  }
}

export class DataPivotHierarchyDouble {
  constructor(
    private readonly pivot: PivotTableDouble,
    private readonly hierarchyName: string
  ) {}

  set summarizeBy(value: string) {
    this.pivot.editData(this.hierarchyName, (data) => {
      data.summarizeBy = value;
    });
  }

  set name(value: string) {
    this.pivot.editData(this.hierarchyName, (data) => {
      data.name = value;
    });
  }

  set numberFormat(value: string) {
    this.pivot.editData(this.hierarchyName, (data) => {
      data.numberFormat = value;
    });
  }
}

export class PivotTableDouble extends ClientObjectDouble<PivotTableState> {
  protected readonly entity = "PivotTable";
  protected readonly scalarProperties = ["name", "id"];

  get name(): string {
    return this.get("name");
  }
  get id(): string {
    return this.get("id");
  }

  protected read(name: string, pivot: PivotTableState): unknown {
    if (name === "name") return pivot.name;
    if (name === "id") return pivot.id;
    return this.unknownProperty(name);
  }

  refresh(): void {
    this.command("pivotTable.refresh", undefined, (pivot) => {
      this.context.requires("PivotTable.refresh");
      pivot.refreshCount += 1;
    });
  }

  delete(): void {
    this.command("pivotTable.delete", undefined, (pivot) => {
      this.context.state.pivotTables = this.context.state.pivotTables.filter((p) => p !== pivot);
    });
  }

  getDataSourceType(): ClientResultDouble<string> {
    return this.result("pivotTable.getDataSourceType", (pivot) => {
      this.context.requires("PivotTable.getDataSourceType");
      return pivot.source.kind === "table" ? "LocalTable" : "LocalRange";
    });
  }

  getDataSourceString(): ClientResultDouble<string> {
    return this.result("pivotTable.getDataSourceString", (pivot) => {
      this.context.requires("PivotTable.getDataSourceString");
      const state = this.context.state;
      if (pivot.source.kind === "table") return state.tableById(pivot.source.tableId)?.name ?? "#REF!";
      const sheet = state.sheetById(pivot.source.sheetId);
      return sheet ? formatAddress(sheet.name, pivot.source.rect) : "#REF!";
    });
  }

  get worksheet(): WorksheetDouble {
    return this.cached(
      "worksheet",
      () =>
        new WorksheetDouble(this.context, `${this.path}.worksheet`, () =>
          this.context.state.requireSheet(this.resolve().sheetId)
        )
    );
  }

  /** The source's field names (the table's headers). */
  get hierarchies(): { getItem: (name: string) => PivotHierarchyDouble } {
    return { getItem: (name: string) => new PivotHierarchyDouble(name, this) };
  }

  /** `pivotTable.layout`: the grand-total switches. */
  get layout(): { showColumnGrandTotals: boolean; showRowGrandTotals: boolean } {
    const command = this.command.bind(this);
    const requires = (member: string) => this.context.requires(member);
    return {
      set showColumnGrandTotals(value: boolean) {
        command("pivotLayout.showColumnGrandTotals", value, (pivot) => {
          requires("PivotTable.layout");
          pivot.showColumnGrandTotals = value;
        });
      },
      get showColumnGrandTotals(): boolean {
        throw propertyNotLoaded("showColumnGrandTotals", "PivotLayout");
      },
      set showRowGrandTotals(value: boolean) {
        command("pivotLayout.showRowGrandTotals", value, (pivot) => {
          pivot.showRowGrandTotals = value;
        });
      },
      get showRowGrandTotals(): boolean {
        throw propertyNotLoaded("showRowGrandTotals", "PivotLayout");
      },
    };
  }

  /** The distinct values of a source column, as PivotItem names, in order of first appearance. */
  fieldItems(pivot: PivotTableState, field: string): string[] {
    const state = this.context.state;
    const offset = this.fieldNames(pivot).findIndex((f) => f.toLowerCase() === field.toLowerCase());
    if (offset < 0) throw invalidArgument(`The PivotTable source has no field named "${field}".`);
    let sheet: SheetState | undefined;
    let body: Rect | undefined;
    if (pivot.source.kind === "table") {
      const table = state.tableById(pivot.source.tableId);
      sheet = table ? state.sheetById(table.sheetId) : undefined;
      body = table
        ? { row: table.rect.row + 1, col: table.rect.col + offset, rows: table.rect.rows - 1, cols: 1 }
        : undefined;
    } else {
      sheet = state.sheetById(pivot.source.sheetId);
      const r = pivot.source.rect;
      body = { row: r.row + 1, col: r.col + offset, rows: r.rows - 1, cols: 1 };
    }
    if (!sheet || !body) return [];
    const owner = sheet;
    const names = state
      .readGrid(owner, body, (r, c) => state.readValue(owner, r, c))
      .map((row) => String(row[0] ?? ""));
    return [...new Set(names.filter((n) => n !== ""))];
  }

  applyManualFilter(field: string, filter: { manualFilter?: { selectedItems?: unknown[] } }): void {
    this.command("pivotField.applyFilter", filter, (pivot) => {
      this.context.requires("PivotField.applyFilter");
      const onAxis = [
        ...pivot.rowHierarchies,
        ...pivot.columnHierarchies,
        ...pivot.filterHierarchies,
        ...pivot.dataHierarchies.map((d) => d.name),
      ];
      if (!onAxis.some((h) => h.toLowerCase() === field.toLowerCase())) {
        throw invalidArgument(
          `PivotFilters can only be applied to a field whose hierarchy is on an axis (${field} is not).`
        );
      }
      const selected = (filter.manualFilter?.selectedItems ?? []).map(String);
      const items = this.fieldItems(pivot, field);
      const unknown = selected.find((item) => !items.includes(item));
      if (unknown !== undefined) throw invalidArgument(`"${unknown}" is not an item of the field ${field}.`);
      pivot.manualFilters = { ...(pivot.manualFilters ?? {}), [field]: selected };
    });
  }

  private hierarchyCollection(kind: HierarchyKind): {
    add: (hierarchy: PivotHierarchyDouble) => DataPivotHierarchyDouble;
  } {
    return {
      add: (hierarchy: PivotHierarchyDouble) => {
        this.command(`pivotTable.${kind}.add`, hierarchy.name, (pivot) => {
          this.context.requires("PivotTable.hierarchies");
          const fields = this.fieldNames(pivot);
          if (!fields.some((f) => f.toLowerCase() === hierarchy.name.toLowerCase())) {
            throw invalidArgument(`The PivotTable source has no field named "${hierarchy.name}".`);
          }
          if (kind === "dataHierarchies") pivot.dataHierarchies.push({ name: hierarchy.name, summarizeBy: "Sum" });
          else pivot[kind].push(hierarchy.name);
        });
        return new DataPivotHierarchyDouble(this, hierarchy.name);
      },
    };
  }

  get rowHierarchies(): ReturnType<PivotTableDouble["hierarchyCollection"]> {
    return this.hierarchyCollection("rowHierarchies");
  }
  get columnHierarchies(): ReturnType<PivotTableDouble["hierarchyCollection"]> {
    return this.hierarchyCollection("columnHierarchies");
  }
  get filterHierarchies(): ReturnType<PivotTableDouble["hierarchyCollection"]> {
    return this.hierarchyCollection("filterHierarchies");
  }
  get dataHierarchies(): ReturnType<PivotTableDouble["hierarchyCollection"]> {
    return this.hierarchyCollection("dataHierarchies");
  }

  editData(
    hierarchyName: string,
    change: (data: { name: string; summarizeBy: string; numberFormat?: string }) => void
  ): void {
    this.command("pivotTable.dataHierarchy.edit", hierarchyName, (pivot) => {
      const data = pivot.dataHierarchies.find((d) => d.name === hierarchyName);
      if (!data) throw officeError("ItemNotFound", `No data hierarchy ${hierarchyName}.`);
      change(data);
    });
  }

  private fieldNames(pivot: PivotTableState): string[] {
    const state = this.context.state;
    if (pivot.source.kind === "table") {
      const table = state.tableById(pivot.source.tableId);
      return table ? state.tableHeaders(table) : [];
    }
    const sheet = state.sheetById(pivot.source.sheetId);
    if (!sheet) return [];
    return state
      .readGrid(sheet, { ...pivot.source.rect, rows: 1 }, (r, c) => state.readValue(sheet, r, c))
      .flat()
      .map(String);
  }
}
