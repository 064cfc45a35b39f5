/** `workbook.worksheets` and a worksheet: its ranges, tables, PivotTables, activation and deletion. */
import { assertInGrid, MAX_COLUMNS, MAX_ROWS, parseA1 } from "./address";
import { ChartCollectionDouble } from "./charts";
import { ClientObjectDouble, NamedCollectionDouble } from "./client-object";
import { invalidArgument, officeError } from "./errors";
import { PivotTableCollectionDouble } from "./pivot-tables";
import { RangeDouble } from "./ranges";
import type { SheetState } from "./state/cells";
import { sameName } from "./state/rules";
import { TableCollectionDouble } from "./tables";

export class WorksheetCollectionDouble extends NamedCollectionDouble<SheetState, WorksheetDouble> {
  protected readonly entity = "WorksheetCollection";
  protected readonly itemClass = WorksheetDouble;

  /** A sheet is reached by its name (without case) or its id. */
  protected matches(sheet: SheetState, key: string): boolean {
    return sameName(sheet.name, key) || sheet.id === key;
  }

  protected keyOf(sheet: SheetState): string {
    return sheet.name;
  }

  add(name?: string): WorksheetDouble {
    let created: SheetState | undefined;
    this.context.enqueue("worksheets.add", `worksheets.add(${JSON.stringify(name ?? "")})`, name ?? "", () => {
      created = this.context.state.addSheet(name ?? this.context.state.defaultSheetName());
    });
    return new WorksheetDouble(this.context, `worksheets.add(${JSON.stringify(name ?? "")})`, () => created);
  }

  getActiveWorksheet(): WorksheetDouble {
    return this.proxy("getActiveWorksheet()", () => this.context.state.sheetById(this.context.state.activeSheetId));
  }

  getFirst(): WorksheetDouble {
    return this.itemAt(0, "getFirst()");
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
  /** ExcelApi 1.1 to read, 1.2 to set. A workbook keeps at least one visible sheet. */
  set visibility(value: string) {
    this.setProperty("visibility", value, (sheet) => {
      this.context.requires("Worksheet.visibility=set");
      if (value !== "Visible" && value !== "Hidden" && value !== "VeryHidden") {
        throw invalidArgument(`Unknown sheet visibility ${value}.`);
      }
      const visible = this.context.state.sheets.filter((s) => s.visibility === "Visible" && s !== sheet);
      if (value !== "Visible" && visible.length === 0) {
        throw officeError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
      }
      sheet.visibility = value;
    });
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
        return sheet.visibility;
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
            this.context.requires("Worksheet.pivotTables");
            const sheet = this.resolve();
            return this.context.state.pivotTables.filter((p) => p.sheetId === sheet.id);
          },
          this
        )
    );
  }

  get charts(): ChartCollectionDouble {
    return this.cached("charts", () => new ChartCollectionDouble(this.context, `${this.path}.charts`, this));
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
        return { sheet, rect: { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLUMNS } };
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
        this.context.requires("Worksheet.getRangeByIndexes");
        const rect = { row: startRow, col: startColumn, rows: rowCount, cols: columnCount };
        assertInGrid(rect);
        return { sheet: this.resolve(), rect };
      }
    );
  }

  /** ExcelApi 1.1 (unlike getRangeByIndexes, 1.7). */
  getCell(row: number, column: number): RangeDouble {
    return new RangeDouble(this.context, `${this.path}.getCell(${row},${column})`, () => {
      const rect = { row, col: column, rows: 1, cols: 1 };
      assertInGrid(rect);
      return { sheet: this.resolve(), rect };
    });
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
        this.context.requires("Worksheet.getUsedRangeOrNullObject");
        const sheet = this.resolve();
        const rect = this.context.state.usedRect(sheet);
        return rect ? { sheet, rect } : undefined;
      },
      true
    );
  }
}
