/**
 * What changed in a billing table since its previous refresh (pure: no Excel, no I/O).
 *
 * Provisional months move until they are finalized on the 5th of the following month; a finance user
 * refreshing a cost sheet every week wants to see which rows and totals moved, and which months closed.
 *
 * Input: two {@link TableSnapshot}s of the same table — the header labels as written in the sheet, the
 * data rows, and `metadata.billingPeriods` of the result each came from. A row is identified by its
 * dimension key: every column except the amounts (Unit price, Quantity, Total) and Period status, so
 * Currency and Unit belong to the key. Rows with the same key in one snapshot (Infobip should not send
 * them) are added together.
 *
 * Months compared: those that were Provisional in the previous snapshot, and months that are new. A
 * month that was already Final is only checked for the unexpected (rows that changed anyway) and
 * reported apart; a Final month that left the table's period (a "last month" preset moved on) is named.
 *
 * Amounts are summed in micro-units (billing-table.ts), so a delta is exactly `after - before` and the
 * deltas of the months add up to the change of the whole table. Key cells are compared without surrounding
 * spaces.
 */
import { z } from "zod";
import {
  BillingPeriodSchema,
  finalizationDate,
  type BillingPeriod,
  type IsoDate,
  type PeriodStatus,
  type YearMonth,
} from "../billing";
import {
  AMOUNT_COLUMNS,
  BILLING_TABLE_COLUMNS,
  MICROS_PER_UNIT,
  SnapshotCellSchema,
  billingColumnIndexes,
  billingMonthStatus,
  cellNumber,
  cellText,
  fromMicros,
  missingColumn,
  monthsOfLabel,
  periodStatusOf,
  toMicros,
  type SnapshotCell,
} from "./billing-table";

/** One state of a billing table: what the previous refresh left and what the new one brings. */
export const TableSnapshotSchema = z.object({
  /** Header labels in sheet order; must include Total, Currency and Billing month. */
  header: z.array(z.string()),
  rows: z.array(z.array(SnapshotCellSchema)),
  /** `metadata.billingPeriods` of the result these rows came from. */
  billingPeriods: z.array(BillingPeriodSchema),
});
export type TableSnapshot = z.infer<typeof TableSnapshotSchema>;

/** The amounts of one row (or of several rows with the same key, added together). */
export interface RowAmounts {
  total: number;
  quantity: number;
  unitPrice: number | null;
}

export interface RowChange {
  /** The row's dimension key, one string (stable; for matching). */
  key: string;
  /** The key's cells by header label, for display. */
  dimensions: Readonly<Record<string, string>>;
  currency: string;
  before?: RowAmounts;
  after?: RowAmounts;
}

export interface CurrencyTotalChange {
  currency: string;
  before: number;
  after: number;
  /** `after - before`, computed in millionths so it is exact. */
  delta: number;
  added: number;
  removed: number;
  changed: number;
}

export interface MonthChanges {
  /** `yyyy-MM`, or `yyyy-MM – yyyy-MM` for rows that span the period (no time dimension). */
  billingMonth: string;
  /** Status at the previous refresh; undefined when the month was not in the table. */
  statusBefore: PeriodStatus | undefined;
  /** Status now; undefined when the month is no longer in the table. */
  statusAfter: PeriodStatus | undefined;
  added: RowChange[];
  removed: RowChange[];
  changed: RowChange[];
  /** One entry per currency of the month, in either snapshot, sorted by currency. */
  totals: CurrencyTotalChange[];
}

export interface FinalizedMonth {
  month: YearMonth;
  /** The day the month's invoice closed (the 5th of the following month). */
  finalizedOn: IsoDate;
}

export interface RefreshChanges {
  /** Months that were Provisional before or are new, sorted; includes months with no change. */
  provisionalMonths: MonthChanges[];
  /** Months that became Final since the previous refresh, sorted. */
  becameFinal: FinalizedMonth[];
  /** Months that were already Final and whose rows changed anyway (should not happen; shown as a warning). */
  changedFinalMonths: MonthChanges[];
  /** Months that were Final and are no longer in the table's period. */
  leftPeriod: string[];
  /** True when any row, total or status moved. */
  hasChanges: boolean;
  /** Plain-words lines for the task pane. */
  summary: string[];
}

const NOT_IN_KEY: ReadonlySet<string> = new Set([...AMOUNT_COLUMNS, BILLING_TABLE_COLUMNS.periodStatus]);
/** The columns a comparison cannot do without. */
const REQUIRED_COLUMNS = [
  BILLING_TABLE_COLUMNS.total,
  BILLING_TABLE_COLUMNS.currency,
  BILLING_TABLE_COLUMNS.billingMonth,
];

interface IndexedRow {
  key: string;
  billingMonth: string;
  currency: string;
  dimensions: Record<string, string>;
  /** Amounts in micro-units (see billing-table.ts). */
  total: number;
  quantity: number;
  unitPrice: number | null;
  status: PeriodStatus | undefined;
}

/** Compares two snapshots of the same table. Throws a `RangeError` naming the column when a needed one is missing. */
export function compareSnapshots(previous: TableSnapshot, next: TableSnapshot): RefreshChanges {
  const before = indexRows(previous, "previous");
  const after = indexRows(next, "new");
  const months = [...new Set([...before.keys(), ...after.keys()])].sort();

  const provisionalMonths: MonthChanges[] = [];
  const changedFinalMonths: MonthChanges[] = [];
  const leftPeriod: string[] = [];
  for (const month of months) {
    const statusBefore = statusOf(month, previous.billingPeriods, before.get(month));
    const statusAfter = statusOf(month, next.billingPeriods, after.get(month));
    const change = compareMonth({
      billingMonth: month,
      before: { status: statusBefore, rows: before.get(month) },
      after: { status: statusAfter, rows: after.get(month) },
    });
    if (statusBefore === "Final") {
      if (statusAfter === undefined) leftPeriod.push(month);
      else if (rowCount(change) > 0) changedFinalMonths.push(change);
    } else {
      provisionalMonths.push(change);
    }
  }

  const becameFinal = finalizedSince(previous, next, before, after);
  const hasChanges =
    becameFinal.length > 0 ||
    changedFinalMonths.length > 0 ||
    leftPeriod.length > 0 ||
    provisionalMonths.some((m) => rowCount(m) > 0 || m.statusBefore === undefined || m.statusAfter === undefined);
  const result = { provisionalMonths, becameFinal, changedFinalMonths, leftPeriod, hasChanges };
  return { ...result, summary: summarize(result) };
}

function rowCount(change: MonthChanges): number {
  return change.added.length + change.removed.length + change.changed.length;
}

/** Rows grouped by billing month, then by key. */
function indexRows(snapshot: TableSnapshot, which: string): Map<string, Map<string, IndexedRow>> {
  const missing = missingColumn(snapshot.header, REQUIRED_COLUMNS);
  if (missing !== undefined) throw new RangeError(`the ${which} table has no "${missing}" column`);
  const at = billingColumnIndexes(snapshot.header);
  const keyColumns = snapshot.header.map((label, index) => ({ label, index })).filter((c) => !NOT_IN_KEY.has(c.label));

  const byMonth = new Map<string, Map<string, IndexedRow>>();
  for (const row of snapshot.rows) {
    const dimensions: Record<string, string> = {};
    for (const { label, index } of keyColumns) dimensions[label] = keyText(row[index]);
    const key = JSON.stringify(keyColumns.map(({ index }) => keyText(row[index])));
    const billingMonth = keyText(row[at.billingMonth]);
    const status = at.periodStatus >= 0 ? periodStatusOf(row[at.periodStatus]) : undefined;
    const rows = byMonth.get(billingMonth) ?? new Map<string, IndexedRow>();
    byMonth.set(billingMonth, rows);
    const existing = rows.get(key);
    const total = micros(row[at.total]) ?? 0;
    const quantity = at.quantity >= 0 ? (micros(row[at.quantity]) ?? 0) : 0;
    const unitPrice = at.unitPrice >= 0 ? micros(row[at.unitPrice]) : null;
    if (existing) {
      existing.total += total;
      existing.quantity += quantity;
      if (existing.unitPrice !== unitPrice) existing.unitPrice = null;
    } else {
      rows.set(key, {
        key,
        billingMonth,
        currency: keyText(row[at.currency]),
        dimensions,
        total,
        quantity,
        unitPrice,
        status,
      });
    }
  }
  return byMonth;
}

/** A month's status (see `billingMonthStatus`); undefined when the snapshot has no rows in it. */
function statusOf(
  billingMonth: string,
  billingPeriods: readonly BillingPeriod[],
  rows: Map<string, IndexedRow> | undefined
): PeriodStatus | undefined {
  if (!rows || rows.size === 0) return undefined;
  return billingMonthStatus(
    billingMonth,
    billingPeriods,
    [...rows.values()].map((r) => r.status)
  );
}

interface MonthSide {
  status: PeriodStatus | undefined;
  rows: Map<string, IndexedRow> | undefined;
}

function compareMonth({
  billingMonth,
  before,
  after,
}: {
  billingMonth: string;
  before: MonthSide;
  after: MonthSide;
}): MonthChanges {
  const beforeRows = before.rows ?? new Map<string, IndexedRow>();
  const afterRows = after.rows ?? new Map<string, IndexedRow>();
  const added: RowChange[] = [];
  const removed: RowChange[] = [];
  const changed: RowChange[] = [];
  const totals = new Map<string, { before: number; after: number; added: number; removed: number; changed: number }>();
  const totalFor = (currency: string) => {
    const entry = totals.get(currency) ?? { before: 0, after: 0, added: 0, removed: 0, changed: 0 };
    totals.set(currency, entry);
    return entry;
  };

  for (const row of beforeRows.values()) {
    const entry = totalFor(row.currency);
    entry.before += row.total;
    const now = afterRows.get(row.key);
    if (!now) {
      removed.push(rowChange(row, row, undefined));
      entry.removed++;
    } else if (now.total !== row.total || now.quantity !== row.quantity || now.unitPrice !== row.unitPrice) {
      changed.push(rowChange(row, row, now));
      entry.changed++;
    }
  }
  for (const row of afterRows.values()) {
    const entry = totalFor(row.currency);
    entry.after += row.total;
    if (!beforeRows.has(row.key)) {
      added.push(rowChange(row, undefined, row));
      entry.added++;
    }
  }

  return {
    billingMonth,
    statusBefore: before.status,
    statusAfter: after.status,
    added,
    removed,
    changed,
    totals: [...totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, t]) => ({
        currency,
        before: fromMicros(t.before),
        after: fromMicros(t.after),
        delta: fromMicros(t.after - t.before),
        added: t.added,
        removed: t.removed,
        changed: t.changed,
      })),
  };
}

function rowChange(row: IndexedRow, before: IndexedRow | undefined, after: IndexedRow | undefined): RowChange {
  const amounts = (r: IndexedRow): RowAmounts => ({
    total: fromMicros(r.total),
    quantity: fromMicros(r.quantity),
    unitPrice: r.unitPrice === null ? null : fromMicros(r.unitPrice),
  });
  return {
    key: row.key,
    dimensions: row.dimensions,
    currency: row.currency,
    ...(before ? { before: amounts(before) } : {}),
    ...(after ? { after: amounts(after) } : {}),
  };
}

/**
 * Months Final now that were not Final before: by `billingPeriods` where both snapshots list the month,
 * otherwise by the rows' Period status.
 */
function finalizedSince(
  previous: TableSnapshot,
  next: TableSnapshot,
  before: Map<string, Map<string, IndexedRow>>,
  after: Map<string, Map<string, IndexedRow>>
): FinalizedMonth[] {
  const finalNow = new Set(next.billingPeriods.filter((p) => p.volumeFinalized).map((p) => p.month));
  for (const [label, rows] of after) {
    const months = monthsOfLabel(label);
    if (months.length === 1 && [...rows.values()].every((r) => r.status === "Final")) finalNow.add(label);
  }
  const wasProvisional = (month: YearMonth): boolean => {
    const listed = previous.billingPeriods.find((p) => p.month === month);
    if (listed) return !listed.volumeFinalized;
    const rows = before.get(month);
    return rows !== undefined && [...rows.values()].some((r) => r.status !== "Final");
  };
  return [...finalNow]
    .filter(wasProvisional)
    .sort()
    .map((month) => ({ month, finalizedOn: finalizationDate(month) }));
}

function summarize(changes: Omit<RefreshChanges, "summary">): string[] {
  const lines: string[] = [];
  for (const { month, finalizedOn } of changes.becameFinal) {
    lines.push(`${month} is now Final (invoice month closed on ${finalizedOn}).`);
  }
  for (const month of changes.provisionalMonths) {
    if (month.statusBefore === undefined) {
      const rows = month.added.length;
      const totals = month.totals.map((t) => `${t.currency} ${formatAmount(t.after)}`).join(", ");
      lines.push(`${month.billingMonth} is new since the previous refresh: ${plural(rows, "row")}, total ${totals}.`);
      continue;
    }
    if (month.statusAfter === undefined) {
      lines.push(`${month.billingMonth} is no longer in the table (it was provisional).`);
      continue;
    }
    for (const total of month.totals) {
      const counts = rowCounts(total);
      if (total.delta === 0 && counts === "") continue;
      const movement =
        total.delta === 0
          ? `${month.billingMonth} ${total.currency} total unchanged at ${formatAmount(total.after)}`
          : `${month.billingMonth} ${total.currency} total moved from ${formatAmount(total.before)} to ${formatAmount(total.after)} (${formatSigned(total.delta)})`;
      lines.push(counts === "" ? `${movement}.` : `${movement}, ${counts}.`);
    }
  }
  for (const month of changes.changedFinalMonths) {
    lines.push(
      `${month.billingMonth} was already Final but ${plural(rowCount(month), "row")} ${rowCount(month) === 1 ? "differs" : "differ"} from the previous refresh; check with Infobip.`
    );
  }
  for (const month of changes.leftPeriod) lines.push(`${month} is no longer in the table's period.`);
  if (lines.length === 0) lines.push("Nothing changed since the previous refresh.");
  return lines;
}

function rowCounts(total: CurrencyTotalChange): string {
  const parts: string[] = [];
  if (total.added > 0) parts.push(`${plural(total.added, "row")} added`);
  if (total.removed > 0) parts.push(`${plural(total.removed, "row")} removed`);
  if (total.changed > 0) parts.push(`${plural(total.changed, "row")} changed`);
  return parts.join(", ");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** `1,234.56`: thousands separated, at least two decimals, more (up to six) when the amount has them. */
export function formatAmount(amount: number): string {
  const negative = amount < 0;
  const micros = toMicros(Math.abs(amount));
  const whole = Math.floor(micros / MICROS_PER_UNIT);
  const significant = String(micros % MICROS_PER_UNIT)
    .padStart(6, "0")
    .replace(/0+$/, "");
  const decimals = significant.padEnd(2, "0");
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative && micros > 0 ? "-" : ""}${grouped}.${decimals}`;
}

/** `+66.64` / `-3.10`. */
export function formatSigned(amount: number): string {
  return amount > 0 ? `+${formatAmount(amount)}` : formatAmount(amount);
}

/** A cell as part of a row's key: its text without surrounding spaces. */
function keyText(cell: SnapshotCell | undefined): string {
  return cellText(cell).trim();
}

/** A cell's amount in micro-units, or null when it holds no number. */
function micros(cell: SnapshotCell | undefined): number | null {
  const value = cellNumber(cell);
  return value === null ? null : toMicros(value);
}
