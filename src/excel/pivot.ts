/**
 * "Create PivotTable" on a billing table, and refreshing the PivotTables built on a table after it was
 * refreshed in place.
 *
 * The PivotTable goes on a new sheet: the dimensions the user picked as rows, Billing month as columns,
 * Sum of Total and Sum of Quantity as values — and never a sum across currencies:
 * - with ExcelApi 1.12 (PivotManualFilter), Currency is a filter with ONE currency selected (the one asked
 *   for, else the first in alphabetical order); the other currencies are returned so the pane can offer them;
 * - without it, Currency becomes the outermost row field, so each currency has its own rows and subtotals,
 *   and the grand-total row at the bottom (the one that would add currencies up) is switched off
 *   (`showColumnGrandTotals`, Excel's "grand totals for columns"); the result says so in plain words.
 * A user who picks Currency as a row gets the second layout too.
 *
 * Without the PivotTable API (ExcelApi 1.8) nothing is created and the result carries the message to show
 * (requirements.ts: the manifest declares only ExcelApi 1.7).
 *
 * Which PivotTables use a table: `PivotTable.getDataSourceType()` / `getDataSourceString()` (ExcelApi 1.15;
 * the string is the table's name for a table source, an address for a range source). Hosts without 1.15
 * refresh every PivotTable in the workbook (`refreshAll`, ExcelApi 1.3): refreshing an unrelated
 * PivotTable only re-reads its own source, so this is cheap and harmless.
 */
import { AMOUNT_COLUMNS, BILLING_TABLE_COLUMNS, headerLabels, missingColumn } from "./billing-table";
import { NUMBER_FORMATS } from "./formats";
import { uniqueSheetName } from "./names";
import { officeRequirements, supports, type HostRequirements } from "./requirements";

export { officeRequirements, type HostRequirements } from "./requirements";

const {
  billingMonth: BILLING_MONTH,
  currency: CURRENCY,
  quantity: QUANTITY,
  total: TOTAL,
  connection: CONNECTION,
} = BILLING_TABLE_COLUMNS;

export interface PivotRequest {
  /** The billing table to pivot. */
  tableName: string;
  /** Table column names (header labels) to use as rows, outermost first. */
  rowFields: readonly string[];
  /** The currency to show; default: the first of the table's currencies in alphabetical order. */
  currency?: string;
}

export type PivotOutcome =
  | {
      created: true;
      pivotName: string;
      sheetName: string;
      /** "filter": Currency filters to {@link currency}; "outer-row": Currency is the outermost row. */
      currencyMode: "filter" | "outer-row";
      /** The currency shown, in "filter" mode. */
      currency: string | undefined;
      /** Every currency in the table. */
      currencies: string[];
      notes: string[];
    }
  | { created: false; message: string };

/** Columns that cannot be rows: the columns axis, the values, and the unit price (a per-row figure). */
const NOT_A_ROW: ReadonlySet<string> = new Set([BILLING_MONTH, ...AMOUNT_COLUMNS]);

/** The plain-words refusal for a host without the PivotTable API. */
export function unsupportedPivotMessage(tableName: string): string {
  return `This version of Excel does not support creating PivotTables from add-ins; use Insert > PivotTable on table ${tableName}.`;
}

/**
 * Creates a PivotTable of a billing table on a new sheet. Refuses (created: false) on hosts without
 * ExcelApi 1.8; throws an `Error` with a plain-words message for a missing table or a wrong field.
 */
export async function createBillingPivot(
  context: Excel.RequestContext,
  request: PivotRequest,
  host: HostRequirements = officeRequirements()
): Promise<PivotOutcome> {
  if (!supports(host, "pivotTables")) return { created: false, message: unsupportedPivotMessage(request.tableName) };
  const canFilter = supports(host, "pivotFilter");

  const table = context.workbook.tables.getItemOrNullObject(request.tableName).load("name");
  const sheets = context.workbook.worksheets.load("items/name");
  const pivots = context.workbook.pivotTables.load("items/name");
  await context.sync();
  if (table.isNullObject) throw new Error(`There is no table named ${request.tableName} in this workbook.`);
  const headerRange = table.getHeaderRowRange().load("values");
  await context.sync();

  const header = headerLabels(headerRange.values);
  const missing = missingColumn(header, [BILLING_MONTH, TOTAL, QUANTITY, CURRENCY]);
  if (missing !== undefined) {
    throw new Error(
      `Table ${request.tableName} has no "${missing}" column, so it cannot be pivoted as a billing table.`
    );
  }
  const rowFields = [...new Set(request.rowFields)];
  for (const field of rowFields) {
    if (!header.includes(field)) throw new Error(`Table ${request.tableName} has no column "${field}" to use as rows.`);
    if (NOT_A_ROW.has(field)) {
      throw new Error(
        `"${field}" cannot be a row of the PivotTable: ${field === BILLING_MONTH ? "billing months are its columns" : "it is a value, not a dimension"}.`
      );
    }
  }
  const currencyAsRow = !canFilter || rowFields.includes(CURRENCY);
  const rows = currencyAsRow ? [CURRENCY, ...rowFields.filter((f) => f !== CURRENCY)] : rowFields;

  const sheetName = uniqueSheetName(
    `Pivot ${request.tableName}`,
    sheets.items.map((s) => s.name)
  );
  // Within Excel's 255 characters for a name, with room for the number uniqueName may add.
  const pivotName = uniqueName(
    `${request.tableName.slice(0, 255 - "_Pivot".length - 4)}_Pivot`,
    pivots.items.map((p) => p.name)
  );
  const sheet = context.workbook.worksheets.add(sheetName);
  // A3 leaves the rows above free for the filter area.
  const pivot = sheet.pivotTables.add(pivotName, table, "A3");
  for (const field of rows) pivot.rowHierarchies.add(pivot.hierarchies.getItem(field));
  pivot.columnHierarchies.add(pivot.hierarchies.getItem(BILLING_MONTH));
  const total = pivot.dataHierarchies.add(pivot.hierarchies.getItem(TOTAL));
  total.summarizeBy = "Sum";
  total.numberFormat = NUMBER_FORMATS.total;
  const quantity = pivot.dataHierarchies.add(pivot.hierarchies.getItem(QUANTITY));
  quantity.summarizeBy = "Sum";
  if (currencyAsRow) pivot.layout.showColumnGrandTotals = false;
  else pivot.filterHierarchies.add(pivot.hierarchies.getItem(CURRENCY));
  // A table over several Infobip connections: Connection is a filter (every connection shown at first, so the
  // company's total per currency), unless the user picked it as a row to split by it.
  const connectionFilter = header.includes(CONNECTION) && !rows.includes(CONNECTION);
  if (connectionFilter) pivot.filterHierarchies.add(pivot.hierarchies.getItem(CONNECTION));
  const currencyItems = pivot.hierarchies.getItem(CURRENCY).fields.getItem(CURRENCY).items.load("items/name");
  sheet.activate();
  await context.sync();

  const currencies = currencyItems.items.map((item) => item.name).sort();
  const notes: string[] = [];
  if (connectionFilter) {
    notes.push(
      "It adds up every connection; pick one or several in its Connection filter, or create it with Connection as a row to see them side by side."
    );
  }
  if (currencyAsRow) {
    notes.push(
      canFilter
        ? "Currency is the outermost row, so every currency has its own rows and subtotals; there is no grand total across currencies."
        : "This version of Excel cannot filter a PivotTable from an add-in, so Currency is the outermost row: every currency has its own rows and subtotals, and there is no grand total across currencies."
    );
    return { created: true, pivotName, sheetName, currencyMode: "outer-row", currency: undefined, currencies, notes };
  }

  if (request.currency !== undefined && !currencies.includes(request.currency)) {
    notes.push(
      `Table ${request.tableName} has no ${request.currency} rows; showing ${currencies[0] ?? "no currency"} instead.`
    );
  }
  const currency =
    request.currency !== undefined && currencies.includes(request.currency) ? request.currency : currencies[0];
  if (currency !== undefined) {
    pivot.hierarchies
      .getItem(CURRENCY)
      .fields.getItem(CURRENCY)
      .applyFilter({ manualFilter: { selectedItems: [currency] } });
    await context.sync();
  }
  if (currencies.length > 1) {
    notes.push(
      `Showing ${currency} only, so amounts in different currencies are never added up; pick another currency in the Currency filter (one at a time): ${currencies.join(", ")}.`
    );
  }
  return { created: true, pivotName, sheetName, currencyMode: "filter", currency, currencies, notes };
}

/** A name not among `taken` (compared without case): `Costs_Pivot`, `Costs_Pivot2`, … */
function uniqueName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

export interface PivotRefresh {
  /** Names of the PivotTables refreshed. */
  refreshed: string[];
  /** "table": only those whose source is the table (ExcelApi 1.15); "workbook": all of them (older Excel). */
  scope: "table" | "workbook";
}

/** Refreshes every PivotTable whose source is the table (after the table was refreshed in place). */
export async function refreshPivotTablesOn(
  context: Excel.RequestContext,
  tableName: string,
  host: HostRequirements = officeRequirements()
): Promise<PivotRefresh> {
  // The PivotTable collection and refresh are ExcelApi 1.3, below the manifest's minimum.
  const pivots = context.workbook.pivotTables.load("items/name");

  if (!supports(host, "pivotSource")) {
    context.workbook.pivotTables.refreshAll();
    await context.sync();
    return { refreshed: pivots.items.map((p) => p.name), scope: "workbook" };
  }

  const table = context.workbook.tables.getItemOrNullObject(tableName).load("name");
  await context.sync();
  if (table.isNullObject) return { refreshed: [], scope: "table" };
  const tableRange = table.getRange().load("address");
  const sources = pivots.items.map((pivot) => ({
    pivot,
    type: pivot.getDataSourceType(),
    source: pivot.getDataSourceString(),
  }));
  await context.sync();

  const matching = sources.filter(({ type, source }) =>
    isSourceOf(String(type.value), source.value, tableName, tableRange.address)
  );
  for (const { pivot } of matching) pivot.refresh();
  await context.sync();
  return { refreshed: matching.map(({ pivot }) => pivot.name), scope: "table" };
}

/**
 * Does a PivotTable with this data source read the table? A table source names the table (possibly
 * after a workbook or sheet prefix); a range source matches when it is the table's own range.
 */
export function isSourceOf(sourceType: string, source: string, tableName: string, tableAddress: string): boolean {
  const bare = (text: string) =>
    text
      .replace(/^.*[!\]]/, "")
      .replace(/\$/g, "")
      .toLowerCase();
  if (sourceType === "LocalTable") return bare(source) === tableName.toLowerCase();
  if (sourceType === "LocalRange") {
    const sheetAndCells = (text: string) =>
      text
        .replace(/^\[[^\]]*\]/, "")
        .replace(/\$/g, "")
        .replace(/'/g, "")
        .toLowerCase();
    return sheetAndCells(source) === sheetAndCells(tableAddress);
  }
  return false;
}
