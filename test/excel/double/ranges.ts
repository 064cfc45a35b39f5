/** A range: its cells' values, formulas and number formats, the ranges derived from it, and its edits. */
import { assertInGrid, formatAddress, intersects, parseA1, type Rect } from "./address";
import { ClientObjectDouble } from "./client-object";
import { ConditionalFormatCollectionDouble } from "./conditional-formats";
import { invalidArgument, officeError } from "./errors";
import { RangeFormatDouble } from "./range-formats";
import type { CellValue, SheetState } from "./state/cells";
import { TableCollectionDouble } from "./tables";
import { WorksheetDouble } from "./worksheets";

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
        return state.readGrid(sheet, rect, (r, c) => state.displayText(sheet, r, c));
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

  private derive(label: string, compute: (rect: Rect) => Rect, member?: string): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.${label}`, () => {
      if (member) this.context.requires(member);
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
    return this.derive(
      `getResizedRange(${deltaRows},${deltaColumns})`,
      (rect) => within(rect, 0, 0, rect.rows + deltaRows, rect.cols + deltaColumns),
      "Range.getResizedRange"
    );
  }

  /** The `count` rows right below the range (ExcelApi 1.2). */
  getRowsBelow(count = 1): RangeDouble {
    return this.derive(
      `getRowsBelow(${count})`,
      (rect) => within(rect, rect.rows, 0, count, rect.cols),
      "Range.getRowsBelow"
    );
  }

  getOffsetRange(rowOffset: number, columnOffset: number): RangeDouble {
    return this.derive(`getOffsetRange(${rowOffset},${columnOffset})`, (rect) =>
      within(rect, rowOffset, columnOffset, rect.rows, rect.cols)
    );
  }

  getAbsoluteResizedRange(rows: number, columns: number): RangeDouble {
    return this.derive(
      `getAbsoluteResizedRange(${rows},${columns})`,
      (rect) => within(rect, 0, 0, rows, columns),
      "Range.getAbsoluteResizedRange"
    );
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

  /** `Range.copyFrom(source, copyType)` (ExcelApi 1.9): see WorkbookState.copyRange. */
  copyFrom(source: RangeDouble | string, copyType: string = "All"): void {
    const label = typeof source === "string" ? source : source.path;
    this.command("copyFrom", { source: label, copyType }, (target, record) => {
      this.context.requires("Range.copyFrom");
      if (copyType !== "Values" && copyType !== "Formats" && copyType !== "All") {
        throw officeError("NotImplemented", `The Excel double copies Values, Formats or All, not ${copyType}.`);
      }
      const state = this.context.state;
      let from: RangeTarget;
      if (typeof source === "string") {
        const parsed = parseA1(source);
        const sheet = parsed.sheet !== undefined ? state.sheetByName(parsed.sheet) : target.sheet;
        if (!sheet) throw officeError("ItemNotFound", `The worksheet of ${source} doesn't exist.`);
        from = { sheet, rect: parsed.rect };
      } else {
        from = source.resolve();
      }
      const written = state.copyRange(from, target, copyType);
      record.address = formatAddress(target.sheet.name, written);
    });
  }

  /** `Range.merge(across)` (ExcelApi 1.2): one merged area (or one per row, across). */
  merge(across = false): void {
    this.command("merge", across, (target) => {
      this.context.requires("Range.merge");
      const { sheet, rect } = target;
      const areas = across
        ? Array.from({ length: rect.rows }, (_, r) => ({ ...rect, row: rect.row + r, rows: 1 }))
        : [rect];
      sheet.merges = [...sheet.merges.filter((m) => !intersects(m, rect)), ...areas];
    });
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
        this.context.requires("Range.getTables");
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
