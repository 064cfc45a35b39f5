import fc from "fast-check";
import { isoDateToUtc, toExcelSerial, type BillingPeriod } from "../billing";
import type { SnapshotCell } from "./billing-table";
import { computeOverview, defaultDimension, overviewDimensions, overviewKeys } from "./overview-model";
import { computeReconciliationTotals } from "./reconciliation-plan";

const HEADER = ["Account", "Category code", "Day", "Country", "Total", "Currency", "Billing month", "Period status"];
const PERIODS: BillingPeriod[] = [
  { month: "2026-10", volumeFinalized: true },
  { month: "2026-11", volumeFinalized: false },
];
const serial = (day: string) => toExcelSerial(isoDateToUtc(day));

function row(category: string, day: string, total: number, currency = "EUR", account = "Acme"): SnapshotCell[] {
  const month = day.slice(0, 7);
  return [account, category, serial(day), "DE", total, currency, month, month === "2026-10" ? "Final" : "Provisional"];
}

const ROWS = [
  row("SMS", "2026-10-03", 10),
  row("WHATSAPP", "2026-10-04", 4),
  row("sms", "2026-11-01", 3),
  row("SMS", "2026-11-02", 5),
  row("VIBER", "2026-11-02", 1.5),
  row("SMS", "2026-11-03", 7),
  row("SMS", "2026-11-02", 2, "USD"),
];
const TABLE = { header: HEADER, rows: ROWS, billingPeriods: PERIODS };

describe("overview keys", () => {
  it("offers the text dimensions and defaults to Category code", () => {
    expect(overviewDimensions(HEADER)).toEqual(["Account", "Category code", "Country"]);
    expect(defaultDimension(HEADER)).toBe("Category code");
    expect(defaultDimension(["Country", "Total", "Currency", "Billing month"])).toBe("Country");
  });

  it("lists months and values per currency, values without case, with the latest month for the daily chart", () => {
    expect(overviewKeys(TABLE)).toEqual({
      dimension: "Category code",
      hasDay: true,
      hasPeriodStatus: true,
      currencies: [
        {
          currency: "EUR",
          months: [
            { billingMonth: "2026-10", status: "Final" },
            { billingMonth: "2026-11", status: "Provisional" },
          ],
          values: ["SMS", "VIBER", "WHATSAPP"],
          dailyMonth: "2026-11",
        },
        {
          currency: "USD",
          months: [{ billingMonth: "2026-11", status: "Provisional" }],
          values: ["SMS"],
          dailyMonth: "2026-11",
        },
      ],
    });
  });

  it("refuses a table without a needed column, or a dimension that is an amount, in plain words", () => {
    expect(() => overviewKeys({ header: HEADER.filter((h) => h !== "Total"), rows: [] })).toThrow(
      'The billing table has no "Total" column; a cost overview needs Billing month, Currency, Total and the column to split costs by.'
    );
    expect(() => overviewKeys(TABLE, "Total")).toThrow('"Total" cannot split a cost overview');
  });
});

describe("overview figures", () => {
  const overview = computeOverview(TABLE, { asOf: "2026-11-03" });
  const eur = overview.currencies[0]!;

  it("sums each month by value, never across currencies, and marks provisional months", () => {
    expect(eur.months.map((m) => [m.label, m.byValue, m.total])).toEqual([
      ["2026-10", [10, 0, 4], 14],
      ["2026-11 (provisional)", [15, 1.5, 0], 16.5],
    ]);
    expect(overview.currencies[1]!.months.map((m) => m.total)).toEqual([2]);
  });

  it("says what moved, largest increase first, with percent and new values", () => {
    expect(eur.moved).toEqual({
      previous: { billingMonth: "2026-10", status: "Final" },
      latest: { billingMonth: "2026-11", status: "Provisional" },
      rows: [
        { value: "SMS", previous: 10, latest: 15, change: 5, changeRatio: 0.5 },
        { value: "VIBER", previous: 0, latest: 1.5, change: 1.5, changeRatio: "new" },
        { value: "WHATSAPP", previous: 4, latest: 0, change: -4, changeRatio: -1 },
      ],
    });
    expect(overview.currencies[1]!.moved).toBeUndefined();
  });

  it("shows complete days only, and forecasts the latest month from them", () => {
    expect(eur.daily?.days.slice(0, 4)).toEqual([
      { day: "2026-11-01", cost: 3 },
      { day: "2026-11-02", cost: 6.5 },
      { day: "2026-11-03", cost: null },
      { day: "2026-11-04", cost: null },
    ]);
    expect(eur.daily?.days).toHaveLength(30);
    expect(eur.daily?.forecast).toMatchObject({ kind: "forecast", monthToDate: 9.5, remainingDays: 28, runRate: 4.75 });
  });

  it("forecasts each value when asked, and explains a missing daily chart", () => {
    const byValue = computeOverview(TABLE, { asOf: "2026-11-03", forecastByDimension: true }).currencies[0]!.daily
      ?.byValue;
    expect(
      byValue?.map((v) => [v.value, v.forecast.kind === "forecast" ? v.forecast.forecast : v.forecast.reason])
    ).toEqual([
      ["SMS", 8 + 28 * 4],
      ["VIBER", 1.5 + 28 * 0.75],
      ["WHATSAPP", 0],
    ]);
    const monthly = computeOverview(
      { header: HEADER.filter((h) => h !== "Day"), rows: ROWS.map((r) => [...r.slice(0, 2), ...r.slice(3)]) },
      { asOf: "2026-11-03" }
    );
    expect(monthly.noDailyReason).toMatch(/^The table has no Day column/);
    expect(monthly.currencies[0]!.daily).toBeUndefined();
  });

  it("has the reconciliation's totals for every billing month and currency", () => {
    const cell = fc.record({
      account: fc.constantFrom("Acme", "ACME", "Beta"),
      category: fc.constantFrom("SMS", "sms", "WHATSAPP", "", "RCS*"),
      day: fc.constantFrom("2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"),
      total: fc.integer({ min: 0, max: 5_000_000 }).map((micros) => micros / 1_000_000),
      currency: fc.constantFrom("EUR", "USD", "GBP"),
    });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), (cells) => {
        const rows = cells.map((c) => row(c.category, c.day, c.total, c.currency, c.account));
        const table = { header: HEADER, rows, billingPeriods: PERIODS };
        const reconciled = new Map<string, number>();
        for (const t of computeReconciliationTotals(table)) {
          const key = `${t.billingMonth}|${t.currency}`;
          reconciled.set(key, Math.round(((reconciled.get(key) ?? 0) + t.billingTotal) * 1e6) / 1e6);
        }
        const shown = new Map<string, number>();
        for (const c of computeOverview(table, { asOf: "2026-11-02" }).currencies) {
          for (const m of c.months) shown.set(`${m.billingMonth}|${c.currency}`, m.total);
        }
        expect(shown).toEqual(reconciled);
      })
    );
  });
});
