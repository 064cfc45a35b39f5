/**
 * The task pane end to end (issue 5): the real `npm start` stack on the emulator, the pane in real Chromium
 * with the office.js of our bundle and no Excel host, so it runs in browser preview mode. Every figure the
 * pane shows is checked against the emulator's own answer to the same query, fetched over HTTP here.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { resolvePreset, toQuery } from "../../src/billing";
import {
  emulatorResult,
  emulatorSubmissionCount,
  rowsByCurrency,
  totalsByCurrency,
  totalsByMonthAndCurrency,
} from "./support/emulator";
import {
  composeQuery,
  defaultKeyField,
  defaultTestButton,
  invalidFieldMessage,
  openPane,
  parseMoney,
  runAndWait,
  saveSettings,
  statusLine,
  tableRecords,
} from "./support/pane";
import { probe } from "../../scripts/stack/readiness";
import { useStackAndBrowser } from "./support/suite";
import { expectSameTotals } from "./support/totals";

const execFileAsync = promisify(execFile);
const EMULATOR_NOW = new Date("2026-11-25T10:00:00Z");
const { running, openSharedPane, sharedPane } = useStackAndBrowser({
  emulatorNow: EMULATOR_NOW.toISOString(),
  callbackDelayMs: 500,
});

describe("the task pane in a browser, on the npm start stack", () => {
  it("opens in browser preview mode with office.js from our own bundle, proposing its own origin as the relay", async () => {
    const { stack, browser } = running();
    const officeJs: Array<{ url: string; status: number }> = [];
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.on("response", (response) => {
        if (/office(\.debug)?\.js$/.test(new URL(response.url()).pathname)) {
          officeJs.push({ url: response.url(), status: response.status() });
        }
      });
      await page.goto(stack.paneUrl);
      await page
        .getByText("Browser preview: results are shown here, not written to Excel.")
        .waitFor({ timeout: 60_000 });
      expect(officeJs).toContainEqual({ url: `${stack.paneOrigin}/office-js/office.js`, status: 200 });
      // No key yet: the pane opens on Settings, with the relay on the page's own origin.
      expect(await page.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");
      expect(await page.getByRole("textbox", { name: "Relay URL" }).inputValue()).toBe(stack.paneOrigin);
      // "Check this Excel" says it needs Excel, and offers no button to run it here.
      const check = page.getByRole("region", { name: "Check this Excel" });
      await check.getByText(/^This check needs Excel/).waitFor();
      expect(await check.getByRole("button").count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("runs last month by month and country, and shows the emulator's rows and totals per currency", async () => {
    const { stack } = running();
    const pane = await openSharedPane(EMULATOR_NOW);
    const { page } = pane;
    expect(await saveSettings(page, "demo-key")).toBe(stack.paneOrigin);

    await composeQuery(page, {
      period: "Last month",
      granularity: "Month",
      dimensions: ["Country"],
      label: "E2E last month",
    });
    const finished = await runAndWait(pane, page.getByRole("button", { name: "Run query" }));
    expect(finished).toMatch(/^Done in /);

    // The status line went through the documented steps, in order.
    const history = await pane.statusHistory();
    const stepIndex = (pattern: RegExp) => history.findIndex((text) => pattern.test(text));
    const steps = [/^Sending the query/, /^Waiting for Infobip/, /^Receiving rows/, /^Done in /].map(stepIndex);
    expect(steps.every((index) => index >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);

    // The same query, straight to the emulator.
    const query = toQuery(
      {
        version: 1,
        period: { preset: "last-month" },
        aggregateBy: ["MONTH", "COUNTRY_NAME"],
        filters: {},
        includeUnfinalizedData: true,
      },
      EMULATOR_NOW
    );
    expect(query.filterBy.dateInterval).toEqual(resolvePreset("last-month", EMULATOR_NOW));
    const truth = await emulatorResult(stack.emulatorUrl, "demo-key", query);
    const totalRows = truth.response?.totalRows ?? 0;
    expect(totalRows).toBeGreaterThan(0);

    const preview = page.getByRole("region", { name: /^Preview/ });
    await preview.waitFor();
    const rowsNote =
      totalRows <= 200
        ? `All ${totalRows.toLocaleString("en-US")} rows.`
        : `First 200 of ${totalRows.toLocaleString("en-US")} rows`;
    await preview.getByText(rowsNote, { exact: false }).waitFor();
    const gridRows = await page.getByRole("table", { name: "Result rows" }).locator("tbody tr").count();
    expect(gridRows).toBe(Math.min(totalRows, 200));

    const totals = await tableRecords(page, "Totals per currency");
    expectSameTotals(
      new Map(totals.map((t) => [t["Currency"] ?? "", parseMoney(t["Total"] ?? "")])),
      totalsByCurrency(truth)
    );
    expect(new Map(totals.map((t) => [t["Currency"] ?? "", Number((t["Rows"] ?? "").replace(/,/g, ""))]))).toEqual(
      rowsByCurrency(truth)
    );

    // Last month is October 2026, final since 5 November.
    const periods = await page.getByRole("list", { name: "Billing periods" }).textContent();
    expect(periods).toMatch(/October 2026:\s*Final/);

    // The CSV download holds every row plus its header.
    const download = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csvPath = await download[0].path();
    const csv = fs.readFileSync(csvPath, "utf8");
    expect(csv.trim().split(/\r?\n/)).toHaveLength(totalRows + 1);
  });

  it("marks a bad custom date beside its field and sends nothing", async () => {
    const { stack } = running();
    const { page } = sharedPane();
    const posted: string[] = [];
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.startsWith("/v1/")) posted.push(request.url());
    };
    page.on("request", onRequest);
    const submissionsBefore = await emulatorSubmissionCount(stack.emulatorUrl);
    const statusBefore = await statusLine(page).textContent();

    await composeQuery(page, {
      period: "Custom dates",
      from: "2026-11-10",
      to: "2026-11-05",
      granularity: "Day",
      dimensions: [],
    });
    await page.getByRole("button", { name: "Run query" }).click();

    const message = await invalidFieldMessage(page, page.getByLabel("To (exclusive)"));
    expect(message).toMatch(/after|later|before/i);
    // Still on the query, nothing started, nothing sent to the relay or to Infobip.
    expect(await page.getByRole("tab", { name: "Query" }).getAttribute("aria-selected")).toBe("true");
    expect(await statusLine(page).textContent()).toBe(statusBefore);
    page.off("request", onRequest);
    expect(posted).toEqual([]);
    expect(await emulatorSubmissionCount(stack.emulatorUrl)).toBe(submissionsBefore);
  });

  it("says in plain words when the key lacks the billing scope, and when Infobip does not know it", async () => {
    const { stack, browser } = running();
    const session = await openPane(browser, stack.paneUrl, EMULATOR_NOW);
    try {
      const { page } = session;
      await saveSettings(page, "demo-noscope-key");
      await defaultTestButton(page).click();
      const keyMessage = await invalidFieldMessage(page, defaultKeyField(page));
      expect(keyMessage).toMatch(/API key/);
      expect(keyMessage).toMatch(/billing:usage:view/);

      await saveSettings(page, "no-such-key-4f2a");
      await composeQuery(page, { period: "Last month", granularity: "Month", dimensions: [] });
      const finished = await runAndWait(session, page.getByRole("button", { name: "Run query" }));
      expect(finished).toMatch(/^Stopped: /);
      const alert = page.getByRole("alert");
      expect(await alert.textContent()).toContain("Infobip did not accept the API key.");
      await alert.getByRole("button", { name: "Open Settings" }).waitFor();
    } finally {
      await session.context.close();
    }
  });

  it("runs one query over both data centres into one table whose totals per connection equal each emulator's", async () => {
    const { stack, browser } = running();
    const session = await openPane(browser, stack.paneUrl, EMULATOR_NOW);
    try {
      const { page } = session;
      // npm start's relay has two connections: Settings asks a key for each.
      await saveSettings(page, "demo-key", undefined, { us: "demo-key" });
      await composeQuery(page, { period: "Last month", granularity: "Month", dimensions: ["Country"] });
      const accounts = page.getByRole("group", { name: "Connections" });
      expect(await accounts.getByRole("checkbox", { name: "eu (default)" }).isChecked()).toBe(true);
      expect(await accounts.getByRole("checkbox", { name: "us", exact: true }).isChecked()).toBe(true);
      const finished = await runAndWait(session, page.getByRole("button", { name: "Run query" }));
      expect(finished).toMatch(/^Done in /);

      const query = toQuery(
        {
          version: 1,
          period: { preset: "last-month" },
          aggregateBy: ["MONTH", "COUNTRY_NAME"],
          filters: {},
          includeUnfinalizedData: true,
        },
        EMULATOR_NOW
      );
      const truth = {
        eu: await emulatorResult(stack.emulatorUrls.eu, "demo-key", query),
        us: await emulatorResult(stack.emulatorUrls.us, "demo-key", query),
      };
      // Two data centres with their own data: a sum of one could not pass for the other.
      expect(totalsByCurrency(truth.eu)).not.toEqual(totalsByCurrency(truth.us));

      await page.getByText("Connections: eu, us.", { exact: true }).waitFor();
      const grid = page.getByRole("table", { name: "Result rows" });
      expect(await grid.locator("thead th").first().textContent()).toBe("Connection");
      const rowCount = (truth.eu.response?.totalRows ?? 0) + (truth.us.response?.totalRows ?? 0);
      expect(await grid.locator("tbody tr").count()).toBe(Math.min(rowCount, 200));

      // Reconciliation totals: connection × billing month × currency × account, each equal to its own emulator's.
      const reconciliation = await tableRecords(page, "Reconciliation totals");
      for (const connection of ["eu", "us"] as const) {
        const shown = new Map(
          reconciliation
            .filter((r) => r["Connection"] === connection)
            .map((r) => [
              `${r["Billing month"]}|${r["Currency"]}|${r["Account"]}`,
              parseMoney(r["Billing total"] ?? ""),
            ])
        );
        expectSameTotals(shown, totalsByMonthAndCurrency(truth[connection], "ACCOUNT_NAME"));
      }
    } finally {
      await session.context.close();
    }
  });

  it("npm stop stops the whole stack", async () => {
    const { stack } = running();
    // Asynchronously: this process must stay free to collect the stack's exit while npm stop waits for it.
    const result = await execFileAsync(process.execPath, ["--import", "tsx", "scripts/stop.ts"], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, RELAY_DATA_DIR: stack.dataDir },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stdout).toContain("Stopped.");
    for (const url of [`${stack.emulatorUrl}/healthz`, `${stack.relayUrl}/healthz`, stack.paneUrl]) {
      expect(await probe(url, 2000)).toBeUndefined();
    }
  });
});
