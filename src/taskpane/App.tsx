/**
 * The task pane's layout: the title, the screen tabs (Query, Result, Tables, Settings) switched by one
 * function, the two live regions — a status line (role="status") for progress and an alert (role="alert") for
 * errors with what to do next — and the screen. The state and its effects live in hooks by job (./hooks):
 * settings, the alert, the composer, the query run, pending-query pickup and the billing tables.
 */
import * as React from "react";
import { FluentProvider, Tab, TabList, Text, makeStyles, tokens, type Theme } from "@fluentui/react-components";
import { AlertRegion, StatusRegion } from "./components/LiveRegions";
import { connectionChoice } from "./composer-state";
import { MissingKeyError, currentApiKey, hasAnyApiKey } from "./credentials";
import { useAlert } from "./hooks/useAlert";
import { useBillingTables } from "./hooks/useBillingTables";
import { useComposer } from "./hooks/useComposer";
import { usePendingPickup } from "./hooks/usePendingPickup";
import { useQueryRun } from "./hooks/useQueryRun";
import { useRelaySettings } from "./hooks/useRelaySettings";
import { statusLine } from "./run-view";
import { ComposeScreen } from "./screens/ComposeScreen";
import { RunScreen } from "./screens/RunScreen";
import { SettingsScreen } from "./screens/SettingsScreen";
import { TablesScreen } from "./screens/TablesScreen";
import type { Workbook } from "./workbook";

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
  main: { display: "flex", flexDirection: "column", minWidth: 0 },
});

export interface AppProps {
  mode: "excel" | "browser";
  theme: Theme;
  /** The workbook, in Excel; undefined in the browser preview. */
  workbook?: Workbook;
}

export function App({ mode, theme, workbook }: AppProps): React.JSX.Element {
  const styles = useStyles();
  const inExcel = mode === "excel";
  const [screen, setScreen] = React.useState<Screen>(() => (hasAnyApiKey() ? "compose" : "settings"));
  /** The one function that switches screens. */
  const switchScreen = React.useCallback((next: Screen) => setScreen(next), []);
  const openSettings = React.useCallback(() => switchScreen("settings"), [switchScreen]);

  const settings = useRelaySettings(workbook);
  const alert = useAlert(openSettings);
  const composer = useComposer();
  const tables = useBillingTables({ workbook, runnerDeps: settings.runnerDeps, keyIsSet: alert.keyIsSet });
  const run = useQueryRun({
    inExcel,
    runnerDeps: settings.runnerDeps,
    pendingStore: settings.pendingStore,
    alert,
    composer,
    showScreen: switchScreen,
    onWritten: tables.reload,
  });
  const pickup = usePendingPickup({
    pendingStore: settings.pendingStore,
    follow: run.follow,
    showAlert: alert.show,
    openSettings,
  });

  // The composer offers the relay's connections once they are known (and keeps the user's choice among them).
  const { names: connectionNames } = settings.connections;
  const updateComposer = composer.update;
  React.useEffect(() => {
    updateComposer((state) => {
      const connections = connectionChoice(state.connections, connectionNames, (name) => Boolean(currentApiKey(name)));
      if (connections) return { ...state, connections };
      const rest = { ...state };
      delete rest.connections;
      return rest;
    });
  }, [connectionNames, updateComposer]);

  React.useEffect(() => {
    void tables.reload().then(pickup.pickUp);
    // Once per pane, at start.
  }, []);

  // The ribbon's Refresh all runs in this page: the pane shows it on the Tables screen, or asks for the key.
  const { generation, source, needsKey } = tables.activity;
  const showError = alert.showError;
  React.useEffect(() => {
    if (source !== "ribbon") return;
    if (needsKey) {
      showError(new MissingKeyError());
      switchScreen("settings");
    } else if (generation > 0) switchScreen("tables");
  }, [generation, source, needsKey, showError, switchScreen]);

  const refreshingTables = Object.keys(tables.inProgress).length > 0;
  const running = run.view.kind === "running";

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

        <AlertRegion alert={alert.alert} onDismiss={alert.dismiss} />
        <StatusRegion text={statusLine(run.view, tables.inProgress)} visible={running || refreshingTables} />

        <main className={styles.main}>{renderScreen()}</main>
      </div>
    </FluentProvider>
  );

  function renderScreen(): React.JSX.Element {
    switch (screen) {
      case "settings":
        return (
          <SettingsScreen
            relayUrl={settings.relayUrl}
            connections={settings.connections}
            onSave={(url, keys) => {
              settings.save(url, keys);
              // Saved keys change which connections can run: the composer ticks those with a key again.
              if (connectionNames.length > 0) {
                const hasKey = (name: string) => Boolean(currentApiKey(name));
                const connections = connectionChoice(undefined, connectionNames, hasKey);
                if (connections) composer.update((state) => ({ ...state, connections }));
              }
              alert.dismiss();
              void pickup.pickUp();
            }}
            inExcel={inExcel}
            {...(workbook ? { onCheckExcel: () => workbook.selfTest() } : {})}
          />
        );
      case "compose":
        return (
          <ComposeScreen
            state={composer.state}
            update={composer.update}
            errors={composer.errors}
            now={new Date()}
            running={running}
            inExcel={inExcel}
            tables={tables.tables}
            onSubmit={() => {
              const request = composer.validated(new Date());
              if (request) void run.start(request);
            }}
            focusRequest={composer.focusRequest}
            connections={settings.connections}
          />
        );
      case "run":
        return (
          <RunScreen
            view={run.view}
            inExcel={inExcel}
            {...(run.preview ? { preview: run.preview } : {})}
            {...(run.changes ? { changes: run.changes } : {})}
            canRefresh={run.lastRun !== undefined}
            onCancel={run.cancel}
            onRunAgain={() => run.rerun(false)}
            onWriteOthers={() => void run.writeOthers()}
            onRefresh={() => run.rerun(true)}
            onBackToQuery={() => switchScreen("compose")}
            onOpenTables={() => switchScreen("tables")}
            onCreateOverview={(tableName) => {
              tables.select(tableName);
              switchScreen("tables");
              void tables.createOverview(tableName);
            }}
          />
        );
      case "tables":
        return (
          <TablesScreen
            inExcel={inExcel}
            tables={tables.tables}
            loading={tables.loading}
            selected={tables.selected}
            onSelect={tables.select}
            busy={tables.busy || running}
            results={tables.results}
            inProgress={tables.inProgress}
            message={tables.message}
            onRefresh={(name) => void tables.refreshOne(name)}
            onRefreshAll={() => void tables.refreshAll()}
            onReconcile={(name) => void tables.reconcile(name)}
            onCreatePivot={tables.createPivot}
            onCreateOverview={(name, choice) => void tables.createOverview(name, choice)}
            {...(tables.buildingOverview ? { buildingOverview: tables.buildingOverview } : {})}
            lastQueryTitle={run.lastRun ? (run.lastRun.definition.label ?? "Billing query") : undefined}
            onRefreshLast={() => run.rerun(true)}
          />
        );
    }
  }
}
