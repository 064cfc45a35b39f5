/**
 * The one place that turns an error into words for people (pure): what happened, what to do next, and the step
 * the pane can offer as a button. The alert, the Tables screen, the Settings screen, the status line and the
 * ribbon's Refresh all all say errors through it.
 */
import { RunError, isRunFailure, type RunFailure } from "./run-error";

export interface ErrorWords {
  /** What happened, in one plain sentence. */
  title: string;
  /** What to do next, in one plain sentence. */
  body: string;
  /** A next step the pane offers beside the words. */
  next?: "open-settings";
}

/** Causes fixed in Settings: the key (missing, refused, without the scope) or the Relay URL. */
const SETTINGS_KINDS: ReadonlySet<RunFailure["kind"]> = new Set([
  "no-key",
  "unauthorized",
  "forbidden",
  "unreachable",
  "invalid-answer",
]);

/**
 * Words for any error. The pane's own errors carry their words; anything else (an Office.js error from the
 * workbook code, say) is named by `failedTo` — what could not be done — followed by its own message.
 */
export function errorWords(error: unknown, failedTo = "Something went wrong"): ErrorWords {
  if (isRunFailure(error)) {
    return {
      title: error.summary,
      body: error.advice,
      ...(SETTINGS_KINDS.has(error.kind) || (error instanceof RunError && error.fixedInSettings)
        ? { next: "open-settings" as const }
        : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { title: `${failedTo}: ${message}`, body: "Try again; if it keeps happening, report it." };
}

/** The words as one line: title, then what to do. */
export function errorLine(error: unknown, failedTo?: string): string {
  const words = errorWords(error, failedTo);
  return `${words.title} ${words.body}`;
}
