/**
 * Month-end forecast of a provisional month from its daily costs (pure: no Excel, no I/O).
 *
 * Method (stated beside every forecast, in the sheet and in the preview): the cost of the month's complete
 * days, plus the days still to come (the first incomplete day included) at the run rate — the mean of the
 * last {@link FORECAST_WINDOW_DAYS} complete days of the month (fewer early in the month). Low and high
 * put the cheapest and the dearest of those days in place of the mean. A day with no rows is a real day
 * that cost nothing.
 *
 * A day is complete when it ended before the data was retrieved: `firstIncompleteDay` is the retrieval
 * day (UTC), whose costs are still arriving; it is left out of the run rate and of the month to date, so
 * a constant daily cost forecasts exactly, and a month whose days are all complete forecasts its total.
 *
 * No forecast for a Final month (its total is the invoiced amount) or before the month's first day is
 * complete; the reason is returned in plain words. Amounts are in micro-units (integers), as the billing
 * table module sums them, and come back in currency units.
 */
import { addDays, firstDayOf, addMonths, type IsoDate, type YearMonth } from "./atoms";
import type { PeriodStatus } from "./periods";

export const FORECAST_WINDOW_DAYS = 7;

/** The last day of a month, `yyyy-MM-dd`. */
export function lastDayOf(month: YearMonth): IsoDate {
  return addDays(firstDayOf(addMonths(month, 1)), -1);
}

/** Every day of a month, in order. */
export function daysOf(month: YearMonth): IsoDate[] {
  const days: IsoDate[] = [];
  const last = lastDayOf(month);
  for (let day = firstDayOf(month); day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

export interface ForecastInput {
  month: YearMonth;
  status: PeriodStatus;
  /** The first day whose costs are not all in yet: the day the data was retrieved (UTC). */
  firstIncompleteDay: IsoDate;
  /** Cost per day in micro-units; a day absent from the map cost nothing. */
  dailyMicros: ReadonlyMap<IsoDate, number>;
  /** How many complete days the run rate averages (default 7). */
  windowDays?: number;
}

export interface MonthForecast {
  kind: "forecast";
  month: YearMonth;
  /** Cost of the complete days, in currency units. */
  monthToDate: number;
  completeDays: number;
  /** Days from the first incomplete day to the month's end, inclusive. */
  remainingDays: number;
  /** The complete days the run rate is the mean of, oldest first. */
  window: IsoDate[];
  /** Mean cost per day over the window, in currency units. */
  runRate: number;
  low: number;
  forecast: number;
  high: number;
  /** The method in one sentence, for beside the figures. */
  method: string;
}

export interface NoForecast {
  kind: "none";
  month: YearMonth;
  reason: string;
}

export type ForecastOutcome = MonthForecast | NoForecast;

/** The month-end forecast of `month`, or the reason there is none. */
export function forecastMonthEnd(input: ForecastInput): ForecastOutcome {
  const { month, firstIncompleteDay } = input;
  const windowDays = input.windowDays ?? FORECAST_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError("the forecast window must be ≥ 1 day");
  if (input.status === "Final") {
    return { kind: "none", month, reason: `${month} is Final: its total is the invoiced amount, nothing to forecast.` };
  }
  const days = daysOf(month);
  const complete = days.filter((day) => day < firstIncompleteDay);
  if (complete.length === 0) {
    return {
      kind: "none",
      month,
      reason: `No day of ${month} is complete yet (a day is complete once it has ended, in UTC): no run rate to forecast from.`,
    };
  }
  const micros = (day: IsoDate) => input.dailyMicros.get(day) ?? 0;
  const window = complete.slice(-windowDays);
  const windowMicros = window.map(micros);
  const monthToDateMicros = complete.reduce((sum, day) => sum + micros(day), 0);
  const remainingDays = days.length - complete.length;
  const sum = windowMicros.reduce((a, b) => a + b, 0);
  const at = (perDayMicros: number) => (monthToDateMicros + remainingDays * perDayMicros) / 1_000_000;
  return {
    kind: "forecast",
    month,
    monthToDate: monthToDateMicros / 1_000_000,
    completeDays: complete.length,
    remainingDays,
    window,
    runRate: sum / window.length / 1_000_000,
    low: at(Math.min(...windowMicros)),
    // Multiplied before dividing, so a constant daily cost gives back exactly days × cost.
    forecast: (monthToDateMicros * window.length + remainingDays * sum) / window.length / 1_000_000,
    high: at(Math.max(...windowMicros)),
    method: forecastMethod(window, remainingDays),
  };
}

/** The method, as stated beside the forecast. */
export function forecastMethod(window: readonly IsoDate[], remainingDays: number): string {
  const first = window[0] ?? "";
  const last = window[window.length - 1] ?? "";
  const days = `${window.length} complete day${window.length === 1 ? "" : "s"}`;
  const span = first === last ? first : `${first} to ${last}`;
  if (remainingDays === 0) return `Every day of the month is complete: the forecast is the month's cost so far.`;
  return (
    `Month to date (complete days) plus the remaining ${remainingDays} day${remainingDays === 1 ? "" : "s"} at the ` +
    `mean of the last ${days} (${span}); low and high use the cheapest and the dearest of those days.`
  );
}
