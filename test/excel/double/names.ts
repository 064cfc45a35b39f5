/** `workbook.names`: workbook-scoped defined names that refer to a range (Excel's rules for names apply). */
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
        validateDefinedName(name);
        if (state.names.some((n) => sameName(n.name, name)) || state.tableByName(name)) {
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
