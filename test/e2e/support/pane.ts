/**
 * Driving the task pane in Chromium the way a person (or a screen reader) does: controls are found by role
 * and accessible name, never by CSS class or test id. Shared by the end-to-end tests and `npm run screenshot`.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";

export interface PaneSession {
  context: BrowserContext;
  page: Page;
  /** Every text the status line (role="status") showed, in order, recorded in the page as it changed. */
  statusHistory(): Promise<string[]>;
}

/** Polls until `read()` satisfies `accept`, or throws with the last value seen. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Opens the pane in a fresh context whose clock starts at `now` and runs on from there, so the pane's presets
 * and rules see the same date as the emulator. Every change of the status line is recorded once it has rendered.
 */
export async function openPane(
  browser: Browser,
  paneUrl: string,
  now: Date,
  viewport: { width: number; height: number } = { width: 420, height: 900 }
): Promise<PaneSession> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: "en-US", timezoneId: "UTC" });
  await context.clock.install({ time: now });
  const page = await context.newPage();
  await page.goto(paneUrl);
  await page.getByRole("heading", { name: "Billing Usage", level: 1 }).waitFor({ timeout: 60_000 });
  // Observed from here on, once the pane has rendered (office.js may still rewrite the document while loading).
  // A string, not a function: tsx (for `npm run screenshot`) would wrap a named function in a helper the page lacks.
  await page.evaluate(`(() => {
    const seen = [];
    window.__statusHistory = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[role="status"]')?.textContent ?? "";
      if (text !== "" && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  return {
    context,
    page,
    statusHistory: () => page.evaluate(() => [...(window as unknown as { __statusHistory: string[] }).__statusHistory]),
  };
}

export async function openScreen(page: Page, name: "Query" | "Result" | "Tables" | "Settings"): Promise<void> {
  const tab = page.getByRole("tab", { name });
  await tab.click();
  await waitUntil(
    `the ${name} tab to be selected`,
    () => tab.getAttribute("aria-selected"),
    (v) => v === "true"
  );
}

/** Fills Settings with the relay URL it proposes (or `relayUrl`) and the key, saves, and returns the URL used. */
/**
 * The key field of the relay's default connection: "Infobip API key" for a relay with one connection, "API key of
 * <name> (default)" for one with several (Settings shows them once the relay listed its connections).
 */
export function defaultKeyField(page: Page): Locator {
  return page.getByLabel(/^(Infobip API key|API key of .+ \(default\))$/);
}

/** The Test connection button of the default connection (the only one for a relay with one connection). */
export function defaultTestButton(page: Page): Locator {
  return page.getByRole("button", { name: /^Test connection( .+ \(default\))?$/ });
}

/** Saves the default connection's key (and `otherKeys` by connection name, for a relay with several). */
export async function saveSettings(
  page: Page,
  apiKey: string,
  relayUrl?: string,
  otherKeys: Record<string, string> = {}
): Promise<string> {
  await openScreen(page, "Settings");
  const url = page.getByRole("textbox", { name: "Relay URL" });
  if (relayUrl !== undefined) await url.fill(relayUrl);
  await defaultKeyField(page).fill(apiKey);
  for (const [connection, key] of Object.entries(otherKeys)) {
    await page.getByLabel(`API key of ${connection}`, { exact: true }).fill(key);
  }
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText(/^Saved/).waitFor();
  return url.inputValue();
}

export interface QueryChoice {
  period: "This month" | "Month to date" | "Last month" | "Whole 3-month window" | "Custom dates";
  from?: string;
  to?: string;
  granularity: "Day" | "Month" | "None";
  dimensions: string[];
  label?: string;
}

export async function composeQuery(page: Page, choice: QueryChoice): Promise<void> {
  await openScreen(page, "Query");
  await page.getByRole("combobox", { name: "Period" }).selectOption({ label: choice.period });
  if (choice.from !== undefined) await page.getByLabel("From (inclusive)").fill(choice.from);
  if (choice.to !== undefined) await page.getByLabel("To (exclusive)").fill(choice.to);
  await page.getByRole("radiogroup", { name: "Granularity" }).getByRole("radio", { name: choice.granularity }).check();
  for (const dimension of choice.dimensions) {
    await page.getByRole("checkbox", { name: dimension, exact: true }).check();
  }
  if (choice.label !== undefined) await page.getByRole("textbox", { name: "Table label" }).fill(choice.label);
}

/**
 * Waits until `field` is marked invalid (aria-invalid="true") and returns the text of the elements its
 * aria-describedby names: the message a screen reader reads out beside the field.
 */
export async function invalidFieldMessage(page: Page, field: Locator): Promise<string> {
  await page.waitForFunction(
    (element) => element?.getAttribute("aria-invalid") === "true",
    await field.elementHandle()
  );
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  return page.evaluate(
    (ids) =>
      ids
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" "),
    describedBy
  );
}

export function statusLine(page: Page): Locator {
  return page.getByRole("status");
}

const FINISHED = /^(Done in|Stopped|Cancelled|Infobip has not delivered)/;

/**
 * Clicks `button` (or runs `start`, such as a key press on it) and waits until the status line says how the
 * query it starts ended; returns that line. Reads the recorded history rather than the line itself: a refresh
 * can end on the very text the previous run did.
 */
export async function runAndWait(
  session: PaneSession,
  start: Locator | (() => Promise<void>),
  timeoutMs = 60_000
): Promise<string> {
  const seenBefore = (await session.statusHistory()).length;
  await (typeof start === "function" ? start() : start.click());
  const history = await waitUntil(
    "the query to finish",
    () => session.statusHistory(),
    (texts) => texts.slice(seenBefore).some((text) => FINISHED.test(text)),
    timeoutMs
  );
  return history.slice(seenBefore).find((text) => FINISHED.test(text)) ?? "";
}

/** The cells of a table found by its accessible name, as text, header row first. */
export async function tableText(page: Page, name: string): Promise<string[][]> {
  const table = page.getByRole("table", { name, exact: true });
  await table.waitFor();
  return table.evaluate((element) =>
    [...element.querySelectorAll('[role="row"], tr')].map((row) =>
      [...row.querySelectorAll('[role="columnheader"], [role="cell"], [role="gridcell"], th, td')].map(
        (cell) => cell.textContent?.trim() ?? ""
      )
    )
  );
}

/** Rows of a table as objects keyed by its header cells. */
export async function tableRecords(page: Page, name: string): Promise<Array<Record<string, string>>> {
  const [header = [], ...rows] = await tableText(page, name);
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])));
}

/** `1,234.567` → 1234.567 (the pane's en-US money format). */
export function parseMoney(text: string): number {
  const value = Number(text.replace(/,/g, ""));
  if (!Number.isFinite(value)) throw new Error(`"${text}" is not an amount`);
  return value;
}
