/**
 * `npm run screenshot`: the README's picture of the task pane with a result, taken in real Chromium from the
 * real `npm start` stack on the emulator (fixed clock, so the figures are the same every time), with the same
 * helpers as the end-to-end tests. Writes assets/screenshot-taskpane.png (a 420 px task pane),
 * assets/screenshot-taskpane-wide.png (a pane dragged wider) and assets/screenshot-overview.png (the cost
 * overview of a Day query for the whole window: charts, tables and the forecast). Exit status: 0 written, 1 failed.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { composeQuery, openPane, runAndWait, saveSettings } from "../test/e2e/support/pane";
import type { RunningStack } from "../test/e2e/support/stack";
import { startBrowserAndStack } from "../test/e2e/support/suite";

const repoRoot = path.resolve(__dirname, "..");
const NOW = new Date("2026-11-25T10:00:00Z");
const SHOTS = [
  { file: "assets/screenshot-taskpane.png", viewport: { width: 420, height: 900 } },
  { file: "assets/screenshot-taskpane-wide.png", viewport: { width: 760, height: 900 } },
];

async function shoot(browser: Browser, stack: RunningStack, file: string, viewport: { width: number; height: number }) {
  const session = await openPane(browser, stack.paneUrl, NOW, viewport);
  try {
    const { page } = session;
    await saveSettings(page, "demo-key", undefined, { us: "demo-key" });
    await composeQuery(page, {
      period: "Whole 3-month window",
      granularity: "Month",
      dimensions: ["Country"],
      label: "Messaging costs by country",
    });
    const finished = await runAndWait(session, page.getByRole("button", { name: "Run query" }));
    if (!finished.startsWith("Done in")) throw new Error(`the query did not finish: ${finished}`);
    await page.getByRole("table", { name: "Totals per currency" }).waitFor();
    // No caret, focus ring or hover highlight in the picture.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    const target = path.join(repoRoot, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target, animations: "disabled" });
    console.log(`[screenshot] wrote ${file} (${viewport.width}×${viewport.height}, ${fs.statSync(target).size} bytes)`);
  } finally {
    await session.context.close();
  }
}

/** The cost overview of a DAY query for the whole window, scrolled to its heading, in a 420 px pane. */
async function shootOverview(browser: Browser, stack: RunningStack, file: string): Promise<void> {
  const session = await openPane(browser, stack.paneUrl, NOW, { width: 420, height: 900 });
  try {
    const { page } = session;
    await saveSettings(page, "demo-key", undefined, { us: "demo-key" });
    await composeQuery(page, {
      period: "Whole 3-month window",
      granularity: "Day",
      dimensions: [],
      label: "Daily costs",
    });
    const finished = await runAndWait(session, page.getByRole("button", { name: "Run query" }));
    if (!finished.startsWith("Done in")) throw new Error(`the query did not finish: ${finished}`);
    const heading = page.getByRole("heading", { name: "Cost overview", level: 2 });
    await heading.waitFor();
    await page
      .getByRole("group", { name: /^Chart: Daily cost in / })
      .first()
      .locator("svg")
      .first()
      .waitFor();
    await heading.evaluate((element) => element.scrollIntoView({ block: "start" }));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    const target = path.join(repoRoot, file);
    await page.screenshot({ path: target, animations: "disabled" });
    console.log(`[screenshot] wrote ${file} (420×900, ${fs.statSync(target).size} bytes)`);
  } finally {
    await session.context.close();
  }
}

async function main(): Promise<void> {
  console.log("[screenshot] starting Chromium and the stack (npm start on free ports, emulator clock fixed)...");
  // The emulator's default processing time, so the status line reads as it would for a user.
  const { browser, stack, stop } = await startBrowserAndStack({
    emulatorNow: NOW.toISOString(),
    callbackDelayMs: 1500,
  });
  try {
    for (const shot of SHOTS) await shoot(browser, stack, shot.file, shot.viewport);
    await shootOverview(browser, stack, "assets/screenshot-overview.png");
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[screenshot] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
);
