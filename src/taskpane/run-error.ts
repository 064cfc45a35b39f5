/**
 * Why a run (a query, or a table's refresh) stopped without writing. Each cause has its own type, so the name
 * says what happened:
 * - {@link RelayError}: what the relay (or Infobip through it) answered, or why no usable answer came;
 * - {@link MissingKeyError}: no API key was set, so nothing was sent;
 * - {@link RunError}: the run's own reasons, on this side of the relay.
 */
import type { Violation } from "../billing";
import { MissingKeyError } from "./credentials";
import { RelayError } from "./relay-client";

export type RunErrorKind =
  /** Every row arrived, but the workbook (or the preview) could not take them. */
  | "write-failed"
  /** A table's saved query no longer passes the rules (its custom dates fell out of the window). */
  | "saved-query-invalid"
  /** Infobip refused a period ending after today, and the period has no whole day before today to run instead. */
  | "no-day-before-today"
  /** A run over several Infobip connections where at least one failed: nothing was written. */
  | "connection-failed"
  /** A fault of the pane itself. */
  | "unexpected";

export class RunError extends Error {
  override readonly name = "RunError";
  constructor(
    readonly kind: RunErrorKind,
    /** One plain sentence: what happened. */
    readonly summary: string,
    /** One plain sentence: what to do next. */
    readonly advice: string,
    /** Rule failures behind it, when there are any. */
    readonly violations: readonly Violation[] = [],
    /** Fixed in Settings (a connection's key was missing or refused): the pane offers to open them. */
    readonly fixedInSettings = false
  ) {
    super(`${summary} ${advice}`);
  }
}

/** Why a run failed: one of the three causes above. */
export type RunFailure = RelayError | MissingKeyError | RunError;

export function isRunFailure(error: unknown): error is RunFailure {
  return error instanceof RelayError || error instanceof MissingKeyError || error instanceof RunError;
}

/** A caught error as a run failure; anything that is none of the three is a fault of the pane. */
export function toRunFailure(error: unknown): RunFailure {
  if (isRunFailure(error)) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new RunError("unexpected", `Something went wrong: ${text}`, "Try again; if it keeps happening, report it.");
}
