/**
 * A run as people read it (pure): the Result screen's state, the status line, each step in plain words, the
 * elapsed time, and the note when the period's end had to move back to today.
 */
import { addDays } from "../billing";
import { longDate } from "./composer-state";
import { errorWords } from "./error-words";
import type { PeriodEndMoved } from "./future-end";
import type { RunOutcome, RunProgress, RunStep } from "./query-runner";

/** What the Result screen shows: nothing yet, a run in progress, or how the last one ended. */
export type RunView =
  | { kind: "idle" }
  | { kind: "running"; progress: RunProgress; title: string }
  | { kind: "finished"; outcome: RunOutcome; title: string };

/** "1 min 05 s" / "12 s". */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** One status line for a step, in plain words. */
export function describeStep(step: RunStep & { connections?: number }): string {
  const n = (value: number) => value.toLocaleString("en-US");
  // A run over several connections sends one query to each and waits for all.
  const over = step.connections && step.connections > 1 ? ` (${step.connections} connections)` : "";
  switch (step.step) {
    case "submitting":
      return `Sending the query to Infobip${over}\u2026`;
    case "waiting":
      return step.answerUnknown
        ? "Infobip was reached but did not answer in time; the result may still arrive. Keep waiting, or " +
            "Cancel to delete the query."
        : `Waiting for Infobip to prepare the result${over}\u2026`;
    case "receiving":
      return step.total > 0 ? `Receiving rows: ${n(step.received)} of ${n(step.total)}` : "Receiving rows\u2026";
    case "writing":
      return `Writing rows: ${n(step.written)} of ${n(step.total)}`;
  }
}

/** Says that the period's end moved back to today, and what the result covers instead. */
export function describeMovedEnd(moved: PeriodEndMoved): string {
  const { sent } = moved;
  return (
    `Infobip did not accept a period ending after today, so the query ran up to today instead: ` +
    `${longDate(sent.sentSince)} to ${longDate(addDays(sent.sentUntil, -1))} (UTC). Today's usage is not included yet.`
  );
}

/** The status line: tables refreshing, where the running query is, or how it ended. */
export function statusLine(run: RunView, tablesInProgress: Readonly<Record<string, string>>): string {
  const refreshing = Object.keys(tablesInProgress).length;
  if (refreshing > 0) return `Refreshing ${refreshing} billing table${refreshing === 1 ? "" : "s"}\u2026`;
  if (run.kind === "running") return describeStep(run.progress);
  if (run.kind === "finished") {
    const o = run.outcome;
    switch (o.kind) {
      case "done":
        return `Done in ${formatElapsed(o.elapsedMs)}: ${o.placement.message}${o.endMoved ? ` ${describeMovedEnd(o.endMoved)}` : ""}`;
      case "failed":
        return `Stopped: ${errorWords(o.error).title}`;
      case "overdue":
        return "Infobip has not delivered the result: run the query again.";
      case "cancelled":
        return "Cancelled. Nothing was written.";
    }
  }
  return "";
}
