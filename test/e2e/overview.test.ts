/**
 * The cost overview in the browser preview, end to end (issue 13): a DAY query for the whole window on the
 * `npm start` stack shows, per currency, the monthly cost by service category as a chart and as an accessible
 * table, what moved, the month-end forecast with its method, and the daily cost. The numbers are read from
 * the page's tables (what a screen reader reads) and compared with the emulator's own sums for the same query.
 */
import { toQuery } from "../../src/billing";
import { emulatorResult, totalsByMonthAndCurrency, totalsByMonthCurrencyAnd } from "./support/emulator";
import { composeQuery, parseMoney, runAndWait, saveSettings, tableRecords, waitUntil } from "./support/pane";
import { useStackAndBrowser } from "./support/suite";
import { expectSameTotals } from "./support/totals";

const NOW = new Date("2026-11-25T10:00:00Z");
const MONTH = "2026-11";
const suite = useStackAndBrowser({ emulatorNow: NOW.toISOString(), callbackDelayMs: 200 });

describe("the cost overview in the browser preview", () => {
  it("shows charts, tables and the forecast whose figures are the emulator's own sums", async () => {
    const { stack } = suite.running();
    const pane = await suite.openSharedPane(NOW);
    const { page } = pane;
    await saveSettings(page, "demo-key");
    await composeQuery(page, {
      period: "Whole 3-month window",
      granularity: "Day",
      dimensions: [],
      label: "Daily costs",
    });
    expect(await runAndWait(pane, page.getByRole("button", { name: "Run query" }))).toMatch(/^Done in /);

    const truth = await emulatorResult(
      stack.emulatorUrl,
      "demo-key",
      toQuery(
        {
          version: 1,
          period: { preset: "retention-window" },
          aggregateBy: ["DAY"],
          filters: {},
          includeUnfinalizedData: true,
        },
        NOW
      )
    );
    const byMonth = totalsByMonthAndCurrency(truth);
    const currencies = [...new Set([...byMonth.keys()].map((k) => k.split("|")[1] ?? ""))].sort();
    expect(currencies.length).toBeGreaterThan(0);
    await page.getByRole("heading", { name: "Cost overview", level: 2 }).waitFor();

    const shownByMonth = new Map<string, number>();
    const shownByCategory = new Map<string, number>();
    for (const currency of currencies) {
      const title = `Monthly cost in ${currency} by Category code`;
      // The chart: a named group with an SVG drawing, loaded on demand.
      const chart = page.getByRole("group", { name: `Chart: ${title}` });
      await chart.locator("svg").first().waitFor({ timeout: 30_000 });
      const records = await tableRecords(page, title);
      for (const record of records) {
        const month = (record["Billing month"] ?? "").slice(0, 7);
        shownByMonth.set(`${month}|${currency}`, parseMoney(record["Month total"] ?? ""));
        for (const [header, cell] of Object.entries(record)) {
          if (header === "Billing month" || header === "Month total") continue;
          const amount = parseMoney(cell);
          if (amount !== 0) shownByCategory.set(`${month}|${currency}|${header}`, amount);
        }
      }
      // The daily chart and the forecast, labelled as such, with its method beside it.
      await page.getByRole("group", { name: `Chart: Daily cost in ${currency}, ${MONTH} (provisional)` }).waitFor();
      const forecast = await tableRecords(page, `Month-end forecast in ${currency}, ${MONTH}`);
      const row = (label: string) =>
        parseMoney(
          forecast.find((r) => r["Forecast forecast"] === label || Object.values(r)[0] === label)?.[currency] ?? "NaN"
        );
      const completeDays = totalsByMonthCurrencyAnd(
        truth,
        undefined,
        (day) => day.startsWith(MONTH) && day < "2026-11-25"
      );
      expect(
        Math.abs(row("Month to date (complete days)") - (completeDays.get(`${MONTH}|${currency}|*`) ?? 0))
      ).toBeLessThanOrEqual(0.005);
      expect(row("Forecast low")).toBeLessThanOrEqual(row("Month-end forecast") + 0.005);
      expect(row("Month-end forecast")).toBeLessThanOrEqual(row("Forecast high") + 0.005);
      expect(
        await page
          .getByText(
            /^Method: Month to date \(complete days\) plus the remaining 6 days at the mean of the last 7 complete days \(2026-11-18 to 2026-11-24\)/
          )
          .count()
      ).toBe(currencies.length);
    }
    expectSameTotals(shownByMonth, byMonth);
    const truthByCategory = new Map([...totalsByMonthCurrencyAnd(truth, "CATEGORY_CODE")].filter(([, v]) => v !== 0));
    expectSameTotals(shownByCategory, truthByCategory);
  });

  it("stays readable at 320 px: nothing but the tables' own scroll regions is wider than the pane", async () => {
    const { page } = suite.sharedPane();
    await page.setViewportSize({ width: 320, height: 900 });
    await page.getByRole("heading", { name: "Cost overview", level: 2 }).waitFor();
    // The charts follow the new width on the next animation frame.
    const wider = await waitUntil(
      "the page to fit 320 px",
      () =>
        page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          return [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > limit + 0.5 && !e.closest('[role="region"]'))
            .slice(0, 5)
            .map(
              (e) => `${e.tagName.toLowerCase()}.${String(e.className)} ${Math.round(e.getBoundingClientRect().right)}`
            );
        }),
      (list) => list.length === 0,
      5_000
    ).catch((error: unknown) => String(error));
    expect(wider).toEqual([]);
    const region = page.getByRole("region", { name: /^Monthly cost in \w+ by Category code \(table\)$/ }).first();
    expect(await region.getAttribute("tabindex")).toBe("0");
    await region.focus();
    expect(await region.evaluate((element) => element === document.activeElement)).toBe(true);
  });
});
