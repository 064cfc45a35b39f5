import { predictColumns, type QueryDefinition, type RawRow } from "../../src/billing";
import type { TableSnapshot } from "../../src/excel/changes";
import { MemoryPendingStore } from "../../src/taskpane/pending-store";
import type { FetchedResult, RunnerDeps } from "../../src/taskpane/query-runner";
import {
  errorForStatus,
  type QueryState,
  type RelayApi,
  type RowsPage,
  type SubmitBody,
} from "../../src/taskpane/relay-client";
import { snapshotOf } from "../../src/taskpane/result-view";
import { describeRefresh, refreshTables, type TableRefreshResult } from "../../src/taskpane/table-refresh";
import type { BillingTableInfo, Workbook } from "../../src/taskpane/workbook";
import { queryState, rowsPage } from "./relay-answers";

const NOW = new Date("2026-03-20T08:00:00Z");
const COLUMNS = predictColumns(["MONTH"]);

function definition(label: string, period: QueryDefinition["period"] = { preset: "this-month" }): QueryDefinition {
  return { version: 1, label, period, aggregateBy: ["MONTH"], filters: {}, includeUnfinalizedData: true };
}

const row = (total: number): RawRow => [
  "Acme",
  "SMS",
  "2026-03-01T00:00:00.000+0000",
  "message",
  0.01,
  total * 100,
  total,
  "EUR",
];

/** A relay whose answers depend on the query's label; it records how many queries run at once. */
class ScriptedRelay implements RelayApi {
  private queries = new Map<string, { label: string; polls: number }>();
  private next = 1;
  running = 0;
  peak = 0;
  constructor(private readonly script: Record<string, { fail?: number; rows: RawRow[] }>) {}

  async submit(body: SubmitBody) {
    const label = body.label ?? "";
    const id = `q${this.next++}`;
    this.queries.set(id, { label, polls: 0 });
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    return {
      id,
      requestId: `r-${id}`,
      status: "pending" as const,
      createdAt: NOW.toISOString(),
      connection: "default",
      infobipAnswer: "accepted" as const,
    };
  }

  async get(id: string): Promise<QueryState> {
    const query = this.queries.get(id)!;
    // Yield, so that other tables' requests interleave as they would over the network.
    await new Promise((resolve) => setImmediate(resolve));
    if (query.polls++ < 2) return queryState({ id, status: "pending", createdAt: NOW.toISOString() });
    this.running--;
    const scripted = this.script[query.label]!;
    if (scripted.fail) throw errorForStatus(scripted.fail, undefined);
    return queryState({
      id,
      requestId: `r-${id}`,
      status: "succeeded",
      createdAt: NOW.toISOString(),
      totalRows: scripted.rows.length,
      columns: COLUMNS,
      metadata: {
        clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
        billingPeriods: [{ month: "2026-03", volumeFinalized: false }],
      },
    });
  }

  async rows(id: string, page: { offset: number; limit: number }): Promise<RowsPage> {
    const rows = this.script[this.queries.get(id)!.label]!.rows;
    return rowsPage({ rows: rows.slice(page.offset, page.offset + page.limit), totalRows: rows.length });
  }

  async list() {
    return [];
  }
  async remove() {}
  async checkConnection() {
    return { via: "list" as const, message: "" };
  }
}

/** A workbook of tables held as snapshots; writing replaces a table's snapshot with the shaped result. */
class FakeWorkbook implements Workbook {
  pending = new MemoryPendingStore();
  writes: string[] = [];
  refreshedPivots: string[] = [];
  constructor(readonly snapshots: Map<string, TableSnapshot>) {}
  sink = {
    write: async (result: FetchedResult, destination: { kind: string; tableName?: string }) => {
      const name = destination.tableName ?? "new";
      this.writes.push(name);
      this.snapshots.set(name, snapshotOf(result));
      return { message: `written ${name}`, rowsWritten: result.rows.length, tableName: name };
    },
  };
  async listTables(): Promise<BillingTableInfo[]> {
    return [];
  }
  async selectedTableName() {
    return undefined;
  }
  async snapshot(tableName: string) {
    return this.snapshots.get(tableName);
  }
  async afterRefresh(tableName: string) {
    this.refreshedPivots.push(tableName);
    return [`PivotTables on ${tableName} refreshed.`];
  }
  async reconcile() {
    return "";
  }
  async createPivot() {
    return { ok: true as const, message: "" };
  }
  async createOverview() {
    return "";
  }
  async selfTest(): Promise<never> {
    throw new Error("no self-test in this fake");
  }
}

function table(name: string, def = definition(name)): BillingTableInfo {
  return { tableName: name, sheetName: name, label: name, definition: def, dimensionLabels: ["Account"] };
}

function deps(relay: RelayApi, workbook: Workbook): { runner: RunnerDeps; workbook: Workbook } {
  return {
    runner: {
      client: relay,
      pending: workbook.pending,
      sink: workbook.sink,
      now: () => NOW,
      sleep: async () => undefined,
      maxRetries: 0,
    },
    workbook,
  };
}

describe("Refresh all", () => {
  it("refreshes every table, at most three at a time; one failure stops no other and leaves its table alone", async () => {
    const names = ["T1", "T2", "T3", "T4", "T5"];
    const script: Record<string, { fail?: number; rows: RawRow[] }> = {
      T1: { rows: [row(1)] },
      T2: { rows: [row(2)] },
      T3: { fail: 500, rows: [] },
      T4: { rows: [row(4), row(4)] },
      T5: { rows: [] },
    };
    const relay = new ScriptedRelay(script);
    const old = new Map<string, TableSnapshot>(
      names.map((n) => [
        n,
        { header: ["Billing month", "Currency", "Total"], rows: [["2026-03", "EUR", 0.5]], billingPeriods: [] },
      ])
    );
    const workbook = new FakeWorkbook(old);
    const t3Before = old.get("T3");
    const finishedOrder: string[] = [];

    const results = await refreshTables(
      names.map((n) => table(n)),
      deps(relay, workbook),
      {
        onFinished: (r) => finishedOrder.push(r.tableName),
      }
    );

    expect(relay.peak).toBeLessThanOrEqual(3);
    expect(relay.peak).toBeGreaterThan(1);
    expect(results.map((r) => [r.tableName, r.outcome.kind])).toEqual([
      ["T1", "done"],
      ["T2", "done"],
      ["T3", "failed"],
      ["T4", "done"],
      ["T5", "done"],
    ]);
    expect(finishedOrder.sort()).toEqual(names);
    expect(workbook.writes.sort()).toEqual(["T1", "T2", "T4", "T5"]);
    expect(workbook.snapshots.get("T3")).toBe(t3Before);
    expect(workbook.refreshedPivots.sort()).toEqual(["T1", "T2", "T4", "T5"]);
    const t3 = results.find((r) => r.tableName === "T3")!;
    expect(describeRefresh(t3)).toMatch(/^T3 \(T3\): not refreshed\. Infobip or the relay had a problem/);
  });

  it("reports what changed in each refreshed table", async () => {
    const before = snapshotOf({
      queryId: "old",
      definition: definition("T1"),
      columns: COLUMNS,
      rows: [row(1)],
      metadata: {
        clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
        billingPeriods: [{ month: "2026-03", volumeFinalized: false }],
      },
      retrievedAt: NOW,
    });
    const workbook = new FakeWorkbook(new Map([["T1", before]]));
    const [result] = (await refreshTables(
      [table("T1")],
      deps(new ScriptedRelay({ T1: { rows: [row(3)] } }), workbook)
    )) as [TableRefreshResult];
    expect(result.outcome.kind).toBe("done");
    expect(result.changes?.summary.join(" ")).toMatch(/2026-03 EUR total moved from 1\.00 to 3\.00/);
    expect(result.notes).toEqual(["PivotTables on T1 refreshed."]);
  });

  it("a saved custom period that fell out of the retention window is refused before anything is sent", async () => {
    const workbook = new FakeWorkbook(new Map());
    const relay = new ScriptedRelay({});
    const stale = table(
      "Old",
      definition("Old", { preset: "custom", sentSince: "2025-10-01", sentUntil: "2025-11-01" })
    );
    const [result] = (await refreshTables([stale], deps(relay, workbook))) as [TableRefreshResult];
    expect(result.outcome.kind).toBe("failed");
    expect(describeRefresh(result)).toMatch(/cannot be run now: the From date is before 2026-01-01/);
    expect(relay.peak).toBe(0);
    expect(workbook.writes).toEqual([]);
  });
});
