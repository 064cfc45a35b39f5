/**
 * Refresh and Refresh all, for the pane and the ribbon alike. The add-in runs in one shared runtime (manifest
 * `<Runtime lifetime="long">`): the ribbon's "Refresh all" and the pane's buttons call into this one module
 * instance, so:
 * - one refresh at a time per table: a refresh asked for a table that is already refreshing joins the running one
 *   instead of starting a second writer on the same table (and every workbook write goes through one queue,
 *   write-common.ts);
 * - the pane shows what the ribbon started, step by step and table by table, since it reads the same state
 *   (`subscribe` / `getSnapshot`, for React's useSyncExternalStore);
 * - a missing API key is said in plain words, with Settings as the next step, whoever asked.
 *
 * The pane hands in how to reach the relay and the workbook (`configure`); until it has (the ribbon pressed while
 * the pane's page is still starting), the saved settings are used.
 */
import { runnerClients } from "./clients";
import { MissingKeyError, hasAnyApiKey } from "./credentials";
import { errorLine } from "./error-words";
import { excelWorkbook } from "./excel-workbook";
import { abortableSleep } from "./query-runner";
import { describeStep } from "./run-view";
import { loadRelayUrl } from "./settings";
import { refreshTable, REFRESH_CONCURRENCY, type RefreshDeps, type TableRefreshResult } from "./table-refresh";
import { mapWithConcurrency } from "./query-runner";
import type { BillingTableInfo } from "./workbook";

export type { RefreshDeps } from "./table-refresh";

export type RefreshSource = "pane" | "ribbon";

export interface RefreshMessage {
  intent: "success" | "warning" | "error" | "info";
  text: string;
}

export interface RefreshSnapshot {
  /** A refresh is running (started from the pane or the ribbon). */
  running: boolean;
  /** Who started the refresh that is running, or the last one. */
  source: RefreshSource | undefined;
  /** Tables still refreshing: label (or name) → their current step in words. */
  inProgress: Readonly<Record<string, string>>;
  /** Outcomes of the latest refresh, in the order they finished. */
  results: readonly TableRefreshResult[];
  message: RefreshMessage | undefined;
  /** The latest refresh could not start without an API key. */
  needsKey: boolean;
  /** Counts refreshes started, so the pane can tell a new one from the last. */
  generation: number;
}

const IDLE: RefreshSnapshot = {
  running: false,
  source: undefined,
  inProgress: {},
  results: [],
  message: undefined,
  needsKey: false,
  generation: 0,
};

/** What the runtime uses before the pane has handed in its own: the saved Relay URL and key, and the workbook. */
function savedSettingsDeps(): RefreshDeps {
  const workbook = excelWorkbook();
  return {
    workbook,
    runner: {
      ...runnerClients(loadRelayUrl()),
      pending: workbook.pending,
      sink: workbook.sink,
      now: () => new Date(),
      sleep: abortableSleep,
    },
  };
}

export class RefreshActivity {
  private snapshot: RefreshSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private readonly running = new Map<string, Promise<TableRefreshResult>>();
  /** Refresh and Refresh all calls under way (listing the tables included). */
  private readonly calls = new Set<Promise<unknown>>();
  private deps: () => RefreshDeps = savedSettingsDeps;

  /** The pane's settings and workbook, used for every refresh from now on. */
  configure(deps: () => RefreshDeps): void {
    this.deps = deps;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RefreshSnapshot => this.snapshot;

  /** True while the table is being refreshed. */
  isRefreshing(tableName: string): boolean {
    return this.running.has(tableName);
  }

  /** Resolves when nothing is refreshing. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0 || this.calls.size > 0) {
      await Promise.allSettled([...this.running.values(), ...this.calls]);
    }
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.calls.add(call);
    void call.finally(() => this.calls.delete(call)).catch(() => undefined);
    return call;
  }

  /** Every billing table of the workbook, at most three at a time. */
  refreshAll(source: RefreshSource): Promise<TableRefreshResult[]> {
    return this.track(this.listAndRefresh(source));
  }

  private async listAndRefresh(source: RefreshSource): Promise<TableRefreshResult[]> {
    if (!this.haveKey(source)) return [];
    const deps = this.deps();
    let tables: BillingTableInfo[];
    try {
      tables = await deps.workbook.listTables();
    } catch (error) {
      this.update({
        message: { intent: "error", text: errorLine(error, "The workbook's billing tables could not be read") },
      });
      return [];
    }
    if (tables.length === 0) {
      this.update({ source, message: { intent: "info", text: "This workbook has no billing tables to refresh." } });
      return [];
    }
    return this.refresh(tables, source, deps);
  }

  /** Some tables (the pane's Refresh: the chosen one). */
  async refreshTables(tables: readonly BillingTableInfo[], source: RefreshSource): Promise<TableRefreshResult[]> {
    if (!this.haveKey(source)) return [];
    return this.track(this.refresh(tables, source, this.deps()));
  }

  private haveKey(source: RefreshSource): boolean {
    if (hasAnyApiKey()) return true;
    const error = new MissingKeyError();
    this.update({
      source,
      needsKey: true,
      message: {
        intent: "error",
        text: `${error.summary} ${source === "ribbon" ? "Refresh all from the ribbon uses the key set in this pane's Settings: enter it there (tick \u201cRemember on this computer\u201d to keep it), then press Refresh all again." : error.advice}`,
      },
    });
    return false;
  }

  private async refresh(
    tables: readonly BillingTableInfo[],
    source: RefreshSource,
    deps: RefreshDeps
  ): Promise<TableRefreshResult[]> {
    const startingNew = this.running.size === 0;
    this.update({
      running: true,
      source,
      needsKey: false,
      ...(startingNew ? { results: [], message: undefined, generation: this.snapshot.generation + 1 } : {}),
    });
    const results = await mapWithConcurrency(tables, REFRESH_CONCURRENCY, (table) => this.refreshOne(table, deps));
    if (this.running.size === 0) this.finish();
    return results;
  }

  /** One table; a table already refreshing is joined, never refreshed twice at once. */
  private refreshOne(table: BillingTableInfo, deps: RefreshDeps): Promise<TableRefreshResult> {
    const existing = this.running.get(table.tableName);
    if (existing) return existing;
    const label = table.label ?? table.tableName;
    const run = refreshTable(table, deps, (progress) =>
      this.update({ inProgress: { ...this.snapshot.inProgress, [label]: describeStep(progress) } })
    ).then((result) => {
      this.running.delete(table.tableName);
      const inProgress = { ...this.snapshot.inProgress };
      delete inProgress[label];
      this.update({ inProgress, results: [...this.snapshot.results, result] });
      return result;
    });
    this.running.set(table.tableName, run);
    this.update({ inProgress: { ...this.snapshot.inProgress, [label]: "Starting\u2026" } });
    return run;
  }

  private finish(): void {
    const all = this.snapshot.results;
    const failed = all.filter((r) => r.outcome.kind !== "done").length;
    this.update({
      running: false,
      inProgress: {},
      message:
        all.length === 0
          ? undefined
          : failed === 0
            ? {
                intent: "success",
                text:
                  all.length === 1
                    ? `${all[0]?.label ?? all[0]?.tableName} was refreshed.`
                    : `All ${all.length} billing tables were refreshed.`,
              }
            : {
                intent: "warning",
                text: `${all.length - failed} of ${all.length} billing tables were refreshed; ${failed} were not (see below). Tables that were not refreshed keep their previous rows.`,
              },
    });
  }

  private update(change: Partial<RefreshSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}

/** The one instance of the runtime: the pane and the ribbon share it. */
export const refreshActivity = new RefreshActivity();
