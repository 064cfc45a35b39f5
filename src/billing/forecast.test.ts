import fc from "fast-check";
import { addDays, firstDayOf, type IsoDate, type YearMonth } from "./atoms";
import { daysOf, forecastMonthEnd, lastDayOf, type ForecastInput } from "./forecast";

/** Months over several years, leap Februaries included. */
const monthArb = fc
  .record({ year: fc.integer({ min: 2020, max: 2030 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }): YearMonth => `${year}-${String(month).padStart(2, "0")}`);
/** A day's cost in micro-units: up to 10 million currency units. */
const microsArb = fc.integer({ min: 0, max: 10_000_000_000_000 });

function input(month: YearMonth, firstIncompleteDay: IsoDate, daily: Map<IsoDate, number>): ForecastInput {
  return { month, status: "Provisional", firstIncompleteDay, dailyMicros: daily };
}

describe("forecastMonthEnd", () => {
  it("forecasts a constant daily cost exactly, low and high included", () => {
    fc.assert(
      fc.property(monthArb, microsArb, fc.integer({ min: 1, max: 31 }), (month, perDay, completeDays) => {
        const days = daysOf(month);
        const complete = Math.min(completeDays, days.length);
        const daily = new Map(days.slice(0, complete).map((day) => [day, perDay]));
        const outcome = forecastMonthEnd(input(month, addDays(firstDayOf(month), complete), daily));
        if (outcome.kind !== "forecast") throw new Error(outcome.reason);
        const exact = (days.length * perDay) / 1_000_000;
        expect(outcome.forecast).toBe(exact);
        expect(outcome.low).toBe(exact);
        expect(outcome.high).toBe(exact);
        expect(outcome.runRate).toBe(perDay / 1_000_000);
      })
    );
  });

  it("forecasts a month whose days are all complete as its total, with nothing remaining", () => {
    fc.assert(
      fc.property(
        monthArb,
        fc.array(microsArb, { minLength: 31, maxLength: 31 }),
        fc.nat(40),
        (month, costs, after) => {
          const days = daysOf(month);
          const daily = new Map(days.map((day, i) => [day, costs[i] ?? 0]));
          const total = days.reduce((sum, day) => sum + (daily.get(day) ?? 0), 0) / 1_000_000;
          const outcome = forecastMonthEnd(input(month, addDays(lastDayOf(month), 1 + after), daily));
          if (outcome.kind !== "forecast") throw new Error(outcome.reason);
          expect(outcome.remainingDays).toBe(0);
          expect(outcome.forecast).toBe(total);
          expect([outcome.low, outcome.high]).toEqual([total, total]);
          expect(outcome.method).toMatch(/^Every day of the month is complete/);
        }
      )
    );
  });

  it("keeps low ≤ forecast ≤ high, never below the month to date, and ignores the incomplete day's costs", () => {
    fc.assert(
      fc.property(
        monthArb,
        fc.array(microsArb, { minLength: 31, maxLength: 31 }),
        fc.integer({ min: 1, max: 30 }),
        (month, costs, completeDays) => {
          const days = daysOf(month);
          const complete = Math.min(completeDays, days.length - 1);
          const daily = new Map(days.map((day, i) => [day, costs[i] ?? 0]));
          const firstIncomplete = addDays(firstDayOf(month), complete);
          const outcome = forecastMonthEnd(input(month, firstIncomplete, daily));
          if (outcome.kind !== "forecast") throw new Error(outcome.reason);
          const tolerance = 1e-6;
          expect(outcome.low).toBeLessThanOrEqual(outcome.forecast + tolerance);
          expect(outcome.forecast).toBeLessThanOrEqual(outcome.high + tolerance);
          expect(outcome.low).toBeGreaterThanOrEqual(outcome.monthToDate - tolerance);
          expect(outcome.completeDays + outcome.remainingDays).toBe(days.length);
          expect(outcome.window).toEqual(days.slice(Math.max(0, complete - 7), complete));
          // What the incomplete day and later days cost so far changes nothing.
          const later = new Map(daily);
          for (const day of days.slice(complete)) later.set(day, 123_456_789);
          expect(forecastMonthEnd(input(month, firstIncomplete, later))).toEqual(outcome);
        }
      )
    );
  });

  it("uses the mean of the last 7 complete days, with the cheapest and dearest of them for low and high", () => {
    const daily = new Map<IsoDate, number>([
      ["2026-11-01", 99_000_000], // outside the window
      ["2026-11-03", 10_000_000],
      ["2026-11-04", 20_000_000],
      ["2026-11-05", 30_000_000],
      ["2026-11-06", 10_000_000],
      ["2026-11-07", 20_000_000],
      ["2026-11-08", 30_000_000],
      ["2026-11-09", 20_000_000],
      ["2026-11-10", 5_000_000], // the incomplete day: left out
    ]);
    const outcome = forecastMonthEnd(input("2026-11", "2026-11-10", daily));
    expect(outcome).toMatchObject({
      kind: "forecast",
      monthToDate: 239,
      completeDays: 9,
      remainingDays: 21,
      window: ["2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08", "2026-11-09"],
      runRate: 20,
      forecast: 239 + 21 * 20,
      low: 239 + 21 * 10,
      high: 239 + 21 * 30,
    });
    expect(outcome.kind === "forecast" && outcome.method).toBe(
      "Month to date (complete days) plus the remaining 21 days at the mean of the last 7 complete days " +
        "(2026-11-03 to 2026-11-09); low and high use the cheapest and the dearest of those days."
    );
  });

  it("gives no forecast for a Final month, or before the first day is complete, and says why", () => {
    expect(forecastMonthEnd({ ...input("2026-10", "2026-11-25", new Map()), status: "Final" })).toEqual({
      kind: "none",
      month: "2026-10",
      reason: "2026-10 is Final: its total is the invoiced amount, nothing to forecast.",
    });
    const early = forecastMonthEnd(input("2026-11", "2026-11-01", new Map([["2026-11-01", 5]])));
    expect(early.kind === "none" && early.reason).toMatch(/^No day of 2026-11 is complete yet/);
  });
});
