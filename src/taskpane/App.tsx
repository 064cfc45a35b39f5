/**
 * The task pane: one state for the whole pane and one function that switches screens (Query, Result,
 * Tables, Settings). It holds the composer's state (so switching screens loses nothing), runs queries
 * through the runner, and owns the two live regions: a status line (role="status") for progress and an
 * alert (role="alert") for errors with what to do next.
 */
import * as React from "react";
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
  type Theme,
} from "@fluentui/react-components";
import { compareSnapshots, type RefreshChanges } from "../excel/changes";
import type { QueryDefinition } from "../billing";
import {
  fromDefinition,
  initialComposerState,
  mapViolations,
  validateComposer,
  type ComposerState,
  type Destination,
  type FieldErrors,
} from "./composer-state";
import { currentApiKey, saveApiKey } from "./credentials";
import { LocalPendingStore, MemoryPendingStore } from "./pending-store";
import { PreviewSink } from "./preview-sink";
import {
  abortableSleep,
  describeStep,
  followPendingQuery,
  formatElapsed,
  runQuery,
  type FetchedResult,
  type PendingQuery,
  type PendingStore,
  type RunOutcome,
  type RunProgress,
  type RunRequest,
  type RunnerDeps,
} from "./query-runner";
import { RelayClient, RelayError } from "./relay-client";
import { snapshotOf } from "./result-view";
import { ComposeScreen } from "./screens/ComposeScreen";
import { RunScreen, type RunView } from "./screens/RunScreen";
import { SettingsScreen } from "./screens/SettingsScreen";
import { TablesScreen } from "./screens/TablesScreen";
import { loadRelayUrl, saveRelayUrl } from "./settings";
import { refreshTable, refreshTables, type TableRefreshResult } from "./table-refresh";
import type { BillingTableInfo, Workbook } from "./workbook";

export type Screen = "compose" | "run" | "tables" | "settings";

const SCREEN_LABELS: Record<Screen, string> = {
  compose: "Query",
  run: "Result",
  tables: "Tables",
  settings: "Settings",
};

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  header: { display: "flex", flexWrap: "wrap", alignItems: "baseline", columnGap: tokens.spacingHorizontalS },
  title: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  mode: { color: tokens.colorNeutralForeground3 },
  tabs: {
    marginLeft: `calc(-1 * ${tokens.spacingHorizontalM})`,
    marginRight: `calc(-1 * ${tokens.spacingHorizontalM})`,
    marginTop: tokens.spacingVerticalS,
    marginBottom: tokens.spacingVerticalM,
  },
  // The live regions stay in the page (so changes are announced) but take no room while empty.
  alertBar: { marginBottom: tokens.spacingVerticalM },
  status: { color: tokens.colorNeutralForeground2, marginBottom: tokens.spacingVerticalS, display: "block" },
  visuallyHidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    padding: 0,
    overflow: "hidden",
    clipPath: "inset(50%)",
    whiteSpace: "nowrap",
    border: 0,
  },
  main: { display: "flex", flexDirection: "column", minWidth: 0 },
});

export interface AppProps {
  mode: "excel" | "browser";
  theme: Theme;
  /** The workbook, in Excel; undefined in the browser preview. */
  workbook?: Workbook;
}

/** The last query run, to run again (its period re-evaluated then). */
interface LastRun {
  definition: QueryDefinition;
  destination: Destination;
}

interface Alert {
  title: string;
  body: string;
  action?: { label: string; run: () => void };
}

function alertFor(error: RelayError, openSettings: () => void): Alert {
  const settingsKinds = ["no-key", "unauthorized", "forbidden", "unreachable", "invalid-answer"];
  return {
    title: error.summary,
    body: error.advice,
    ...(settingsKinds.includes(error.kind) ? { action: { label: "Open Settings", run: openSettings } } : {}),
  };
}

function browserPendingStore(): PendingStore {
  try {
    localStorage.getItem("probe");
    return new LocalPendingStore(localStorage);
  } catch {
    return new MemoryPendingStore();
  }
}

export function App({ mode, theme, workbook }: AppProps): React.JSX.Element {
  const styles = useStyles();
  const inExcel = mode === "excel";
  const [relayUrl, setRelayUrl] = React.useState(loadRelayUrl);
  const [screen, setScreen] = React.useState<Screen>(() => (currentApiKey() ? "compose" : "settings"));
  const [composer, setComposer] = React.useState<ComposerState>(initialComposerState);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [focusRequest, setFocusRequest] = React.useState(0);
  const [run, setRun] = React.useState<RunView>({ kind: "idle" });
  const [lastRun, setLastRun] = React.useState<LastRun | undefined>(undefined);
  const [preview, setPreview] = React.useState<FetchedResult | undefined>(undefined);
  const [changes, setChanges] = React.useState<RefreshChanges | undefined>(undefined);
  const [alert, setAlert] = React.useState<Alert | undefined>(undefined);
  const [tables, setTables] = React.useState<BillingTableInfo[]>([]);
  const [tablesLoading, setTablesLoading] = React.useState(false);
  const [selectedTable, setSelectedTable] = React.useState<string | undefined>(undefined);
  const [tableResults, setTableResults] = React.useState<TableRefreshResult[]>([]);
  const [tablesInProgress, setTablesInProgress] = React.useState<Record<string, string>>({});
  const [tablesMessage, setTablesMessage] = React.useState<{
    intent: "success" | "warning" | "error" | "info";
    text: string;
  }>();
  const [tablesBusy, setTablesBusy] = React.useState(false);
  const abort = React.useRef<AbortController | undefined>(undefined);
  const pendingStore = React.useMemo(() => workbook?.pending ?? browserPendingStore(), [workbook]);
  const sink = React.useMemo(() => workbook?.sink ?? new PreviewSink(), [workbook]);
  const previewRef = React.useRef<FetchedResult | undefined>(undefined);
  previewRef.current = preview;

  /** The one function that switches screens. */
  const switchScreen = React.useCallback((next: Screen) => setScreen(next), []);
  const openSettings = React.useCallback(() => switchScreen("settings"), [switchScreen]);

  // Read at call time, so a Relay URL saved a moment ago applies to the very next call.
  const relayUrlRef = React.useRef(relayUrl);
  relayUrlRef.current = relayUrl;
  const runnerDeps = React.useCallback(
    (): RunnerDeps => ({
      client: new RelayClient({ baseUrl: relayUrlRef.current, apiKey: currentApiKey }),
      pending: pendingStore,
      sink,
      now: () => new Date(),
      sleep: abortableSleep,
    }),
    [pendingStore, sink]
  );

  const reloadTables = React.useCallback(async () => {
    if (!workbook) return;
    setTablesLoading(true);
    try {
      const [list, atSelection] = await Promise.all([
        workbook.listTables(),
        workbook.selectedTableName().catch(() => undefined),
      ]);
      setTables(list);
      setSelectedTable(
        (current) =>
          atSelection ?? (current && list.some((t) => t.tableName === current) ? current : list[0]?.tableName)
      );
    } catch (error) {
      setTablesMessage({
        intent: "error",
        text: `The workbook's billing tables could not be read: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setTablesLoading(false);
    }
  }, [workbook]);

  /** What to do with a finished query, whichever way it was started. */
  const finish = React.useCallback(
    (outcome: RunOutcome, title: string, request: RunRequest | undefined, previous: FetchedResult | undefined) => {
      setRun({ kind: "finished", outcome, title });
      if (outcome.kind === "done") {
        setAlert(undefined);
        if (!inExcel) {
          setPreview(outcome.result);
          try {
            setChanges(previous ? compareSnapshots(snapshotOf(previous), snapshotOf(outcome.result)) : undefined);
          } catch {
            setChanges(undefined);
          }
        } else {
          setChanges(undefined);
          void reloadTables();
        }
      } else if (outcome.kind === "failed") {
        if (outcome.error.kind === "bad-request" && outcome.error.violations.length > 0 && request) {
          setErrors(mapViolations(outcome.error.violations, request.definition));
          setFocusRequest((n) => n + 1);
          switchScreen("compose");
          setAlert({
            title: outcome.error.summary,
            body: "The fields with a problem are marked below: correct them and run the query again.",
          });
        } else {
          setAlert(alertFor(outcome.error, openSettings));
        }
      } else if (outcome.kind === "overdue") {
        setAlert(undefined);
      }
    },
    [inExcel, openSettings, reloadTables, switchScreen]
  );

  const onProgress = React.useCallback(
    (title: string) => (progress: RunProgress) => setRun({ kind: "running", progress, title }),
    []
  );

  const start = React.useCallback(
    async (request: RunRequest, options: { refresh?: boolean } = {}) => {
      if (!currentApiKey()) {
        setAlert({
          title: "No Infobip API key is set.",
          body: "Enter your API key in Settings, then run the query.",
          action: { label: "Open Settings", run: openSettings },
        });
        return;
      }
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      const title = request.definition.label ?? "Billing query";
      const previous = options.refresh ? previewRef.current : undefined;
      setLastRun({ definition: request.definition, destination: request.destination });
      setAlert(undefined);
      if (!options.refresh) setChanges(undefined);
      switchScreen("run");
      const outcome = await runQuery(request, runnerDeps(), onProgress(title), controller.signal);
      finish(outcome, title, request, previous);
    },
    [finish, onProgress, openSettings, runnerDeps, switchScreen]
  );

  const submitComposer = React.useCallback(() => {
    const result = validateComposer(composer, new Date());
    if (!result.ok) {
      setErrors(result.errors);
      setFocusRequest((n) => n + 1);
      return;
    }
    setErrors({});
    void start({ definition: result.definition, query: result.query, destination: result.destination });
  }, [composer, start]);

  /** Re-runs the last query, with the period re-evaluated now (a preset moves with the clock). */
  const rerun = React.useCallback(
    (refresh: boolean) => {
      if (!lastRun) return;
      const form = fromDefinition(lastRun.definition, lastRun.destination);
      const again = validateComposer(form, new Date());
      if (!again.ok) {
        // The saved period no longer passes the rules (custom dates fell out of the window): show why.
        setComposer(form);
        setErrors(again.errors);
        setFocusRequest((n) => n + 1);
        switchScreen("compose");
        return;
      }
      // An overdue (or failed but kept) query is replaced by the new one: forget it, so it is not picked up later.
      if (
        run.kind === "finished" &&
        (run.outcome.kind === "overdue" || run.outcome.kind === "failed") &&
        run.outcome.queryId
      ) {
        void pendingStore.remove(run.outcome.queryId).catch(() => undefined);
      }
      void start({ definition: lastRun.definition, query: again.query, destination: lastRun.destination }, { refresh });
    },
    [lastRun, pendingStore, run, start, switchScreen]
  );

  /**
   * Queries still running when the pane (or the workbook) was last closed: followed to the end, one after the
   * other, and written where they were meant to go. Once per pane; without a key, it waits for Settings.
   */
  const pickedUp = React.useRef(false);
  const pickUpPending = React.useCallback(async () => {
    if (pickedUp.current) return;
    let pending: PendingQuery[];
    try {
      pending = await pendingStore.list();
    } catch {
      return;
    }
    if (pending.length === 0) {
      pickedUp.current = true;
      return;
    }
    if (!currentApiKey()) {
      const count = pending.length === 1 ? "A query was" : `${pending.length} queries were`;
      setAlert({
        title: `${count} still running when the pane was last closed.`,
        body: "Enter your Infobip API key in Settings and save it, and the results will be written where they were meant to go.",
        action: { label: "Open Settings", run: openSettings },
      });
      return;
    }
    pickedUp.current = true;
    for (const query of pending) {
      const controller = new AbortController();
      abort.current = controller;
      const title = `${query.label ?? query.definition.label ?? "Billing query"} (picked up)`;
      switchScreen("run");
      const outcome = await followPendingQuery(query, runnerDeps(), onProgress(title), controller.signal);
      setLastRun({ definition: query.definition, destination: query.destination });
      finish(outcome, title, undefined, undefined);
    }
  }, [finish, onProgress, openSettings, pendingStore, runnerDeps, switchScreen]);

  React.useEffect(() => {
    void (async () => {
      if (workbook) await reloadTables();
      await pickUpPending();
    })();
    // Once per pane, at start.
  }, []);

  /**
   * Without a key, points to Settings and answers false; otherwise marks the Tables screen busy and clears the
   * previous refresh's results and message, for refreshOne and refreshAll alike.
   */
  const beginTablesRefresh = React.useCallback((): boolean => {
    if (!currentApiKey()) {
      setAlert({
        title: "No Infobip API key is set.",
        body: "Enter your API key in Settings first.",
        action: { label: "Open Settings", run: openSettings },
      });
      return false;
    }
    setTablesBusy(true);
    setTableResults([]);
    setTablesMessage(undefined);
    return true;
  }, [openSettings]);

  const refreshOne = React.useCallback(
    async (tableName: string) => {
      const table = tables.find((t) => t.tableName === tableName);
      if (!workbook || !table) return;
      if (!beginTablesRefresh()) return;
      const result = await refreshTable(table, { runner: runnerDeps(), workbook }, (p) =>
        setTablesInProgress({ [table.label ?? tableName]: describeStep(p) })
      );
      setTablesInProgress({});
      setTableResults([result]);
      setTablesBusy(false);
      void reloadTables();
    },
    [beginTablesRefresh, reloadTables, runnerDeps, tables, workbook]
  );

  const refreshAll = React.useCallback(async () => {
    if (!workbook) return;
    if (!beginTablesRefresh()) return;
    const finished: TableRefreshResult[] = [];
    const results = await refreshTables(
      tables,
      { runner: runnerDeps(), workbook },
      {
        onProgress: (name, p) => setTablesInProgress((current) => ({ ...current, [name]: describeStep(p) })),
        onFinished: (result) => {
          finished.push(result);
          setTablesInProgress(({ [result.tableName]: _done, ...rest }) => rest);
          setTableResults([...finished]);
        },
      }
    );
    const failed = results.filter((r) => r.outcome.kind !== "done").length;
    setTablesMessage({
      intent: failed === 0 ? "success" : "warning",
      text:
        failed === 0
          ? `All ${results.length} billing tables were refreshed.`
          : `${results.length - failed} of ${results.length} billing tables were refreshed; ${failed} were not (see below). Tables that were not refreshed keep their previous rows.`,
    });
    setTablesBusy(false);
    void reloadTables();
  }, [beginTablesRefresh, reloadTables, runnerDeps, tables, workbook]);

  const reconcile = React.useCallback(
    async (tableName: string) => {
      if (!workbook) return;
      setTablesBusy(true);
      try {
        setTablesMessage({ intent: "success", text: await workbook.reconcile(tableName) });
      } catch (error) {
        setTablesMessage({
          intent: "error",
          text: `The reconciliation sheet could not be built: ${error instanceof Error ? error.message : String(error)}`,
        });
      } finally {
        setTablesBusy(false);
      }
    },
    [workbook]
  );

  const createPivot = React.useCallback(
    async (tableName: string, rows: string[]) => {
      if (!workbook) return { ok: false as const, message: "PivotTables need Excel." };
      try {
        return await workbook.createPivot(tableName, rows);
      } catch (error) {
        return {
          ok: false as const,
          message: `The PivotTable could not be created: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
    [workbook]
  );

  const status = statusText(run, tablesInProgress);
  const refreshingTables = Object.keys(tablesInProgress).length > 0;

  return (
    <FluentProvider theme={theme}>
      <div className={styles.root}>
        {/* The screen tabs belong to the banner landmark, so no content sits outside a landmark or live region. */}
        <header>
          <div className={styles.header}>
            <h1 className={styles.title}>Billing Usage</h1>
            {!inExcel ? (
              <Text size={200} className={styles.mode}>
                Browser preview: results are shown here, not written to Excel.
              </Text>
            ) : null}
          </div>

          <TabList
            className={styles.tabs}
            size="small"
            selectedValue={screen}
            onTabSelect={(_, data) => switchScreen(data.value as Screen)}
            aria-label="Screens"
          >
            {(["compose", "run", "tables", "settings"] as const).map((s) => (
              <Tab key={s} value={s}>
                {SCREEN_LABELS[s]}
              </Tab>
            ))}
          </TabList>
        </header>

        <div role="alert">
          {alert ? (
            <MessageBar intent="error" layout="multiline" className={styles.alertBar}>
              <MessageBarBody>
                <MessageBarTitle>{alert.title}</MessageBarTitle>
                {alert.body}
              </MessageBarBody>
              <MessageBarActions>
                {alert.action ? (
                  <Button
                    size="small"
                    onClick={() => {
                      alert.action?.run();
                    }}
                  >
                    {alert.action.label}
                  </Button>
                ) : null}
                <Button size="small" appearance="transparent" onClick={() => setAlert(undefined)}>
                  Dismiss
                </Button>
              </MessageBarActions>
            </MessageBar>
          ) : null}
        </div>

        <div role="status" aria-live="polite">
          {status ? (
            // Shown while something runs; how it ended is on the Result screen, so then it is only announced.
            <span className={run.kind === "running" || refreshingTables ? styles.status : styles.visuallyHidden}>
              {status}
            </span>
          ) : null}
        </div>

        <main className={styles.main}>{renderScreen()}</main>
      </div>
    </FluentProvider>
  );

  function renderScreen(): React.JSX.Element {
    switch (screen) {
      case "settings":
        return (
          <SettingsScreen
            relayUrl={relayUrl}
            onSave={(url, key, remember) => {
              saveRelayUrl(url);
              setRelayUrl(loadRelayUrl());
              relayUrlRef.current = loadRelayUrl();
              saveApiKey(key, remember);
              setAlert(undefined);
              void pickUpPending();
            }}
          />
        );
      case "compose":
        return (
          <ComposeScreen
            state={composer}
            update={(change) => setComposer((current) => change(current))}
            errors={errors}
            now={new Date()}
            running={run.kind === "running"}
            inExcel={inExcel}
            tables={tables}
            onSubmit={submitComposer}
            focusRequest={focusRequest}
          />
        );
      case "run":
        return (
          <RunScreen
            view={run}
            inExcel={inExcel}
            {...(preview ? { preview } : {})}
            {...(changes ? { changes } : {})}
            canRefresh={lastRun !== undefined}
            onCancel={() => abort.current?.abort()}
            onRunAgain={() => rerun(false)}
            onRefresh={() => rerun(true)}
            onBackToQuery={() => switchScreen("compose")}
            onOpenTables={() => switchScreen("tables")}
          />
        );
      case "tables":
        return (
          <TablesScreen
            inExcel={inExcel}
            tables={tables}
            loading={tablesLoading}
            selected={selectedTable}
            onSelect={setSelectedTable}
            busy={tablesBusy || run.kind === "running"}
            results={tableResults}
            inProgress={tablesInProgress}
            message={tablesMessage}
            onRefresh={(name) => void refreshOne(name)}
            onRefreshAll={() => void refreshAll()}
            onReconcile={(name) => void reconcile(name)}
            onCreatePivot={createPivot}
            lastQueryTitle={lastRun ? (lastRun.definition.label ?? "Billing query") : undefined}
            onRefreshLast={() => rerun(true)}
          />
        );
    }
  }
}

/** The status line: where the running query is, or how it ended. */
function statusText(run: RunView, tablesInProgress: Readonly<Record<string, string>>): string {
  const refreshing = Object.keys(tablesInProgress).length;
  if (refreshing > 0) return `Refreshing ${refreshing} billing table${refreshing === 1 ? "" : "s"}\u2026`;
  if (run.kind === "running") return describeStep(run.progress);
  if (run.kind === "finished") {
    const o = run.outcome;
    switch (o.kind) {
      case "done":
        return `Done in ${formatElapsed(o.elapsedMs)}: ${o.placement.message}`;
      case "failed":
        return `Stopped: ${o.error.summary}`;
      case "overdue":
        return "Infobip has not delivered the result: run the query again.";
      case "cancelled":
        return "Cancelled. Nothing was written.";
    }
  }
  return "";
}
