/**
 * The reconciliation sheet in the workbook: a thin shell over the pure planner in `reconciliation-plan.ts`.
 *
 * `buildReconciliation` creates the sheet for a billing table (or updates it when it exists);
 * `updateReconciliation` updates it in place after the billing table was refreshed, and does nothing when
 * the table has none. Both read what they need (the billing table's key columns in row blocks that stay
 * well under Excel on the web's 5 MB limit, the reconciliation table's cells), plan, then write in one
 * batch with calculation suspended: rows deleted and appended, our columns rewritten, the Invoice amount
 * and the user's own columns left alone.
 *
 * The sheet: a title (A1), the tolerance as a named cell (A2:C2), the table from A4. Requires ExcelApi 1.7
 * (`getRangeByIndexes`); conditional formats are ExcelApi 1.6 and named items 1.4.
 *
 * What Excel must receive: "Finalizes on" dates in the workbook's date system (date-system.ts), account names and
 * other text that look like formulas kept as text (sheet-cells.ts). The Difference column's marking replaces only
 * the rule the add-in made; the user's own conditional formats stay. A workbook in manual calculation is
 * recalculated at the end, so the live SUMIFS totals and anything built on them are not left stale.
 */
import type { BillingPeriod } from "../billing";
import { BILLING_TABLE_COLUMNS, billingPeriodsOf, headerLabels, toSnapshotCell } from "./billing-table";
import { TEXT_FORMAT } from "./formats";
import { uniqueSheetName } from "./names";
import {
  DEFAULT_TOLERANCE,
  DIFFERENCE_FILL,
  DIFFERENCE_FONT,
  LAYOUT,
  RECONCILIATION_COLUMNS,
  billingColumns,
  differenceRuleFormula,
  planReconciliation,
  reconciliationTableName,
  toleranceName,
  type ExistingReconciliation,
  type ReconciliationPlan,
} from "./reconciliation-plan";
import { queueManualCalculationCheck, recalculate } from "./calculation";
import { queueDateSystemProbe } from "./date-system";
import { serialIn, textCell, type DateSystem } from "./sheet-cells";
import { readTableColumns } from "./table-snapshot";
import { findTableRecord, WorkbookStateError } from "./workbook-store";

export { KEY_READ_BLOCK_ROWS } from "./table-snapshot";

/** The marking the add-in puts on the Difference column (differenceRuleFormula). */
export const OUR_DIFFERENCE_RULE = /^=AND\(ISNUMBER\(\$[A-Z]{1,3}\d+\),ROUND\(ABS\(\$[A-Z]{1,3}\d+\),9\)>/;

export interface ReconciliationOptions {
  /**
   * `metadata.billingPeriods` of the table's latest result. Without it they are taken from the table's saved
   * record (`workbook-store.ts`), and without a record from the table's Period status column.
   */
  billingPeriods?: readonly BillingPeriod[];
  /** The tolerance written into a new sheet's tolerance cell (default 0.01). */
  tolerance?: number;
}

export interface ReconciliationResult {
  sheetName: string;
  tableName: string;
  /** True when the sheet was created now, false when an existing one was updated. */
  created: boolean;
  rowCount: number;
  /** The defined name of the tolerance cell (`<table>_Tolerance`). */
  toleranceName: string;
  /** Plain-words lines for the pane (rows added, kept, removed). */
  notes: string[];
}

/** Builds the reconciliation sheet of a billing table, or updates it in place when it exists. */
export async function buildReconciliation(
  context: Excel.RequestContext,
  billingTableName: string,
  options: ReconciliationOptions = {}
): Promise<ReconciliationResult> {
  const result = await reconcile(context, billingTableName, options, true);
  if (!result) throw new Error(`Could not build the reconciliation of table ${billingTableName}.`);
  return result;
}

/** Updates a billing table's reconciliation sheet in place; `null` when the table has none. */
export async function updateReconciliation(
  context: Excel.RequestContext,
  billingTableName: string,
  options: ReconciliationOptions = {}
): Promise<ReconciliationResult | null> {
  return reconcile(context, billingTableName, options, false);
}

async function reconcile(
  context: Excel.RequestContext,
  billingTableName: string,
  options: ReconciliationOptions,
  createWhenAbsent: boolean
): Promise<ReconciliationResult | null> {
  const workbook = context.workbook;
  const reconName = reconciliationTableName(billingTableName);
  const billing = workbook.tables.getItemOrNullObject(billingTableName).load("name");
  const recon = workbook.tables.getItemOrNullObject(reconName).load("name");
  const tolerance = workbook.names.getItemOrNullObject(toleranceName(reconName)).load("name");
  // Tables and defined names share one namespace: a defined name of the user's can block the table's name.
  const sameNamed = workbook.names.getItemOrNullObject(reconName).load("name");
  const sheets = workbook.worksheets.load("items/name");
  const dateSystem = queueDateSystemProbe(context);
  const manual = queueManualCalculationCheck(context);
  await context.sync();

  if (billing.isNullObject) throw new Error(`There is no table named ${billingTableName} in this workbook.`);
  if (recon.isNullObject && !createWhenAbsent) return null;
  if (recon.isNullObject && !sameNamed.isNullObject) {
    throw new Error(
      `The reconciliation table would be named ${reconName}, but the workbook already has a defined name ${reconName} ` +
        `(tables and names share one list). Rename or delete that name in Formulas > Name Manager, then reconcile again.`
    );
  }
  const billingPeriods = options.billingPeriods ?? (await recordedBillingPeriods(context, billingTableName));
  const billingHeader = billing.getHeaderRowRange().load("values");
  const billingBody = billing.getDataBodyRange().load("rowIndex,columnIndex,rowCount");
  const existingParts = recon.isNullObject
    ? undefined
    : {
        range: recon.getRange().load("rowIndex,columnIndex"),
        header: recon.getHeaderRowRange().load("values"),
        body: recon.getDataBodyRange().load("formulas"),
        sheet: recon.worksheet.load("name"),
        rules: recon
          .getDataBodyRange()
          .conditionalFormats.load("items/id, items/type, items/customOrNullObject/rule/formula"),
      };
  await context.sync();
  const system = dateSystem();

  const header = headerLabels(billingHeader.values);
  const columns = billingColumns(header, `Table ${billingTableName}`);
  const keyLabels: string[] = [BILLING_TABLE_COLUMNS.billingMonth, BILLING_TABLE_COLUMNS.currency];
  if (columns.connection !== undefined) keyLabels.push(BILLING_TABLE_COLUMNS.connection);
  if (columns.account) keyLabels.push(columns.account.label);
  if (columns.periodStatus !== undefined) keyLabels.push(BILLING_TABLE_COLUMNS.periodStatus);
  const keyCells = await readTableColumns(context, {
    sheet: billing.worksheet,
    body: billingBody,
    header,
    labels: keyLabels,
  });
  // The planner reads Total only to check that the column exists; the sums are Excel's.
  const billingCells = {
    header: [...keyLabels, BILLING_TABLE_COLUMNS.total],
    rows: keyCells.map((row) => [...row, null]),
    ...(billingPeriods ? { billingPeriods } : {}),
  };

  if (!existingParts) {
    const plan = planReconciliation({ billingTableName, billing: billingCells });
    // A name left behind by a deleted reconciliation sheet (it now refers to #REF!) is replaced.
    if (!tolerance.isNullObject) tolerance.delete();
    const sheetName = uniqueSheetName(
      `Recon ${billingTableName}`,
      sheets.items.map((s) => s.name)
    );
    writeNewSheet(context, {
      plan,
      reconName,
      sheetName,
      billingTableName,
      tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
      dateSystem: system,
    });
    await context.sync();
    if (manual()) await recalculate(context);
    return resultOf(plan, { tableName: reconName, sheetName, created: true, notes: plan.notes });
  }

  const existing: ExistingReconciliation = {
    header: headerLabels(existingParts.header.values),
    rows: existingParts.body.formulas.map((row) => row.map((cell) => toSnapshotCell(cell))),
  };
  const plan = planReconciliation({ billingTableName, billing: billingCells, existing });
  const notes = [...plan.notes];
  const toleranceRef = tolerance.isNullObject ? String(DEFAULT_TOLERANCE) : toleranceName(reconName);
  if (tolerance.isNullObject) {
    notes.push(
      `The tolerance cell ${toleranceName(reconName)} was deleted; differences above ${DEFAULT_TOLERANCE} are marked.`
    );
  }
  const ourRules = existingParts.rules.items
    .filter((cf) => cf.type === "Custom" && !cf.customOrNullObject.isNullObject)
    .filter((cf) => OUR_DIFFERENCE_RULE.test(cf.customOrNullObject.rule.formula))
    .map((cf) => cf.id);
  updateTable(context, {
    table: recon,
    plan,
    existing,
    tolerance: toleranceRef,
    firstDifferenceCell: {
      row: existingParts.range.rowIndex + 1,
      column: existingParts.range.columnIndex + existing.header.indexOf(RECONCILIATION_COLUMNS.difference),
    },
    dateSystem: system,
    ourRules,
  });
  await context.sync();
  if (manual()) await recalculate(context);
  return resultOf(plan, { tableName: reconName, sheetName: existingParts.sheet.name, created: false, notes });
}

function resultOf(
  plan: ReconciliationPlan,
  done: Pick<ReconciliationResult, "tableName" | "sheetName" | "created" | "notes">
): ReconciliationResult {
  return { ...done, rowCount: plan.rows.length, toleranceName: toleranceName(done.tableName) };
}

/**
 * The billing periods saved with the table's record, in the API's form; undefined without a record. A store
 * that cannot be read is not a reason to refuse a reconciliation: the Period status column says the same.
 */
async function recordedBillingPeriods(
  context: Excel.RequestContext,
  tableName: string
): Promise<BillingPeriod[] | undefined> {
  try {
    const record = await findTableRecord(context, tableName);
    // A table over several connections has a set per connection: its rows' Period status (each its own
    // connection's) decides instead, so one data centre's finalized month is not held back by another's.
    if (!record || record.provenance.connections) return undefined;
    return billingPeriodsOf(record.provenance.billingPeriods);
  } catch (error) {
    if (error instanceof WorkbookStateError) return undefined;
    throw error;
  }
}

/** Our value columns, with the plan's cells. */
const VALUE_COLUMNS = ["connection", "billingMonth", "currency", "account", "periodStatus", "finalizesOn"] as const;

/** A value column's cells as Excel must receive them: text kept as text, dates in the workbook's date system. */
function sheetValues(
  key: (typeof VALUE_COLUMNS)[number],
  values: readonly (string | number)[][],
  dateSystem: DateSystem
): (string | number)[][] {
  return values.map((row) =>
    row.map((cell) =>
      typeof cell === "string" ? textCell(cell) : key === "finalizesOn" ? serialIn(cell, dateSystem) : cell
    )
  );
}

interface NewSheet {
  plan: ReconciliationPlan;
  /** The reconciliation table's name. */
  reconName: string;
  sheetName: string;
  billingTableName: string;
  /** The tolerance cell's first value. */
  tolerance: number;
  dateSystem: DateSystem;
}

function writeNewSheet(
  context: Excel.RequestContext,
  { plan, reconName, sheetName, billingTableName, tolerance, dateSystem }: NewSheet
): void {
  context.application.suspendApiCalculationUntilNextSync();
  const sheet = context.workbook.worksheets.add(sheetName);
  sheet.getRange(LAYOUT.titleCell).values = [[`Reconciliation of table ${billingTableName}`]];
  sheet.getRange(LAYOUT.titleCell).format.font.bold = true;
  sheet.getRange(LAYOUT.toleranceLabelCell).values = [["Tolerance"]];
  const toleranceCell = sheet.getRange(LAYOUT.toleranceCell);
  toleranceCell.values = [[tolerance]];
  sheet.getRange(LAYOUT.toleranceNoteCell).values = [
    ["Differences larger than this, in the row's currency, are marked. Type your invoice amounts in the table below."],
  ];
  context.workbook.names.add(toleranceName(reconName), toleranceCell, "Reconciliation tolerance");

  const width = plan.header.length;
  const bodyRowCount = Math.max(plan.rows.length, 1);
  const headerRange = sheet.getRangeByIndexes(LAYOUT.headerRow, LAYOUT.firstColumn, 1, width);
  const whole = sheet.getRangeByIndexes(LAYOUT.headerRow, LAYOUT.firstColumn, 1 + plan.rows.length, width);
  headerRange.values = [plan.header];
  // Text columns are formatted "@" before their values, so "2026-10" stays text and is not read as a date.
  for (const key of VALUE_COLUMNS) {
    const column = plan.columnIndex[key];
    const label = RECONCILIATION_COLUMNS[key];
    if (column === undefined) continue;
    const cells = sheet.getRangeByIndexes(LAYOUT.headerRow + 1, LAYOUT.firstColumn + column, bodyRowCount, 1);
    cells.numberFormat = Array.from({ length: bodyRowCount }, () => [plan.numberFormats[label] ?? TEXT_FORMAT]);
    const values = plan.values[key];
    if (values && values.length > 0) {
      sheet.getRangeByIndexes(LAYOUT.headerRow + 1, LAYOUT.firstColumn + column, values.length, 1).values = sheetValues(
        key,
        values,
        dateSystem
      );
    }
  }
  const table = sheet.tables.add(whole, true);
  table.name = reconName;
  writeFormulasAndFormats(table, plan, plan.rows.length);
  if (plan.rows.length > 0) {
    const difference = plan.columnIndex.difference ?? 0;
    markDifferences(
      table,
      differenceRuleFormula(
        { row: LAYOUT.headerRow + 1, column: LAYOUT.firstColumn + difference },
        toleranceName(reconName)
      ),
      []
    );
  }
  whole.format.autofitColumns();
  sheet.activate();
}

interface TableUpdate {
  table: Excel.Table;
  plan: ReconciliationPlan;
  existing: ExistingReconciliation;
  /** The tolerance in the difference rule: the tolerance cell's name, or a number when the name is gone. */
  tolerance: string;
  /** Sheet row and column of the Difference column's first data cell. */
  firstDifferenceCell: { row: number; column: number };
  dateSystem: DateSystem;
  /** Ids of the conditional formats the add-in put on the table (replaced; the user's stay). */
  ourRules: readonly string[];
}

function updateTable(
  context: Excel.RequestContext,
  { table, plan, existing, tolerance, firstDifferenceCell, dateSystem, ourRules }: TableUpdate
): void {
  context.application.suspendApiCalculationUntilNextSync();
  // A table keeps at least one data row: when every existing row goes, the first is reused (or emptied).
  const emptied = existing.rows.length > 0 && plan.deleteRows.length === existing.rows.length;
  const deleteRows = emptied ? plan.deleteRows.filter((index) => index !== 0) : plan.deleteRows;
  const appendRows = emptied && plan.appendRows > 0 ? plan.appendRows - 1 : plan.appendRows;
  for (const index of deleteRows) table.rows.getItemAt(index).delete();
  if (emptied && plan.rows.length === 0) {
    const body = table.getDataBodyRange();
    body.clear("Contents");
    for (const id of ourRules) body.conditionalFormats.getItem(id).delete();
    return;
  }
  if (appendRows > 0) {
    // Appended rows repeat the user's calculated columns (a formula in the first row), blank elsewhere.
    const template = existing.header.map((label, column) => {
      const first = existing.rows[0]?.[column];
      const ours = (Object.values(RECONCILIATION_COLUMNS) as string[]).includes(label);
      return !ours && typeof first === "string" && first.startsWith("=") ? first : "";
    });
    table.rows.add(
      undefined,
      Array.from({ length: appendRows }, () => [...template])
    );
  }
  for (const key of VALUE_COLUMNS) {
    const values = plan.values[key];
    if (!values || values.length === 0 || plan.columnIndex[key] === undefined) continue;
    const label = RECONCILIATION_COLUMNS[key];
    const cells = table.columns.getItem(label).getDataBodyRange();
    cells.numberFormat = values.map(() => [plan.numberFormats[label] ?? TEXT_FORMAT]);
    cells.values = sheetValues(key, values, dateSystem);
  }
  writeFormulasAndFormats(table, plan, plan.rows.length);
  if (plan.rows.length > 0) markDifferences(table, differenceRuleFormula(firstDifferenceCell, tolerance), ourRules);
  else for (const id of ourRules) table.getDataBodyRange().conditionalFormats.getItem(id).delete();
}

/** Billing total and Difference as formulas over every row, then the amount and date formats. */
function writeFormulasAndFormats(table: Excel.Table, plan: ReconciliationPlan, rowCount: number): void {
  if (rowCount === 0) return;
  const c = RECONCILIATION_COLUMNS;
  const column = (label: string) => table.columns.getItem(label).getDataBodyRange();
  const repeat = (cell: string) => Array.from({ length: rowCount }, () => [cell]);
  column(c.billingTotal).formulas = repeat(plan.billingTotalFormula);
  column(c.difference).formulas = repeat(plan.differenceFormula);
  for (const label of [c.finalizesOn, c.billingTotal, c.invoiceAmount, c.difference]) {
    column(label).numberFormat = repeat(plan.numberFormats[label] ?? "General");
  }
}

/** Replaces the add-in's rule on the Difference column with the tolerance rule, over the used rows only. */
function markDifferences(table: Excel.Table, ruleFormula: string, ourRules: readonly string[]): void {
  const body = table.getDataBodyRange();
  for (const id of ourRules) body.conditionalFormats.getItem(id).delete();
  const cells = table.columns.getItem(RECONCILIATION_COLUMNS.difference).getDataBodyRange();
  const format = cells.conditionalFormats.add("Custom");
  format.custom.rule.formula = ruleFormula;
  format.custom.format.fill.color = DIFFERENCE_FILL;
  format.custom.format.font.color = DIFFERENCE_FONT;
}
