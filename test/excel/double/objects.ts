/**
 * The client side of the double: proxy objects that queue commands and only touch the workbook at
 * `context.sync()`, like Office.js. Reading a property needs `load` + `sync` first (PropertyNotLoaded
 * otherwise; a property the code itself set is readable, as in Office.js). Each sync is recorded with its
 * operations and estimated payload; a sync over the payload limit is rejected whole with
 * `RequestPayloadSizeLimitExceeded`, and nothing in it is applied. Otherwise the operations are applied in
 * order; one that fails stops the sync there (earlier operations stay applied, as in Excel).
 */
import { assertInGrid, formatAddress, intersects, parseA1, type Rect } from "./address";
import { invalidArgument, officeError, OfficeErrorDouble, propertyNotLoaded, valueNotLoaded } from "./errors";
import {
  MAX_ROWS,
  type CellValue,
  type ConditionalFormatState,
  type CustomXmlPartState,
  type NamedItemState,
  type PivotTableState,
  type SheetState,
  type StyleKey,
  type StyleState,
  type TableState,
  type WorkbookState,
} from "./state";

export interface OperationRecord {
  /** values, formulas, numberFormat, load, suspendCalculation, tables.add, table.resize, … */
  kind: string;
  /** How the code reached the object, e.g. `worksheets.getItem("Billing").getRangeByIndexes(1,0,500,12)`. */
  target: string;
  /** The resolved address (ranges) once applied. */
  address?: string;
  bytes: number;
  rows?: number;
  columns?: number;
  /** A short rendering of a scalar argument (a number format, a name, a formula). */
  detail?: string;
}

export interface SyncRecord {
  index: number;
  payloadBytes: number;
  operations: OperationRecord[];
  calculationSuspended: boolean;
  /** The error code when the sync failed. */
  error?: string;
}

export interface DoubleRuntime {
  state: WorkbookState;
  syncs: SyncRecord[];
  payloadLimitBytes: number;
  faults: { code: string; message: string }[];
}

/** Fixed cost charged per queued command (the JSON envelope of an action in the request). */
export const OPERATION_OVERHEAD_BYTES = 40;

export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

interface QueuedOperation {
  record: OperationRecord;
  apply: () => void;
}

function shapeOf(value: unknown): { rows?: number; columns?: number } {
  if (!Array.isArray(value)) return {};
  const first: unknown = value[0];
  return { rows: value.length, columns: Array.isArray(first) ? first.length : 0 };
}

function detailOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (value.length === 1 && Array.isArray(first) && first.length === 1) return String(first[0]);
    return undefined;
  }
  if (value === undefined) return undefined;
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

export class RequestContextDouble {
  readonly workbook: WorkbookDouble;
  readonly application: ApplicationDouble;
  readonly trackedObjects = { add: (): void => undefined, remove: (): void => undefined };
  private queue: QueuedOperation[] = [];

  constructor(readonly runtime: DoubleRuntime) {
    this.workbook = new WorkbookDouble(this);
    this.application = new ApplicationDouble(this);
  }

  get state(): WorkbookState {
    return this.runtime.state;
  }

  /** Queues a command; `payload` is what goes on the wire (its JSON size is charged to the request). */
  enqueue(kind: string, target: string, payload: unknown, apply: (record: OperationRecord) => void): void {
    const record: OperationRecord = {
      kind,
      target,
      bytes: OPERATION_OVERHEAD_BYTES + jsonBytes(payload),
      ...shapeOf(payload),
    };
    const detail = kind === "values" || kind === "formulas" ? undefined : detailOf(payload);
    if (detail !== undefined) record.detail = detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
    this.queue.push({ record, apply: () => apply(record) });
  }

  get pendingOperations(): number {
    return this.queue.length;
  }

  async sync<T>(passThroughValue?: T): Promise<T | undefined> {
    await Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    const record: SyncRecord = {
      index: this.runtime.syncs.length,
      payloadBytes: batch.reduce((sum, op) => sum + op.record.bytes, 0),
      operations: batch.map((op) => op.record),
      calculationSuspended: batch.some((op) => op.record.kind === "suspendCalculation"),
    };
    this.runtime.syncs.push(record);
    const fault = this.runtime.faults.shift();
    if (fault) {
      record.error = fault.code;
      throw officeError(fault.code, fault.message);
    }
    if (record.payloadBytes > this.runtime.payloadLimitBytes) {
      record.error = "RequestPayloadSizeLimitExceeded";
      throw officeError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size has exceeded the limit (${record.payloadBytes} bytes queued, limit ${this.runtime.payloadLimitBytes}).`
      );
    }
    for (const op of batch) {
      try {
        op.apply();
      } catch (error) {
        if (error instanceof OfficeErrorDouble) {
          record.error = error.code;
          if (error.debugInfo.errorLocation === undefined) error.debugInfo.errorLocation = op.record.target;
          error.debugInfo.statement = `${op.record.kind} ${op.record.target}`;
        }
        throw error;
      }
    }
    return passThroughValue;
  }
}

// ------------------------------------------------------------------ base classes

type LoadSpec = string | string[] | { select?: string; expand?: string } | undefined;

function loadNames(spec: LoadSpec): string[] | undefined {
  if (spec === undefined) return undefined;
  const text =
    typeof spec === "string"
      ? spec
      : Array.isArray(spec)
        ? spec.join(",")
        : [spec.select, spec.expand].filter(Boolean).join(",");
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return names.length > 0 ? names : undefined;
}

export class ClientResultDouble<T> {
  private known = false;
  private current: T | undefined;

  get value(): T {
    if (!this.known) throw valueNotLoaded();
    return this.current as T;
  }

  settle(value: T): void {
    this.current = value;
    this.known = true;
  }
}

export abstract class ClientObjectDouble<T> {
  protected abstract readonly entity: string;
  /** Scalar properties loaded by `load()` without arguments. */
  protected abstract readonly scalarProperties: readonly string[];
  private bound: T | null | undefined;
  private readonly loaded = new Map<string, unknown>();
  private nullKnown: boolean | undefined;

  constructor(
    readonly context: RequestContextDouble,
    readonly path: string,
    private readonly locate: () => T | undefined,
    private readonly orNull = false
  ) {
    if (orNull) {
      context.enqueue("resolve", path, undefined, () => {
        this.nullKnown = this.tryResolve() === null;
      });
    }
  }

  get isNullObject(): boolean {
    if (!this.orNull) return false;
    if (this.nullKnown === undefined) throw propertyNotLoaded("isNullObject", this.entity);
    return this.nullKnown;
  }

  private readonly navigation = new Map<string, unknown>();

  /** Navigation properties return the same proxy every time, as in Office.js (so loads on it stick). */
  protected cached<V>(key: string, create: () => V): V {
    if (!this.navigation.has(key)) this.navigation.set(key, create());
    return this.navigation.get(key) as V;
  }

  /** The workbook object behind this proxy, resolved once (at its first use in a sync). */
  resolve(): T {
    const target = this.tryResolve();
    if (target === null) {
      throw officeError(
        this.orNull ? "InvalidOperation" : "ItemNotFound",
        this.orNull
          ? `The requested operation is not allowed on a null object (${this.path}).`
          : `The requested resource doesn't exist (${this.path}).`
      );
    }
    return target;
  }

  protected tryResolve(): T | null {
    if (this.bound === undefined) this.bound = this.locate() ?? null;
    return this.bound;
  }

  load(spec?: LoadSpec): this {
    const names = loadNames(spec) ?? [...this.scalarProperties];
    this.context.enqueue("load", this.path, names.join(","), () => this.loadNow(names));
    return this;
  }

  /** Applies a load at sync time (also used by collections for their items). */
  loadNow(names: readonly string[]): void {
    const target = this.tryResolve();
    for (const name of names) {
      const [head = "", ...rest] = name.split("/");
      const child = this.navigate(head);
      if (child) {
        child.loadNow(rest.length > 0 ? [rest.join("/")] : child.defaultNames());
        continue;
      }
      if (rest.length > 0)
        throw invalidArgument(`The property '${head}' is not a navigation property of ${this.entity}.`);
      this.loaded.set(name, target === null ? null : this.read(name, target));
    }
  }

  defaultNames(): string[] {
    return [...this.scalarProperties];
  }

  /** Navigation properties (`format`, `font`, …) for load paths such as "format/font/bold". */
  protected navigate(_name: string): ClientObjectDouble<unknown> | undefined {
    return undefined;
  }

  protected abstract read(name: string, target: T): unknown;

  protected unknownProperty(name: string): never {
    throw invalidArgument(`The property '${name}' does not exist on ${this.entity} in the Excel double.`);
  }

  protected get<V>(name: string): V {
    if (this.loaded.has(name)) return this.loaded.get(name) as V;
    if (this.orNull && this.nullKnown === true) return null as V;
    throw propertyNotLoaded(name, this.entity);
  }

  /** Sets a property: readable locally at once (as Office.js keeps the value set), applied at sync. */
  protected setProperty(
    name: string,
    value: unknown,
    apply: (target: T, record: OperationRecord) => void,
    kind = name
  ): void {
    this.loaded.set(name, value);
    this.context.enqueue(kind, `${this.path}.${name}`, value, (record) => apply(this.resolve(), record));
  }

  protected command(kind: string, payload: unknown, apply: (target: T, record: OperationRecord) => void): void {
    this.context.enqueue(kind, this.path, payload, (record) => apply(this.resolve(), record));
  }

  protected result<V>(kind: string, compute: (target: T) => V): ClientResultDouble<V> {
    const result = new ClientResultDouble<V>();
    this.context.enqueue(kind, this.path, undefined, () => result.settle(compute(this.resolve())));
    return result;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loaded);
  }
}

/** A collection: `items` after `load`, item properties loaded with "items/name" or just "name". */
export abstract class CollectionDouble<
  TItem,
  TProxy extends { loadNow(names: readonly string[]): void; defaultNames(): string[] },
> extends ClientObjectDouble<TItem[]> {
  protected readonly scalarProperties: readonly string[] = ["items"];
  protected readonly collectionProperties: readonly string[] = [];
  private loadedItems: TProxy[] | undefined;

  protected abstract wrap(item: TItem, index: number): TProxy;

  get items(): TProxy[] {
    if (this.loadedItems === undefined) throw propertyNotLoaded("items", this.entity);
    return this.loadedItems;
  }

  override load(spec?: LoadSpec): this {
    const names = loadNames(spec) ?? ["items"];
    this.context.enqueue("load", this.path, names.join(","), () => this.loadNow(names));
    return this;
  }

  override loadNow(names: readonly string[]): void {
    const own = names.filter((n) => this.collectionProperties.includes(n));
    super.loadNow(own);
    const itemNames = names
      .filter((n) => !this.collectionProperties.includes(n))
      .flatMap((n) => (n === "items" ? [] : [n.startsWith("items/") ? n.slice("items/".length) : n]));
    if (own.length === names.length) return;
    const items = this.resolve().map((item, index) => this.wrap(item, index));
    for (const proxy of items) proxy.loadNow(itemNames.length > 0 ? itemNames : proxy.defaultNames());
    this.loadedItems = items;
  }

  protected override read(name: string, items: TItem[]): unknown {
    if (name === "count") return items.length;
    return this.unknownProperty(name);
  }

  getCount(): ClientResultDouble<number> {
    return this.result("getCount", (items) => items.length);
  }
}

// ------------------------------------------------------------------ application

export class ApplicationDouble {
  constructor(private readonly context: RequestContextDouble) {}

  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue("suspendCalculation", "application", undefined, () => undefined);
  }

  suspendScreenUpdatingUntilNextSync(): void {
    this.context.enqueue("suspendScreenUpdating", "application", undefined, () => undefined);
  }

  calculate(calculationType: string): void {
    this.context.enqueue("calculate", "application", calculationType, () => undefined);
  }
}

// ------------------------------------------------------------------ workbook

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
      () => context.state.customXmlParts,
      undefined
    );
    this.pivotTables = new PivotTableCollectionDouble(
      context,
      "pivotTables",
      () => context.state.pivotTables,
      undefined
    );
  }

  getSelectedRange(): RangeDouble {
    const state = this.context.state;
    return new RangeDouble(this.context, "getSelectedRange()", () => {
      const selection = state.selection ?? { sheetId: state.activeSheetId, rect: { row: 0, col: 0, rows: 1, cols: 1 } };
      return { sheet: state.requireSheet(selection.sheetId), rect: selection.rect };
    });
  }

  getActiveCell(): RangeDouble {
    const state = this.context.state;
    return new RangeDouble(this.context, "getActiveCell()", () => {
      const selection = state.selection ?? { sheetId: state.activeSheetId, rect: { row: 0, col: 0, rows: 1, cols: 1 } };
      return { sheet: state.requireSheet(selection.sheetId), rect: { ...selection.rect, rows: 1, cols: 1 } };
    });
  }
}

// ------------------------------------------------------------------ worksheets

export class WorksheetCollectionDouble extends CollectionDouble<SheetState, WorksheetDouble> {
  protected readonly entity = "WorksheetCollection";

  protected wrap(sheet: SheetState): WorksheetDouble {
    return new WorksheetDouble(this.context, `worksheets.getItem(${JSON.stringify(sheet.name)})`, () => sheet);
  }

  add(name?: string): WorksheetDouble {
    let created: SheetState | undefined;
    this.context.enqueue("worksheets.add", `worksheets.add(${JSON.stringify(name ?? "")})`, name ?? "", () => {
      created = this.context.state.addSheet(name ?? this.context.state.defaultSheetName());
    });
    return new WorksheetDouble(this.context, `worksheets.add(${JSON.stringify(name ?? "")})`, () => created);
  }

  private find(key: string): SheetState | undefined {
    return this.context.state.sheetByName(key) ?? this.context.state.sheetById(key);
  }

  getItem(key: string): WorksheetDouble {
    return new WorksheetDouble(this.context, `worksheets.getItem(${JSON.stringify(key)})`, () => this.find(key));
  }

  getItemOrNullObject(key: string): WorksheetDouble {
    return new WorksheetDouble(
      this.context,
      `worksheets.getItemOrNullObject(${JSON.stringify(key)})`,
      () => this.find(key),
      true
    );
  }

  getActiveWorksheet(): WorksheetDouble {
    return new WorksheetDouble(this.context, "worksheets.getActiveWorksheet()", () =>
      this.context.state.sheetById(this.context.state.activeSheetId)
    );
  }

  getFirst(): WorksheetDouble {
    return new WorksheetDouble(this.context, "worksheets.getFirst()", () => this.context.state.sheets[0]);
  }
}

export class WorksheetDouble extends ClientObjectDouble<SheetState> {
  protected readonly entity = "Worksheet";
  protected readonly scalarProperties = ["name", "id", "position", "visibility"];

  get name(): string {
    return this.get("name");
  }

  set name(value: string) {
    this.setProperty("name", value, (sheet) => this.context.state.renameSheet(sheet, value));
  }

  get id(): string {
    return this.get("id");
  }

  get position(): number {
    return this.get("position");
  }

  get visibility(): string {
    return this.get("visibility");
  }

  protected read(name: string, sheet: SheetState): unknown {
    switch (name) {
      case "name":
        return sheet.name;
      case "id":
        return sheet.id;
      case "position":
        return this.context.state.sheets.indexOf(sheet);
      case "visibility":
        return "Visible";
      default:
        return this.unknownProperty(name);
    }
  }

  get tables(): TableCollectionDouble {
    return this.cached(
      "tables",
      () =>
        new TableCollectionDouble(
          this.context,
          `${this.path}.tables`,
          () => {
            const sheet = this.resolve();
            return this.context.state.tables.filter((t) => t.sheetId === sheet.id);
          },
          this
        )
    );
  }

  get pivotTables(): PivotTableCollectionDouble {
    return this.cached(
      "pivotTables",
      () =>
        new PivotTableCollectionDouble(
          this.context,
          `${this.path}.pivotTables`,
          () => {
            const sheet = this.resolve();
            return this.context.state.pivotTables.filter((p) => p.sheetId === sheet.id);
          },
          this
        )
    );
  }

  get freezePanes(): { freezeRows: (count?: number) => void; unfreeze: () => void } {
    return {
      freezeRows: (count?: number) => this.command("freezePanes.freezeRows", count ?? 1, () => undefined),
      unfreeze: () => this.command("freezePanes.unfreeze", undefined, () => undefined),
    };
  }

  activate(): void {
    this.command("activate", undefined, (sheet) => {
      this.context.state.activeSheetId = sheet.id;
    });
  }

  delete(): void {
    this.command("worksheet.delete", undefined, (sheet) => this.context.state.deleteSheet(sheet));
  }

  getRange(address?: string): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getRange(${JSON.stringify(address ?? "")})`, () => {
      const sheet = this.resolve();
      if (address === undefined || address === "")
        return { sheet, rect: { row: 0, col: 0, rows: MAX_ROWS, cols: 16_384 } };
      const parsed = parseA1(address);
      if (parsed.sheet !== undefined && parsed.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
        throw invalidArgument(`The address ${address} is on another worksheet.`);
      }
      return { sheet, rect: parsed.rect };
    });
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): RangeDouble {
    return new RangeDouble(
      this.context,
      `${this.path}.getRangeByIndexes(${startRow},${startColumn},${rowCount},${columnCount})`,
      () => {
        const rect = { row: startRow, col: startColumn, rows: rowCount, cols: columnCount };
        assertInGrid(rect);
        return { sheet: this.resolve(), rect };
      }
    );
  }

  getCell(row: number, column: number): RangeDouble {
    return this.getRangeByIndexes(row, column, 1, 1);
  }

  getUsedRange(valuesOnly?: boolean): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getUsedRange(${valuesOnly === true})`, () => {
      const sheet = this.resolve();
      return { sheet, rect: this.context.state.usedRect(sheet) ?? { row: 0, col: 0, rows: 1, cols: 1 } };
    });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): RangeDouble {
    return new RangeDouble(
      this.context,
      `${this.path}.getUsedRangeOrNullObject(${valuesOnly === true})`,
      () => {
        const sheet = this.resolve();
        const rect = this.context.state.usedRect(sheet);
        return rect ? { sheet, rect } : undefined;
      },
      true
    );
  }
}

// ------------------------------------------------------------------ ranges

export interface RangeTarget {
  sheet: SheetState;
  rect: Rect;
}

function within(parent: Rect, rowOffset: number, colOffset: number, rows: number, cols: number): Rect {
  const rect = { row: parent.row + rowOffset, col: parent.col + colOffset, rows, cols };
  assertInGrid(rect);
  return rect;
}

export class RangeDouble extends ClientObjectDouble<RangeTarget> {
  protected readonly entity = "Range";
  protected readonly scalarProperties = [
    "address",
    "rowIndex",
    "columnIndex",
    "rowCount",
    "columnCount",
    "cellCount",
    "values",
    "formulas",
    "numberFormat",
    "text",
    "valueTypes",
  ];

  get address(): string {
    return this.get("address");
  }
  get addressLocal(): string {
    return this.get("addressLocal");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }
  get cellCount(): number {
    return this.get("cellCount");
  }
  get text(): string[][] {
    return this.get("text");
  }
  get valueTypes(): string[][] {
    return this.get("valueTypes");
  }

  get values(): CellValue[][] {
    return this.get("values");
  }
  set values(input: unknown) {
    this.setProperty("values", input, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      this.context.state.writeCells(target.sheet, target.rect, input, false, "values");
    });
  }

  get formulas(): CellValue[][] {
    return this.get("formulas");
  }
  set formulas(input: unknown) {
    this.setProperty("formulas", input, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      this.context.state.writeCells(target.sheet, target.rect, input, true, "formulas");
    });
  }

  get numberFormat(): string[][] {
    return this.get("numberFormat");
  }
  set numberFormat(input: unknown) {
    this.setProperty("numberFormat", input, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      this.context.state.writeNumberFormat(target.sheet, target.rect, input);
    });
  }

  protected read(name: string, { sheet, rect }: RangeTarget): unknown {
    const state = this.context.state;
    switch (name) {
      case "address":
      case "addressLocal":
        return formatAddress(sheet.name, rect);
      case "rowIndex":
        return rect.row;
      case "columnIndex":
        return rect.col;
      case "rowCount":
        return rect.rows;
      case "columnCount":
        return rect.cols;
      case "cellCount":
        return rect.rows * rect.cols;
      case "values":
        return state.readGrid(sheet, rect, (r, c) => state.readValue(sheet, r, c));
      case "formulas":
        return state.readGrid(sheet, rect, (r, c) => state.readFormula(sheet, r, c));
      case "numberFormat":
        return state.readGrid(sheet, rect, (r, c) => state.numberFormatAt(sheet, r, c));
      case "text":
        return state.readGrid(sheet, rect, (r, c) => String(state.readValue(sheet, r, c)));
      case "valueTypes":
        return state.readGrid(sheet, rect, (r, c) => {
          const value = state.readValue(sheet, r, c);
          return value === ""
            ? "Empty"
            : typeof value === "number"
              ? "Double"
              : typeof value === "boolean"
                ? "Boolean"
                : "String";
        });
      default:
        return this.unknownProperty(name);
    }
  }

  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    return name === "format" ? (this.format as ClientObjectDouble<unknown>) : undefined;
  }

  private derive(label: string, compute: (rect: Rect) => Rect): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.${label}`, () => {
      const target = this.resolve();
      return { sheet: target.sheet, rect: compute(target.rect) };
    });
  }

  getCell(row: number, column: number): RangeDouble {
    return this.derive(`getCell(${row},${column})`, (rect) => within(rect, row, column, 1, 1));
  }

  getRow(row: number): RangeDouble {
    return this.derive(`getRow(${row})`, (rect) => within(rect, row, 0, 1, rect.cols));
  }

  getColumn(column: number): RangeDouble {
    return this.derive(`getColumn(${column})`, (rect) => within(rect, 0, column, rect.rows, 1));
  }

  getLastRow(): RangeDouble {
    return this.derive("getLastRow()", (rect) => within(rect, rect.rows - 1, 0, 1, rect.cols));
  }

  getLastColumn(): RangeDouble {
    return this.derive("getLastColumn()", (rect) => within(rect, 0, rect.cols - 1, rect.rows, 1));
  }

  getResizedRange(deltaRows: number, deltaColumns: number): RangeDouble {
    return this.derive(`getResizedRange(${deltaRows},${deltaColumns})`, (rect) =>
      within(rect, 0, 0, rect.rows + deltaRows, rect.cols + deltaColumns)
    );
  }

  getOffsetRange(rowOffset: number, columnOffset: number): RangeDouble {
    return this.derive(`getOffsetRange(${rowOffset},${columnOffset})`, (rect) =>
      within(rect, rowOffset, columnOffset, rect.rows, rect.cols)
    );
  }

  getAbsoluteResizedRange(rows: number, columns: number): RangeDouble {
    return this.derive(`getAbsoluteResizedRange(${rows},${columns})`, (rect) => within(rect, 0, 0, rows, columns));
  }

  get worksheet(): WorksheetDouble {
    return this.cached(
      "worksheet",
      () => new WorksheetDouble(this.context, `${this.path}.worksheet`, () => this.resolve().sheet)
    );
  }

  get format(): RangeFormatDouble {
    return this.cached(
      "format",
      () => new RangeFormatDouble(this.context, `${this.path}.format`, () => this.resolve())
    );
  }

  get conditionalFormats(): ConditionalFormatCollectionDouble {
    return this.cached(
      "conditionalFormats",
      () => new ConditionalFormatCollectionDouble(this.context, `${this.path}.conditionalFormats`, this)
    );
  }

  clear(applyTo: string = "All"): void {
    this.command("clear", applyTo, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      const state = this.context.state;
      if (applyTo === "All" || applyTo === "Contents") state.clearContents(target.sheet, target.rect);
      if (applyTo === "All" || applyTo === "Formats") state.clearFormats(target.sheet, target.rect);
    });
  }

  delete(shift: string): void {
    if (shift !== "Up" && shift !== "Left") throw invalidArgument(`Range.delete takes "Up" or "Left", not ${shift}.`);
    this.command("delete", shift, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      this.context.state.deleteCells(target.sheet, target.rect, shift);
    });
  }

  insert(shift: string): RangeDouble {
    if (shift !== "Down" && shift !== "Right")
      throw invalidArgument(`Range.insert takes "Down" or "Right", not ${shift}.`);
    this.command("insert", shift, (target, record) => {
      record.address = formatAddress(target.sheet.name, target.rect);
      this.context.state.insertCells(target.sheet, target.rect, shift);
    });
    return this;
  }

  select(): void {
    this.command("select", undefined, (target) => {
      this.context.state.selection = { sheetId: target.sheet.id, rect: target.rect };
      this.context.state.activeSheetId = target.sheet.id;
    });
  }

  /** `Range.getTables(fullyContained)`: the tables overlapping (or inside) the range. */
  getTables(fullyContained = false): TableCollectionDouble {
    return new TableCollectionDouble(
      this.context,
      `${this.path}.getTables(${fullyContained})`,
      () => {
        const { sheet, rect } = this.resolve();
        return this.context.state.tables.filter(
          (t) =>
            t.sheetId === sheet.id &&
            (fullyContained
              ? t.rect.row >= rect.row &&
                t.rect.col >= rect.col &&
                t.rect.row + t.rect.rows <= rect.row + rect.rows &&
                t.rect.col + t.rect.cols <= rect.col + rect.cols
              : intersects(t.rect, rect))
        );
      },
      undefined
    );
  }
}

// ------------------------------------------------------------------ formats

abstract class StyleObjectDouble extends ClientObjectDouble<RangeTarget> {
  protected readStyle(key: StyleKey, { sheet, rect }: RangeTarget): unknown {
    const state = this.context.state;
    const first = state.styleAt(sheet, rect.row, rect.col, key) ?? null;
    for (let r = 0; r < rect.rows; r++) {
      for (let c = 0; c < rect.cols; c++) {
        if ((state.styleAt(sheet, rect.row + r, rect.col + c, key) ?? null) !== first) return null;
      }
    }
    return first;
  }

  protected setStyle(name: string, key: StyleKey, value: unknown): void {
    this.setProperty(
      name,
      value,
      (target, record) => {
        record.address = formatAddress(target.sheet.name, target.rect);
        this.context.state.applyStyle(target.sheet, target.rect, { [key]: value } as StyleState);
      },
      `format.${name}`
    );
  }
}

export class RangeFormatDouble extends StyleObjectDouble {
  protected readonly entity = "RangeFormat";
  protected readonly scalarProperties = ["horizontalAlignment", "wrapText", "columnWidth"];

  get font(): RangeFontDouble {
    return this.cached("font", () => new RangeFontDouble(this.context, `${this.path}.font`, () => this.resolve()));
  }

  get fill(): RangeFillDouble {
    return this.cached("fill", () => new RangeFillDouble(this.context, `${this.path}.fill`, () => this.resolve()));
  }

  get horizontalAlignment(): string {
    return this.get("horizontalAlignment");
  }
  set horizontalAlignment(value: string) {
    this.setStyle("horizontalAlignment", "horizontalAlignment", value);
  }

  get wrapText(): boolean {
    return this.get("wrapText");
  }
  set wrapText(value: boolean) {
    this.setStyle("wrapText", "wrapText", value);
  }

  get columnWidth(): number {
    return this.get("columnWidth");
  }
  set columnWidth(value: number) {
    this.setStyle("columnWidth", "columnWidth", value);
  }

  autofitColumns(): void {
    this.command("format.autofitColumns", undefined, () => undefined);
  }

  autofitRows(): void {
    this.command("format.autofitRows", undefined, () => undefined);
  }

  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    if (name === "font") return this.font as ClientObjectDouble<unknown>;
    if (name === "fill") return this.fill as ClientObjectDouble<unknown>;
    return undefined;
  }

  protected read(name: string, target: RangeTarget): unknown {
    switch (name) {
      case "horizontalAlignment":
        return this.readStyle("horizontalAlignment", target) ?? "General";
      case "wrapText":
        return this.readStyle("wrapText", target) ?? false;
      case "columnWidth":
        return this.readStyle("columnWidth", target) ?? 48;
      default:
        return this.unknownProperty(name);
    }
  }
}

export class RangeFontDouble extends StyleObjectDouble {
  protected readonly entity = "RangeFont";
  protected readonly scalarProperties = ["bold", "italic", "color"];

  get bold(): boolean {
    return this.get("bold");
  }
  set bold(value: boolean) {
    this.setStyle("font.bold", "bold", value);
  }
  get italic(): boolean {
    return this.get("italic");
  }
  set italic(value: boolean) {
    this.setStyle("font.italic", "italic", value);
  }
  get color(): string {
    return this.get("color");
  }
  set color(value: string) {
    this.setStyle("font.color", "fontColor", value);
  }

  protected read(name: string, target: RangeTarget): unknown {
    switch (name) {
      case "bold":
        return this.readStyle("bold", target) ?? false;
      case "italic":
        return this.readStyle("italic", target) ?? false;
      case "color":
        return this.readStyle("fontColor", target) ?? "#000000";
      default:
        return this.unknownProperty(name);
    }
  }
}

export class RangeFillDouble extends StyleObjectDouble {
  protected readonly entity = "RangeFill";
  protected readonly scalarProperties = ["color"];

  get color(): string {
    return this.get("color");
  }
  set color(value: string) {
    this.setStyle("fill.color", "fillColor", value);
  }

  clear(): void {
    this.command("format.fill.clear", undefined, (target) =>
      this.context.state.applyStyle(target.sheet, target.rect, { fillColor: null })
    );
  }

  protected read(name: string, target: RangeTarget): unknown {
    if (name === "color") return this.readStyle("fillColor", target) ?? null;
    return this.unknownProperty(name);
  }
}

// ------------------------------------------------------------------ conditional formats

export class ConditionalFormatCollectionDouble extends CollectionDouble<
  ConditionalFormatState,
  ConditionalFormatDouble
> {
  protected readonly entity = "ConditionalFormatCollection";

  constructor(
    context: RequestContextDouble,
    path: string,
    private readonly range: RangeDouble
  ) {
    super(context, path, () => {
      const { sheet, rect } = range.resolve();
      return sheet.conditionalFormats.filter((cf) => intersects(cf.rect, rect));
    });
  }

  protected wrap(cf: ConditionalFormatState): ConditionalFormatDouble {
    return new ConditionalFormatDouble(this.context, `${this.path}.getItem(${JSON.stringify(cf.id)})`, () => cf);
  }

  add(type: string): ConditionalFormatDouble {
    let created: ConditionalFormatState | undefined;
    this.context.enqueue("conditionalFormats.add", `${this.path}.add(${JSON.stringify(type)})`, type, (record) => {
      const { sheet, rect } = this.range.resolve();
      record.address = formatAddress(sheet.name, rect);
      created = { id: this.context.state.nextId("cf"), sheetId: sheet.id, rect, type };
      sheet.conditionalFormats.push(created);
    });
    return new ConditionalFormatDouble(this.context, `${this.path}.add(${JSON.stringify(type)})`, () => created);
  }

  clearAll(): void {
    this.context.enqueue("conditionalFormats.clearAll", this.path, undefined, () => {
      const { sheet, rect } = this.range.resolve();
      sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => !intersects(cf.rect, rect));
    });
  }
}

type RuleInput = { formula?: string; formula1?: string; formula2?: string; operator?: string };

export class ConditionalFormatDouble extends ClientObjectDouble<ConditionalFormatState> {
  protected readonly entity = "ConditionalFormat";
  protected readonly scalarProperties = ["id", "type"];

  get id(): string {
    return this.get("id");
  }
  get type(): string {
    return this.get("type");
  }

  protected read(name: string, cf: ConditionalFormatState): unknown {
    if (name === "id") return cf.id;
    if (name === "type") return cf.type;
    return this.unknownProperty(name);
  }

  private edit(kind: string, payload: unknown, change: (cf: ConditionalFormatState) => void): void {
    this.command(`conditionalFormat.${kind}`, payload, change);
  }

  private formatOf(): { fill: { color: string }; font: { italic: boolean; bold: boolean; color: string } } {
    const edit = this.edit.bind(this);
    return {
      fill: {
        set color(value: string) {
          edit("fill.color", value, (cf) => {
            cf.fillColor = value;
          });
        },
        get color(): string {
          throw propertyNotLoaded("color", "ConditionalRangeFill");
        },
      },
      font: {
        set italic(value: boolean) {
          edit("font.italic", value, (cf) => {
            cf.fontItalic = value;
          });
        },
        get italic(): boolean {
          throw propertyNotLoaded("italic", "ConditionalRangeFont");
        },
        set bold(value: boolean) {
          edit("font.bold", value, (cf) => {
            cf.fontBold = value;
          });
        },
        get bold(): boolean {
          throw propertyNotLoaded("bold", "ConditionalRangeFont");
        },
        set color(value: string) {
          edit("font.color", value, (cf) => {
            cf.fontColor = value;
          });
        },
        get color(): string {
          throw propertyNotLoaded("color", "ConditionalRangeFont");
        },
      },
    };
  }

  /** `cf.custom.rule.formula` and `cf.custom.format.fill/font`. */
  get custom(): { rule: { formula: string }; format: ReturnType<ConditionalFormatDouble["formatOf"]> } {
    const edit = this.edit.bind(this);
    return {
      rule: {
        set formula(value: string) {
          edit("custom.rule.formula", value, (cf) => {
            cf.formula = value;
          });
        },
        get formula(): string {
          throw propertyNotLoaded("formula", "ConditionalFormatRule");
        },
      },
      format: this.formatOf(),
    };
  }

  /** `cf.cellValue.rule = { formula1, formula2?, operator }` and `cf.cellValue.format`. */
  get cellValue(): { rule: RuleInput; format: ReturnType<ConditionalFormatDouble["formatOf"]> } {
    const edit = this.edit.bind(this);
    return {
      set rule(value: RuleInput) {
        edit("cellValue.rule", value, (cf) => {
          if (value.formula1 !== undefined) cf.formula = value.formula1;
          if (value.formula2 !== undefined) cf.formula2 = value.formula2;
          if (value.operator !== undefined) cf.operator = value.operator;
        });
      },
      get rule(): RuleInput {
        throw propertyNotLoaded("rule", "CellValueConditionalFormat");
      },
      format: this.formatOf(),
    };
  }

  getRange(): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getRange()`, () => {
      const cf = this.resolve();
      return { sheet: this.context.state.requireSheet(cf.sheetId), rect: cf.rect };
    });
  }

  delete(): void {
    this.command("conditionalFormat.delete", undefined, (cf) => {
      const sheet = this.context.state.requireSheet(cf.sheetId);
      sheet.conditionalFormats = sheet.conditionalFormats.filter((other) => other !== cf);
    });
  }
}

// ------------------------------------------------------------------ tables

function tableBody(table: TableState): Rect {
  return { row: table.rect.row + 1, col: table.rect.col, rows: table.rect.rows - 1, cols: table.rect.cols };
}

export class TableCollectionDouble extends CollectionDouble<TableState, TableDouble> {
  protected readonly entity = "TableCollection";
  protected override readonly collectionProperties = ["count"];

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => TableState[] | undefined,
    private readonly sheet: WorksheetDouble | undefined
  ) {
    super(context, path, locate);
  }

  get count(): number {
    return this.get("count");
  }

  protected wrap(table: TableState): TableDouble {
    return new TableDouble(this.context, `tables.getItem(${JSON.stringify(table.name)})`, () => table);
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

  private find(key: string): TableState | undefined {
    const found = this.context.state.tableByName(key) ?? this.context.state.tableById(key);
    if (!found) return undefined;
    return this.sheet && found.sheetId !== this.sheet.resolve().id ? undefined : found;
  }

  getItem(key: string): TableDouble {
    return new TableDouble(this.context, `${this.path}.getItem(${JSON.stringify(key)})`, () => this.find(key));
  }

  getItemOrNullObject(key: string): TableDouble {
    return new TableDouble(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(key)})`,
      () => this.find(key),
      true
    );
  }

  getItemAt(index: number): TableDouble {
    return new TableDouble(this.context, `${this.path}.getItemAt(${index})`, () => this.resolve()[index]);
  }

  getFirst(): TableDouble {
    return new TableDouble(this.context, `${this.path}.getFirst()`, () => this.resolve()[0]);
  }

  getFirstOrNullObject(): TableDouble {
    return new TableDouble(this.context, `${this.path}.getFirstOrNullObject()`, () => this.resolve()[0], true);
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
        new WorksheetDouble(this.context, `${this.path}.worksheet`, () =>
          this.context.state.requireSheet(this.resolve().sheetId)
        )
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
    return new TableRowDouble(this.context, `${this.path}.getItemAt(${index})`, () => ({
      table: this.table.resolve(),
      index,
    }));
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

interface ColumnTarget {
  table: TableState;
  index: number;
}

export class TableColumnCollectionDouble extends CollectionDouble<ColumnTarget, TableColumnDouble> {
  protected readonly entity = "TableColumnCollection";
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

  protected wrap(column: ColumnTarget): TableColumnDouble {
    return new TableColumnDouble(this.context, `${this.path}.getItemAt(${column.index})`, () => column);
  }

  private find(key: string | number): ColumnTarget | undefined {
    const table = this.table.resolve();
    const headers = this.context.state.tableHeaders(table);
    const index =
      typeof key === "number"
        ? key - 1
        : headers.findIndex((h) => h.toLowerCase() === key.toLowerCase()) >= 0
          ? headers.findIndex((h) => h.toLowerCase() === key.toLowerCase())
          : /^\d+$/.test(key)
            ? Number(key) - 1
            : -1;
    return index >= 0 && index < headers.length ? { table, index } : undefined;
  }

  /** By name (or by id, which is the 1-based position in the double). */
  getItem(key: string | number): TableColumnDouble {
    return new TableColumnDouble(this.context, `${this.path}.getItem(${JSON.stringify(key)})`, () => this.find(key));
  }

  getItemOrNullObject(key: string | number): TableColumnDouble {
    return new TableColumnDouble(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(key)})`,
      () => this.find(key),
      true
    );
  }

  getItemAt(index: number): TableColumnDouble {
    return new TableColumnDouble(this.context, `${this.path}.getItemAt(${index})`, () => {
      const table = this.table.resolve();
      return index >= 0 && index < table.rect.cols ? { table, index } : undefined;
    });
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

// ------------------------------------------------------------------ custom XML parts

export class CustomXmlPartCollectionDouble extends CollectionDouble<CustomXmlPartState, CustomXmlPartDouble> {
  protected readonly entity = "CustomXmlPartCollection";

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => CustomXmlPartState[] | undefined,
    private readonly namespaceUri: string | undefined
  ) {
    super(context, path, locate);
  }

  protected wrap(part: CustomXmlPartState): CustomXmlPartDouble {
    return new CustomXmlPartDouble(this.context, `customXmlParts.getItem(${JSON.stringify(part.id)})`, () => part);
  }

  add(xml: string): CustomXmlPartDouble {
    if (this.namespaceUri !== undefined)
      throw officeError("InvalidOperation", "Parts are added to workbook.customXmlParts.");
    let created: CustomXmlPartState | undefined;
    this.context.enqueue("customXmlParts.add", "customXmlParts.add()", xml, () => {
      created = this.context.state.addCustomXmlPart(xml);
    });
    return new CustomXmlPartDouble(this.context, "customXmlParts.add()", () => created);
  }

  getByNamespace(namespaceUri: string): CustomXmlPartCollectionDouble {
    return new CustomXmlPartCollectionDouble(
      this.context,
      `customXmlParts.getByNamespace(${JSON.stringify(namespaceUri)})`,
      () => this.context.state.customXmlParts.filter((p) => p.namespaceUri === namespaceUri),
      namespaceUri
    );
  }

  private find(id: string): CustomXmlPartState | undefined {
    return this.resolve().find((p) => p.id === id);
  }

  getItem(id: string): CustomXmlPartDouble {
    return new CustomXmlPartDouble(this.context, `${this.path}.getItem(${JSON.stringify(id)})`, () => this.find(id));
  }

  getItemOrNullObject(id: string): CustomXmlPartDouble {
    return new CustomXmlPartDouble(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(id)})`,
      () => this.find(id),
      true
    );
  }

  /** Scoped collections: the only part, or an error when there are none or several (InvalidOperation). */
  getOnlyItem(): CustomXmlPartDouble {
    return new CustomXmlPartDouble(this.context, `${this.path}.getOnlyItem()`, () => {
      const parts = this.resolve();
      if (parts.length !== 1)
        throw officeError("InvalidOperation", `Expected exactly one custom XML part, found ${parts.length}.`);
      return parts[0];
    });
  }

  getOnlyItemOrNullObject(): CustomXmlPartDouble {
    return new CustomXmlPartDouble(
      this.context,
      `${this.path}.getOnlyItemOrNullObject()`,
      () => {
        const parts = this.resolve();
        if (parts.length > 1)
          throw officeError("InvalidOperation", `Expected at most one custom XML part, found ${parts.length}.`);
        return parts[0];
      },
      true
    );
  }
}

export class CustomXmlPartDouble extends ClientObjectDouble<CustomXmlPartState> {
  protected readonly entity = "CustomXmlPart";
  protected readonly scalarProperties = ["id", "namespaceUri"];

  get id(): string {
    return this.get("id");
  }
  get namespaceUri(): string {
    return this.get("namespaceUri");
  }

  protected read(name: string, part: CustomXmlPartState): unknown {
    if (name === "id") return part.id;
    if (name === "namespaceUri") return part.namespaceUri;
    return this.unknownProperty(name);
  }

  getXml(): ClientResultDouble<string> {
    return this.result("customXmlPart.getXml", (part) => part.xml);
  }

  setXml(xml: string): void {
    this.command("customXmlPart.setXml", xml, (part) => this.context.state.setCustomXml(part, xml));
  }

  delete(): void {
    this.command("customXmlPart.delete", undefined, (part) => {
      this.context.state.customXmlParts = this.context.state.customXmlParts.filter((p) => p !== part);
    });
  }
}

// ------------------------------------------------------------------ PivotTables (minimal; extend as needed)

export class PivotTableCollectionDouble extends CollectionDouble<PivotTableState, PivotTableDouble> {
  protected readonly entity = "PivotTableCollection";

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => PivotTableState[] | undefined,
    private readonly sheet: WorksheetDouble | undefined
  ) {
    super(context, path, locate);
  }

  protected wrap(pivot: PivotTableState): PivotTableDouble {
    return new PivotTableDouble(this.context, `pivotTables.getItem(${JSON.stringify(pivot.name)})`, () => pivot);
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
        created = {
          id: state.nextId("pivot"),
          name,
          sheetId: destinationTarget.sheet.id,
          destination: destinationTarget.rect,
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

  private find(name: string): PivotTableState | undefined {
    return this.resolve().find((p) => p.name.toLowerCase() === name.toLowerCase());
  }

  getItem(name: string): PivotTableDouble {
    return new PivotTableDouble(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => this.find(name));
  }

  getItemOrNullObject(name: string): PivotTableDouble {
    return new PivotTableDouble(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(name)})`,
      () => this.find(name),
      true
    );
  }

  refreshAll(): void {
    this.context.enqueue("pivotTables.refreshAll", this.path, undefined, () => {
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

export class PivotItemCollectionDouble extends CollectionDouble<string, PivotItemDouble> {
  protected readonly entity = "PivotItemCollection";

  protected wrap(name: string): PivotItemDouble {
    return new PivotItemDouble(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => name);
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
      pivot.refreshCount += 1;
    });
  }

  delete(): void {
    this.command("pivotTable.delete", undefined, (pivot) => {
      this.context.state.pivotTables = this.context.state.pivotTables.filter((p) => p !== pivot);
    });
  }

  getDataSourceType(): ClientResultDouble<string> {
    return this.result("pivotTable.getDataSourceType", (pivot) =>
      pivot.source.kind === "table" ? "LocalTable" : "LocalRange"
    );
  }

  getDataSourceString(): ClientResultDouble<string> {
    return this.result("pivotTable.getDataSourceString", (pivot) => {
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
    return {
      set showColumnGrandTotals(value: boolean) {
        command("pivotLayout.showColumnGrandTotals", value, (pivot) => {
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

// ------------------------------------------------------------------ defined names (workbook.names)

export class NamedItemCollectionDouble extends CollectionDouble<NamedItemState, NamedItemDouble> {
  protected readonly entity = "NamedItemCollection";

  protected wrap(item: NamedItemState): NamedItemDouble {
    return new NamedItemDouble(this.context, `${this.path}.getItem(${JSON.stringify(item.name)})`, () => item);
  }

  /** `names.add(name, reference, comment)`: a reference that is a Range (or a sheet-qualified address). */
  add(name: string, reference: RangeDouble | string, comment = ""): NamedItemDouble {
    let created: NamedItemState | undefined;
    const label = typeof reference === "string" ? reference : reference.path;
    this.context.enqueue(
      "names.add",
      `${this.path}.add(${JSON.stringify(name)})`,
      { name, reference: label, comment },
      (record) => {
        const state = this.context.state;
        if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}[0-9]+$/.test(name) || /^[rRcC]$/.test(name)) {
          throw invalidArgument(
            `"${name}" is not a valid name (letters, digits, underscores and periods; not a cell reference).`
          );
        }
        if (state.names.some((n) => n.name.toLowerCase() === name.toLowerCase()) || state.tableByName(name)) {
          throw officeError("ItemAlreadyExists", `The name "${name}" already exists.`);
        }
        let target: RangeTarget;
        if (typeof reference === "string") {
          const parsed = parseA1(reference.replace(/^=/, ""));
          const sheet = parsed.sheet !== undefined ? state.sheetByName(parsed.sheet) : undefined;
          if (!sheet) throw invalidArgument(`The reference ${reference} needs a worksheet name.`);
          target = { sheet, rect: parsed.rect };
        } else {
          target = reference.resolve();
        }
        record.address = formatAddress(target.sheet.name, target.rect);
        created = { name, sheetId: target.sheet.id, rect: target.rect, comment };
        state.names.push(created);
      }
    );
    return new NamedItemDouble(this.context, `${this.path}.add(${JSON.stringify(name)})`, () => created);
  }

  private find(name: string): NamedItemState | undefined {
    return this.resolve().find((n) => n.name.toLowerCase() === name.toLowerCase());
  }

  getItem(name: string): NamedItemDouble {
    return new NamedItemDouble(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => this.find(name));
  }

  getItemOrNullObject(name: string): NamedItemDouble {
    return new NamedItemDouble(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(name)})`,
      () => this.find(name),
      true
    );
  }
}

export class NamedItemDouble extends ClientObjectDouble<NamedItemState> {
  protected readonly entity = "NamedItem";
  protected readonly scalarProperties = ["name", "formula", "comment"];

  get name(): string {
    return this.get("name");
  }
  get formula(): string {
    return this.get("formula");
  }

  protected read(name: string, item: NamedItemState): unknown {
    if (name === "name") return item.name;
    if (name === "comment") return item.comment;
    if (name === "formula") {
      const sheet = this.context.state.sheetById(item.sheetId);
      return sheet ? `=${formatAddress(sheet.name, item.rect)}` : "=#REF!";
    }
    return this.unknownProperty(name);
  }

  getRange(): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getRange()`, () => {
      const item = this.resolve();
      return { sheet: this.context.state.requireSheet(item.sheetId), rect: item.rect };
    });
  }

  delete(): void {
    this.command("names.delete", undefined, (item) => {
      this.context.state.names = this.context.state.names.filter((n) => n !== item);
    });
  }
}
