/**
 * The workbook's billing tables: Refresh (the chosen table), Refresh all, Reconcile, Create overview, Create PivotTable — each
 * with its outcome in plain words and, after a refresh, what changed. In the browser preview there is no
 * workbook: the last query stands in for a table and Refresh re-runs it.
 */
import * as React from "react";
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CheckboxGroup } from "../components/CheckboxGroup";
import { formatElapsed } from "../run-view";
import { describeRefresh, type TableRefreshResult } from "../table-refresh";
import type { BillingTableInfo, OverviewChoice, PivotOutcome } from "../workbook";
import { ChangeSummary } from "./RunScreen";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  buttons: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
  results: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export interface TablesScreenProps {
  inExcel: boolean;
  tables: readonly BillingTableInfo[];
  loading: boolean;
  selected?: string;
  onSelect: (tableName: string) => void;
  busy: boolean;
  /** Results of the latest Refresh / Refresh all, in table order. */
  results: readonly TableRefreshResult[];
  /** Tables still refreshing (Refresh all), with their current step. */
  inProgress: Readonly<Record<string, string>>;
  message?: { intent: "success" | "warning" | "error" | "info"; text: string };
  onRefresh: (tableName: string) => void;
  onRefreshAll: () => void;
  onReconcile: (tableName: string) => void;
  onCreatePivot: (tableName: string, rowLabels: string[]) => Promise<PivotOutcome>;
  onCreateOverview: (tableName: string, choice: OverviewChoice) => void;
  /** The table whose overview is being built, while it is. */
  buildingOverview?: string;
  /** Browser preview: the last query, if any, and re-running it. */
  lastQueryTitle?: string;
  onRefreshLast: () => void;
}

function tableText(t: BillingTableInfo): string {
  const name = t.label ?? t.tableName;
  const parts = name === t.sheetName ? [] : [`sheet ${t.sheetName}`];
  if (t.rowCount !== undefined) parts.push(`${t.rowCount.toLocaleString("en-US")} rows`);
  if (t.definition.connections) parts.push(`connections ${t.definition.connections.join(", ")}`);
  if (t.retrievedAt) parts.push(`retrieved ${t.retrievedAt.slice(0, 16).replace("T", " ")} UTC`);
  return parts.length > 0 ? `${name} (${parts.join(", ")})` : name;
}

function BrowserTables({ lastQueryTitle, onRefreshLast, busy }: TablesScreenProps): React.JSX.Element {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <h2 className={styles.heading}>Billing tables</h2>
      <Text className={styles.muted}>
        Billing tables live in an Excel workbook. In this browser preview, the last query stands in for one: Refresh
        runs it again and shows what changed.
      </Text>
      {lastQueryTitle ? (
        <>
          <Text>Last query: {lastQueryTitle}</Text>
          <div className={styles.buttons}>
            <Button appearance="primary" onClick={onRefreshLast} disabled={busy}>
              Refresh
            </Button>
          </div>
        </>
      ) : (
        <Text>No query has run yet.</Text>
      )}
    </div>
  );
}

function PivotPicker({
  table,
  busy,
  onCreate,
}: {
  table: BillingTableInfo;
  busy: boolean;
  onCreate: (rowLabels: string[]) => Promise<PivotOutcome>;
}): React.JSX.Element {
  const styles = useStyles();
  const [rows, setRows] = React.useState<string[]>(() => table.dimensionLabels.slice(0, 1));
  const [outcome, setOutcome] = React.useState<PivotOutcome | undefined>(undefined);
  const [working, setWorking] = React.useState(false);
  React.useEffect(() => {
    setRows(table.dimensionLabels.slice(0, 1));
    setOutcome(undefined);
  }, [table.tableName, table.dimensionLabels]);
  return (
    <>
      <Field
        label="PivotTable rows"
        hint="Columns: Billing month. Values: sum of Total and Quantity, filtered by one currency at a time."
      >
        <CheckboxGroup
          columns={2}
          options={table.dimensionLabels.map((label) => ({ value: label, label }))}
          selected={rows}
          disabled={busy || working}
          onToggle={(label, on) =>
            setRows((current) =>
              on
                ? table.dimensionLabels.filter((l) => l === label || current.includes(l))
                : current.filter((l) => l !== label)
            )
          }
        />
      </Field>
      <div className={styles.buttons}>
        <Button
          disabled={busy || working || rows.length === 0}
          onClick={async () => {
            setWorking(true);
            setOutcome(await onCreate(rows));
            setWorking(false);
          }}
        >
          Create PivotTable
        </Button>
        {working ? <Spinner size="tiny" label="Creating…" /> : null}
      </div>
      {outcome ? (
        <MessageBar intent={outcome.ok ? "success" : "warning"} layout="multiline">
          <MessageBarBody>{outcome.message}</MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
}

/** Columns a cost overview can be split by: the table's dimensions but Day (a month has too many days to stack). */
const PREFERRED = ["Category code", "Category"];
function overviewColumns(table: BillingTableInfo): string[] {
  const columns = table.dimensionLabels.filter((label) => label !== "Day");
  return [...PREFERRED.filter((p) => columns.includes(p)), ...columns.filter((c) => !PREFERRED.includes(c))];
}

function OverviewPicker({
  table,
  busy,
  building,
  onCreate,
}: {
  table: BillingTableInfo;
  busy: boolean;
  building: boolean;
  onCreate: (choice: OverviewChoice) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const columns = overviewColumns(table);
  const [dimension, setDimension] = React.useState(columns[0] ?? "");
  const [byValue, setByValue] = React.useState(false);
  React.useEffect(() => setDimension(overviewColumns(table)[0] ?? ""), [table]);
  return (
    <>
      <Field
        label="Split costs by"
        hint="A sheet beside the table: monthly cost per currency as a stacked column chart, what moved since the previous month, and with Day rows the daily cost and a month-end forecast. Live formulas: a refresh updates it."
      >
        <Select value={dimension} onChange={(_, data) => setDimension(data.value)} disabled={busy}>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      </Field>
      <Checkbox
        label={`Also forecast each ${dimension || "value"}`}
        checked={byValue}
        disabled={busy}
        onChange={(_, data) => setByValue(data.checked === true)}
      />
      <div className={styles.buttons}>
        <Button
          disabled={busy || dimension === ""}
          onClick={() => onCreate({ dimension, forecastByDimension: byValue })}
        >
          Create overview
        </Button>
        {building ? <Spinner size="tiny" label="Creating the overview…" /> : null}
      </div>
    </>
  );
}

export function TablesScreen(props: TablesScreenProps): React.JSX.Element {
  const styles = useStyles();
  if (!props.inExcel) return <BrowserTables {...props} />;
  const { tables, selected, busy } = props;
  const table = tables.find((t) => t.tableName === selected) ?? tables[0];
  return (
    <div className={styles.root}>
      <h2 className={styles.heading}>Billing tables</h2>
      {props.loading ? <Spinner size="tiny" label="Reading the workbook…" /> : null}
      {!props.loading && tables.length === 0 ? (
        <Text>No billing table in this workbook yet. Run a query to create one.</Text>
      ) : null}
      {tables.length > 0 ? (
        <Field
          label="Choose a table"
          hint="Refresh, Reconcile, Create overview and Create PivotTable work on the chosen table."
        >
          <RadioGroup value={table?.tableName} onChange={(_, data) => props.onSelect(data.value)} disabled={busy}>
            {tables.map((t) => (
              <Radio key={t.tableName} value={t.tableName} label={tableText(t)} />
            ))}
          </RadioGroup>
        </Field>
      ) : null}
      <div className={styles.buttons}>
        <Button
          appearance="primary"
          disabled={busy || !table}
          onClick={() => table && props.onRefresh(table.tableName)}
        >
          Refresh
        </Button>
        <Button disabled={busy || tables.length === 0} onClick={props.onRefreshAll}>
          Refresh all
        </Button>
        <Button disabled={busy || !table} onClick={() => table && props.onReconcile(table.tableName)}>
          Reconcile
        </Button>
      </div>
      {props.message ? (
        <MessageBar intent={props.message.intent} layout="multiline">
          <MessageBarBody>{props.message.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      {Object.entries(props.inProgress).length > 0 ? (
        <ul className={styles.notes} aria-label="Tables refreshing">
          {Object.entries(props.inProgress).map(([name, step]) => (
            <li key={name}>
              {name}: {step}
            </li>
          ))}
        </ul>
      ) : null}
      {props.results.length > 0 ? (
        <div className={styles.results}>
          {props.results.map((result) => (
            <React.Fragment key={result.tableName}>
              <MessageBar intent={result.outcome.kind === "done" ? "success" : "error"} layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{result.label ?? result.tableName}</MessageBarTitle>
                  {describeRefresh(result)}
                  {result.outcome.kind === "done" ? ` (${formatElapsed(result.outcome.elapsedMs)})` : ""}
                  {result.notes.length > 0 ? (
                    <ul className={styles.notes}>
                      {result.notes.map((note) => (
                        <li key={note}>{note}</li>
                      ))}
                    </ul>
                  ) : null}
                </MessageBarBody>
              </MessageBar>
              {result.changes ? <ChangeSummary changes={result.changes} /> : null}
            </React.Fragment>
          ))}
        </div>
      ) : null}
      {table ? (
        <>
          <h2 className={styles.heading}>Cost overview</h2>
          <OverviewPicker
            table={table}
            busy={busy}
            building={props.buildingOverview === table.tableName}
            onCreate={(choice) => props.onCreateOverview(table.tableName, choice)}
          />
          <h2 className={styles.heading}>PivotTable</h2>
          <PivotPicker table={table} busy={busy} onCreate={(rows) => props.onCreatePivot(table.tableName, rows)} />
        </>
      ) : null}
    </div>
  );
}
