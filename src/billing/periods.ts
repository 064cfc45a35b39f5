/**
 * Billing periods: the retention window, month finalization (Final / Provisional), the composer's date
 * presets and how a result row maps to a billing month. Every function takes "now" as an argument.
 *
 * Infobip: data for a month is provisional until it is finalized on the 5th of the following month
 * (UTC), when the invoice is issued; only the current month and the two before it can be queried.
 */
import {
  addDays,
  addMonths,
  firstDayOf,
  isoDateToUtc,
  monthOf,
  parseApiDateTime,
  toIsoDate,
  type IsoDate,
  type YearMonth,
} from "./atoms";
import type { DateInterval } from "./request";
import type { BillingPeriod, DateTimeInterval } from "./result";

/** The day of the following month on which a month's billing data is finalized. */
export const FINALIZATION_DAY = 5;
/** Months before the current one that can still be queried. */
export const RETENTION_PRIOR_MONTHS = 2;

export type PeriodStatus = "Final" | "Provisional";

/** The queryable window: from the 1st of the month two months back to the 1st of next month (exclusive). */
export function retentionWindow(now: Date): DateInterval {
  const current = monthOf(now);
  return {
    sentSince: firstDayOf(addMonths(current, -RETENTION_PRIOR_MONTHS)),
    sentUntil: firstDayOf(addMonths(current, 1)),
  };
}

/** The instant a month's data becomes final: the 5th of the next month, 00:00 UTC. */
export function finalizationInstant(month: YearMonth): Date {
  return isoDateToUtc(addDays(firstDayOf(addMonths(month, 1)), FINALIZATION_DAY - 1));
}

/** The date a month finalizes, `yyyy-MM-dd`. */
export function finalizationDate(month: YearMonth): IsoDate {
  return toIsoDate(finalizationInstant(month));
}

/** The calendar rule: is `month` final at `now`? (The emulator decides by this; the pane reads metadata.) */
export function isMonthFinalAt(month: YearMonth, now: Date): boolean {
  return now.getTime() >= finalizationInstant(month).getTime();
}

/** Every calendar month that a `[sentSince, sentUntil)` interval touches, in order. */
export function monthsCovered(interval: DateInterval): YearMonth[] {
  if (interval.sentUntil <= interval.sentSince) return [];
  const months: YearMonth[] = [];
  const last = monthOf(addDays(interval.sentUntil, -1));
  // Step only while below `last`, so the month after 9999-12 (which no yyyy-MM can name) is never computed.
  for (let month = monthOf(interval.sentSince); month < last; month = addMonths(month, 1)) months.push(month);
  months.push(last);
  return months;
}

/** `metadata.billingPeriods` for an interval at a given time, by the calendar rule. */
export function billingPeriodsFor(interval: DateInterval, now: Date): BillingPeriod[] {
  return monthsCovered(interval).map((month) => ({ month, volumeFinalized: isMonthFinalAt(month, now) }));
}

/** Final or Provisional for one month, from `metadata.billingPeriods`; a month not listed is Provisional. */
export function monthStatus(billingPeriods: readonly BillingPeriod[], month: YearMonth): PeriodStatus {
  return billingPeriods.some((p) => p.month === month && p.volumeFinalized) ? "Final" : "Provisional";
}

/**
 * Aligns a requested interval to the granularity, as the API's `requestedPeriod` does: MONTH widens the
 * interval to whole months; DAY and no time dimension keep it (dates are already whole days).
 */
export function alignToGranularity(interval: DateInterval, granularity: "DAY" | "MONTH" | "NONE"): DateInterval {
  if (granularity !== "MONTH") return { ...interval };
  const lastMonth = monthOf(addDays(interval.sentUntil, -1));
  return { sentSince: firstDayOf(monthOf(interval.sentSince)), sentUntil: firstDayOf(addMonths(lastMonth, 1)) };
}

/**
 * Trims an interval to its finalized months (for `includeUnfinalizedData: false`): it ends at the first
 * day of the first provisional month. Returns an empty interval (`sentSince === sentUntil`) when nothing
 * in it is final yet.
 */
export function trimToFinalized(interval: DateInterval, now: Date): DateInterval {
  const firstOpen = monthsCovered(interval).find((month) => !isMonthFinalAt(month, now));
  if (firstOpen === undefined) return { ...interval };
  const end = firstDayOf(firstOpen);
  return end <= interval.sentSince
    ? { sentSince: interval.sentSince, sentUntil: interval.sentSince }
    : { sentSince: interval.sentSince, sentUntil: end };
}

/** A date interval as the API's date-time interval (`…T00:00:00.000+0000`). */
export function toDateTimeInterval(interval: DateInterval): DateTimeInterval {
  return {
    sentSince: `${interval.sentSince}T00:00:00.000+0000`,
    sentUntil: `${interval.sentUntil}T00:00:00.000+0000`,
  };
}

/** The inverse of {@link toDateTimeInterval}: the UTC dates of a date-time interval. */
export function toDateInterval(interval: DateTimeInterval): DateInterval {
  const since = parseApiDateTime(interval.sentSince);
  const until = parseApiDateTime(interval.sentUntil);
  if (!since || !until) throw new RangeError("not an API date-time interval");
  return { sentSince: toIsoDate(since), sentUntil: toIsoDate(until) };
}

/** The billing month and its status for one result row. */
export interface RowPeriod {
  /** `yyyy-MM`, or `yyyy-MM – yyyy-MM` for a row that spans several months (no time dimension). */
  billingMonth: string;
  status: PeriodStatus;
}

/**
 * The billing month of a row: from its DAY/MONTH value when the query has a time dimension, otherwise
 * the months of the requested period (a row that spans any provisional month is Provisional).
 *
 * @param timeValue the row's DAY or MONTH cell (an API date-time or `yyyy-MM-dd`), or undefined
 */
export function rowPeriod(
  timeValue: string | undefined,
  requestedPeriod: DateInterval,
  billingPeriods: readonly BillingPeriod[]
): RowPeriod {
  if (timeValue !== undefined) {
    const instant =
      parseApiDateTime(timeValue) ?? (/^\d{4}-\d{2}-\d{2}$/.test(timeValue) ? isoDateToUtc(timeValue) : undefined);
    if (instant) {
      const month = monthOf(instant);
      return { billingMonth: month, status: monthStatus(billingPeriods, month) };
    }
  }
  const months = monthsCovered(requestedPeriod);
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return { billingMonth: "", status: "Provisional" };
  const allFinal = months.every((m) => monthStatus(billingPeriods, m) === "Final");
  return {
    billingMonth: first === last ? first : `${first} – ${last}`,
    status: allFinal ? "Final" : "Provisional",
  };
}

/** The presets whose dates are re-evaluated against the clock (every one but `custom`). */
export const RELATIVE_PERIOD_PRESETS = ["this-month", "month-to-date", "last-month", "retention-window"] as const;
/** The composer's period presets. */
export const PERIOD_PRESETS = [...RELATIVE_PERIOD_PRESETS, "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const PERIOD_PRESET_LABELS: Readonly<Record<PeriodPreset, string>> = {
  "this-month": "This month",
  "month-to-date": "Month to date",
  "last-month": "Last month",
  "retention-window": "Whole 3-month window",
  custom: "Custom dates",
};

/**
 * The interval a preset means at `now` (UTC). `custom` returns the given dates unchanged.
 * - this month: 1st of this month to 1st of next (future days simply hold no data yet);
 * - month to date: 1st of this month to tomorrow (today included);
 * - last month: 1st of last month to 1st of this month;
 * - retention window: 1st of the month two months back to 1st of next month.
 */
export function resolvePreset(preset: PeriodPreset, now: Date, custom?: DateInterval): DateInterval {
  const current = monthOf(now);
  switch (preset) {
    case "this-month":
      return { sentSince: firstDayOf(current), sentUntil: firstDayOf(addMonths(current, 1)) };
    case "month-to-date":
      return { sentSince: firstDayOf(current), sentUntil: addDays(toIsoDate(now), 1) };
    case "last-month":
      return { sentSince: firstDayOf(addMonths(current, -1)), sentUntil: firstDayOf(current) };
    case "retention-window":
      return retentionWindow(now);
    case "custom":
      if (!custom) throw new RangeError("a custom period needs its dates");
      return { ...custom };
  }
}
