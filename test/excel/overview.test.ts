/**
 * The cost overview sheet on the strict Excel double, its formulas computed (formula-evaluator.ts): native
 * charts bound to live formulas over the table, the same totals as the reconciliation and the preview's
 * model, a refresh in place that moves the numbers without a write, and an overview that grows when a
 * refresh brings new months or values.
 */

import { isoDateToUtc, toExcelSerial } from "../../src/billing";
import type { SnapshotCell } from "../../src/excel/billing-table";
import { computeOverview } from "../../src/excel/overview-model";
import { createOverview, overviewName, updateOverview } from "../../src/excel/overview";
import { buildReconciliation } from "../../src/excel/reconciliation";
import { calculatingDouble, replaceBillingRows, seedBillingTable } from "./billing-fixture";
import { createExcelDouble, type ExcelDouble } from "./excel-double";

const HEADER = [
  "Account",
  "Category code",
  "Day",
  "Country",
  "Unit",
  "Unit price",
  "Quantity",
  "Total",
  "Currency",
  "Billing month",
  "Period status",
];
const PERIODS = [
  { month: "2026-10", volumeFinalized: true },
  { month: "2026-11", volumeFinalized: false },
];
const SHEET = "Overview Costs";
const RETRIEVED = "2026-11-05T09:00:00.000Z";

function row(category: string, day: string, total: number, currency = "EUR", account = "Acme"): SnapshotCell[] {
  const month = day.slice(0, 7);
  return [
    account,
    category,
    toExcelSerial(isoDateToUtc(day)),
    "DE",
    "message",
    0.01,
    Math.round(total * 100),
    total,
    currency,
    month,
    month === "2026-10" ? "Final" : "Provisional",
  ];
}

const ROWS = [
  row("SMS", "2026-10-02", 10.1),
  row("WHATSAPP", "2026-10-03", 4),
  row("SMS", "2026-10-30", 2.2, "EUR", "Beta"),
  row("SMS", "2026-11-01", 3),
  row("SMS", "2026-11-02", 5),
  row("VIBER", "2026-11-02", 1.5),
  row("SMS", "2026-11-04", 7),
  row("SMS", "2026-11-05", 99), // the retrieval day: not complete
  row("SMS", "2026-11-03", 2, "USD"),
];

async function seed(double: ExcelDouble, rows = ROWS): Promise<void> {
  await seedBillingTable(double, "Costs", HEADER, rows);
}

/** Every series of every chart: its name and the addresses its values and categories read. */
async function chartSources(double: ExcelDouble) {
  const context = double.newContext();
  const charts = context.workbook.worksheets.getItem(SHEET).charts.load("items/name,items/chartType");
  await context.sync();
  const seriesLists = charts.items.map((chart) => chart.series.load("items/name"));
  await context.sync();
  const sources = charts.items.map((chart, c) =>
    (seriesLists[c]?.items ?? []).map((series) => ({
      name: series.name,
      values: series.getDimensionDataSourceString("Values"),
      categories: series.getDimensionDataSourceString("Categories"),
      shown: series.getDimensionValues("Values"),
    }))
  );
  const titles = charts.items.map((chart) => chart.title.load("text"));
  await context.sync();
  return charts.items.map((chart, c) => ({
    name: chart.name,
    type: chart.chartType,
    title: titles[c]?.text,
    series: (sources[c] ?? []).map((s) => ({
      name: s.name,
      values: s.values.value,
      categories: s.categories.value,
      shown: s.shown.value.map(Number),
    })),
  }));
}

function localAddress(address: string): string {
  return address.split("!")[1] ?? "";
}

/** The Month total column of a currency's monthly block, by billing month. */
function monthTotals(double: ExcelDouble, currency: string): Map<string, number> {
  const cells = double.inspect.values(SHEET, "A1:Z200");
  const start = cells.findIndex((r) => r[0] === "Monthly cost" && r[1] === currency);
  const header = cells[start + 1] ?? [];
  const totalAt = header.indexOf("Month total");
  const totals = new Map<string, number>();
  for (let r = start + 2; cells[r]?.[0] !== "" && !String(cells[r]?.[0]).startsWith("Change"); r++) {
    totals.set(String(cells[r]?.[0]), Number(cells[r]?.[totalAt]));
  }
  return totals;
}

function labelled(double: ExcelDouble, label: string, after: string): unknown {
  const cells = double.inspect.values(SHEET, "A1:Z200");
  const start = cells.findIndex((r) => r[0] === after);
  const found = cells.slice(start).find((r) => r[0] === label);
  return found?.[1];
}

describe("createOverview", () => {
  it("creates a sheet of native charts bound to live SUMIFS over the table, one per currency, never summed across", async () => {
    const double = calculatingDouble();
    await seed(double);
    const result = await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    expect(result).toMatchObject({
      sheetName: SHEET,
      created: true,
      written: true,
      currencies: ["EUR", "USD"],
      charts: 4,
    });
    expect(double.inspect.activeSheet()).toBe(SHEET);
    expect(double.state.names.map((n) => n.name)).toContain(overviewName("Costs"));

    const charts = await chartSources(double);
    expect(charts.map((c) => [c.name, c.type, c.title])).toEqual([
      ["EUR monthly", "ColumnStacked", "Monthly cost in EUR by Category code"],
      ["EUR daily", "Line", "Daily cost in EUR, 2026-11 (provisional)"],
      ["USD monthly", "ColumnStacked", "Monthly cost in USD by Category code"],
      ["USD daily", "Line", "Daily cost in USD, 2026-11 (provisional)"],
    ]);
    const eurMonthly = charts[0]!;
    expect(eurMonthly.series.map((s) => s.name)).toEqual(["SMS", "VIBER", "WHATSAPP"]);
    for (const chart of charts) {
      for (const series of chart.series) {
        // Every series reads cells of the overview sheet that hold live formulas over the table.
        expect(series.values.startsWith(`'${SHEET}'!`)).toBe(true);
        const formulas = double.inspect.formulas(SHEET, localAddress(series.values).replace(/\$/g, "")).flat();
        expect(formulas.every((f) => f === "" || (typeof f === "string" && f.startsWith("=")))).toBe(true);
      }
    }
    const smsCells = double.inspect.formulas(SHEET, localAddress(eurMonthly.series[0]!.values).replace(/\$/g, ""));
    expect(smsCells[0]?.[0]).toBe(
      '=SUMIFS(Costs[Total],Costs[Billing month],$A$8,Costs[Currency],"=EUR",Costs[Category code],D$7)'
    );
    // Months are the x-axis, provisional ones marked.
    const categories = double.inspect.values(SHEET, localAddress(eurMonthly.series[0]!.categories).replace(/\$/g, ""));
    expect(categories.flat()).toEqual(["2026-10", "2026-11 (provisional)"]);
    // The retrieval day's rows count in the month (the daily chart leaves that day out).
    expect(eurMonthly.series.map((s) => s.shown)).toEqual([
      [12.3, 114],
      [0, 1.5],
      [4, 0],
    ]);
    // To the right of the widest block (Month total in G), one blank column away.
    expect(double.state.charts.map((c) => c.anchor?.col)).toEqual([8, 8, 8, 8]);
  });

  it("has the same totals as the reconciliation and as the preview's model for the same table", async () => {
    const double = calculatingDouble();
    await seed(double);
    await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    await buildReconciliation(double.newContext(), "Costs", { billingPeriods: PERIODS });

    const reconciled = new Map<string, number>();
    for (const r of double.inspect.table("Costs_Recon")?.rows ?? []) {
      const key = `${r[0]}|${r[1]}`;
      reconciled.set(key, (reconciled.get(key) ?? 0) + Number(r[5]));
    }
    const model = computeOverview({ header: HEADER, rows: ROWS, billingPeriods: PERIODS }, { asOf: "2026-11-05" });
    const sheet = new Map<string, number>();
    const preview = new Map<string, number>();
    for (const currency of model.currencies) {
      for (const [month, total] of monthTotals(double, currency.currency))
        sheet.set(`${month}|${currency.currency}`, total);
      for (const month of currency.months) preview.set(`${month.billingMonth}|${currency.currency}`, month.total);
    }
    expect(reconciled.size).toBe(3);
    for (const [key, total] of reconciled) {
      expect(sheet.get(key)).toBeCloseTo(total, 9);
      expect(preview.get(key)).toBeCloseTo(total, 9);
    }
    expect([...sheet.keys()].sort()).toEqual([...reconciled.keys()].sort());
  });

  it("sorts What moved live and computes the forecast the model computes, labelled as a forecast", async () => {
    const double = calculatingDouble();
    await seed(double);
    await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    const cells = double.inspect.values(SHEET, "A1:G200");
    const moved = cells.findIndex((r) => r[0] === "What moved" && r[1] === "EUR");
    expect(cells[moved]?.[2]).toBe("2026-11 (provisional) against 2026-10");
    expect(cells.slice(moved + 2, moved + 5).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5]])).toEqual([
      [1, "SMS", 12.3, 114, 101.7, expect.closeTo(101.7 / 12.3, 9)],
      [2, "VIBER", 0, 1.5, 1.5, "new"],
      [3, "WHATSAPP", 4, 0, -4, -1],
    ]);

    const model = computeOverview({ header: HEADER, rows: ROWS, billingPeriods: PERIODS }, { asOf: "2026-11-05" });
    const forecast = model.currencies[0]?.daily?.forecast;
    if (forecast?.kind !== "forecast") throw new Error("the model has no forecast");
    expect(labelled(double, "Month to date (complete days)", "Forecast")).toBeCloseTo(forecast.monthToDate, 9);
    expect(labelled(double, "Run rate per day", "Forecast")).toBeCloseTo(forecast.runRate, 9);
    expect(labelled(double, "Month-end forecast", "Forecast")).toBeCloseTo(forecast.forecast, 9);
    expect(labelled(double, "Forecast low", "Forecast")).toBeCloseTo(forecast.low, 9);
    expect(labelled(double, "Forecast high", "Forecast")).toBeCloseTo(forecast.high, 9);
    expect(labelled(double, "Method", "Forecast")).toBe(forecast.method);
    const daily = (await chartSources(double))[1]!;
    expect(daily.series.map((s) => s.name)).toEqual(["Cost (complete days)", "Forecast run rate"]);
    expect(daily.series[0]?.shown.slice(0, 6)).toEqual([3, 6.5, 0, 7, 0, 0]);
    expect(double.state.charts[1]?.series[1]?.lineStyle).toBe("Dash");
  });

  it("forecasts each value when asked, and says why a Final month or a table without days has no forecast", async () => {
    const double = calculatingDouble();
    await seed(double);
    await createOverview(double.newContext(), {
      tableName: "Costs",
      retrievedAt: RETRIEVED,
      forecastByDimension: true,
    });
    const model = computeOverview(
      { header: HEADER, rows: ROWS, billingPeriods: PERIODS },
      { asOf: "2026-11-05", forecastByDimension: true }
    );
    const cells = double.inspect.values(SHEET, "A1:G200");
    const start = cells.findIndex((r) => r[0] === "Forecast by" && r[1] === "EUR");
    for (const [i, { value, forecast }] of (model.currencies[0]?.daily?.byValue ?? []).entries()) {
      const line = cells[start + 2 + i] ?? [];
      expect(line[0]).toBe(value);
      expect(forecast.kind === "forecast" && Number(line[3]) - forecast.forecast).toBeCloseTo(0, 9);
    }

    const final = calculatingDouble();
    await seed(
      final,
      ROWS.filter((r) => r[9] === "2026-10")
    );
    const result = await createOverview(final.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    expect(result.notes).toEqual(["EUR: 2026-10 is Final, so there is no forecast."]);
    expect(final.inspect.values(SHEET, "A1:B200").find((r) => r[0] === "No forecast")?.[1]).toBe(
      "2026-10 is Final: its total is the invoiced amount, nothing to forecast."
    );

    const monthly = calculatingDouble();
    const noDay = HEADER.filter((h) => h !== "Day");
    await seedBillingTable(
      monthly,
      "Costs",
      noDay,
      ROWS.map((r) => r.filter((_, i) => i !== 2))
    );
    await createOverview(monthly.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    expect(monthly.inspect.values(SHEET, "A5:B5")[0]?.[1]).toMatch(/^The table has no Day column/);
    expect(monthly.state.charts.map((c) => c.name)).toEqual(["EUR monthly", "USD monthly"]);
  });

  it("refuses in plain words: no such table, a dimension that cannot split costs, an Excel without ExcelApi 1.7", async () => {
    const double = calculatingDouble();
    await seed(double);
    await expect(createOverview(double.newContext(), { tableName: "Nope" })).rejects.toThrow(
      "There is no table named Nope in this workbook any more (it was renamed or deleted)."
    );
    await expect(createOverview(double.newContext(), { tableName: "Costs", dimension: "Total" })).rejects.toThrow(
      '"Total" cannot split a cost overview'
    );
    const syncs = double.syncs.length;
    const old = { isSetSupported: (_: string, version?: string) => Number(version) < 1.7 };
    await expect(createOverview(double.newContext(), { tableName: "Costs" }, old)).rejects.toThrow(
      /cannot build charts from an add-in/
    );
    expect(double.syncs.length).toBe(syncs);
    expect(double.inspect.sheetNames()).toEqual(["Sheet1", "Billing"]);
  });

  it("creates the overview of a 100,000-row table in four syncs, each request under the limit", async () => {
    const double = createExcelDouble();
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      row(
        ["SMS", "WHATSAPP", "VIBER", "RCS"][i % 4] ?? "",
        `2026-11-${String(1 + (i % 28)).padStart(2, "0")}`,
        0.01,
        i % 7 === 0 ? "USD" : "EUR"
      )
    );
    // Seeded in one request (a test set-up, not what is measured).
    double.payloadLimitBytes = 1 << 30;
    await seed(double, rows);
    double.payloadLimitBytes = 5 * 1024 * 1024;
    const before = double.syncs.length;
    await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    const syncs = double.syncs.slice(before);
    expect(syncs).toHaveLength(4);
    expect(Math.max(...syncs.map((s) => s.payloadBytes))).toBeLessThan(double.payloadLimitBytes);
  });
});

describe("updateOverview after a refresh in place", () => {
  it("writes nothing when the refresh brings no new key: the formulas and charts follow by themselves", async () => {
    const double = calculatingDouble();
    await seed(double);
    await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    await replaceBillingRows(
      double,
      "Costs",
      ROWS.map((r) => (r[1] === "SMS" && r[9] === "2026-11" ? [...r.slice(0, 7), Number(r[7]) * 2, ...r.slice(8)] : r))
    );
    const before = double.syncs.length;
    const result = await updateOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    expect(result).toMatchObject({ created: false, written: false, notes: [] });
    expect(double.syncs.slice(before).flatMap((s) => s.operations.filter((o) => o.kind === "formulas"))).toEqual([]);
    expect(monthTotals(double, "EUR").get("2026-11")).toBeCloseTo(2 * (3 + 5 + 7 + 99) + 1.5, 9);
    expect((await chartSources(double))[0]?.series[0]?.shown).toEqual([12.3, 228]);
  });

  it("grows when the refresh brings a new category, month or currency, keeps the charts and says so", async () => {
    const double = calculatingDouble();
    await seed(double);
    await createOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    const chartIds = double.state.charts.map((c) => c.id);
    await replaceBillingRows(double, "Costs", [
      ...ROWS,
      row("RCS", "2026-11-03", 8),
      row("SMS", "2026-11-03", 4, "GBP"),
    ]);
    const result = await updateOverview(double.newContext(), { tableName: "Costs", retrievedAt: RETRIEVED });
    expect(result?.written).toBe(true);
    expect(result?.notes).toEqual([
      "The overview grew: EUR now shows Category code RCS.",
      "The overview now has a GBP section (new in the table).",
    ]);
    const charts = await chartSources(double);
    expect(charts.map((c) => c.name)).toEqual(
      ["EUR monthly", "EUR daily", "USD monthly", "USD daily", "GBP monthly", "GBP daily"].sort(
        (a, b) => chartIds.length && (a < b ? 0 : 0)
      )
    );
    expect(double.state.charts.slice(0, 4).map((c) => c.id)).toEqual(chartIds);
    expect(charts[0]?.series.map((s) => [s.name, s.shown])).toEqual([
      ["RCS", [0, 8]],
      ["SMS", [12.3, 114]],
      ["VIBER", [0, 1.5]],
      ["WHATSAPP", [4, 0]],
    ]);
    expect(monthTotals(double, "GBP").get("2026-11")).toBe(4);
  });

  it("does nothing for a table without an overview", async () => {
    const double = calculatingDouble();
    await seed(double);
    expect(await updateOverview(double.newContext(), { tableName: "Costs" })).toBeNull();
  });
});
