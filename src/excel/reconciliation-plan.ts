/**
 * The reconciliation sheet, planned without Excel: which rows (billing month × currency × account), which
 * live formulas over the billing table, which formats, and how an existing sheet is updated in place.
 *
 * Choices made here (the issue leaves them open):
 * - **Account**: rows are split by account when the billing table has an Account column, else by Account
 *   key when it has that one; Account wins when both are present (`accountColumn` in billing-table.ts).
 * - **Connection**: a table over several Infobip connections (accounts or data centres, each invoiced on its own)
 *   is reconciled by connection × billing month × currency (× account): Connection is the first column, rows are
 *   sorted by it first, and each row's status is its own connection's (from its rows' Period status).
 * - **Finalizes on**: the date a month finalizes (5th of the following month) for every row, Final ones
 *   included (then it is the day the invoice closed); a span `2026-01 – 2026-03` takes its last month.
 * - **Tolerance**: a named cell above the table (default 0.01, in the row's currency); a Difference whose
 *   absolute value is larger (rounded to 9 decimals, so 100.01 − 100.00 is not "larger than 0.01") is
 *   filled light red by a conditional format over the used rows.
 * - **Update**: rows keep their place; new keys are appended; our columns are rewritten; the Invoice
 *   amount and any column the user added are never written. A row whose key is no longer in the billing
 *   table is kept, with Period status "Not in billing table", when the user typed anything in it, and
 *   deleted when all its user cells are blank (nothing of the user's is lost).
 * - **Matching like Excel**: SUMIFS compares text without case, so keys are grouped without case too
 *   (the first spelling seen is shown); how blank, operator-like and wildcard keys are matched exactly is
 *   in sumifs.ts. SUMIFS also reads number-like text as numbers (an account "0123" matches "123"); such
 *   accounts are not told apart.
 */
import { finalizationDate, isoDateToUtc, toExcelSerial, type BillingPeriod, type PeriodStatus } from "../billing";
import {
  BILLING_TABLE_COLUMNS,
  accountColumn,
  billingColumnIndexes,
  billingMonthStatus,
  billingPeriodsOf,
  cellText,
  fromMicros,
  missingColumn,
  monthsOfLabel,
  toMicros,
  type BillingTableCells,
  type SnapshotCell,
} from "./billing-table";
import { NUMBER_FORMATS, TEXT_FORMAT } from "./formats";
import { columnLetters } from "./layout";
import { headersOf, type TableShape } from "./shape";
import { criterionMode, sumifsFormula, thisRowRef, type CriterionMode } from "./sumifs";

/** The reconciliation table's own columns, in order (Account only when the billing table has accounts). */
export const RECONCILIATION_COLUMNS = {
  connection: "Connection",
  billingMonth: "Billing month",
  currency: "Currency",
  account: "Account",
  periodStatus: "Period status",
  finalizesOn: "Finalizes on",
  billingTotal: "Billing total",
  invoiceAmount: "Invoice amount",
  difference: "Difference",
} as const;

/** Period status of a kept row whose key left the billing table. */
export const NOT_IN_TABLE_STATUS = "Not in billing table";
export type ReconciliationStatus = PeriodStatus | typeof NOT_IN_TABLE_STATUS;

export const DEFAULT_TOLERANCE = 0.01;
export const DIFFERENCE_FILL = "#FFC7CE";
export const DIFFERENCE_FONT = "#9C0006";

/** Where the sheet's parts go on a new reconciliation sheet (0-based rows and columns). */
export const LAYOUT = {
  titleCell: "A1",
  toleranceLabelCell: "A2",
  toleranceCell: "B2",
  toleranceNoteCell: "C2",
  headerRow: 3,
  firstColumn: 0,
} as const;

export interface ReconciliationKey {
  /** Present when the billing table has a Connection column (a table over several Infobip connections). */
  connection?: string;
  billingMonth: string;
  currency: string;
  /** Present when the billing table has an account column. */
  account?: string;
}

export interface ReconciliationRow extends ReconciliationKey {
  periodStatus: ReconciliationStatus;
  /** `yyyy-MM-dd`, or "" when the billing month is not a month or span of months. */
  finalizesOn: string;
}

export interface ReconciliationTotal extends ReconciliationRow {
  /** The sum of Total over the billing table's rows with this key, as SUMIFS computes it. */
  billingTotal: number;
}

/** The columns a billing table must have for a reconciliation, and the account column it uses. */
export interface BillingColumns {
  total: number;
  currency: number;
  billingMonth: number;
  periodStatus: number | undefined;
  account: { label: string; index: number } | undefined;
  connection: number | undefined;
}

export function billingColumns(header: readonly string[], tableName = "The billing table"): BillingColumns {
  const c = BILLING_TABLE_COLUMNS;
  const missing = missingColumn(header, [c.total, c.currency, c.billingMonth]);
  if (missing !== undefined) {
    throw new RangeError(
      `${tableName} has no "${missing}" column; a reconciliation needs ${c.billingMonth}, ${c.currency} and ${c.total}.`
    );
  }
  const at = billingColumnIndexes(header);
  return {
    total: at.total,
    currency: at.currency,
    billingMonth: at.billingMonth,
    periodStatus: at.periodStatus >= 0 ? at.periodStatus : undefined,
    account: accountColumn(header),
    connection: header.includes(c.connection) ? header.indexOf(c.connection) : undefined,
  };
}

interface Group {
  key: ReconciliationKey;
  statuses: Set<string>;
  /** Micro-units (billing-table.ts), summed as integers. */
  micros: number;
}

function groupRows(table: BillingTableCells, tableName?: string): Group[] {
  const columns = billingColumns(table.header, tableName);
  const groups = new Map<string, Group>();
  for (const row of table.rows) {
    const key: ReconciliationKey = {
      ...(columns.connection !== undefined ? { connection: cellText(row[columns.connection]) } : {}),
      billingMonth: cellText(row[columns.billingMonth]),
      currency: cellText(row[columns.currency]),
      ...(columns.account ? { account: cellText(row[columns.account.index]) } : {}),
    };
    const id = keyId(key);
    const group = groups.get(id) ?? { key, statuses: new Set<string>(), micros: 0 };
    groups.set(id, group);
    if (columns.periodStatus !== undefined) group.statuses.add(cellText(row[columns.periodStatus]));
    // SUMIFS adds numbers only: an empty or text Total counts for nothing.
    const total = row[columns.total];
    if (typeof total === "number" && Number.isFinite(total)) group.micros += toMicros(total);
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
}

/** A key as Excel's SUMIFS tells keys apart: without case. */
export function keyId(key: ReconciliationKey): string {
  return JSON.stringify([key.connection ?? null, key.billingMonth, key.currency, key.account ?? null]).toLowerCase();
}

function compareKeys(a: ReconciliationKey, b: ReconciliationKey): number {
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    order((a.connection ?? "").toLowerCase(), (b.connection ?? "").toLowerCase()) ||
    order(a.billingMonth, b.billingMonth) ||
    order(a.currency, b.currency) ||
    order((a.account ?? "").toLowerCase(), (b.account ?? "").toLowerCase())
  );
}

function statusFor(group: Pick<Group, "key" | "statuses">, billingPeriods?: readonly BillingPeriod[]): PeriodStatus {
  return billingMonthStatus(group.key.billingMonth, billingPeriods, group.statuses);
}

/** The finalization date of a Billing month label (its last month for a span), or "". */
export function finalizesOn(billingMonth: string): string {
  const months = monthsOfLabel(billingMonth);
  const last = months[months.length - 1];
  return last === undefined ? "" : finalizationDate(last);
}

/** The reconciliation rows a billing table calls for, sorted by month, currency and account. */
export function reconciliationRows(table: BillingTableCells, tableName?: string): ReconciliationRow[] {
  return groupRows(table, tableName).map((group) => ({
    ...group.key,
    periodStatus: statusFor(group, table.billingPeriods),
    finalizesOn: finalizesOn(group.key.billingMonth),
  }));
}

/** The writer's table shape as billing table cells (headers, rows, and its periods in the API's form). */
export function cellsOfShape(shape: TableShape): BillingTableCells {
  return {
    header: headersOf(shape),
    rows: shape.rows,
    billingPeriods: billingPeriodsOf(shape.provenance.billingPeriods),
  };
}

/**
 * The same sums the sheet's SUMIFS formulas compute, evaluated in JavaScript (for the preview outside
 * Excel): one entry per billing month × currency (× account), sorted. Takes the writer's shape or cells.
 */
export function computeReconciliationTotals(input: BillingTableCells | TableShape): ReconciliationTotal[] {
  const table = "provenance" in input ? cellsOfShape(input) : input;
  return groupRows(table).map((group) => ({
    ...group.key,
    periodStatus: statusFor(group, table.billingPeriods),
    finalizesOn: finalizesOn(group.key.billingMonth),
    billingTotal: fromMicros(group.micros),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Formulas

export interface FormulaModes {
  currency: CriterionMode;
  account: CriterionMode;
  connection?: CriterionMode;
}

/** The modes the keys of a sheet need (the same for every row, so the column stays one calculated column). */
export function formulaModes(keys: readonly ReconciliationKey[]): FormulaModes {
  return {
    currency: criterionMode(keys.map((k) => k.currency)),
    account: criterionMode(keys.map((k) => k.account ?? "")),
    connection: criterionMode(keys.map((k) => k.connection ?? "")),
  };
}

/**
 * `=SUMIFS(Billing[Total],Billing[Billing month],[@[Billing month]],Billing[Currency],[@Currency]…)`:
 * the live billing total of a row, over the billing table by structured references.
 */
export function billingTotalFormula(
  billingTableName: string,
  accountLabel: string | undefined,
  modes: FormulaModes = { currency: "plain", account: "plain" },
  withConnection = false
): string {
  const c = RECONCILIATION_COLUMNS;
  const b = BILLING_TABLE_COLUMNS;
  return sumifsFormula({
    table: billingTableName,
    sum: b.total,
    criteria: [
      ...(withConnection
        ? [{ column: b.connection, equals: { thisRow: c.connection, mode: modes.connection ?? "plain" } }]
        : []),
      { column: b.billingMonth, equals: { thisRow: c.billingMonth } },
      { column: b.currency, equals: { thisRow: c.currency, mode: modes.currency } },
      ...(accountLabel === undefined
        ? []
        : [{ column: accountLabel, equals: { thisRow: c.account, mode: modes.account } }]),
    ],
  });
}

/** `=IF([@[Invoice amount]]="","",[@[Invoice amount]]-[@[Billing total]])`. */
export function differenceFormula(): string {
  const invoice = thisRowRef(RECONCILIATION_COLUMNS.invoiceAmount);
  const total = thisRowRef(RECONCILIATION_COLUMNS.billingTotal);
  return `=IF(${invoice}="","",${invoice}-${total})`;
}

/** The defined name of a reconciliation sheet's tolerance cell. */
export function toleranceName(reconciliationTableName: string): string {
  return `${reconciliationTableName}_Tolerance`;
}

/**
 * The conditional format's rule, written for the first cell of the Difference column (Excel shifts it
 * for the other rows): a number whose size exceeds the tolerance.
 */
export function differenceRuleFormula(firstDifferenceCell: { row: number; column: number }, tolerance: string): string {
  const cell = `$${columnLetters(firstDifferenceCell.column)}${firstDifferenceCell.row + 1}`;
  return `=AND(ISNUMBER(${cell}),ROUND(ABS(${cell}),9)>${tolerance})`;
}

// ---------------------------------------------------------------------------------------------------
// Names

/**
 * The reconciliation table of a billing table: its name plus `_Recon` (still a valid table name), short enough
 * that its tolerance name (`…_Recon_Tolerance`) stays within Excel's 255 characters for a name.
 */
export function reconciliationTableName(billingTableName: string): string {
  return `${billingTableName.slice(0, 255 - "_Recon_Tolerance".length)}_Recon`;
}

// ---------------------------------------------------------------------------------------------------
// The plan

/** An existing reconciliation table as read back: its header and its rows' cells (formulas or values). */
export interface ExistingReconciliation {
  header: readonly string[];
  rows: readonly (readonly SnapshotCell[])[];
}

export interface ReconciliationPlan {
  /** The reconciliation table's header (ours, then any columns the user added, in their order). */
  header: string[];
  /** Every row after the update, in sheet order: kept rows first (their order), then appended ones. */
  rows: ReconciliationRow[];
  /** Indexes of existing rows to delete (no longer in the billing table and nothing typed in them), descending. */
  deleteRows: number[];
  /** How many rows to add at the end. */
  appendRows: number;
  /** Index of our columns in {@link header}. */
  columnIndex: Readonly<Record<keyof typeof RECONCILIATION_COLUMNS, number | undefined>>;
  /** Cells of our value columns, one array per row of {@link rows}: Billing month … Finalizes on. */
  values: Record<
    "connection" | "billingMonth" | "currency" | "account" | "periodStatus" | "finalizesOn",
    (string | number)[][] | undefined
  >;
  billingTotalFormula: string;
  differenceFormula: string;
  /** Number formats per column of ours: amounts, dates and text as in the billing table itself (formats.ts). */
  numberFormats: Readonly<Record<string, string>>;
  accountLabel: string | undefined;
  /** Plain-words notes for the pane (rows added, flagged, removed). */
  notes: string[];
}

export interface PlanInput {
  billingTableName: string;
  /** The billing table's header and rows (only the key, status and total columns are read). */
  billing: BillingTableCells;
  /** The reconciliation table as it is now, for an update; absent when building it the first time. */
  existing?: ExistingReconciliation;
}

/** Plans a new reconciliation table, or the in-place update of an existing one. */
export function planReconciliation(input: PlanInput): ReconciliationPlan {
  const columns = billingColumns(input.billing.header, `Table ${input.billingTableName}`);
  const wanted = reconciliationRows(input.billing, `Table ${input.billingTableName}`);
  const accountLabel = columns.account?.label;
  const withConnection = columns.connection !== undefined;
  const ours = ourColumns(accountLabel !== undefined, withConnection);
  const existing = input.existing;

  const header = [...ours];
  const kept: ReconciliationRow[] = [];
  const deleteRows: number[] = [];
  const notes: string[] = [];
  if (existing) {
    const missing = ours.find((label) => !existing.header.includes(label));
    const hadAccounts = existing.header.includes(RECONCILIATION_COLUMNS.account);
    const hadConnections = existing.header.includes(RECONCILIATION_COLUMNS.connection);
    if (missing !== undefined || hadAccounts !== (accountLabel !== undefined) || hadConnections !== withConnection) {
      const changed = hadAccounts !== (accountLabel !== undefined) ? "an account" : "a Connection";
      const had = hadAccounts !== (accountLabel !== undefined) ? hadAccounts : hadConnections;
      throw new RangeError(
        missing !== undefined
          ? `The reconciliation table has no "${missing}" column any more; rename it back, or delete the reconciliation sheet to build it again.`
          : `Table ${input.billingTableName} ${had ? "no longer has" : "now has"} ${changed} column, so its reconciliation rows no longer match; delete the reconciliation sheet to build it again.`
      );
    }
    for (const label of existing.header) if (!header.includes(label)) header.push(label);
    const wantedById = new Map(wanted.map((row) => [keyId(row), row]));
    const at = (label: string) => existing.header.indexOf(label);
    const userColumns = existing.header
      .map((label, index) => ({ label, index }))
      .filter(
        ({ label }) => label === RECONCILIATION_COLUMNS.invoiceAmount || !(ours as readonly string[]).includes(label)
      );
    const seen = new Set<string>();
    let flagged = 0;
    existing.rows.forEach((cells, index) => {
      const key: ReconciliationKey = {
        ...(withConnection ? { connection: cellText(cells[at(RECONCILIATION_COLUMNS.connection)]) } : {}),
        billingMonth: cellText(cells[at(RECONCILIATION_COLUMNS.billingMonth)]),
        currency: cellText(cells[at(RECONCILIATION_COLUMNS.currency)]),
        ...(accountLabel !== undefined ? { account: cellText(cells[at(RECONCILIATION_COLUMNS.account)]) } : {}),
      };
      const id = keyId(key);
      const current = seen.has(id) ? undefined : wantedById.get(id);
      seen.add(id);
      if (current) {
        kept.push({ ...current, ...key });
        return;
      }
      const typedIn = userColumns.some(({ index: column }) => cellText(cells[column]) !== "");
      if (!typedIn) {
        deleteRows.push(index);
        return;
      }
      flagged++;
      kept.push({ ...key, periodStatus: NOT_IN_TABLE_STATUS, finalizesOn: finalizesOn(key.billingMonth) });
    });
    const appended = wanted.filter((row) => !seen.has(keyId(row)));
    deleteRows.reverse();
    if (appended.length > 0)
      notes.push(`${appended.length} new ${appended.length === 1 ? "row" : "rows"} added at the end.`);
    if (flagged > 0) {
      notes.push(
        `${flagged} ${flagged === 1 ? "row is" : "rows are"} no longer in table ${input.billingTableName} and kept because ${flagged === 1 ? "it has" : "they have"} an invoice amount or notes (Period status "${NOT_IN_TABLE_STATUS}").`
      );
    }
    if (deleteRows.length > 0) {
      notes.push(
        `${deleteRows.length} empty ${deleteRows.length === 1 ? "row" : "rows"} no longer in the billing table removed.`
      );
    }
    return finish({
      billingTableName: input.billingTableName,
      header,
      rows: [...kept, ...appended],
      deleteRows,
      appendRows: appended.length,
      accountLabel,
      withConnection,
      notes,
    });
  }
  return finish({
    billingTableName: input.billingTableName,
    header,
    rows: wanted,
    deleteRows,
    appendRows: wanted.length,
    accountLabel,
    withConnection,
    notes,
  });
}

function ourColumns(withAccount: boolean, withConnection: boolean): string[] {
  const c = RECONCILIATION_COLUMNS;
  return [
    ...(withConnection ? [c.connection] : []),
    c.billingMonth,
    c.currency,
    ...(withAccount ? [c.account] : []),
    c.periodStatus,
    c.finalizesOn,
    c.billingTotal,
    c.invoiceAmount,
    c.difference,
  ];
}

/** What planning decided, before it becomes cells, formulas and formats. */
type PlannedRows = Pick<
  ReconciliationPlan,
  "header" | "rows" | "deleteRows" | "appendRows" | "accountLabel" | "notes"
> & {
  billingTableName: string;
  withConnection: boolean;
};

function finish({
  billingTableName,
  header,
  rows,
  deleteRows,
  appendRows,
  accountLabel,
  withConnection,
  notes,
}: PlannedRows): ReconciliationPlan {
  const c = RECONCILIATION_COLUMNS;
  const index = (label: string) => (header.includes(label) ? header.indexOf(label) : undefined);
  const column = (pick: (row: ReconciliationRow) => string | number) => rows.map((row) => [pick(row)]);
  const withAccount = accountLabel !== undefined;
  return {
    header,
    rows,
    deleteRows,
    appendRows,
    columnIndex: {
      connection: withConnection ? index(c.connection) : undefined,
      billingMonth: index(c.billingMonth),
      currency: index(c.currency),
      account: withAccount ? index(c.account) : undefined,
      periodStatus: index(c.periodStatus),
      finalizesOn: index(c.finalizesOn),
      billingTotal: index(c.billingTotal),
      invoiceAmount: index(c.invoiceAmount),
      difference: index(c.difference),
    },
    values: {
      connection: withConnection ? column((row) => row.connection ?? "") : undefined,
      billingMonth: column((row) => row.billingMonth),
      currency: column((row) => row.currency),
      account: withAccount ? column((row) => row.account ?? "") : undefined,
      periodStatus: column((row) => row.periodStatus),
      finalizesOn: column((row) => (row.finalizesOn === "" ? "" : toExcelSerial(isoDateToUtc(row.finalizesOn)))),
    },
    billingTotalFormula: billingTotalFormula(billingTableName, accountLabel, formulaModes(rows), withConnection),
    differenceFormula: differenceFormula(),
    numberFormats: {
      ...(withConnection ? { [c.connection]: TEXT_FORMAT } : {}),
      [c.billingMonth]: TEXT_FORMAT,
      [c.currency]: TEXT_FORMAT,
      ...(withAccount ? { [c.account]: TEXT_FORMAT } : {}),
      [c.periodStatus]: TEXT_FORMAT,
      [c.finalizesOn]: NUMBER_FORMATS.day,
      [c.billingTotal]: NUMBER_FORMATS.total,
      [c.invoiceAmount]: NUMBER_FORMATS.total,
      [c.difference]: NUMBER_FORMATS.total,
    },
    accountLabel,
    notes,
  };
}
