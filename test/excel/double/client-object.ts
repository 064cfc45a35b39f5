/**
 * The base of every client object of the double, as in Office.js: a proxy that queues commands and reads
 * nothing until `load` + `sync` (PropertyNotLoaded otherwise; a property the code itself set is readable);
 * collections, whose `items` are loaded the same way; and named collections, whose `getItem` /
 * `getItemOrNullObject` (and their paths in the sync records) are written once here for every family.
 */
import type { OperationRecord, RequestContextDouble } from "./context";
import { invalidArgument, officeError, propertyNotLoaded, valueNotLoaded } from "./errors";

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
    protected readonly locate: () => T | undefined,
    private readonly orNull = false
  ) {
    // A null-object proxy made while a sync applies (an item's navigation property being loaded) learns its
    // null-ness from that load; one made by the code learns it at the next sync.
    if (orNull && !context.applying) {
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

  /**
   * Applies a load at sync time (also used by collections for their items). Loading an object that does not
   * exist fails with ItemNotFound, as in Excel ("if you attempt to get an Excel worksheet by specifying a
   * worksheet name that isn't in the workbook, the getItem() method throws an ItemNotFound exception":
   * https://learn.microsoft.com/office/dev/add-ins/develop/application-specific-api-model#ornullobject-methods-and-properties);
   * a null object's properties load as null.
   */
  loadNow(names: readonly string[]): void {
    const target = this.orNull ? this.tryResolve() : this.resolve();
    if (this.orNull) this.nullKnown = target === null;
    for (const name of names) {
      const [head = "", ...rest] = name.split("/");
      const child = this.navigate(head);
      if (child) {
        child.loadNow(rest.length > 0 ? [rest.join("/")] : child.defaultNames());
        continue;
      }
      if (rest.length > 0)
        throw invalidArgument(`The property '${head}' is not a navigation property of ${this.entity}.`);
      const value = target === null ? null : this.read(name, target);
      this.loaded.set(name, value);
      this.context.chargeResponse(value);
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
    this.context.enqueue(kind, this.path, undefined, () => {
      const value = compute(this.resolve());
      this.context.chargeResponse(value);
      result.settle(value);
    });
    return result;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loaded);
  }
}

/**
 * A collection: `items` after `load`, item properties loaded with "items/name" or just "name". Its members
 * are looked up again at every use, as Excel evaluates a collection at each request: items added or deleted
 * by an earlier sync are seen by the next one.
 */
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

  protected override tryResolve(): TItem[] | null {
    return this.locate() ?? null;
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

/** The constructor every client object has: context, path, how to find its workbook object, null-object or not. */
export type ClientObjectClass<TItem, TProxy> = new (
  context: RequestContextDouble,
  path: string,
  locate: () => TItem | undefined,
  orNull?: boolean
) => TProxy;

/**
 * A collection whose items are reached by a key (a name, an id): `getItem` throws ItemNotFound at sync for a
 * key that names nothing, `getItemOrNullObject` gives a null object instead.
 */
export abstract class NamedCollectionDouble<
  TItem,
  TProxy extends ClientObjectDouble<TItem>,
  TKey extends string | number = string,
> extends CollectionDouble<TItem, TProxy> {
  protected abstract readonly itemClass: ClientObjectClass<TItem, TProxy>;

  /** Does `key` name this item, by Excel's rule for this collection? */
  protected abstract matches(item: TItem, key: TKey): boolean;

  /** The key that reaches an item, for the path of its proxy in the sync records. */
  protected abstract keyOf(item: TItem): TKey;

  /** The member a key names now, or undefined. */
  protected find(key: TKey): TItem | undefined {
    return this.resolve().find((item) => this.matches(item, key));
  }

  protected proxy(label: string, locate: () => TItem | undefined, orNull = false): TProxy {
    return new this.itemClass(this.context, `${this.path}.${label}`, locate, orNull);
  }

  protected wrap(item: TItem): TProxy {
    return this.proxy(`getItem(${JSON.stringify(this.keyOf(item))})`, () => item);
  }

  getItem(key: TKey): TProxy {
    return this.proxy(`getItem(${JSON.stringify(key)})`, () => this.find(key));
  }

  /** ExcelApi 1.4 for the collections that have it (requirements.ts). */
  getItemOrNullObject(key: TKey): TProxy {
    return this.proxy(
      `getItemOrNullObject(${JSON.stringify(key)})`,
      () => {
        this.context.requires(`${this.entity}.getItemOrNullObject`);
        return this.find(key);
      },
      true
    );
  }

  /** The member at a position (for the collections that have `getItemAt` / `getFirst`). */
  protected itemAt(index: number, label: string, orNull = false): TProxy {
    return this.proxy(label, () => this.resolve()[index], orNull);
  }
}
