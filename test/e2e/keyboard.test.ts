/**
 * The task pane without a mouse (issue 5: "the whole form works from the keyboard"), in real Chromium on the
 * npm start stack: from a fresh pane, Tab, Shift+Tab, the arrow keys, Space and Enter alone save the key, compose
 * last month by month and country, run it and reach the preview; the focus is visible on the way. axe-core then
 * checks the Result, Tables, Settings and Query (filters open) screens, and the query form showing a bad date,
 * for serious or critical faults.
 */
import { seriousAxeViolations } from "./support/axe";
import { expectVisibleFocus, indicatorsGone, isFocused, pressUntilFocused } from "./support/keyboard";
import { defaultKeyField, invalidFieldMessage, runAndWait, statusLine } from "./support/pane";
import { useStackAndBrowser } from "./support/suite";
import type { Locator, Page } from "playwright-core";

const EMULATOR_NOW = new Date("2026-11-25T10:00:00Z");
const { openSharedPane, sharedPane } = useStackAndBrowser({
  emulatorNow: EMULATOR_NOW.toISOString(),
  callbackDelayMs: 200,
});

/** The text of the option a <select> shows. */
function shownOption(select: Locator): Promise<string> {
  return select.evaluate((element) => {
    const options = (element as HTMLSelectElement).selectedOptions;
    return options[0]?.textContent ?? "";
  });
}

/**
 * Opens the screen tab `name` from the keyboard: Shift+Tab back to the tab list (one stop, on the selected tab),
 * the arrows along it, Enter.
 */
async function openScreenByKeyboard(page: Page, name: "Query" | "Result" | "Tables" | "Settings"): Promise<void> {
  const tabs = page.getByRole("tablist", { name: "Screens" });
  const inTabs = () => tabs.evaluate((list) => list.contains(document.activeElement));
  for (let presses = 0; !(await inTabs()); presses++) {
    if (presses === 80) throw new Error(`80 presses of Shift+Tab did not reach the screen tabs`);
    await page.keyboard.press("Shift+Tab");
  }
  const tab = tabs.getByRole("tab", { name });
  await pressUntilFocused(page, tab, "ArrowRight", 4);
  await page.keyboard.press("Enter");
  await page.waitForFunction((element) => element?.getAttribute("aria-selected") === "true", await tab.elementHandle());
}

/** Pointer events seen in the page since `recordPointerEvents` (a keyboard activation's click has detail 0). */
function pointerEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __pointerEvents: string[] }).__pointerEvents]);
}

async function recordPointerEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __pointerEvents: string[] }).__pointerEvents = seen;
    for (const type of ["pointerdown", "mousedown", "click"]) {
      document.addEventListener(
        type,
        (event) => {
          if (type !== "click" || (event as MouseEvent).detail > 0) seen.push(type);
        },
        true
      );
    }
  });
}

describe("the task pane from the keyboard alone", () => {
  let page: Page;

  it("saves the key, composes last month by month and country, runs it and shows the preview, focus visible throughout", async () => {
    const pane = await openSharedPane(EMULATOR_NOW);
    page = pane.page;
    // Nothing but the keyboard from here: any pointer event in the page is recorded, and checked at the end.
    await recordPointerEvents(page);

    // A fresh pane opens on Settings. Tab: the screen tabs (one stop), the relay URL, then the key.
    const settingsTab = page.getByRole("tab", { name: "Settings" });
    expect(await settingsTab.getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Tab");
    const tabFocus = await expectVisibleFocus(page, settingsTab);

    const keyField = defaultKeyField(page);
    expect(await pressUntilFocused(page, keyField)).toBe(2);
    expect(await indicatorsGone(page, tabFocus)).not.toEqual([]);
    const keyFocus = await expectVisibleFocus(page, keyField);
    await page.keyboard.type("demo-key");
    expect(await keyField.inputValue()).toBe("demo-key");

    const save = page.getByRole("button", { name: "Save settings" });
    await pressUntilFocused(page, save);
    expect(await indicatorsGone(page, keyFocus)).not.toEqual([]);
    await expectVisibleFocus(page, save);
    await page.keyboard.press("Enter");
    await page.getByText(/^Saved \(key /).waitFor();

    // To the Query tab, then into the form: Period first.
    await openScreenByKeyboard(page, "Query");
    const period = page.getByRole("combobox", { name: "Period" });
    await pressUntilFocused(page, period, "Tab", 3);
    await expectVisibleFocus(page, period);
    // The form starts on Last month: the arrows move off it and back, so the choice is the keyboard's.
    await page.keyboard.press("ArrowDown");
    expect(await shownOption(period)).toBe("Whole 3-month window");
    await page.keyboard.press("ArrowUp");
    expect(await shownOption(period)).toBe("Last month");

    // Granularity: Tab enters the radio group on its checked radio, the arrows choose (and move off Month and back).
    const granularity = page.getByRole("radiogroup", { name: "Granularity" });
    const month = granularity.getByRole("radio", { name: "Month" });
    const day = granularity.getByRole("radio", { name: "Day" });
    await pressUntilFocused(page, month, "Tab", 3);
    await page.keyboard.press("ArrowLeft");
    expect(await day.isChecked()).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await month.isChecked()).toBe(true);
    await expectVisibleFocus(page, month);

    const country = page.getByRole("checkbox", { name: "Country", exact: true });
    await pressUntilFocused(page, country);
    const countryFocus = await expectVisibleFocus(page, country);
    await page.keyboard.press("Space");
    expect(await country.isChecked()).toBe(true);

    // The filters open with Enter on their header, and Tab goes through every filter to the Run query button.
    const filters = page.getByRole("button", { name: /^Filters/ });
    await pressUntilFocused(page, filters);
    expect(await indicatorsGone(page, countryFocus)).not.toEqual([]);
    await expectVisibleFocus(page, filters);
    await page.keyboard.press("Enter");
    expect(await filters.getAttribute("aria-expanded")).toBe("true");
    const runQuery = page.getByRole("button", { name: "Run query" });
    const stops = await pressUntilFocused(page, runQuery, "Tab", 150);
    expect(stops).toBeGreaterThan(10); // through the filter fields, not around them
    await expectVisibleFocus(page, runQuery);

    const finished = await runAndWait(pane, () => page.keyboard.press("Enter"));
    expect(finished).toMatch(/^Done in /);
    expect(await statusLine(page).textContent()).toMatch(/^Done in /);
    const preview = page.getByRole("region", { name: /^Preview/ });
    await preview.waitFor();
    expect(await page.getByRole("table", { name: "Result rows" }).locator("tbody tr").count()).toBeGreaterThan(0);
    // Run query left with the query form; the focus is on the result's heading, and Tab goes on from there.
    expect(await isFocused(page.getByRole("heading", { name: "Billing query", level: 2 }))).toBe(true);
    await pressUntilFocused(page, page.getByRole("button", { name: "Download CSV" }), "Tab", 20);
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    expect(await pointerEvents(page)).toEqual([]);
  });

  it("has no serious or critical axe violations on Result, Tables, Settings and Query (filters open)", async () => {
    page = sharedPane().page;
    const found: Record<string, string[]> = {};
    found["Result"] = await seriousAxeViolations(page);
    await openScreenByKeyboard(page, "Tables");
    found["Tables"] = await seriousAxeViolations(page);
    await openScreenByKeyboard(page, "Settings");
    found["Settings"] = await seriousAxeViolations(page);
    await openScreenByKeyboard(page, "Query");
    // The filters close when the screen is left: Tab to their header, Enter opens them.
    const filters = page.getByRole("button", { name: /^Filters/ });
    await pressUntilFocused(page, filters);
    await page.keyboard.press("Enter");
    expect(await filters.getAttribute("aria-expanded")).toBe("true");
    found["Query"] = await seriousAxeViolations(page);
    expect(found).toEqual({ Result: [], Tables: [], Settings: [], Query: [] });
  });

  it("after To before From, the focus is on the invalid To field, which says why", async () => {
    page = sharedPane().page;
    const period = page.getByRole("combobox", { name: "Period" });
    // From the Query tab: Tab to Period, End picks the last option (Custom dates), which shows the two dates.
    await openScreenByKeyboard(page, "Query");
    await pressUntilFocused(page, period, "Tab", 3);
    await page.keyboard.press("End");
    expect(await shownOption(period)).toBe("Custom dates");

    // A date field takes the month, day and year as typed (en-US), moving on by itself.
    const from = page.getByLabel("From (inclusive)");
    const to = page.getByLabel("To (exclusive)");
    await pressUntilFocused(page, from);
    await page.keyboard.type("11102026");
    expect(await from.inputValue()).toBe("2026-11-10");
    await pressUntilFocused(page, to);
    await page.keyboard.type("11052026");
    expect(await to.inputValue()).toBe("2026-11-05");

    const runQuery = page.getByRole("button", { name: "Run query" });
    await pressUntilFocused(page, runQuery, "Tab", 150);
    await page.keyboard.press("Space");

    // The pane moves the focus to the first field with a problem: To, marked invalid, its message linked.
    const message = await invalidFieldMessage(page, to);
    expect(message).toMatch(/after|later|before/i);
    await page.waitForFunction((element) => element === document.activeElement, await to.elementHandle());
    await expectVisibleFocus(page, to);
    // And Shift+Tab and Tab lead back to it.
    await page.keyboard.press("Shift+Tab");
    expect(await isFocused(to)).toBe(false);
    await pressUntilFocused(page, to, "Tab", 5);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await pointerEvents(page)).toEqual([]);
  });
});
