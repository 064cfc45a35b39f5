/**
 * Living cost sheets end to end (issue 6), in the browser preview: a provisional month is queried, the
 * emulator's clock moves on so late records arrive, "Refresh" reports how the month's totals moved, and once
 * the clock passes the 5th of the next month the month shows Final. The reconciliation totals the pane shows
 * are compared with the emulator's own totals by billing month × currency at every step.
 */
import { toQuery, type BillingUsageQuery, type BillingUsageResult } from "../../src/billing";
import { emulatorResult, moveEmulatorClock, totalsByCurrency, totalsByMonthAndCurrency } from "./support/emulator";
import { composeQuery, parseMoney, runAndWait, saveSettings, tableRecords, type PaneSession } from "./support/pane";
import type { RunningStack } from "./support/stack";
import { useStackAndBrowser } from "./support/suite";
import { expectSameTotals, MONEY_TOLERANCE } from "./support/totals";

const START = new Date("2026-11-25T10:00:00Z");
const MONTH = "2026-11";

const suite = useStackAndBrowser({ emulatorNow: START.toISOString(), callbackDelayMs: 200 });

function running(): { stack: RunningStack; pane: PaneSession } {
  return { stack: suite.running().stack, pane: suite.sharedPane() };
}

/** November 2026 by month and country, as the pane composes it below. */
function novemberQuery(now: Date): BillingUsageQuery {
  return toQuery(
    {
      version: 1,
      period: { preset: "custom", sentSince: "2026-11-01", sentUntil: "2026-12-01" },
      aggregateBy: ["MONTH", "COUNTRY_NAME"],
      filters: {},
      includeUnfinalizedData: true,
    },
    now
  );
}

/** Moves the emulator and the pane's clock together; returns the emulator's answer at the new time. */
async function moveClocks(change: { now: string } | { advanceDays: number }): Promise<BillingUsageResult> {
  const { stack, pane } = running();
  const now = await moveEmulatorClock(stack.emulatorUrl, change);
  await pane.context.clock.setSystemTime(now);
  return emulatorResult(stack.emulatorUrl, "demo-key", novemberQuery(now));
}

interface ReconciliationView {
  totals: Map<string, number>;
  statuses: Map<string, string>;
  hasAccount: boolean;
}

async function reconciliationShown(): Promise<ReconciliationView> {
  const { pane } = running();
  const records = await tableRecords(pane.page, "Reconciliation totals");
  const hasAccount = records.some((r) => "Account" in r);
  const key = (r: Record<string, string>) =>
    [r["Billing month"], r["Currency"], ...(hasAccount ? [r["Account"]] : [])].join("|");
  return {
    totals: new Map(records.map((r) => [key(r), parseMoney(r["Billing total"] ?? "")])),
    statuses: new Map(records.map((r) => [key(r), r["Status"] ?? ""])),
    hasAccount,
  };
}

async function expectReconciliationMatches(truth: BillingUsageResult): Promise<ReconciliationView> {
  const shown = await reconciliationShown();
  const accountColumn = truth.response?.columns.some((c) => c.columnName === "ACCOUNT_NAME")
    ? "ACCOUNT_NAME"
    : "ACCOUNT_KEY";
  expectSameTotals(shown.totals, totalsByMonthAndCurrency(truth, shown.hasAccount ? accountColumn : undefined));
  return shown;
}

async function changeSummary(): Promise<string[]> {
  const { pane } = running();
  const title = pane.page.getByText(/^(What changed since the previous run|No changes)$/);
  await title.waitFor();
  return pane.page.evaluate(() =>
    [...document.querySelectorAll("main li")].map((li) => li.textContent?.trim() ?? "").filter((t) => t !== "")
  );
}

describe("a provisional month, refreshed as Infobip's data moves and the month closes", () => {
  it("shows November 2026 as provisional, with reconciliation totals equal to the emulator's", async () => {
    const { stack } = suite.running();
    const pane = await suite.openSharedPane(START);
    const { page } = pane;
    await saveSettings(page, "demo-key");
    await composeQuery(page, {
      period: "Custom dates",
      from: "2026-11-01",
      to: "2026-12-01",
      granularity: "Month",
      dimensions: ["Country"],
      label: "November costs",
    });
    expect(await runAndWait(pane, page.getByRole("button", { name: "Run query" }))).toMatch(/^Done in /);

    const truth = await emulatorResult(stack.emulatorUrl, "demo-key", novemberQuery(START));
    expect(truth.metadata?.billingPeriods).toEqual([{ month: MONTH, volumeFinalized: false }]);
    const shown = await expectReconciliationMatches(truth);
    for (const status of shown.statuses.values()) expect(status).toBe("Provisional until 2026-12-05");
    expect(await page.getByRole("list", { name: "Billing periods" }).textContent()).toMatch(
      /November 2026:\s*Provisional\s*finalizes on 5 December 2026/
    );
  });

  it("reports how the provisional month's totals moved when late records arrive", async () => {
    const { stack, pane } = running();
    const before = totalsByCurrency(await emulatorResult(stack.emulatorUrl, "demo-key", novemberQuery(START)));
    const later = await moveClocks({ advanceDays: 3 });
    const after = totalsByCurrency(later);
    const moved = [...after].filter(([currency, total]) => Math.abs(total - (before.get(currency) ?? 0)) > 0.005);
    // The emulator promises late-arriving records for a provisional month; without them there is nothing to see.
    expect(moved.length).toBeGreaterThan(0);

    expect(await runAndWait(pane, pane.page.getByRole("button", { name: "Refresh", exact: true }))).toMatch(
      /^Done in /
    );
    const summary = await changeSummary();
    for (const [currency, total] of moved) {
      const line = summary.find((l) => l.startsWith(`${MONTH} ${currency} total moved from `));
      if (!line) throw new Error(`no line for ${currency} in the change summary: ${JSON.stringify(summary)}`);
      const [, from = "", to = ""] = /moved from ([\d,.-]+) to ([\d,.-]+)/.exec(line) ?? [];
      expect(Math.abs(parseMoney(from) - (before.get(currency) ?? 0))).toBeLessThanOrEqual(MONEY_TOLERANCE);
      expect(Math.abs(parseMoney(to) - total)).toBeLessThanOrEqual(MONEY_TOLERANCE);
    }
    await expectReconciliationMatches(later);
  });

  it("shows the month as Final once the clock passes the 5th of the next month", async () => {
    const { pane } = running();
    const closed = await moveClocks({ now: "2026-12-06T09:00:00Z" });
    expect(closed.metadata?.billingPeriods).toEqual([{ month: MONTH, volumeFinalized: true }]);

    expect(await runAndWait(pane, pane.page.getByRole("button", { name: "Refresh", exact: true }))).toMatch(
      /^Done in /
    );
    expect(await changeSummary()).toContain(`${MONTH} is now Final (invoice month closed on 2026-12-05).`);
    expect(await pane.page.getByRole("list", { name: "Billing periods" }).textContent()).toMatch(
      /November 2026:\s*Final/
    );
    const shown = await expectReconciliationMatches(closed);
    for (const status of shown.statuses.values()) expect(status).toBe("Final");
  });
});
