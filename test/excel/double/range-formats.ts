/** `range.format`: font, fill, alignment and column width, kept as style runs over the cells. */
import { formatAddress } from "./address";
import { ClientObjectDouble } from "./client-object";
import type { RangeTarget } from "./ranges";
import type { StyleKey, StyleState } from "./state/cells";

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
    this.command("format.autofitColumns", undefined, () => this.context.requires("RangeFormat.autofitColumns"));
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
