/** Direct, non-strict reads and set-ups of the double's workbook for assertions (no syncs, nothing recorded). */
import { formatAddress, parseA1, type Rect } from "./address";
import type { CellValue, SheetState } from "./state/cells";
import type { TableState } from "./state/tables";
import type { WorkbookState } from "./state/workbook-state";

export interface TableSnapshot {
  name: string;
  sheet: string;
  /** Header row plus data body, e.g. `Billing!A10:N510`. */
  address: string;
  headers: string[];
  dataRowCount: number;
  style: string;
  showBandedRows: boolean;
  /** The data body's values. */
  rows: CellValue[][];
  /** Column name → formula, for calculated columns. */
  calculatedColumns: Record<string, string>;
}

export interface ConditionalFormatSnapshot {
  id?: string;
  address: string;
  type: string;
  formula?: string;
  operator?: string;
  fillColor?: string;
  fontItalic?: boolean;
  fontBold?: boolean;
  fontColor?: string;
}

export interface ExcelInspector {
  sheetNames(): string[];
  activeSheet(): string;
  values(sheet: string, address: string): CellValue[][];
  formulas(sheet: string, address: string): CellValue[][];
  numberFormats(sheet: string, address: string): string[][];
  style(
    sheet: string,
    address: string
  ): { bold: boolean; italic: boolean; fontColor: string; fillColor: string | null };
  usedAddress(sheet: string): string | undefined;
  tableNames(): string[];
  table(name: string): TableSnapshot | undefined;
  conditionalFormats(sheet: string): ConditionalFormatSnapshot[];
  customXmlParts(): { id: string; namespaceUri: string; xml: string }[];
  pivotTables(): {
    name: string;
    sheet: string;
    source: string;
    refreshCount: number;
    rows: string[];
    columns: string[];
    data: string[];
    filters: string[];
  }[];
  /** Formulas (sheet!cell → text) holding #REF!: references broken by deleting a table or sheet. */
  brokenFormulas(): Record<string, string>;
  /** Defined names: name → what it refers to (`Sheet!A1`) or its formula. */
  names(): Record<string, string>;
  /** Sheets with their visibility. */
  sheetVisibility(): Record<string, string>;
  /** A date serial of this workbook as the calendar date Excel shows (`yyyy-mm-dd`), by its date system. */
  dateOf(serial: number): string;
  /** Set-up helpers for tests: write cells (Excel's conversion applies) or add a sheet without a sync. */
  seedValues(sheet: string, address: string, values: unknown[][]): void;
  seedSheet(name: string): void;
  select(sheet: string, address: string): void;
  /** A merged area, a spilled array's range, a user's conditional format, or a PivotTable's extent, as set up by a user. */
  seedMerge(sheet: string, address: string): void;
  seedSpill(sheet: string, address: string): void;
  seedConditionalFormat(sheet: string, address: string, rule: { formula: string; fillColor?: string }): string;
  setPivotExtent(name: string, address: string): void;
  /** A defined name (as a user makes one in Formulas > Define Name). */
  seedName(name: string, sheet: string, address: string): void;
}

export function createInspector(state: WorkbookState): ExcelInspector {
  const sheet = (name: string): SheetState => {
    const found = state.sheetByName(name);
    if (!found) throw new Error(`no worksheet named ${name} (have: ${state.sheets.map((s) => s.name).join(", ")})`);
    return found;
  };
  const rectOf = (address: string): Rect => parseA1(address).rect;

  const snapshot = (table: TableState): TableSnapshot => {
    const owner = state.requireSheet(table.sheetId);
    const body = { row: table.rect.row + 1, col: table.rect.col, rows: table.rect.rows - 1, cols: table.rect.cols };
    const headers = state.tableHeaders(table);
    const calculated: Record<string, string> = {};
    for (const [offset, formula] of state.calculatedColumns(table))
      calculated[headers[offset] ?? String(offset)] = formula;
    return {
      name: table.name,
      sheet: owner.name,
      address: formatAddress(owner.name, table.rect),
      headers,
      dataRowCount: table.rect.rows - 1,
      style: table.style,
      showBandedRows: table.showBandedRows,
      rows: state.readGrid(owner, body, (r, c) => state.readValue(owner, r, c)),
      calculatedColumns: calculated,
    };
  };

  return {
    sheetNames: () => state.sheets.map((s) => s.name),
    activeSheet: () => state.sheetById(state.activeSheetId)?.name ?? "",
    values: (name, address) => {
      const s = sheet(name);
      return state.readGrid(s, rectOf(address), (r, c) => state.readValue(s, r, c));
    },
    formulas: (name, address) => {
      const s = sheet(name);
      return state.readGrid(s, rectOf(address), (r, c) => state.readFormula(s, r, c));
    },
    numberFormats: (name, address) => {
      const s = sheet(name);
      const rect = rectOf(address);
      return state.readGrid(s, rect, (r, c) => state.numberFormatAt(s, r, c)) as string[][];
    },
    style: (name, address) => {
      const s = sheet(name);
      const { row, col } = rectOf(address);
      return {
        bold: state.styleAt(s, row, col, "bold") ?? false,
        italic: state.styleAt(s, row, col, "italic") ?? false,
        fontColor: state.styleAt(s, row, col, "fontColor") ?? "#000000",
        fillColor: state.styleAt(s, row, col, "fillColor") ?? null,
      };
    },
    usedAddress: (name) => {
      const s = sheet(name);
      const rect = state.usedRect(s);
      return rect ? formatAddress(s.name, rect) : undefined;
    },
    tableNames: () => state.tables.map((t) => t.name),
    table: (name) => {
      const table = state.tableByName(name);
      return table ? snapshot(table) : undefined;
    },
    conditionalFormats: (name) =>
      sheet(name).conditionalFormats.map((cf) => {
        const entry: ConditionalFormatSnapshot = { address: formatAddress(name, cf.rect), type: cf.type };
        if (cf.id.startsWith("{user-")) entry.id = cf.id;
        if (cf.formula !== undefined) entry.formula = cf.formula;
        if (cf.operator !== undefined) entry.operator = cf.operator;
        if (cf.fillColor !== undefined) entry.fillColor = cf.fillColor;
        if (cf.fontItalic !== undefined) entry.fontItalic = cf.fontItalic;
        if (cf.fontBold !== undefined) entry.fontBold = cf.fontBold;
        if (cf.fontColor !== undefined) entry.fontColor = cf.fontColor;
        return entry;
      }),
    customXmlParts: () => state.customXmlParts.map((p) => ({ ...p })),
    pivotTables: () =>
      state.pivotTables.map((p) => ({
        name: p.name,
        sheet: state.sheetById(p.sheetId)?.name ?? "",
        source:
          p.source.kind === "table"
            ? (state.tableById(p.source.tableId)?.name ?? "#REF!")
            : state.sheetById(p.source.sheetId)
              ? formatAddress(state.sheetById(p.source.sheetId)?.name ?? "", p.source.rect)
              : "#REF!",
        refreshCount: p.refreshCount,
        rows: [...p.rowHierarchies],
        columns: [...p.columnHierarchies],
        data: p.dataHierarchies.map((d) => `${d.summarizeBy}:${d.name}`),
        filters: [...p.filterHierarchies],
      })),
    brokenFormulas: () => {
      const broken: Record<string, string> = {};
      for (const s of state.sheets) {
        for (const [row, cells] of s.rows) {
          cells.forEach((cell, col) => {
            if (cell?.formula?.includes("#REF!"))
              broken[formatAddress(s.name, { row, col, rows: 1, cols: 1 })] = cell.formula;
          });
        }
      }
      return broken;
    },
    names: () =>
      Object.fromEntries(
        state.names.map((n) => {
          const owner = state.sheetById(n.sheetId);
          return [n.name, n.formula ?? (owner ? formatAddress(owner.name, n.rect) : "#REF!")];
        })
      ),
    sheetVisibility: () => Object.fromEntries(state.sheets.map((s) => [s.name, s.visibility])),
    dateOf: (serial) => {
      const days = serial - 25_569 + (state.date1904 ? 1_462 : 0);
      return new Date(Math.round(days * 86_400_000)).toISOString().slice(0, 10);
    },
    seedValues: (name, address, values) => state.writeCells(sheet(name), rectOf(address), values, true, "values"),
    seedSheet: (name) => {
      state.addSheet(name);
    },
    select: (name, address) => {
      state.selection = { sheetId: sheet(name).id, rect: rectOf(address) };
      state.activeSheetId = sheet(name).id;
    },
    seedMerge: (name, address) => {
      sheet(name).merges.push(rectOf(address));
    },
    seedSpill: (name, address) => {
      sheet(name).spills.push(rectOf(address));
    },
    seedConditionalFormat: (name, address, rule) => {
      const owner = sheet(name);
      const id = state.nextId("user-cf");
      owner.conditionalFormats.push({
        id,
        sheetId: owner.id,
        rect: rectOf(address),
        type: "Custom",
        formula: rule.formula,
        ...(rule.fillColor ? { fillColor: rule.fillColor } : {}),
      });
      return id;
    },
    setPivotExtent: (name, address) => {
      const pivot = state.pivotTables.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (!pivot) throw new Error(`no PivotTable named ${name}`);
      pivot.extent = rectOf(address);
    },
    seedName: (name, owner, address) => {
      state.names.push({ name, sheetId: sheet(owner).id, rect: rectOf(address), comment: "" });
    },
  };
}
