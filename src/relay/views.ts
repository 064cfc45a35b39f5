/**
 * What the API shows of a stored query. Internal states fold into the four public ones (`submitting` and
 * `received` are still `pending` to the caller), and a query pending longer than
 * RELAY_CALLBACK_TIMEOUT_MINUTES is flagged `overdue`: Infobip delivers once and never again, so the task
 * pane offers to run it again.
 */
import { QueryStateSchema, type InfobipAnswer, type QueryState, type QueryStatus } from "../relay-api";
import type { StoredQuery } from "./store";

export function publicStatus(query: StoredQuery): QueryStatus {
  switch (query.state) {
    case "submitting":
    case "pending":
    case "received":
      return "pending";
    default:
      return query.state;
  }
}

/**
 * "unknown" while Infobip's answer to the submission is not known: being awaited, or never came in time (the
 * query is kept; its callback is still accepted). A callback that arrived answers it, whatever the submission got.
 */
export function infobipAnswer(query: StoredQuery): InfobipAnswer {
  return query.state === "submitting" ? "unknown" : "accepted";
}

export function isOverdue(query: StoredQuery, now: Date, timeoutMinutes: number): boolean {
  return (
    (query.state === "submitting" || query.state === "pending") &&
    now.getTime() - query.createdAt > timeoutMinutes * 60_000
  );
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The stored request text (written by the relay from a checked query) as the answer's object. */
function storedRequest(requestJson: string): QueryState["request"] {
  return QueryStateSchema.shape.request.parse(JSON.parse(requestJson));
}

/**
 * @param defaultConnection reported for a query stored before the relay had connections (its `connection` is null):
 *   it went to the one base URL there was, which an operator adding connections keeps as the default.
 */
export function queryView(
  query: StoredQuery,
  now: Date,
  options: { timeoutMinutes: number; defaultConnection: string }
): QueryState {
  return {
    id: query.id,
    requestId: query.requestId,
    label: query.label,
    connection: query.connection ?? options.defaultConnection,
    status: publicStatus(query),
    infobipAnswer: infobipAnswer(query),
    createdAt: new Date(query.createdAt).toISOString(),
    completedAt: iso(query.completedAt),
    totalRows: query.totalRows,
    columns: query.columns,
    metadata: query.metadata,
    requestedPeriod: query.requestedPeriod,
    failureMessage: query.failureMessage,
    overdue: isOverdue(query, now, options.timeoutMinutes),
    expiresAt: new Date(query.expiresAt).toISOString(),
    request: storedRequest(query.requestJson),
  };
}
