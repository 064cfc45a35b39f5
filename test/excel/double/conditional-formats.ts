/** `range.conditionalFormats`: custom and cell-value rules with their fill and font. */
import { formatAddress, intersects } from "./address";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { propertyNotLoaded } from "./errors";
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
