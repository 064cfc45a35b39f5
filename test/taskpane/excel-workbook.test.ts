/**
 * The pane's workbook adapters against the strict Excel double (test/excel/double): a result written through
 * the pane's sink becomes a recorded billing table; Refresh replaces its rows in place (same table, user column
 * kept) and reports what moved; pending queries live in the workbook; the API key never reaches it.
 */
import { predictColumns, type QueryDefinition, type RawRow } from "../../src/billing";
import { excelWorkbook } from "../../src/taskpane/excel-workbook";
import { saveApiKey, useKeyStorage } from "../../src/taskpane/credentials";
import type { FetchedResult, RunnerDeps } from "../../src/taskpane/query-runner";
import type { QueryState, RelayApi, RowsPage } from "../../src/taskpane/relay-client";
import { queryState, rowsPage } from "./relay-answers";
import { refreshTable } from "../../src/taskpane/table-refresh";
import { createExcelDouble, type ExcelDouble } from "../excel/excel-double";
import { calculatingDouble } from "../excel/billing-fixture";
import { runQuery } from "../../src/taskpane/query-runner";
import { toQuery } from "../../src/billing";

const NOW = new Date("2026-03-20T08:00:00Z");
const API_KEY = "7f1c2e9a4b8d-pane-secret-key";

const definition: QueryDefinition = {
  version: 1,
  label: "March by country",
  period: { preset: "this-month" },
  aggregateBy: ["DAY", "COUNTRY_NAME"],
  filters: { categories: ["SMS"] },
  includeUnfinalizedData: true,
};
const COLUMNS = predictColumns(definition.aggregateBy);
const METADATA = {
  clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
  billingPeriods: [{ month: "2026-03", volumeFinalized: false }],
};

function row(day: string, country: string, total: number, category = "SMS"): RawRow {
  return [
    "Acme",
    category,
    `2026-03-${day}T00:00:00.000+0000`,
    country,
    "message",
    0.0075,
    total / 0.0075,
    total,
    "EUR",
  ];
}

function fetched(rows: RawRow[]): FetchedResult {
  return {
    queryId: "q0",
    requestId: "REQ-0",
    label: definition.label,
    definition,
    columns: COLUMNS,
    rows,
    metadata: METADATA,
    retrievedAt: NOW,
  };
}

/** A relay that answers every query at once with the given rows. */
function relayWith(rows: RawRow[], metadata = METADATA): RelayApi {
  const state = (id: string): QueryState =>
    queryState({
      id,
      requestId: `REQ-${id}`,
      status: "succeeded",
      createdAt: NOW.toISOString(),
      totalRows: rows.length,
      columns: COLUMNS,
      metadata,
    });
  return {
    submit: async () => ({
      id: "q1",
      requestId: "REQ-q1",
      status: "pending",
      createdAt: NOW.toISOString(),
      connection: "default",
      infobipAnswer: "accepted",
    }),
    get: async (id) => state(id),
    rows: async (_id, page): Promise<RowsPage> =>
      rowsPage({ rows: rows.slice(page.offset, page.offset + page.limit), totalRows: rows.length }),
    list: async () => [],
    remove: async () => undefined,
    checkConnection: async () => ({ via: "list", message: "" }),
  };
}

let excel: ExcelDouble;
const globals = globalThis as unknown as { Excel?: unknown; Office?: unknown };

beforeEach(() => {
  excel = createExcelDouble();
  globals.Excel = { run: excel.run.bind(excel) };
  // The double's own requirement sets, so that what the code checks is what the double allows.
  globals.Office = { context: { requirements: excel.requirements } };
  const items = new Map<string, string>();
  useKeyStorage({
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  });
  saveApiKey(API_KEY, false);
});

afterEach(() => {
  delete globals.Excel;
  delete globals.Office;
  useKeyStorage(undefined);
});

describe("excel actions", () => {
  it("writes a result as a billing table on a new sheet and lists it with its saved query", async () => {
    const workbook = excelWorkbook();
    const progress: number[] = [];
    const report = await workbook.sink.write(
      fetched([row("01", "Germany", 1.5), row("02", "France", 2)]),
      { kind: "new-sheet" },
      (n) => progress.push(n)
    );
    expect(report.rowsWritten).toBe(2);
    expect(report.message).toMatch(/^Wrote table \S+ on sheet “.+”: 2 rows\.$/);
    expect(progress[progress.length - 1]).toBe(2);

    const tables = await workbook.listTables();
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({
      tableName: report.tableName,
      label: "March by country",
      definition,
      rowCount: 2,
    });
    expect(tables[0]?.dimensionLabels).toEqual(["Account", "Category code", "Day", "Country"]); // Month would repeat the Billing month columns;
    const snapshot = await workbook.snapshot(report.tableName!);
    expect(snapshot?.rows).toHaveLength(2);
    expect(snapshot?.billingPeriods).toEqual([{ month: "2026-03", volumeFinalized: false }]);
  });

  it("refreshes in place: same table, the user's column kept, and the change summary says what moved", async () => {
    const workbook = excelWorkbook();
    const first = await workbook.sink.write(
      fetched([row("01", "Germany", 1.5)]),
      { kind: "new-sheet" },
      () => undefined
    );
    const tableName = first.tableName!;
    // The user adds a calculated column to the right of the table.
    const before = excel.inspect.table(tableName)!;
    const sheet = before.sheet;
    const lastCol = before.address.split(":")[1]!.replace(/\d+/g, "");
    const nextCol = String.fromCharCode(lastCol.charCodeAt(0) + 1);
    const headerRow = Number(before.address.split("!")[1]!.split(":")[0]!.replace(/\D+/g, ""));
    excel.inspect.seedValues(sheet, `${nextCol}${headerRow}:${nextCol}${headerRow + 1}`, [["My note"], ["keep me"]]);
    const table = (await workbook.listTables())[0]!;

    const runner: RunnerDeps = {
      client: relayWith([row("01", "Germany", 2.25), row("03", "Spain", 1)]),
      pending: workbook.pending,
      sink: workbook.sink,
      now: () => NOW,
      sleep: async () => undefined,
    };
    const result = await refreshTable(table, { runner, workbook });

    expect(result.outcome.kind).toBe("done");
    expect(excel.inspect.tableNames()).toEqual([tableName]);
    const after = excel.inspect.table(tableName)!;
    expect(after.sheet).toBe(sheet);
    expect(after.dataRowCount).toBe(2);
    expect(excel.inspect.values(sheet, `${nextCol}${headerRow}:${nextCol}${headerRow}`)).toEqual([["My note"]]);
    expect(result.changes?.summary.join(" ")).toMatch(/2026-03 EUR total moved from 1\.50 to 3\.25/);
    expect(await workbook.pending.list()).toEqual([]);
  });

  it("creates a cost overview of a table, which grows when a refresh brings a new category, and the summary says so", async () => {
    const workbook = excelWorkbook();
    const first = await workbook.sink.write(
      fetched([row("01", "Germany", 1.5), row("02", "France", 2)]),
      { kind: "new-sheet" },
      () => undefined
    );
    const message = await workbook.createOverview(first.tableName!);
    expect(message).toMatch(/^Overview sheet “Overview .+” created: 2 charts for EUR, over live formulas/);
    const monthly = () => excel.state.charts.find((c) => c.name === "EUR monthly");
    expect(monthly()?.series.map((s) => s.name)).toEqual(["SMS"]);
    const chartId = monthly()?.id;

    const table = (await workbook.listTables())[0]!;
    const runner: RunnerDeps = {
      client: relayWith([row("01", "Germany", 1.5), row("02", "France", 2), row("03", "Spain", 4, "WHATSAPP")]),
      pending: workbook.pending,
      sink: workbook.sink,
      now: () => NOW,
      sleep: async () => undefined,
    };
    const result = await refreshTable(table, { runner, workbook });
    expect(result.outcome.kind).toBe("done");
    expect(result.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Overview sheet “Overview .+” updated\.$/),
        "The overview grew: EUR now shows Category code WHATSAPP.",
      ])
    );
    expect(monthly()?.id).toBe(chartId);
    expect(monthly()?.series.map((s) => s.name)).toEqual(["SMS", "WHATSAPP"]);

    // A refresh that brings nothing new leaves the overview as it is.
    const again = await refreshTable(table, { runner, workbook });
    expect(again.notes.some((note) => note.startsWith("Overview sheet"))).toBe(false);
  });

  it("keeps pending queries in the workbook, and never the API key", async () => {
    const workbook = excelWorkbook();
    await workbook.pending.add({
      queryId: "q-77",
      label: "Pending one",
      definition,
      destination: { kind: "replace", tableName: "Billing_Old" },
      submittedAt: NOW.toISOString(),
    });
    const reopened = excelWorkbook();
    expect(await reopened.pending.list()).toEqual([
      {
        queryId: "q-77",
        label: "Pending one",
        definition,
        destination: { kind: "replace", tableName: "Billing_Old" },
        submittedAt: NOW.toISOString(),
      },
    ]);
    await reopened.sink.write(fetched([row("01", "Germany", 1)]), { kind: "new-sheet" }, () => undefined);
    await reopened.pending.remove("q-77");
    expect(await reopened.pending.list()).toEqual([]);
    const everything = JSON.stringify(excel.inspect.customXmlParts()) + JSON.stringify(excel.syncs);
    expect(everything).not.toContain(API_KEY);
  });

  it("reports an empty result plainly", async () => {
    const report = await excelWorkbook().sink.write(fetched([]), { kind: "new-sheet" }, () => undefined);
    expect(report.message).toMatch(/^No billed usage for these filters: table .+ has its header only\.$/);
  });
});

describe("a workbook over several Infobip connections", () => {
  const FINAL_MARCH = { ...METADATA, billingPeriods: [{ month: "2026-03", volumeFinalized: true }] };
  const overBoth: QueryDefinition = { ...definition, connections: ["eu", "us"] };
  const usd = (r: RawRow): RawRow => r.map((cell) => (cell === "EUR" ? "USD" : cell));

  function runnerOver(rows: Record<string, RawRow[]>, workbook: ReturnType<typeof excelWorkbook>): RunnerDeps {
    return {
      client: relayWith([]),
      clientFor: (name) => relayWith(rows[name] ?? [], name === "eu" ? FINAL_MARCH : METADATA),
      pending: workbook.pending,
      sink: workbook.sink,
      now: () => NOW,
      sleep: async () => undefined,
    };
  }

  it("writes one table with Connection first, each connection's own month status, refreshes each, reconciles by connection", async () => {
    excel = calculatingDouble();
    globals.Excel = { run: excel.run.bind(excel) };
    globals.Office = { context: { requirements: excel.requirements } };
    const workbook = excelWorkbook();
    const first = {
      eu: [row("01", "Germany", 1.5), row("02", "France", 2)],
      us: [usd(row("01", "United States", 4)), row("02", "Canada", 0.5)],
    };
    const outcome = await runQuery(
      { definition: overBoth, query: toQuery(overBoth, NOW), destination: { kind: "new-sheet" } },
      runnerOver(first, workbook)
    );
    expect(outcome.kind).toBe("done");
    const tableName = outcome.kind === "done" ? outcome.placement.tableName! : "";
    const table = excel.inspect.table(tableName)!;
    expect(table.headers[0]).toBe("Connection");
    const status = table.headers.indexOf("Period status");
    expect(table.rows.map((r) => [r[0], r[status]])).toEqual([
      ["eu", "Final"],
      ["eu", "Final"],
      ["us", "Provisional"],
      ["us", "Provisional"],
    ]);
    expect(excel.inspect.values(table.sheet, "B1")).toEqual([["Connections: eu, us."]]);

    const [info] = await workbook.listTables();
    expect(info?.definition.connections).toEqual(["eu", "us"]);
    expect(info?.dimensionLabels[0]).toBe("Connection");

    // Refresh in place re-runs each connection of the table.
    const asked: string[] = [];
    const runner = runnerOver(
      { eu: [row("01", "Germany", 3)], us: [usd(row("01", "United States", 4)), row("03", "Canada", 1)] },
      workbook
    );
    const refreshed = await refreshTable(info!, {
      runner: { ...runner, clientFor: (name) => (asked.push(name), runner.clientFor!(name)) },
      workbook,
    });
    expect(refreshed.outcome.kind).toBe("done");
    expect(asked).toEqual(["eu", "us"]);
    expect(excel.inspect.table(tableName)?.rows.map((r) => r[0])).toEqual(["eu", "us", "us"]);

    // The reconciliation: connection × billing month × currency, each connection invoiced on its own.
    await workbook.reconcile(tableName);
    const recon = excel.inspect.table(`${tableName}_Recon`)!;
    expect(recon.headers.slice(0, 5)).toEqual(["Connection", "Billing month", "Currency", "Account", "Period status"]);
    const totals = excel.inspect
      .values(recon.sheet, `A5:G${4 + recon.dataRowCount}`)
      .map((r) => [r[0], r[1], r[2], r[4], Math.round(Number(r[6]) * 100) / 100]);
    expect(totals).toEqual([
      ["eu", "2026-03", "EUR", "Final", 3],
      ["us", "2026-03", "EUR", "Provisional", 1],
      ["us", "2026-03", "USD", "Provisional", 4],
    ]);

    // The cost overview can split by connection.
    const message = await workbook.createOverview(tableName, { dimension: "Connection" });
    expect(message).toMatch(/^Overview sheet “Overview .+” created: \d+ charts for EUR, USD/);
    expect(excel.state.charts.find((c) => c.name === "EUR monthly")?.series.map((x) => x.name)).toEqual(["eu", "us"]);
  });

  it("names the missing connection above a table written without it", async () => {
    const workbook = excelWorkbook();
    const runner = runnerOver({ eu: [row("01", "Germany", 1.5)] }, workbook);
    runner.clientFor = (name) => {
      const relay = relayWith([row("01", "Germany", 1.5)], FINAL_MARCH);
      return name === "us" ? { ...relay, get: async () => Promise.reject(new Error("boom")) } : relay;
    };
    const outcome = await runQuery(
      { definition: overBoth, query: toQuery(overBoth, NOW), destination: { kind: "new-sheet" } },
      runner
    );
    expect(outcome.kind).toBe("failed");
    expect(excel.inspect.tableNames()).toEqual([]);
    const partial = outcome.kind === "failed" ? outcome.partial : undefined;
    expect(partial).toBeDefined();
    const { writeWithoutFailed } = await import("../../src/taskpane/query-runner");
    const written = await writeWithoutFailed(partial!, runner);
    const tableName = written.kind === "done" ? written.placement.tableName! : "";
    const table = excel.inspect.table(tableName)!;
    expect(excel.inspect.values(table.sheet, "B1")[0]?.[0]).toBe(
      "Connections: eu. MISSING, not in this table or its totals: us (Something went wrong: boom)."
    );
    expect(new Set(table.rows.map((r) => r[0]))).toEqual(new Set(["eu"]));
  });
});
