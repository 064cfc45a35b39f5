/**
 * `range.conditionalFormats` (ExcelApi 1.6): custom and cell-value rules with their fill and font, readable as
 * Office.js reads them (`load("items/type,items/customOrNullObject/rule/formula")`), deletable one by one
 * (`getItem(id).delete()`) or all at once (`clearAll()`, which removes every rule that touches the range, the
 * user's too). A rule keeps its id while the cells it covers move (state/shift.ts).
 *
 * `custom` is the custom rule of a conditional format of type "Custom"; `customOrNullObject` is a null object
 * for any other type (https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat).
 */
import { formatAddress, intersects } from "./address";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { RangeDouble } from "./ranges";
import type { ConditionalFormatState } from "./state/cells";

export class ConditionalFormatCollectionDouble extends NamedCollectionDouble<
  ConditionalFormatState,
  ConditionalFormatDouble
> {
  protected readonly entity = "ConditionalFormatCollection";
  protected readonly itemClass = ConditionalFormatDouble;

  constructor(
    context: RequestContextDouble,
    path: string,
    private readonly range: RangeDouble
  ) {
    super(context, path, () => {
      context.requires("Range.conditionalFormats");
      const { sheet, rect } = range.resolve();
      return sheet.conditionalFormats.filter((cf) => intersects(cf.rect, rect));
    });
  }

  /** A conditional format is reached by its id. */
  protected matches(cf: ConditionalFormatState, id: string): boolean {
    return cf.id === id;
  }

  protected keyOf(cf: ConditionalFormatState): string {
    return cf.id;
  }

  getItemAt(index: number): ConditionalFormatDouble {
    return this.itemAt(index, `getItemAt(${index})`);
  }

  add(type: string): ConditionalFormatDouble {
    let created: ConditionalFormatState | undefined;
    this.context.enqueue("conditionalFormats.add", `${this.path}.add(${JSON.stringify(type)})`, type, (record) => {
      this.context.requires("Range.conditionalFormats");
      const { sheet, rect } = this.range.resolve();
      record.address = formatAddress(sheet.name, rect);
      created = { id: this.context.state.nextId("cf"), sheetId: sheet.id, rect, type };
      sheet.conditionalFormats.push(created);
    });
    return new ConditionalFormatDouble(this.context, `${this.path}.add(${JSON.stringify(type)})`, () => created);
  }

  /** Removes every conditional format that touches the range, whoever made it. */
  clearAll(): void {
    this.context.enqueue("conditionalFormats.clearAll", this.path, undefined, () => {
      this.context.requires("Range.conditionalFormats");
      const { sheet, rect } = this.range.resolve();
      sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => !intersects(cf.rect, rect));
    });
  }
}

/** A part of a conditional format: its state is the conditional format's own. */
abstract class ConditionalPartDouble extends ClientObjectDouble<ConditionalFormatState> {
  protected edit(name: string, value: unknown, change: (cf: ConditionalFormatState) => void): void {
    this.setProperty(
      name,
      value,
      (cf) => change(cf),
      `conditionalFormat.${this.path.split(".").slice(-2).join(".")}.${name}`
    );
  }
}

class ConditionalFillDouble extends ConditionalPartDouble {
  protected readonly entity = "ConditionalRangeFill";
  protected readonly scalarProperties = ["color"];
  get color(): string {
    return this.get("color");
  }
  set color(value: string) {
    this.edit("color", value, (cf) => {
      cf.fillColor = value;
    });
  }
  protected read(name: string, cf: ConditionalFormatState): unknown {
    if (name === "color") return cf.fillColor ?? null;
    return this.unknownProperty(name);
  }
}

class ConditionalFontDouble extends ConditionalPartDouble {
  protected readonly entity = "ConditionalRangeFont";
  protected readonly scalarProperties = ["color", "italic", "bold"];
  get color(): string {
    return this.get("color");
  }
  set color(value: string) {
    this.edit("color", value, (cf) => {
      cf.fontColor = value;
    });
  }
  get italic(): boolean {
    return this.get("italic");
  }
  set italic(value: boolean) {
    this.edit("italic", value, (cf) => {
      cf.fontItalic = value;
    });
  }
  get bold(): boolean {
    return this.get("bold");
  }
  set bold(value: boolean) {
    this.edit("bold", value, (cf) => {
      cf.fontBold = value;
    });
  }
  protected read(name: string, cf: ConditionalFormatState): unknown {
    if (name === "color") return cf.fontColor ?? null;
    if (name === "italic") return cf.fontItalic ?? null;
    if (name === "bold") return cf.fontBold ?? null;
    return this.unknownProperty(name);
  }
}

class ConditionalRangeFormatDouble extends ConditionalPartDouble {
  protected readonly entity = "ConditionalRangeFormat";
  protected readonly scalarProperties: string[] = [];
  get fill(): ConditionalFillDouble {
    return this.cached("fill", () => new ConditionalFillDouble(this.context, `${this.path}.fill`, this.locate));
  }
  get font(): ConditionalFontDouble {
    return this.cached("font", () => new ConditionalFontDouble(this.context, `${this.path}.font`, this.locate));
  }
  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    if (name === "fill") return this.fill as ClientObjectDouble<unknown>;
    if (name === "font") return this.font as ClientObjectDouble<unknown>;
    return undefined;
  }
  protected read(name: string): unknown {
    return this.unknownProperty(name);
  }
}

class ConditionalRuleDouble extends ConditionalPartDouble {
  protected readonly entity = "ConditionalFormatRule";
  protected readonly scalarProperties = ["formula"];
  get formula(): string {
    return this.get("formula");
  }
  set formula(value: string) {
    this.edit("formula", value, (cf) => {
      cf.formula = value;
    });
  }
  protected read(name: string, cf: ConditionalFormatState): unknown {
    if (name === "formula") return cf.formula ?? "";
    return this.unknownProperty(name);
  }
}

type RuleInput = { formula?: string; formula1?: string; formula2?: string; operator?: string };

/** `cf.custom` / `cf.customOrNullObject`: the rule's formula and the format it applies. */
export class CustomConditionalFormatDouble extends ConditionalPartDouble {
  protected readonly entity = "CustomConditionalFormat";
  protected readonly scalarProperties: string[] = [];
  get rule(): ConditionalRuleDouble {
    return this.cached("rule", () => new ConditionalRuleDouble(this.context, `${this.path}.rule`, this.locate));
  }
  get format(): ConditionalRangeFormatDouble {
    return this.cached(
      "format",
      () => new ConditionalRangeFormatDouble(this.context, `${this.path}.format`, this.locate)
    );
  }
  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    if (name === "rule") return this.rule as ClientObjectDouble<unknown>;
    if (name === "format") return this.format as ClientObjectDouble<unknown>;
    return undefined;
  }
  protected read(name: string): unknown {
    return this.unknownProperty(name);
  }
}

/** `cf.cellValue`: a comparison rule (`{ formula1, formula2?, operator }`) and its format. */
class CellValueConditionalFormatDouble extends ConditionalPartDouble {
  protected readonly entity = "CellValueConditionalFormat";
  protected readonly scalarProperties: string[] = [];
  set rule(value: RuleInput) {
    this.edit("rule", value, (cf) => {
      if (value.formula1 !== undefined) cf.formula = value.formula1;
      if (value.formula2 !== undefined) cf.formula2 = value.formula2;
      if (value.operator !== undefined) cf.operator = value.operator;
    });
  }
  get rule(): RuleInput {
    return this.get("rule");
  }
  get format(): ConditionalRangeFormatDouble {
    return this.cached(
      "format",
      () => new ConditionalRangeFormatDouble(this.context, `${this.path}.format`, this.locate)
    );
  }
  protected read(name: string, cf: ConditionalFormatState): unknown {
    if (name === "rule") return { formula1: cf.formula, formula2: cf.formula2, operator: cf.operator };
    return this.unknownProperty(name);
  }
}

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

  /** `cf.custom.rule.formula` and `cf.custom.format.fill/font`. */
  get custom(): CustomConditionalFormatDouble {
    return this.cached(
      "custom",
      () => new CustomConditionalFormatDouble(this.context, `${this.path}.custom`, () => this.resolve())
    );
  }

  /** The custom rule, or a null object when this conditional format is of another type. */
  get customOrNullObject(): CustomConditionalFormatDouble {
    return this.cached(
      "customOrNullObject",
      () =>
        new CustomConditionalFormatDouble(
          this.context,
          `${this.path}.customOrNullObject`,
          () => {
            const cf = this.resolve();
            return cf.type === "Custom" ? cf : undefined;
          },
          true
        )
    );
  }

  /** `cf.cellValue.rule = { formula1, formula2?, operator }` and `cf.cellValue.format`. */
  get cellValue(): CellValueConditionalFormatDouble {
    return this.cached(
      "cellValue",
      () => new CellValueConditionalFormatDouble(this.context, `${this.path}.cellValue`, () => this.resolve())
    );
  }

  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    if (name === "custom") return this.custom as ClientObjectDouble<unknown>;
    if (name === "customOrNullObject") return this.customOrNullObject as ClientObjectDouble<unknown>;
    return undefined;
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
