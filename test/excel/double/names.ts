/**
 * `workbook.names`: workbook-scoped defined names that refer to a range or hold a formula (Excel's rules for names
 * apply; tables and defined names share one namespace). `NamedItem.value` computes a named formula.
 */
import { formatAddress, parseA1 } from "./address";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import { invalidArgument, officeError } from "./errors";
import { RangeDouble, type RangeTarget } from "./ranges";
import { sameName, validateDefinedName } from "./state/rules";
import type { NamedItemState } from "./state/workbook-state";

export class NamedItemCollectionDouble extends NamedCollectionDouble<NamedItemState, NamedItemDouble> {
  protected readonly entity = "NamedItemCollection";
  protected readonly itemClass = NamedItemDouble;

  /** A defined name is reached by its name (without case). */
  protected matches(item: NamedItemState, name: string): boolean {
    return sameName(item.name, name);
  }

  protected keyOf(item: NamedItemState): string {
    return item.name;
  }

  /**
   * `names.add(name, reference, comment)` (ExcelApi 1.4): a reference that is a Range, a sheet-qualified address,
   * or a formula (`"=DATE(2000,1,1)"`).
   */
  add(name: string, reference: RangeDouble | string, comment = ""): NamedItemDouble {
    let created: NamedItemState | undefined;
    const label = typeof reference === "string" ? reference : reference.path;
    this.context.enqueue(
      "names.add",
      `${this.path}.add(${JSON.stringify(name)})`,
      { name, reference: label, comment },
      (record) => {
        this.context.requires("NamedItemCollection.add");
        const state = this.context.state;
        validateDefinedName(name);
        if (state.names.some((n) => sameName(n.name, name)) || state.tableByName(name)) {
          throw officeError("ItemAlreadyExists", `The name "${name}" already exists.`);
        }
        if (typeof reference === "string" && isFormula(reference)) {
          created = { name, sheetId: "", rect: { row: 0, col: 0, rows: 1, cols: 1 }, formula: reference, comment };
          state.names.push(created);
          return;
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
}

/** A reference that is not a plain (optionally sheet-qualified) address: a formula such as `=DATE(2000,1,1)`. */
function isFormula(reference: string): boolean {
  return reference.startsWith("=") && /[()"+*/&,<>^-]/.test(reference);
}

export class NamedItemDouble extends ClientObjectDouble<NamedItemState> {
  protected readonly entity = "NamedItem";
  protected readonly scalarProperties = ["name", "formula", "comment", "value", "type"];

  get name(): string {
    return this.get("name");
  }
  get formula(): string {
    return this.get("formula");
  }
  get value(): unknown {
    return this.get("value");
  }
  get type(): string {
    return this.get("type");
  }

  private address(item: NamedItemState): string {
    const sheet = this.context.state.sheetById(item.sheetId);
    return sheet ? `=${formatAddress(sheet.name, item.rect)}` : "=#REF!";
  }

  protected read(name: string, item: NamedItemState): unknown {
    if (name === "name") return item.name;
    if (name === "comment") return item.comment;
    if (name === "formula") return item.formula ?? this.address(item);
    if (name === "value") return this.context.state.namedValue(item, () => this.address(item).slice(1));
    if (name === "type") {
      if (item.formula === undefined) return "Range";
      const value = this.context.state.namedValue(item, () => "");
      return typeof value === "number" ? "Double" : typeof value === "boolean" ? "Boolean" : "String";
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
      this.context.requires("NamedItem.delete");
      this.context.state.names = this.context.state.names.filter((n) => n !== item);
    });
  }
}
