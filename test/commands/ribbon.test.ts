/**
 * The ribbon's "Refresh all" in Excel as it runs add-ins (issue 10, point 1), on the Office host double with the
 * repository's manifest: the command runs in the pane's page (the shared runtime), so a refresh that takes longer
 * than the five minutes of a function command's own runtime finishes, the pane's state shows each table's outcome,
 * the pane and the ribbon never refresh one table twice at once, and a missing key is told in plain words.
 *
 * Each "page" the manifest names is loaded as Excel loads it: its modules fresh (jest.isolateModules), so module
 * state is per runtime as it would be per page.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a page's modules are loaded per runtime, as Excel loads the page */
import { predictColumns, type QueryDefinition, type RawRow } from "../../src/billing";
import { shapeResult } from "../../src/excel/shape";
import { writeBillingTable } from "../../src/excel/table-writer";
import { saveTableRecord, tableRecordFor } from "../../src/excel/workbook-store";
import type { RefreshActivity } from "../../src/taskpane/refresh-activity";
import type { QueryState, RelayApi, RowsPage, SubmitBody } from "../../src/taskpane/relay-client";
import { queryState, rowsPage } from "../taskpane/relay-answers";
import { createExcelDouble, type ExcelDouble } from "../excel/excel-double";
import { createOfficeHost, FUNCTION_COMMAND_LIFETIME_MS, type OfficeHostDouble } from "../excel/double/office";

const NOW = new Date("2026-03-20T08:00:00Z");
const REFRESH_ALL = "BillingUsage.RefreshAllButton";

function definition(label: string): QueryDefinition {
  return {
    version: 1,
    label,
    period: { preset: "this-month" },
    aggregateBy: ["DAY", "COUNTRY_NAME"],
    filters: {},
    includeUnfinalizedData: true,
  };
}
const COLUMNS = predictColumns(definition("x").aggregateBy);
const METADATA = {
  clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
  billingPeriods: [{ month: "2026-03", volumeFinalized: false }],
};

function rows(count: number, total: number): RawRow[] {
  return Array.from({ length: count }, (_, i) => [
    "Acme",
    "SMS",
    `2026-03-${String(1 + (i % 20)).padStart(2, "0")}T00:00:00.000+0000`,
    `Country ${i}`,
    "message",
    0.01,
    total * 100,
    total,
    "EUR",
  ]);
}

/** A relay that answers each query with rows for its label, and counts submissions per label. */
class Relay implements RelayApi {
  readonly submitted: string[] = [];
  private readonly labels = new Map<string, string>();
  constructor(private readonly answers: Record<string, RawRow[]>) {}
  async submit(body: SubmitBody) {
    const id = `q${this.submitted.length + 1}`;
    this.submitted.push(body.label ?? "");
    this.labels.set(id, body.label ?? "");
    return {
      id,
      requestId: `REQ-${id}`,
      status: "pending" as const,
      createdAt: NOW.toISOString(),
      connection: "default",
      infobipAnswer: "accepted" as const,
    };
  }
  async get(id: string): Promise<QueryState> {
    const found = this.answers[this.labels.get(id) ?? ""] ?? [];
    return queryState({
      id,
      requestId: `REQ-${id}`,
      status: "succeeded",
      createdAt: NOW.toISOString(),
      totalRows: found.length,
      columns: COLUMNS,
      metadata: METADATA,
    });
  }
  async rows(id: string, page: { offset: number; limit: number }): Promise<RowsPage> {
    const found = this.answers[this.labels.get(id) ?? ""] ?? [];
    return rowsPage({ rows: found.slice(page.offset, page.offset + page.limit), totalRows: found.length });
  }
  async list() {
    return [];
  }
  async remove() {}
  async checkConnection() {
    return { via: "list" as const, message: "" };
  }
}

/** Two billing tables with their saved queries, as a query from the pane leaves them. */
async function workbookWithTables(excel: ExcelDouble): Promise<string[]> {
  const names: string[] = [];
  for (const label of ["March SMS", "March WhatsApp"]) {
    const shape = shapeResult({
      requestId: "REQ-old",
      columns: COLUMNS,
      pages: [rows(3, 1)],
      requestedPeriod: METADATA.clientRequestedPeriod,
      billingPeriods: METADATA.billingPeriods,
      retrievedAt: NOW,
      includeUnfinalizedData: true,
    });
    const context = excel.newContext();
    const written = await writeBillingTable(
      context,
      shape,
      { kind: "new-sheet" },
      { title: label, host: excel.requirements }
    );
    await saveTableRecord(
      excel.newContext(),
      tableRecordFor(
        written,
        definition(label),
        shape.columns.map((c) => c.header),
        shape.provenance,
        NOW
      )
    );
    names.push(written.tableName);
  }
  return names;
}

interface PanePage {
  activity: RefreshActivity;
}

/** The task pane's page: what src/taskpane/index.tsx does as it loads, minus drawing the pane. */
function panePage(relay: RelayApi, loaded: PanePage[], withKey = true): () => void {
  return () => {
    jest.isolateModules(() => {
      const credentials = require("../../src/taskpane/credentials") as typeof import("../../src/taskpane/credentials");
      const { refreshActivity } =
        require("../../src/taskpane/refresh-activity") as typeof import("../../src/taskpane/refresh-activity");
      const { excelWorkbook } =
        require("../../src/taskpane/excel-workbook") as typeof import("../../src/taskpane/excel-workbook");
      const { registerCommands } =
        require("../../src/commands/commands") as typeof import("../../src/commands/commands");
      credentials.useKeyStorage({ getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
      if (withKey) credentials.saveApiKey("7f1c2e9a4b8d-pane-key", false);
      const workbook = excelWorkbook();
      refreshActivity.configure(() => ({
        workbook,
        runner: {
          client: relay,
          pending: workbook.pending,
          sink: workbook.sink,
          now: () => NOW,
          sleep: async () => undefined,
        },
      }));
      registerCommands();
      loaded.push({ activity: refreshActivity });
    });
  };
}

/** The old manifest's command page, in case the manifest still pointed there. */
function commandsPage(): () => void {
  return () => {
    jest.isolateModules(() => {
      require("../../src/commands/commands");
    });
  };
}

let host: OfficeHostDouble | undefined;
afterEach(() => {
  host?.uninstall();
  host = undefined;
});

describe("the ribbon's Refresh all", () => {
  it("runs in the pane's page and finishes a refresh longer than a function command's five minutes", async () => {
    const excel = createExcelDouble();
    const [sms, whatsapp] = await workbookWithTables(excel);
    const relay = new Relay({ "March SMS": rows(12, 2), "March WhatsApp": rows(7, 3) });
    const pages: PanePage[] = [];
    host = createOfficeHost({
      excel,
      pages: { "taskpane.html": panePage(relay, pages), "commands.html": commandsPage() },
      syncLatencyMs: 30_000,
    }).install();

    const run = await host.pressButton(REFRESH_ALL);
    await run.completed;
    const pane = pages[0];
    if (!pane) throw new Error("the ribbon did not load the pane's page");
    await pane.activity.whenIdle();

    expect(run.runtime).toMatchObject({ kind: "shared", page: "taskpane.html", closed: false });
    expect(host.runtimes.filter((r) => r.kind === "function-command")).toEqual([]);
    expect(host.clock).toBeGreaterThan(FUNCTION_COMMAND_LIFETIME_MS);
    expect(host.taskPaneVisible).toBe(true);
    expect(excel.inspect.table(sms ?? "")?.dataRowCount).toBe(12);
    expect(excel.inspect.table(whatsapp ?? "")?.dataRowCount).toBe(7);
    const state = pane.activity.getSnapshot();
    expect(state.running).toBe(false);
    expect(state.source).toBe("ribbon");
    expect(state.results.map((r) => [r.label, r.outcome.kind]).sort()).toEqual([
      ["March SMS", "done"],
      ["March WhatsApp", "done"],
    ]);
    expect(state.message).toEqual({ intent: "success", text: "All 2 billing tables were refreshed." });
    // The pane, opened now, is the same page and shows the same outcomes.
    expect(await host.openTaskPane()).toBe(run.runtime);
  });

  it("never refreshes a table twice at once when the pane and the ribbon both ask", async () => {
    const excel = createExcelDouble();
    const [sms] = await workbookWithTables(excel);
    const relay = new Relay({ "March SMS": rows(12, 2), "March WhatsApp": rows(7, 3) });
    const pages: PanePage[] = [];
    host = createOfficeHost({
      excel,
      pages: { "taskpane.html": panePage(relay, pages) },
      syncLatencyMs: 1_000,
    }).install();
    const paneRuntime = await host.openTaskPane();
    const pane = pages[0];
    if (!pane) throw new Error("the pane's page did not load");
    const tables = await host.inRuntime(paneRuntime, () =>
      (require("../../src/taskpane/excel-workbook") as typeof import("../../src/taskpane/excel-workbook"))
        .excelWorkbook()
        .listTables()
    );
    const fromPane = pane.activity.refreshTables(
      tables.filter((t) => t.tableName === sms),
      "pane"
    );
    const run = await host.pressButton(REFRESH_ALL);
    await Promise.all([fromPane, run.completed, pane.activity.whenIdle()]);
    expect(relay.submitted.sort()).toEqual(["March SMS", "March WhatsApp"]);
    expect(excel.inspect.table(sms ?? "")?.dataRowCount).toBe(12);
    expect(pane.activity.getSnapshot().results.map((r) => r.outcome.kind)).toEqual(["done", "done"]);
  });

  it("says in plain words that the key is missing, and refreshes nothing", async () => {
    const excel = createExcelDouble();
    await workbookWithTables(excel);
    const relay = new Relay({});
    const pages: PanePage[] = [];
    host = createOfficeHost({ excel, pages: { "taskpane.html": panePage(relay, pages, false) } }).install();
    const run = await host.pressButton(REFRESH_ALL);
    await run.completed;
    const state = pages[0]?.activity.getSnapshot();
    expect(state).toMatchObject({ needsKey: true, source: "ribbon", running: false });
    expect(state?.message?.text).toBe(
      "No Infobip API key is set. Refresh all from the ribbon uses the key set in this pane's Settings: enter it there (tick \u201cRemember on this computer\u201d to keep it), then press Refresh all again."
    );
    expect(relay.submitted).toEqual([]);
    expect(host.taskPaneVisible).toBe(true);
  });

  it("still refreshes for a Marketplace add-in, whose pane Office does not show: it shows the outcome when opened", async () => {
    const excel = createExcelDouble();
    await workbookWithTables(excel);
    const relay = new Relay({ "March SMS": rows(2, 2), "March WhatsApp": rows(2, 3) });
    const pages: PanePage[] = [];
    host = createOfficeHost({ excel, pages: { "taskpane.html": panePage(relay, pages) }, marketplace: true }).install();
    const run = await host.pressButton(REFRESH_ALL);
    await run.completed;
    await pages[0]?.activity.whenIdle();
    expect(host.taskPaneVisible).toBe(false);
    expect(await host.openTaskPane()).toBe(run.runtime);
    expect(pages[0]?.activity.getSnapshot().results).toHaveLength(2);
  });
});
