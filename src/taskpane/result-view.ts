/**
 * A fetched result as people read it (pure): the shaped table (friendly headers, typed cells, Billing month
 * and Period status after the data), totals per currency, the billing periods with their status, and the
 * provenance — for the browser preview, the CSV download and the change summary after a refresh.
 */
import {
  alignToGranularity,
  columnLabel,
  finalizationDate,
  granularityOf,
  includesUnfinalizedData,
  isIdentifierColumn,
  monthStatus,
  rowPeriod,
  toDateInterval,
  toIsoDate,
  toQuery,
  typeRow,
  type BillingPeriod,
  type ColumnInfo,
  type DateInterval,
  type PeriodStatus,
  type TypedCell,
} from "../billing";
import type { FetchedResult } from "./query-runner";

export const BILLING_MONTH_HEADER = "Billing month";
export const PERIOD_STATUS_HEADER = "Period status";

/** How a column is shown and exported. */
export type ColumnKind = "day" | "month" | "number" | "identifier" | "text" | "status";

export interface ShapedColumn {
  label: string;
  kind: ColumnKind;
  /** The API column name; undefined for the two period-status columns. */
  source?: string;
}

export interface ShapedTable {
  columns: ShapedColumn[];
  /** Typed cells, in column order: dates as UTC `Date`s, amounts as numbers, identifiers as text, N/A as null. */
  rows: TypedCell[][];
  /** Each row's period status, for marking provisional rows. */
  statuses: PeriodStatus[];
}

/** The period Infobip used: `requestedPeriod` when passed on, else the asked-for period aligned to the granularity. */
export function effectivePeriod(result: FetchedResult): DateInterval {
  if (result.requestedPeriod) return toDateInterval(result.requestedPeriod);
  const granularity = granularityOf(result.definition.aggregateBy);
  const asked = result.metadata
    ? toDateInterval(result.metadata.clientRequestedPeriod)
    : toQuery(result.definition, result.retrievedAt).filterBy.dateInterval;
  return alignToGranularity(asked, granularity);
}

function kindOf(column: ColumnInfo): ColumnKind {
  if (column.columnName === "DAY") return "day";
  if (column.columnName === "MONTH") return "month";
  if (isIdentifierColumn(column.columnName)) return "identifier";
  if (column.columnDataType === "NUMBER" || column.columnDataType === "INTEGER") return "number";
  if (column.columnDataType === "DATE_TIME") return "day";
  return "text";
}

/** The table as the workbook shows it: data columns with friendly headers, then Billing month and Period status. */
export function shapeResult(result: FetchedResult): ShapedTable {
  const period = effectivePeriod(result);
  const billingPeriods = result.metadata?.billingPeriods ?? [];
  const timeIndex = result.columns.findIndex((c) => c.columnName === "DAY" || c.columnName === "MONTH");
  const columns: ShapedColumn[] = [
    ...result.columns.map((c) => ({ label: columnLabel(c.columnName), kind: kindOf(c), source: c.columnName })),
    { label: BILLING_MONTH_HEADER, kind: "text" },
    { label: PERIOD_STATUS_HEADER, kind: "status" },
  ];
  const statuses: PeriodStatus[] = [];
  const rows = result.rows.map((raw) => {
    const typed = typeRow(raw, result.columns);
    const timeCell = timeIndex >= 0 ? raw[timeIndex] : undefined;
    const { billingMonth, status } = rowPeriod(
      typeof timeCell === "string" ? timeCell : undefined,
      period,
      billingPeriods,
    );
    statuses.push(status);
    return [...typed, billingMonth, status];
  });
  return { columns, rows, statuses };
}

/** Amounts are added in millionths as integers, so totals do not drift. */
const SCALE = 1_000_000;

export interface CurrencyTotal {
  currency: string;
  total: number;
  rows: number;
  provisionalRows: number;
}

/** Totals per currency (never added across currencies), sorted by currency. */
export function totalsByCurrency(table: ShapedTable): CurrencyTotal[] {
  const totalAt = table.columns.findIndex((c) => c.source === "TOTAL_PER_UNIT");
  const currencyAt = table.columns.findIndex((c) => c.source === "CURRENCY");
  if (totalAt < 0 || currencyAt < 0) return [];
  const sums = new Map<string, { micros: number; rows: number; provisionalRows: number }>();
  table.rows.forEach((row, index) => {
    const currency = typeof row[currencyAt] === "string" ? (row[currencyAt] as string) : "(none)";
    const entry = sums.get(currency) ?? { micros: 0, rows: 0, provisionalRows: 0 };
    const total = row[totalAt];
    if (typeof total === "number") entry.micros += Math.round(total * SCALE);
    entry.rows++;
    if (table.statuses[index] === "Provisional") entry.provisionalRows++;
    sums.set(currency, entry);
  });
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, s]) => ({ currency, total: s.micros / SCALE, rows: s.rows, provisionalRows: s.provisionalRows }));
}

export interface PeriodLine {
  month: string;
  status: PeriodStatus;
  /** The day a provisional month's data becomes final. */
  finalizesOn?: string;
}

/** The billing periods of a result with their status, from `metadata.billingPeriods`. */
export function periodLines(billingPeriods: readonly BillingPeriod[]): PeriodLine[] {
  return [...billingPeriods]
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map((p) => {
      const status = monthStatus(billingPeriods, p.month);
      return status === "Final" ? { month: p.month, status } : { month: p.month, status, finalizesOn: finalizationDate(p.month) };
    });
}

export interface Provenance {
  /** What the user asked for (inclusive first day, exclusive end). */
  requested: DateInterval;
  /** What Infobip used, when it differs (aligned to the granularity, or trimmed to final months). */
  used?: DateInterval;
  retrievedAtUtc: string;
  requestId?: string;
  includesProvisional: boolean;
}

export function provenanceOf(result: FetchedResult): Provenance {
  const requested = result.metadata
    ? toDateInterval(result.metadata.clientRequestedPeriod)
    : toQuery(result.definition, result.retrievedAt).filterBy.dateInterval;
  const used = effectivePeriod(result);
  const differs = used.sentSince !== requested.sentSince || used.sentUntil !== requested.sentUntil;
  return {
    requested,
    ...(differs ? { used } : {}),
    retrievedAtUtc: `${result.retrievedAt.toISOString().slice(0, 19).replace("T", " ")} UTC`,
    ...(result.requestId ? { requestId: result.requestId } : {}),
    includesProvisional: includesUnfinalizedData({ options: { includeUnfinalizedData: result.definition.includeUnfinalizedData } }),
  };
}

/** A cell as text for the screen: dates as yyyy-mm-dd (DAY) or yyyy-mm (MONTH), numbers unrounded, N/A empty. */
export function displayCell(cell: TypedCell, kind: ColumnKind): string {
  if (cell === null) return "";
  if (cell instanceof Date) return kind === "month" ? toIsoDate(cell).slice(0, 7) : toIsoDate(cell);
  if (typeof cell === "number") return kind === "number" ? formatNumber(cell) : String(cell);
  return String(cell);
}

/** Up to six decimals, no thousands separators lost in translation: 0.0075, 1234.5. */
export function formatNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 6, useGrouping: true });
}

/** `1,234.56` with at least two decimals (amounts). */
export function formatMoney(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

/** A snapshot for `compareSnapshots` (src/excel/changes.ts): header labels, rows, billing periods. */
export function snapshotOf(result: FetchedResult, table: ShapedTable = shapeResult(result)) {
  return {
    header: table.columns.map((c) => c.label),
    rows: table.rows.map((row) => row.map((cell) => (cell instanceof Date ? toIsoDate(cell) : cell))),
    billingPeriods: result.metadata?.billingPeriods ?? [],
  };
}
