/**
 * Progress and result of the current query: the step with counts and a progress bar, the elapsed time,
 * Cancel while it runs; then the outcome — the preview (browser) or where the table was written (Excel),
 * "Run again" for an overdue query, and in the browser a "Refresh" that re-runs the query and says what moved.
 */
import * as React from "react";
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { RefreshChanges } from "../../excel/changes";
import { OverviewSection } from "../overview/OverviewSection";
import { PreviewGrid } from "../PreviewGrid";
import type { FetchedResult, RunOutcome, RunProgress } from "../query-runner";
import { describeMovedEnd, formatElapsed, type RunView } from "../run-view";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  buttons: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export interface RunScreenProps {
  view: RunView;
  inExcel: boolean;
  preview?: FetchedResult;
  changes?: RefreshChanges;
  canRefresh: boolean;
  onCancel: () => void;
  onRunAgain: () => void;
  /** A run over several connections where some failed: write the others, the missing ones named above the table. */
  onWriteOthers: () => void;
  onRefresh: () => void;
  onBackToQuery: () => void;
  onOpenTables: () => void;
  /** In Excel, after a result was written to a table: build its cost overview. */
  onCreateOverview: (tableName: string) => void;
}

/** The progress bar's value: a fraction while rows move, indeterminate while waiting. */
function progressValue(progress: RunProgress): number | undefined {
  if (progress.step === "receiving" && progress.total > 0) return progress.received / progress.total;
  if (progress.step === "writing" && progress.total > 0) return progress.written / progress.total;
  return undefined;
}

function useElapsed(since: Date | undefined): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (!since) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since ? Math.max(0, now - since.getTime()) : 0;
}

export function ChangeSummary({ changes }: { changes: RefreshChanges }): React.JSX.Element {
  const styles = useStyles();
  return (
    <MessageBar intent={changes.hasChanges ? "warning" : "info"} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{changes.hasChanges ? "What changed since the previous run" : "No changes"}</MessageBarTitle>
        <ul className={styles.changes}>
          {changes.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

export function RunScreen(props: RunScreenProps): React.JSX.Element {
  const styles = useStyles();
  const { view } = props;
  const running = view.kind === "running";
  const elapsed = useElapsed(running ? view.progress.startedAt : undefined);
  const heading = React.useRef<HTMLHeadingElement>(null);

  // The button that started (Run query, Refresh) or stopped (Cancel) the run leaves the page with the view it was
  // in, and the focus falls back to the page: the heading takes it, so Tab goes on from here, not from the top.
  React.useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, [view.kind]);

  if (view.kind === "idle") {
    return (
      <div className={styles.root}>
        <Text>No query has run yet.</Text>
        <div className={styles.buttons}>
          <Button appearance="primary" onClick={props.onBackToQuery}>
            Compose a query
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className={styles.root}>
      <h2 className={styles.heading} ref={heading} tabIndex={-1}>
        {view.title}
      </h2>
      {running ? (
        <>
          <ProgressBar value={progressValue(view.progress)} thickness="large" aria-label="Query progress" />
          <Text className={styles.muted} aria-live="off">
            Elapsed: {formatElapsed(elapsed)}
            {view.progress.step === "waiting" ? " (Infobip can take minutes for large periods)" : ""}
          </Text>
          <div className={styles.buttons}>
            <Button onClick={props.onCancel}>Cancel</Button>
          </div>
        </>
      ) : (
        <Finished {...props} outcome={view.outcome} />
      )}
    </div>
  );
}

function Finished(props: RunScreenProps & { outcome: RunOutcome }): React.JSX.Element {
  const styles = useStyles();
  const { outcome } = props;
  return (
    <>
      {outcome.kind === "done" ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Done in {formatElapsed(outcome.elapsedMs)}</MessageBarTitle>
            {outcome.placement.message}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome.kind === "done" && outcome.endMoved ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Period shortened to today</MessageBarTitle>
            {describeMovedEnd(outcome.endMoved)}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome.kind === "overdue" ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Infobip has not delivered this result</MessageBarTitle>
            It has been pending much longer than usual, and Infobip sends a result only once. Run the query again.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome.kind === "cancelled" ? <Text>Stopped. Nothing was written.</Text> : null}
      {outcome.kind === "failed" ? (
        <Text className={styles.muted}>
          Nothing was written.
          {outcome.pendingKept ? " The query is kept: it will be picked up again when the pane next opens." : ""}
        </Text>
      ) : null}
      {outcome.kind === "failed" && outcome.partial ? (
        <Text className={styles.muted}>
          The rows of {outcome.partial.result.parts?.map((p) => p.connection).join(", ")} are in. You can write them now
          without {outcome.partial.failures.map((f) => f.connection).join(", ")}: the table then says above it which
          connection is missing, and its totals leave that connection out.
        </Text>
      ) : null}

      <div className={styles.buttons}>
        {outcome.kind === "overdue" || outcome.kind === "cancelled" || outcome.kind === "failed" ? (
          <Button appearance={outcome.kind === "overdue" ? "primary" : "secondary"} onClick={props.onRunAgain}>
            Run again
          </Button>
        ) : null}
        {outcome.kind === "failed" && outcome.partial ? (
          <Button onClick={props.onWriteOthers}>
            Write without {outcome.partial.failures.map((f) => f.connection).join(", ")}
          </Button>
        ) : null}
        {!props.inExcel && outcome.kind === "done" && props.canRefresh ? (
          <Button appearance="primary" onClick={props.onRefresh}>
            Refresh
          </Button>
        ) : null}
        <Button onClick={props.onBackToQuery}>Back to the query</Button>
        {props.inExcel && outcome.kind === "done" && outcome.placement.tableName ? (
          <Button onClick={() => outcome.placement.tableName && props.onCreateOverview(outcome.placement.tableName)}>
            Create overview
          </Button>
        ) : null}
        {props.inExcel ? <Button onClick={props.onOpenTables}>Billing tables</Button> : null}
      </div>

      {props.changes ? <ChangeSummary changes={props.changes} /> : null}
      {!props.inExcel && props.preview && outcome.kind === "done" ? <PreviewGrid result={props.preview} /> : null}
      {!props.inExcel && props.preview && outcome.kind === "done" ? <OverviewSection result={props.preview} /> : null}
    </>
  );
}
