import fc from "fast-check";
import type { CurrencyKeys, OverviewKeys } from "./overview-model";
import { compareOverviews, planOverview, readOverviewSheet, type OverviewPlan } from "./overview-plan";

const KEYS: OverviewKeys = {
  dimension: "Category code",
  hasDay: true,
  hasPeriodStatus: false,
  currencies: [
    {
      currency: "EUR",
      months: [
        { billingMonth: "2026-10", status: "Final" },
        { billingMonth: "2026-11", status: "Provisional" },
      ],
      values: ["SMS", "WHATSAPP"],
      dailyMonth: "2026-11",
    },
  ],
};

/** The plan's cells laid on a grid, as the sheet would hold them (formulas as their text). */
function grid(plan: OverviewPlan): string[][] {
  const rows: string[][] = [];
  for (const write of plan.writes) {
    write.cells.forEach((line, r) =>
      line.forEach((cell, c) => {
        const row = (rows[write.row + r] ??= []);
        row[write.col + c] = String(cell);
      })
    );
  }
  return Array.from({ length: rows.length }, (_, r) => Array.from({ length: 40 }, (_, c) => rows[r]?.[c] ?? ""));
}

describe("planOverview", () => {
  const plan = planOverview({ tableName: "Costs", keys: KEYS, asOf: "2026-11-05", forecastByDimension: false });

  it("writes live SUMIFS by month, currency and value, and binds the charts to those cells", () => {
    const cells = grid(plan);
    expect(cells[7]?.slice(0, 6)).toEqual([
      "2026-10",
      "Final",
      '=$A$8&IF($B$8="Provisional"," (provisional)","")',
      '=SUMIFS(Costs[Total],Costs[Billing month],$A$8,Costs[Currency],"=EUR",Costs[Category code],D$7)',
      '=SUMIFS(Costs[Total],Costs[Billing month],$A$8,Costs[Currency],"=EUR",Costs[Category code],E$7)',
      "=SUM(D8:E8)",
    ]);
    expect(plan.charts.map((c) => [c.name, c.type, c.series.map((s) => s.name)])).toEqual([
      ["EUR monthly", "ColumnStacked", ["SMS", "WHATSAPP"]],
      ["EUR daily", "Line", ["Cost (complete days)", "Forecast run rate"]],
    ]);
    expect(plan.charts[0]?.series[0]?.values).toEqual({ row: 7, col: 3, rows: 2, cols: 1 });
  });

  it("reads its own layout back from the sheet, and finds no change in it", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom("EUR", "USD", "GBP"), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom("SMS", "RCS", "VIBER", "", "Acme*"), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (currencies, values, monthCount, byValue) => {
          const months = ["2026-09", "2026-10", "2026-11"].slice(3 - monthCount);
          const keys: OverviewKeys = {
            ...KEYS,
            currencies: currencies.sort().map((currency): CurrencyKeys => ({
              currency,
              months: months.map((billingMonth) => ({
                billingMonth,
                status: billingMonth === "2026-11" ? "Provisional" : "Final",
              })),
              values: [...values].sort(),
              dailyMonth: "2026-11",
            })),
          };
          const planned = planOverview({ tableName: "Costs", keys, asOf: "2026-11-05", forecastByDimension: byValue });
          const read = readOverviewSheet(grid(planned));
          expect(read).toEqual(planned.layout);
          expect(compareOverviews(planned.layout, read!)).toEqual({ changed: false, notes: [] });
        }
      ),
      { numRuns: 40 }
    );
  });

  it("words what grew, what left and a month that closed", () => {
    const after = planOverview({
      tableName: "Costs",
      keys: {
        ...KEYS,
        currencies: [
          {
            currency: "EUR",
            months: [
              { billingMonth: "2026-10", status: "Final" },
              { billingMonth: "2026-11", status: "Final" },
              { billingMonth: "2026-12", status: "Provisional" },
            ],
            values: ["SMS", "VIBER"],
            dailyMonth: "2026-12",
          },
        ],
      },
      asOf: "2026-12-06",
      forecastByDimension: false,
    });
    expect(compareOverviews(plan.layout, after.layout)).toEqual({
      changed: true,
      notes: [
        "The overview grew: EUR now shows 2026-12.",
        "The overview grew: EUR now shows Category code VIBER.",
        "The overview no longer shows what left the table in EUR: WHATSAPP.",
        "2026-11 is now Final in the overview (no forecast for it any more).",
        "The forecast is now as of 2026-12-06 (the day the data was retrieved).",
      ],
    });
  });

  it("refuses a table name Excel would not accept before planning anything", () => {
    expect(() =>
      planOverview({ tableName: "Costs 2026", keys: KEYS, asOf: "2026-11-05", forecastByDimension: false })
    ).toThrow(/not a valid Excel table name/);
  });
});
