/**
 * What a cost overview of a billing table contains (pure: no Excel, no I/O), in two layers:
 * - its keys ({@link overviewKeys}): per currency, the billing months and the values of the chosen dimension
 *   (service category by default), the month each daily chart shows — what the overview sheet's layout is
 *   planned from (`overview-plan.ts`), read from the table's key columns without its amounts;
 * - its figures ({@link computeOverview}): the same sums the sheet's live formulas compute, evaluated in
 *   JavaScript, for the browser preview and for the tests that hold the sheet, the preview and the
 *   reconciliation to the same totals.
 *
 * Everything is per currency: amounts in different currencies are never added together. Keys are grouped
 * without case and sums match as SUMIFS matches (billing-table.ts, sumifs.ts), so both layers agree with
 * the formulas. Amounts are summed in micro-units.
 *
 * Choices (the issue leaves them open):
 * - the dimension defaults to Category code (Infobip's service category, always in a billing table), else
 *   Category, else the table's first text dimension; Day, Month and the amounts cannot be chosen;
 * - a month is Provisional when any of its rows is (as the sheet's COUNTIFS reads the Period status column);
 * - "what moved" compares each currency's latest billing month with the one before it, sorted from the
 *   largest increase to the largest decrease (ties keep the dimension's order); a percent is left out when
 *   the previous month had nothing, and the value is marked "new" when it appears;
 * - the daily chart shows the latest billing month of each currency, complete days only (the day of the
 *   retrieval is still filling up), with the forecast of `src/billing/forecast.ts`.
 */
import {
  addDays,
  forecastMonthEnd,
  fromExcelSerial,
  isIsoDate,
  toIsoDate,
  type BillingPeriod,
  type ForecastOutcome,
  type IsoDate,
  type PeriodStatus,
} from "../billing";
import {
  BILLING_TABLE_COLUMNS,
  billingMonthStatus,
  cellText,
  fromMicros,
  missingColumn,
  monthsOfLabel,
  toMicros,
  type BillingTableCells,
  type SnapshotCell,
} from "./billing-table";

/** Dimensions offered for an overview, most useful first; the default is the first the table has. */
export const PREFERRED_DIMENSIONS: readonly string[] = ["Category code", "Category"];

/** Columns that cannot split an overview: time, amounts, currency and our own period columns. */
const NOT_A_DIMENSION: ReadonlySet<string> = new Set([
  BILLING_TABLE_COLUMNS.day,
  BILLING_TABLE_COLUMNS.month,
  BILLING_TABLE_COLUMNS.unitPrice,
  BILLING_TABLE_COLUMNS.quantity,
  BILLING_TABLE_COLUMNS.total,
  BILLING_TABLE_COLUMNS.currency,
  BILLING_TABLE_COLUMNS.billingMonth,
  BILLING_TABLE_COLUMNS.periodStatus,
]);

/** The columns of a header an overview can be split by, in table order. */
export function overviewDimensions(header: readonly string[]): string[] {
  const statusAt = header.indexOf(BILLING_TABLE_COLUMNS.periodStatus);
  const ours = statusAt >= 0 ? header.slice(0, statusAt + 1) : header;
  return ours.filter((label) => !NOT_A_DIMENSION.has(label));
}

/** The dimension an overview uses by default: Category code, else Category, else the first one. */
export function defaultDimension(header: readonly string[]): string | undefined {
  const dimensions = overviewDimensions(header);
  return PREFERRED_DIMENSIONS.find((d) => dimensions.includes(d)) ?? dimensions[0];
}

/** How a missing dimension value is shown (its cell stays empty, so SUMIFS still matches it). */
export const BLANK_LABEL = "(blank)";

export function valueLabel(value: string): string {
  return value === "" ? BLANK_LABEL : value;
}

/** A month as the charts show it: `2026-11 (provisional)` while it can still change. */
export function monthLabel(billingMonth: string, status: PeriodStatus): string {
  return status === "Provisional" ? `${billingMonth} (provisional)` : billingMonth;
}

// ------------------------------------------------------------------ keys

export interface OverviewMonthKey {
  billingMonth: string;
  /** As the Period status column says (any provisional row makes the month Provisional). */
  status: PeriodStatus;
}

export interface CurrencyKeys {
  currency: string;
  /** Billing months with rows in this currency, in order. */
  months: OverviewMonthKey[];
  /** Values of the dimension in this currency, sorted without case (the first spelling seen is kept). */
  values: string[];
  /** The month of the daily chart and forecast: the latest billing month, when the table has a Day column. */
  dailyMonth?: string;
}

export interface OverviewKeys {
  /** The header of the column costs are split by. */
  dimension: string;
  hasDay: boolean;
  /** True when the table has a Period status column (the sheet then reads statuses live from it). */
  hasPeriodStatus: boolean;
  currencies: CurrencyKeys[];
}

interface Columns {
  total: number;
  currency: number;
  billingMonth: number;
  periodStatus: number;
  dimension: number;
  day: number;
}

/** The columns an overview reads; a RangeError in plain words when one it needs is missing. */
function columnsOf(header: readonly string[], dimension: string, tableName: string): Columns {
  const c = BILLING_TABLE_COLUMNS;
  const missing = missingColumn(header, [c.total, c.currency, c.billingMonth, dimension]);
  if (missing !== undefined) {
    throw new RangeError(
      `${tableName} has no "${missing}" column; a cost overview needs ${c.billingMonth}, ${c.currency}, ${c.total} and the column to split costs by.`
    );
  }
  if (!overviewDimensions(header).includes(dimension)) {
    throw new RangeError(`"${dimension}" cannot split a cost overview: choose a column such as Category code.`);
  }
  return {
    total: header.indexOf(c.total),
    currency: header.indexOf(c.currency),
    billingMonth: header.indexOf(c.billingMonth),
    periodStatus: header.indexOf(c.periodStatus),
    dimension: header.indexOf(dimension),
    day: header.indexOf(c.day),
  };
}

const lower = (text: string) => text.toLowerCase();
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTextWithoutCase = (a: string, b: string) => byText(lower(a), lower(b)) || byText(a, b);

/** A Day cell as an ISO date: a serial (as written) or a Date (as read back); undefined otherwise. */
export function dayOf(cell: SnapshotCell | undefined): IsoDate | undefined {
  if (cell instanceof Date) return toIsoDate(cell);
  if (typeof cell === "number" && Number.isFinite(cell)) return toIsoDate(fromExcelSerial(Math.floor(cell)));
  if (typeof cell === "string" && isIsoDate(cell.slice(0, 10))) return cell.slice(0, 10);
  return undefined;
}

interface Grouped {
  columns: Columns;
  /** Month → whether any of its rows is Provisional (any currency), and the statuses seen. */
  monthStatuses: Map<string, string[]>;
  currencies: Map<string, CurrencyGroup>;
}

interface CurrencyGroup {
  currency: string;
  months: Map<string, Map<string, number>>;
  /** Dimension value (without case) → the first spelling seen. */
  values: Map<string, string>;
  /** Day → dimension value (without case) → micros. */
  days: Map<IsoDate, Map<string, number>>;
}

function group(table: BillingTableCells, dimension: string, tableName: string): Grouped {
  const columns = columnsOf(table.header, dimension, tableName);
  const monthStatuses = new Map<string, string[]>();
  const currencies = new Map<string, CurrencyGroup>();
  for (const row of table.rows) {
    const currency = cellText(row[columns.currency]);
    const month = cellText(row[columns.billingMonth]);
    const value = cellText(row[columns.dimension]);
    const statuses = monthStatuses.get(month) ?? [];
    monthStatuses.set(month, statuses);
    if (columns.periodStatus >= 0) statuses.push(cellText(row[columns.periodStatus]));
    const entry = currencies.get(lower(currency)) ?? {
      currency,
      months: new Map<string, Map<string, number>>(),
      values: new Map<string, string>(),
      days: new Map<IsoDate, Map<string, number>>(),
    };
    currencies.set(lower(currency), entry);
    if (!entry.values.has(lower(value))) entry.values.set(lower(value), value);
    const cells = entry.months.get(month) ?? new Map<string, number>();
    entry.months.set(month, cells);
    // SUMIFS adds numbers only: an empty or text Total counts for nothing.
    const total = row[columns.total];
    const micros = typeof total === "number" && Number.isFinite(total) ? toMicros(total) : 0;
    cells.set(lower(value), (cells.get(lower(value)) ?? 0) + micros);
    const day = columns.day >= 0 ? dayOf(row[columns.day]) : undefined;
    if (day !== undefined) {
      const byValue = entry.days.get(day) ?? new Map<string, number>();
      entry.days.set(day, byValue);
      byValue.set(lower(value), (byValue.get(lower(value)) ?? 0) + micros);
    }
  }
  return { columns, monthStatuses, currencies };
}

/** The status the sheet shows for a month: Provisional when any row says so (or by `billingPeriods` without the column). */
function statusOfMonth(
  month: string,
  statuses: readonly string[],
  hasPeriodStatus: boolean,
  billingPeriods: readonly BillingPeriod[] | undefined
): PeriodStatus {
  if (hasPeriodStatus) return statuses.some((s) => lower(s) === "provisional") ? "Provisional" : "Final";
  return billingMonthStatus(month, billingPeriods, []);
}

/** The overview's keys for a table (its Total column is not read). */
export function overviewKeys(
  table: BillingTableCells,
  dimension = defaultDimension(table.header) ?? "",
  tableName = "The billing table"
): OverviewKeys {
  return keysOf(group(table, dimension, tableName), table.billingPeriods, dimension);
}

function keysOf(
  grouped: Grouped,
  billingPeriods: readonly BillingPeriod[] | undefined,
  dimension: string
): OverviewKeys {
  const hasPeriodStatus = grouped.columns.periodStatus >= 0;
  const hasDay = grouped.columns.day >= 0;
  const currencies = [...grouped.currencies.values()]
    .sort((a, b) => byText(a.currency, b.currency))
    .map((entry): CurrencyKeys => {
      const months = [...entry.months.keys()].sort(byText).map((billingMonth) => ({
        billingMonth,
        status: statusOfMonth(
          billingMonth,
          grouped.monthStatuses.get(billingMonth) ?? [],
          hasPeriodStatus,
          billingPeriods
        ),
      }));
      const latest = months[months.length - 1]?.billingMonth;
      const dailyMonth = hasDay && latest !== undefined && monthsOfLabel(latest).length === 1 ? latest : undefined;
      return {
        currency: entry.currency,
        months,
        values: [...entry.values.values()].sort(byTextWithoutCase),
        ...(dailyMonth !== undefined ? { dailyMonth } : {}),
      };
    });
  return { dimension, hasDay, hasPeriodStatus, currencies };
}

// ------------------------------------------------------------------ figures

export interface OverviewMonth extends OverviewMonthKey {
  /** `2026-11 (provisional)`. */
  label: string;
  /** Cost per dimension value, in the order of {@link CurrencyOverview.values}. */
  byValue: number[];
  total: number;
}

export interface MovedRow {
  value: string;
  previous: number;
  latest: number;
  /** `latest − previous`, exact (micro-units). */
  change: number;
  /** `change / previous`; null when both are 0; "new" when only the latest month has it. */
  changeRatio: number | null | "new";
}

export interface WhatMoved {
  previous: OverviewMonthKey;
  latest: OverviewMonthKey;
  /** Largest increase first, largest decrease last. */
  rows: MovedRow[];
}

export interface DailyCost {
  day: IsoDate;
  /** Cost of the day; null for the day of the retrieval and later (not complete yet). */
  cost: number | null;
}

export interface DailyOverview {
  month: string;
  status: PeriodStatus;
  days: DailyCost[];
  forecast: ForecastOutcome;
  /** Per dimension value, when asked for. */
  byValue?: { value: string; forecast: ForecastOutcome }[];
}

export interface CurrencyOverview {
  currency: string;
  values: string[];
  months: OverviewMonth[];
  /** When the currency has at least two billing months. */
  moved?: WhatMoved;
  /** When the table has a Day column. */
  daily?: DailyOverview;
}

export interface Overview {
  dimension: string;
  /** The first incomplete day: the day the data was retrieved (UTC). */
  asOf: IsoDate;
  currencies: CurrencyOverview[];
  /** Why there is no daily chart or forecast, when there is none: in plain words. */
  noDailyReason?: string;
}

export interface OverviewOptions {
  /** The column to split costs by (default: {@link defaultDimension}). */
  dimension?: string;
  /** The day the data was retrieved (UTC). */
  asOf: IsoDate;
  /** Forecast each value of the dimension too. */
  forecastByDimension?: boolean;
}

export const NO_DAY_REASON =
  "The table has no Day column: the daily chart and the month-end forecast need daily costs. Run the query with Day granularity.";

/** The overview's figures, as the sheet's formulas compute them. */
export function computeOverview(table: BillingTableCells, options: OverviewOptions): Overview {
  const dimension = options.dimension ?? defaultDimension(table.header) ?? "";
  const grouped = group(table, dimension, "The billing table");
  const keys = keysOf(grouped, table.billingPeriods, dimension);
  const currencies = keys.currencies.map((key): CurrencyOverview => {
    const entry = grouped.currencies.get(lower(key.currency));
    const micros = (month: string, value: string) => entry?.months.get(month)?.get(lower(value)) ?? 0;
    const months = key.months.map((m): OverviewMonth => {
      const byValue = key.values.map((value) => micros(m.billingMonth, value));
      return {
        ...m,
        label: monthLabel(m.billingMonth, m.status),
        byValue: byValue.map(fromMicros),
        total: fromMicros(byValue.reduce((a, b) => a + b, 0)),
      };
    });
    const overview: CurrencyOverview = { currency: key.currency, values: key.values, months };
    const previous = key.months[key.months.length - 2];
    const latest = key.months[key.months.length - 1];
    if (previous && latest) overview.moved = whatMoved(key.values, previous, latest, micros);
    if (key.dailyMonth !== undefined && latest && entry) {
      overview.daily = daily(entry, key, latest.status, options);
    }
    return overview;
  });
  return {
    dimension,
    asOf: options.asOf,
    currencies,
    ...(keys.hasDay ? {} : { noDailyReason: NO_DAY_REASON }),
  };
}

function whatMoved(
  values: readonly string[],
  previous: OverviewMonthKey,
  latest: OverviewMonthKey,
  micros: (month: string, value: string) => number
): WhatMoved {
  const rows = values.map((value, index) => {
    const before = micros(previous.billingMonth, value);
    const after = micros(latest.billingMonth, value);
    return { value, index, before, after, change: after - before };
  });
  rows.sort((a, b) => b.change - a.change || a.index - b.index);
  return {
    previous,
    latest,
    rows: rows.map(({ value, before, after, change }) => ({
      value,
      previous: fromMicros(before),
      latest: fromMicros(after),
      change: fromMicros(change),
      changeRatio: before === 0 ? (after === 0 ? null : "new") : change / before,
    })),
  };
}

function daily(entry: CurrencyGroup, key: CurrencyKeys, status: PeriodStatus, options: OverviewOptions): DailyOverview {
  const month = key.dailyMonth ?? "";
  const dailyMicros = (value?: string): Map<IsoDate, number> => {
    const result = new Map<IsoDate, number>();
    for (const [day, byValue] of entry.days) {
      if (!day.startsWith(month)) continue;
      const amount =
        value === undefined ? [...byValue.values()].reduce((a, b) => a + b, 0) : (byValue.get(lower(value)) ?? 0);
      result.set(day, amount);
    }
    return result;
  };
  const totals = dailyMicros();
  const forecast = forecastMonthEnd({ month, status, firstIncompleteDay: options.asOf, dailyMicros: totals });
  const days: DailyCost[] = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) {
    days.push({ day, cost: day < options.asOf ? fromMicros(totals.get(day) ?? 0) : null });
  }
  return {
    month,
    status,
    days,
    forecast,
    ...(options.forecastByDimension
      ? {
          byValue: key.values.map((value) => ({
            value,
            forecast: forecastMonthEnd({
              month,
              status,
              firstIncompleteDay: options.asOf,
              dailyMicros: dailyMicros(value),
            }),
          })),
        }
      : {}),
  };
}
