/**
 * Running queries from the pane: one at a time (a new one cancels the one before), its progress for the Result
 * screen and the status line, and what follows its end — the preview and what changed (browser), the tables
 * re-read (Excel), the problems beside their fields (a 400), or an alert with the next step.
 */
import * as React from "react";
import type { QueryDefinition } from "../../billing";
import { compareSnapshots, type RefreshChanges } from "../../excel/changes";
import { fromDefinition, mapViolations, validateComposer, type Destination } from "../composer-state";
import {
  followPendingQuery,
  runQuery,
  writeWithoutFailed,
  type FetchedResult,
  type PendingQuery,
  type PendingStore,
  type RunOutcome,
  type RunProgress,
  type RunRequest,
  type RunnerDeps,
} from "../query-runner";
import { snapshotOf } from "../result-view";
import type { RunView } from "../run-view";
import type { AlertControl } from "./useAlert";
import type { Composer } from "./useComposer";

/** The last query run, to run again (its period re-evaluated then). */
export interface LastRun {
  definition: QueryDefinition;
  destination: Destination;
}

export interface QueryRunOptions {
  inExcel: boolean;
  runnerDeps: () => RunnerDeps;
  pendingStore: PendingStore;
  alert: Pick<AlertControl, "show" | "showError" | "dismiss" | "keyIsSet">;
  composer: Pick<Composer, "showErrors">;
  showScreen: (screen: "compose" | "run") => void;
  /** After rows were written to the workbook. */
  onWritten: () => void;
}

export interface QueryRun {
  view: RunView;
  lastRun: LastRun | undefined;
  /** The last result, in the browser preview. */
  preview: FetchedResult | undefined;
  /** What moved since the previous run, after a Refresh in the browser preview. */
  changes: RefreshChanges | undefined;
  start(request: RunRequest, options?: { refresh?: boolean }): Promise<void>;
  /** Runs the last query again, its period re-evaluated now (a preset moves with the clock). */
  rerun(refresh: boolean): void;
  /** Follows a query submitted earlier (picked up after the pane closed) to its end. */
  follow(query: PendingQuery): Promise<void>;
  /** After a run over several connections where some failed: writes the others (named as missing above the table). */
  writeOthers(): Promise<void>;
  cancel(): void;
}

export function useQueryRun(options: QueryRunOptions): QueryRun {
  const { inExcel, runnerDeps, pendingStore, showScreen, onWritten } = options;
  // Taken apart: these functions keep their identity from render to render, the objects holding them do not.
  const { show, showError, dismiss, keyIsSet } = options.alert;
  const { showErrors } = options.composer;
  const [view, setView] = React.useState<RunView>({ kind: "idle" });
  const [lastRun, setLastRun] = React.useState<LastRun | undefined>(undefined);
  const [preview, setPreview] = React.useState<FetchedResult | undefined>(undefined);
  const [changes, setChanges] = React.useState<RefreshChanges | undefined>(undefined);
  const abort = React.useRef<AbortController | undefined>(undefined);
  const previewRef = React.useRef<FetchedResult | undefined>(undefined);
  previewRef.current = preview;

  /** What to do with a finished query, whichever way it was started. */
  const finish = React.useCallback(
    (outcome: RunOutcome, title: string, request: RunRequest | undefined, previous: FetchedResult | undefined) => {
      setView({ kind: "finished", outcome, title });
      if (outcome.kind === "done") {
        dismiss();
        if (!inExcel) {
          setPreview(outcome.result);
          try {
            setChanges(previous ? compareSnapshots(snapshotOf(previous), snapshotOf(outcome.result)) : undefined);
          } catch {
            setChanges(undefined);
          }
        } else {
          setChanges(undefined);
          onWritten();
        }
      } else if (outcome.kind === "failed") {
        if (outcome.error.kind === "bad-request" && outcome.error.violations.length > 0 && request) {
          showErrors(mapViolations(outcome.error.violations, request.definition));
          showScreen("compose");
          show({
            title: outcome.error.summary,
            body: "The fields with a problem are marked below: correct them and run the query again.",
          });
        } else {
          showError(outcome.error);
        }
      } else if (outcome.kind === "overdue") {
        dismiss();
      }
    },
    [dismiss, inExcel, onWritten, show, showError, showErrors, showScreen]
  );

  const progressOf = React.useCallback(
    (title: string) => (progress: RunProgress) => setView({ kind: "running", progress, title }),
    []
  );

  /** The signal Cancel aborts, for the run about to start. */
  const cancellable = (): AbortSignal => {
    const controller = new AbortController();
    abort.current = controller;
    return controller.signal;
  };

  const start = React.useCallback(
    async (request: RunRequest, { refresh = false }: { refresh?: boolean } = {}) => {
      if (!keyIsSet()) return;
      // One query at a time: a new one cancels the one before.
      abort.current?.abort();
      const signal = cancellable();
      const title = request.definition.label ?? "Billing query";
      const previous = refresh ? previewRef.current : undefined;
      setLastRun({ definition: request.definition, destination: request.destination });
      dismiss();
      if (!refresh) setChanges(undefined);
      showScreen("run");
      const outcome = await runQuery(request, runnerDeps(), progressOf(title), signal);
      finish(outcome, title, request, previous);
    },
    [dismiss, finish, keyIsSet, progressOf, runnerDeps, showScreen]
  );

  const rerun = React.useCallback(
    (refresh: boolean) => {
      if (!lastRun) return;
      const form = fromDefinition(lastRun.definition, lastRun.destination);
      const again = validateComposer(form, new Date());
      if (!again.ok) {
        // The saved period no longer passes the rules (custom dates fell out of the window): show why.
        showErrors(again.errors, form);
        showScreen("compose");
        return;
      }
      // An overdue (or failed but kept) query is replaced by the new one: forget it, so it is not picked up later.
      if (
        view.kind === "finished" &&
        (view.outcome.kind === "overdue" || view.outcome.kind === "failed") &&
        view.outcome.queryId
      ) {
        void pendingStore.remove(view.outcome.queryId).catch(() => undefined);
      }
      void start({ definition: lastRun.definition, query: again.query, destination: lastRun.destination }, { refresh });
    },
    [lastRun, pendingStore, showErrors, showScreen, start, view]
  );

  const follow = React.useCallback(
    async (query: PendingQuery) => {
      const signal = cancellable();
      const title = `${query.label ?? query.definition.label ?? "Billing query"} (picked up)`;
      showScreen("run");
      const outcome = await followPendingQuery(query, runnerDeps(), progressOf(title), signal);
      setLastRun({ definition: query.definition, destination: query.destination });
      finish(outcome, title, undefined, undefined);
    },
    [finish, progressOf, runnerDeps, showScreen]
  );

  const writeOthers = React.useCallback(async () => {
    if (view.kind !== "finished" || view.outcome.kind !== "failed" || !view.outcome.partial) return;
    const { partial } = view.outcome;
    const title = view.title;
    const outcome = await writeWithoutFailed(partial, runnerDeps(), progressOf(title));
    finish(outcome, title, undefined, undefined);
  }, [finish, progressOf, runnerDeps, view]);

  const cancel = React.useCallback(() => abort.current?.abort(), []);

  return { view, lastRun, preview, changes, start, rerun, follow, writeOthers, cancel };
}
