/**
 * Refresh and Refresh all for billing tables (orchestration only; the workbook and the relay are handed in).
 *
 * Each table's saved definition is turned into a query at the time of the refresh (a "last month" preset
 * moves on; custom dates stay), checked with `src/billing`'s rules, run through the relay, and written
 * over the table's rows in place once every row is in. Refresh all runs at most three tables at a time
 * (well within the relay's and Infobip's limits: 60 requests a second) and reports every table's outcome;
 * one failure does not stop the others.
 */
import { toQuery, validateQuery } from "../billing";
import { compareSnapshots, type RefreshChanges, type TableSnapshot } from "../excel/changes";
import { errorLine } from "./error-words";
import { mapDefinitionViolations } from "./refresh-words";
import { mapWithConcurrency, runQuery, type RunOutcome, type RunProgress, type RunnerDeps } from "./query-runner";
import { RunError, toRunFailure } from "./run-error";
import { describeMovedEnd } from "./run-view";
import type { BillingTableInfo, Workbook } from "./workbook";

export const REFRESH_CONCURRENCY = 3;

export interface TableRefreshResult {
  tableName: string;
  label?: string;
  outcome: RunOutcome;
  /** What moved since the previous refresh (when both states could be read). */
  changes?: RefreshChanges;
  /** Plain-words lines: PivotTables refreshed, reconciliation updated, or why not. */
  notes: string[];
}

export interface RefreshDeps {
  runner: RunnerDeps;
  workbook: Workbook;
}

async function safeSnapshot(workbook: Workbook, tableName: string): Promise<TableSnapshot | undefined> {
  try {
    return await workbook.snapshot(tableName);
  } catch {
    return undefined;
  }
}

/** Refreshes one table in place. Never throws: every problem becomes a failed outcome. */
export async function refreshTable(
  table: BillingTableInfo,
  deps: RefreshDeps,
  onProgress: (progress: RunProgress) => void = () => undefined,
  signal?: AbortSignal
): Promise<TableRefreshResult> {
  const base = { tableName: table.tableName, ...(table.label ? { label: table.label } : {}) };
  const started = deps.runner.now();
  const now = deps.runner.now();
  let query;
  try {
    query = toQuery(table.definition, now);
  } catch {
    query = undefined;
  }
  const validation = query ? validateQuery(query, now) : undefined;
  if (!validation || !validation.ok) {
    const reasons =
      validation && !validation.ok ? mapDefinitionViolations(validation.violations) : ["its saved period is not valid"];
    const error = new RunError(
      "saved-query-invalid",
      `The saved query of ${table.label ?? table.tableName} cannot be run now: ${reasons.join("; ")}.`,
      "Run a new query for a period within the last three months, and choose this table as its destination.",
      validation && !validation.ok ? validation.violations : []
    );
    return { ...base, outcome: { kind: "failed", error, elapsedMs: 0, pendingKept: false }, notes: [] };
  }
  const before = await safeSnapshot(deps.workbook, table.tableName);
  const outcome = await runQuery(
    {
      definition: table.definition,
      query: validation.value,
      destination: { kind: "replace", tableName: table.tableName },
    },
    deps.runner,
    onProgress,
    signal
  );
  if (outcome.kind !== "done") return { ...base, outcome, notes: [] };
  const notes: string[] = [];
  let changes: RefreshChanges | undefined;
  const after = await safeSnapshot(deps.workbook, table.tableName);
  if (before && after) {
    try {
      changes = compareSnapshots(before, after);
    } catch (error) {
      notes.push(
        `The changes since the previous refresh could not be worked out (${error instanceof Error ? error.message : "unknown reason"}).`
      );
    }
  }
  try {
    notes.push(...(await deps.workbook.afterRefresh(table.tableName)));
  } catch (error) {
    notes.push(
      `The rows were written, but PivotTables on the table were not refreshed: ${error instanceof Error ? error.message : "unknown reason"}.`
    );
  }
  const elapsedMs = deps.runner.now().getTime() - started.getTime();
  return { ...base, outcome: { ...outcome, elapsedMs }, ...(changes ? { changes } : {}), notes };
}

/** Refreshes every table, at most `concurrency` at a time, reporting each as it ends. */
export async function refreshTables(
  tables: readonly BillingTableInfo[],
  deps: RefreshDeps,
  options: {
    concurrency?: number;
    onProgress?: (tableName: string, progress: RunProgress) => void;
    onFinished?: (result: TableRefreshResult) => void;
    signal?: AbortSignal;
  } = {}
): Promise<TableRefreshResult[]> {
  return mapWithConcurrency(
    tables,
    Math.min(REFRESH_CONCURRENCY, options.concurrency ?? REFRESH_CONCURRENCY),
    async (table) => {
      let result: TableRefreshResult;
      try {
        result = await refreshTable(table, deps, (p) => options.onProgress?.(table.tableName, p), options.signal);
      } catch (error) {
        result = {
          tableName: table.tableName,
          outcome: { kind: "failed", error: toRunFailure(error), elapsedMs: 0, pendingKept: false },
          notes: [],
        };
      }
      options.onFinished?.(result);
      return result;
    }
  );
}

/** One line per table for the summary after Refresh all. */
export function describeRefresh(result: TableRefreshResult): string {
  const name = result.label ? `${result.label} (${result.tableName})` : result.tableName;
  const outcome = result.outcome;
  switch (outcome.kind) {
    case "done": {
      const rows = `${name}: refreshed, ${outcome.placement.rowsWritten.toLocaleString("en-US")} rows.`;
      return outcome.endMoved ? `${rows} ${describeMovedEnd(outcome.endMoved)}` : rows;
    }
    case "failed":
      return `${name}: not refreshed. ${errorLine(outcome.error)}`;
    case "overdue":
      return `${name}: Infobip has not delivered the result for a long time. Refresh it again.`;
    case "cancelled":
      return `${name}: stopped; the table was left as it was.`;
  }
}
