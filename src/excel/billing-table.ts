/**
 * How to read a billing table (pure: no Excel, no I/O): its column labels, its cells as Office.js reads them
 * back, the calendar months a Billing month cell names and their period status, and amounts in micro-units.
 *
 * The writer (`shape.ts`) writes these labels; the refresh summary (`changes.ts`), the reconciliation
 * (`reconciliation-plan.ts`, `reconciliation.ts`), the snapshot reader (`table-snapshot.ts`) and PivotTables
 * (`pivot.ts`) read tables through this module only. Columns are found by their exact labels, as the writer
 * wrote them; each reader words its own refusal when a column it needs is missing.
 */
import { z } from "zod";
import {
  columnLabel,
  isYearMonth,
  monthStatus,
  type BillingPeriod,
  type PeriodStatus,
  type YearMonth,
} from "../billing";
import type { BillingPeriodStatus } from "./shape";

// ------------------------------------------------------------------ labels

/** Header of the column holding the row's billing month (`yyyy-MM`, text). */
export const BILLING_MONTH_HEADER = "Billing month";
/** Header of the column holding "Final" or "Provisional". */
export const PERIOD_STATUS_HEADER = "Period status";
/**
 * Header of the first column of a table run over named Infobip connections (accounts or data centres): the
 * connection each row came from. Only such tables have it; a table of a relay with one connection does not.
 */
export const CONNECTION_HEADER = "Connection";

/** The headers workbook code relies on (refresh summary, reconciliation, pivots): find columns by these names. */
export const BILLING_TABLE_COLUMNS = {
  day: columnLabel("DAY"),
  month: columnLabel("MONTH"),
  account: columnLabel("ACCOUNT_NAME"),
  accountKey: columnLabel("ACCOUNT_KEY"),
  unit: columnLabel("UNIT_TYPE"),
  unitPrice: columnLabel("UNIT_PRICE"),
  quantity: columnLabel("QUANTITY"),
  total: columnLabel("TOTAL_PER_UNIT"),
  currency: columnLabel("CURRENCY"),
  billingMonth: BILLING_MONTH_HEADER,
  periodStatus: PERIOD_STATUS_HEADER,
  connection: CONNECTION_HEADER,
} as const;

/** The amount columns (per row figures, never part of a row's identity). */
export const AMOUNT_COLUMNS: readonly string[] = [
  BILLING_TABLE_COLUMNS.unitPrice,
  BILLING_TABLE_COLUMNS.quantity,
  BILLING_TABLE_COLUMNS.total,
];

export const PERIOD_STATUS_VALUES: readonly PeriodStatus[] = ["Final", "Provisional"];

// ------------------------------------------------------------------ cells

/** A cell as written to or read back from the table: dates may be serials or `Date`s, empty cells `null` or "". */
export const SnapshotCellSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.date()]);
export type SnapshotCell = z.infer<typeof SnapshotCellSchema>;

/** A value as Office.js reads it back, as a snapshot cell: anything that is not text, number or boolean is empty. */
export function toSnapshotCell(value: unknown): SnapshotCell {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
}

/** A table's header labels from its header row's `values`. */
export function headerLabels(headerValues: readonly (readonly unknown[])[]): string[] {
  return (headerValues[0] ?? []).map((cell) => String(cell));
}

/** True for a row with nothing in it, such as the one blank data row Excel keeps in an empty table. */
export function isBlankRow(row: readonly SnapshotCell[]): boolean {
  return row.every((cell) => cell === "" || cell === null);
}

/** A cell's text as it stands in the sheet: "" for an empty cell, ISO 8601 for a `Date`. */
export function cellText(cell: SnapshotCell | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/** A Period status cell's status, or undefined when it holds anything else. */
export function periodStatusOf(cell: SnapshotCell | undefined): PeriodStatus | undefined {
  return PERIOD_STATUS_VALUES.find((status) => status === cell);
}

/** A cell's number: a finite number, or text that reads as one (a table edited by hand); otherwise null. */
export function cellNumber(cell: SnapshotCell | undefined): number | null {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : null;
  if (typeof cell === "string" && cell.trim() !== "" && Number.isFinite(Number(cell))) return Number(cell);
  return null;
}

// ------------------------------------------------------------------ columns

/** Where the billing columns are in a header row: -1 for a column the table does not have. */
export interface BillingColumnIndexes {
  total: number;
  currency: number;
  billingMonth: number;
  quantity: number;
  unitPrice: number;
  periodStatus: number;
}

export function billingColumnIndexes(header: readonly string[]): BillingColumnIndexes {
  const c = BILLING_TABLE_COLUMNS;
  return {
    total: header.indexOf(c.total),
    currency: header.indexOf(c.currency),
    billingMonth: header.indexOf(c.billingMonth),
    quantity: header.indexOf(c.quantity),
    unitPrice: header.indexOf(c.unitPrice),
    periodStatus: header.indexOf(c.periodStatus),
  };
}

/** The first of `labels` the header lacks, or undefined when it has them all. */
export function missingColumn(header: readonly string[], labels: readonly string[]): string | undefined {
  return labels.find((label) => !header.includes(label));
}

/**
 * The column that tells accounts apart: Account when the table has it, else Account key (invoices name
 * accounts, so the name wins when both are there); undefined without either.
 */
export function accountColumn(header: readonly string[]): { label: string; index: number } | undefined {
  const label = [BILLING_TABLE_COLUMNS.account, BILLING_TABLE_COLUMNS.accountKey].find((l) => header.includes(l));
  return label === undefined ? undefined : { label, index: header.indexOf(label) };
}

// ------------------------------------------------------------------ amounts

/** Amounts are added in millionths of the currency unit, as integers, so sums and deltas are exact. */
export const MICROS_PER_UNIT = 1_000_000;

export function toMicros(amount: number): number {
  return Math.round(amount * MICROS_PER_UNIT);
}

export function fromMicros(micros: number): number {
  return micros / MICROS_PER_UNIT;
}

// ------------------------------------------------------------------ billing months

/** The calendar months a Billing month label names: `2026-03`, or every month of `2026-01 – 2026-03`. */
export function monthsOfLabel(label: string): YearMonth[] {
  const parts = label.split(/\s*[–-]\s*(?=\d{4}-\d{2}$)/).map((p) => p.trim());
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined || !isYearMonth(first) || !isYearMonth(last) || last < first) return [];
  const months: YearMonth[] = [];
  for (let year = Number(first.slice(0, 4)), month = Number(first.slice(5, 7)); ; month++) {
    if (month > 12) {
      year++;
      month = 1;
    }
    const current = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    months.push(current);
    if (current >= last) return months;
  }
}

/**
 * The status of a Billing month label: from `billingPeriods` when they list every month it names (a span is
 * Final only when all its months are), otherwise from the Period status cells of its rows (Final only when
 * there are some and every one says Final).
 */
export function billingMonthStatus(
  label: string,
  billingPeriods: readonly BillingPeriod[] | undefined,
  rowStatuses: Iterable<string | undefined>
): PeriodStatus {
  const months = monthsOfLabel(label);
  if (billingPeriods && months.length > 0 && months.every((m) => billingPeriods.some((p) => p.month === m))) {
    return months.every((m) => monthStatus(billingPeriods, m) === "Final") ? "Final" : "Provisional";
  }
  const statuses = [...rowStatuses];
  return statuses.length > 0 && statuses.every((s) => s === "Final") ? "Final" : "Provisional";
}

/** `metadata.billingPeriods` again, from the month statuses a table's provenance keeps. */
export function billingPeriodsOf(statuses: readonly Pick<BillingPeriodStatus, "month" | "status">[]): BillingPeriod[] {
  return statuses.map((p) => ({ month: p.month, volumeFinalized: p.status === "Final" }));
}

/** A billing table's cells: what the reconciliation and the refresh summary read. */
export interface BillingTableCells {
  header: readonly string[];
  rows: readonly (readonly SnapshotCell[])[];
  /** `metadata.billingPeriods` of the result; without them, statuses come from the Period status column. */
  billingPeriods?: readonly BillingPeriod[];
}
