/**
 * The workbook's billing tables for the Tables screen: the list (re-read after every write), the chosen one,
 * Refresh and Refresh all with each table's step while they run and each outcome after, Reconcile,
 * Create PivotTable and Create overview. In the browser preview there is no workbook, and all of this stays empty.
 */
import * as React from "react";
import { errorLine } from "../error-words";
import type { RunnerDeps } from "../query-runner";
import { describeStep } from "../run-view";
import { refreshTable, refreshTables, type TableRefreshResult } from "../table-refresh";
import type { BillingTableInfo, OverviewChoice, PivotOutcome, Workbook } from "../workbook";

export interface TablesMessage {
  intent: "success" | "warning" | "error" | "info";
  text: string;
}

export interface BillingTables {
  tables: BillingTableInfo[];
  loading: boolean;
  selected: string | undefined;
  select(tableName: string): void;
  /** Refresh, Refresh all or Reconcile is working. */
  busy: boolean;
  /** Outcomes of the latest Refresh / Refresh all, in table order. */
  results: TableRefreshResult[];
  /** Tables still refreshing, with their current step in words (label or table name as key). */
  inProgress: Record<string, string>;
  message: TablesMessage | undefined;
  reload(): Promise<void>;
  refreshOne(tableName: string): Promise<void>;
  refreshAll(): Promise<void>;
  reconcile(tableName: string): Promise<void>;
  createPivot(tableName: string, rowLabels: string[]): Promise<PivotOutcome>;
  /** Builds (or brings up to date and shows) a table's cost overview sheet; the outcome goes to `message`. */
  createOverview(tableName: string, choice?: OverviewChoice): Promise<void>;
  /** The table whose overview is being built, while it is. */
  buildingOverview: string | undefined;
}

export function useBillingTables(options: {
  workbook: Workbook | undefined;
  runnerDeps: () => RunnerDeps;
  /** True when an API key is set; otherwise it says so. */
  keyIsSet: () => boolean;
}): BillingTables {
  const { workbook, runnerDeps, keyIsSet } = options;
  const [tables, setTables] = React.useState<BillingTableInfo[]>([]);
  const [loading, setLoading] = React.useState(false);
  const [selected, setSelected] = React.useState<string | undefined>(undefined);
  const [results, setResults] = React.useState<TableRefreshResult[]>([]);
  const [inProgress, setInProgress] = React.useState<Record<string, string>>({});
  const [message, setMessage] = React.useState<TablesMessage>();
  const [busy, setBusy] = React.useState(false);
  const [buildingOverview, setBuildingOverview] = React.useState<string | undefined>(undefined);

  const reload = React.useCallback(async () => {
    if (!workbook) return;
    setLoading(true);
    try {
      const [list, atSelection] = await Promise.all([
        workbook.listTables(),
        workbook.selectedTableName().catch(() => undefined),
      ]);
      setTables(list);
      setSelected(
        (current) =>
          atSelection ?? (current && list.some((t) => t.tableName === current) ? current : list[0]?.tableName)
      );
    } catch (error) {
      setMessage({ intent: "error", text: errorLine(error, "The workbook's billing tables could not be read") });
    } finally {
      setLoading(false);
    }
  }, [workbook]);

  /** Without a key, says so and answers false; otherwise marks the screen busy and clears the last outcomes. */
  const beginRefresh = React.useCallback((): boolean => {
    if (!keyIsSet()) return false;
    setBusy(true);
    setResults([]);
    setMessage(undefined);
    return true;
  }, [keyIsSet]);

  const refreshOne = React.useCallback(
    async (tableName: string) => {
      const table = tables.find((t) => t.tableName === tableName);
      if (!workbook || !table) return;
      if (!beginRefresh()) return;
      const result = await refreshTable(table, { runner: runnerDeps(), workbook }, (p) =>
        setInProgress({ [table.label ?? tableName]: describeStep(p) })
      );
      setInProgress({});
      setResults([result]);
      setBusy(false);
      void reload();
    },
    [beginRefresh, reload, runnerDeps, tables, workbook]
  );

  const refreshAll = React.useCallback(async () => {
    if (!workbook) return;
    if (!beginRefresh()) return;
    const finished: TableRefreshResult[] = [];
    const all = await refreshTables(
      tables,
      { runner: runnerDeps(), workbook },
      {
        onProgress: (name, p) => setInProgress((current) => ({ ...current, [name]: describeStep(p) })),
        onFinished: (result) => {
          finished.push(result);
          setInProgress(({ [result.tableName]: _done, ...rest }) => rest);
          setResults([...finished]);
        },
      }
    );
    const failed = all.filter((r) => r.outcome.kind !== "done").length;
    setMessage({
      intent: failed === 0 ? "success" : "warning",
      text:
        failed === 0
          ? `All ${all.length} billing tables were refreshed.`
          : `${all.length - failed} of ${all.length} billing tables were refreshed; ${failed} were not (see below). Tables that were not refreshed keep their previous rows.`,
    });
    setBusy(false);
    void reload();
  }, [beginRefresh, reload, runnerDeps, tables, workbook]);

  const reconcile = React.useCallback(
    async (tableName: string) => {
      if (!workbook) return;
      setBusy(true);
      try {
        setMessage({ intent: "success", text: await workbook.reconcile(tableName) });
      } catch (error) {
        setMessage({ intent: "error", text: errorLine(error, "The reconciliation sheet could not be built") });
      } finally {
        setBusy(false);
      }
    },
    [workbook]
  );

  const createPivot = React.useCallback(
    async (tableName: string, rowLabels: string[]): Promise<PivotOutcome> => {
      if (!workbook) return { ok: false, message: "PivotTables need Excel." };
      try {
        return await workbook.createPivot(tableName, rowLabels);
      } catch (error) {
        return { ok: false, message: errorLine(error, "The PivotTable could not be created") };
      }
    },
    [workbook]
  );

  const createOverview = React.useCallback(
    async (tableName: string, choice: OverviewChoice = {}) => {
      if (!workbook) return;
      setBusy(true);
      setBuildingOverview(tableName);
      setMessage(undefined);
      try {
        setMessage({ intent: "success", text: await workbook.createOverview(tableName, choice) });
      } catch (error) {
        setMessage({ intent: "error", text: errorLine(error, "The overview could not be created") });
      } finally {
        setBuildingOverview(undefined);
        setBusy(false);
      }
    },
    [workbook]
  );

  return {
    tables,
    loading,
    selected,
    select: setSelected,
    busy,
    results,
    inProgress,
    message,
    reload,
    refreshOne,
    refreshAll,
    reconcile,
    createPivot,
    createOverview,
    buildingOverview,
  };
}
