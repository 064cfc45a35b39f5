/**
 * Bench: the whole way a user waits, in real Chromium. The real `npm start` stack (emulator, relay on SQLite,
 * webpack's pane; EMULATOR_CALLBACK_DELAY_MS=0) and the pane in browser preview mode: the big query (Whole 3-month
 * window, Day × Country × Network × Sender) from the click on *Run query* to the preview's "Totals per currency"
 * on screen. Three runs on one stack, each in a fresh pane, each printed, and the median.
 *
 * The breakdown comes from the status line, stamped in the page (performance.now()) as each text renders:
 * sending, waiting (emulator generation + callback + relay ingest + long-poll wake-up), receiving (the relay's
 * pages, until the last "Receiving rows" count), then shaping and rendering until "Done in" and the totals table
 * are in the document.
 *
 *   npx tsx bench/pane.ts
 */
import type { Browser, Page } from "playwright-core";
import { composeQuery, openPane, saveSettings, type PaneSession } from "../test/e2e/support/pane";
import { startBrowserAndStack } from "../test/e2e/support/suite";
import { runStandalone } from "./standalone";

/** The e2e tests' clock: the emulator's three-month window ends here. */
const EMULATOR_NOW = new Date("2026-11-25T10:00:00Z");
const RUNS = 3;

export interface PaneRun {
  rows: number;
  /** Click → "Waiting for Infobip" (the query sent to the relay and on to the emulator). */
  sendMs: number;
  /** → "Receiving rows" (emulator generation, callback, relay ingest, long-poll wake-up). */
  waitMs: number;
  /** → the last "Receiving rows" (every page read). */
  receiveMs: number;
  /** → "Done in" (the result handed over, shaped and rendered: the status and the preview render together). */
  shapeMs: number;
  /** → the totals table in the document (React renders the result and the preview). */
  renderMs: number;
  totalMs: number;
}

export interface PaneBenchResult {
  runs: PaneRun[];
  median: PaneRun;
}

interface Stamp {
  text: string;
  at: number;
}

async function installStamps(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a named function in a helper the page lacks.
  await page.evaluate(`(() => {
    const stamps = [];
    window.__stamps = stamps;
    const look = () => {
      const text = document.querySelector('[role="status"]')?.textContent ?? "";
      if (text !== "" && (stamps.length === 0 || stamps[stamps.length - 1].text !== text)) stamps.push({ text, at: performance.now() });
      const totals = document.querySelector('table[aria-labelledby="totals-heading"] tbody tr');
      if (totals && !window.__totalsAt) window.__totalsAt = performance.now();
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** One run in a fresh pane (a new browser context: no earlier result on screen). */
async function oneRun(browser: Browser, paneUrl: string): Promise<PaneRun> {
  const session = await openPane(browser, paneUrl, EMULATOR_NOW, { width: 420, height: 900 });
  try {
    return await timedRun(session);
  } finally {
    await session.context.close();
  }
}

async function timedRun(session: PaneSession): Promise<PaneRun> {
  const { page } = session;
  await saveSettings(page, "demo-key");
  await composeQuery(page, {
    period: "Whole 3-month window",
    granularity: "Day",
    dimensions: ["Country", "Network", "Sender"],
    label: "Bench big query",
  });
  await installStamps(page);
  const clickedAt = (await page.evaluate(`performance.now()`)) as number;
  await page.getByRole("button", { name: "Run query" }).click();
  await page.waitForFunction(`window.__totalsAt > 0`, undefined, { timeout: 120_000, polling: 50 });
  const stamps = (await page.evaluate(`window.__stamps`)) as Stamp[];
  const totalsAt = (await page.evaluate(`window.__totalsAt`)) as number;
  const at = (pattern: RegExp): number => {
    const found = stamps.find((stamp) => pattern.test(stamp.text));
    if (found === undefined) throw new Error(`the status line never showed ${pattern}: ${JSON.stringify(stamps)}`);
    return found.at;
  };
  const done = stamps.find((stamp) => /^Done in /.test(stamp.text));
  if (done === undefined) throw new Error(`the query did not finish: ${JSON.stringify(stamps)}`);
  const waiting = at(/^Waiting for Infobip/);
  const receiving = at(/^Receiving rows/);
  const lastReceiving = [...stamps].reverse().find((stamp) => /^Receiving rows/.test(stamp.text))?.at ?? receiving;
  const rowsText = await page.getByRole("region", { name: /^Preview/ }).textContent();
  const rows = Number(/of ([\d,]+) rows/.exec(rowsText ?? "")?.[1]?.replace(/,/g, "") ?? Number.NaN);
  return {
    rows,
    sendMs: waiting - clickedAt,
    waitMs: receiving - waiting,
    receiveMs: lastReceiving - receiving,
    shapeMs: done.at - lastReceiving,
    renderMs: totalsAt - done.at,
    totalMs: totalsAt - clickedAt,
  };
}

export async function benchPane(): Promise<PaneBenchResult> {
  const { browser, stack, stop } = await startBrowserAndStack({
    emulatorNow: EMULATOR_NOW.toISOString(),
    callbackDelayMs: 0,
  });
  try {
    const runs: PaneRun[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await oneRun(browser, stack.paneUrl));
    const median = [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(RUNS / 2)] as PaneRun;
    return { runs, median };
  } finally {
    await stop();
  }
}

export function printPaneBench(result: PaneBenchResult): void {
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  const line = (run: PaneRun): string =>
    `${ms(run.totalMs)} = send ${ms(run.sendMs)} + wait (generate, callback, ingest, wake-up) ${ms(run.waitMs)} + pages ${ms(run.receiveMs)} + shaping and rendering ${ms(run.shapeMs)} + render to the totals ${ms(run.renderMs)}`;
  console.log(
    `pane in Chromium (npm start, EMULATOR_CALLBACK_DELAY_MS=0): Whole 3-month window, Day × Country × Network × Sender, ${result.median.rows.toLocaleString("en-US")} rows, from Run query to the preview's totals`
  );
  result.runs.forEach((run, index) => console.log(`  run ${index + 1}: ${line(run)}`));
  console.log(`  median: ${line(result.median)}`);
}

if (require.main === module) runStandalone(() => benchPane(), printPaneBench);
