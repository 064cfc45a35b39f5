/**
 * The workbook's billing tables for the Tables screen: the list (re-read after every write and refresh), the chosen
 * one, Refresh and Refresh all with each table's step while they run and each outcome after, Reconcile,
 * Create PivotTable and Create overview. Refreshes go through the runtime's one refresh activity (refresh-activity.ts), which the
 * ribbon's Refresh all uses too: the screen shows a refresh whoever started it. In the browser preview there is no
 * workbook, and all of this stays empty.
 */
import * as React from "react";
import { errorLine } from "../error-words";
import type { RunnerDeps } from "../query-runner";
import { refreshActivity, type RefreshSnapshot } from "../refresh-activity";
import type { TableRefreshResult } from "../table-refresh";
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
  /** The shared refresh state (also what the ribbon started). */
  activity: RefreshSnapshot;
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
  const [message, setMessage] = React.useState<TablesMessage>();
  const [working, setWorking] = React.useState(false);
  const [buildingOverview, setBuildingOverview] = React.useState<string | undefined>(undefined);
  const activity = React.useSyncExternalStore(refreshActivity.subscribe, refreshActivity.getSnapshot);

  // The ribbon's Refresh all uses the pane's settings from now on.
  React.useEffect(() => {
    if (workbook) refreshActivity.configure(() => ({ runner: runnerDeps(), workbook }));
  }, [runnerDeps, workbook]);

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

  // A refresh's summary replaces the screen's last message; when it ends, the list (row counts, dates) is re-read.
  React.useEffect(() => {
    if (activity.message) setMessage(activity.message);
  }, [activity.message]);
  React.useEffect(() => {
    if (!activity.running && activity.generation > 0) void reload();
  }, [activity.running, activity.generation, reload]);

  const refreshOne = React.useCallback(
    async (tableName: string) => {
      const table = tables.find((t) => t.tableName === tableName);
      if (!workbook || !table || !keyIsSet()) return;
      setMessage(undefined);
      await refreshActivity.refreshTables([table], "pane");
    },
    [keyIsSet, tables, workbook]
  );

  const refreshAll = React.useCallback(async () => {
    if (!workbook || !keyIsSet()) return;
    setMessage(undefined);
    await refreshActivity.refreshAll("pane");
  }, [keyIsSet, workbook]);

  const reconcile = React.useCallback(
    async (tableName: string) => {
      if (!workbook) return;
      setWorking(true);
      try {
        setMessage({ intent: "success", text: await workbook.reconcile(tableName) });
      } catch (error) {
        setMessage({ intent: "error", text: errorLine(error, "The reconciliation sheet could not be built") });
      } finally {
        setWorking(false);
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
      setWorking(true);
      setBuildingOverview(tableName);
      setMessage(undefined);
      try {
        setMessage({ intent: "success", text: await workbook.createOverview(tableName, choice) });
      } catch (error) {
        setMessage({ intent: "error", text: errorLine(error, "The overview could not be created") });
      } finally {
        setBuildingOverview(undefined);
        setWorking(false);
      }
    },
    [workbook]
  );

  return {
    tables,
    loading,
    selected,
    select: setSelected,
    busy: working || activity.running,
    results: activity.results as TableRefreshResult[],
    inProgress: activity.inProgress,
    message,
    activity,
    reload,
    refreshOne,
    refreshAll,
    reconcile,
    createPivot,
    createOverview,
    buildingOverview,
  };
}
