/**
 * What the API shows of a stored query. Internal states fold into the four public ones (`submitting` and
 * `received` are still `pending` to the caller), and a query pending longer than
 * RELAY_CALLBACK_TIMEOUT_MINUTES is flagged `overdue`: Infobip delivers once and never again, so the task
 * pane offers to run it again.
 */
import type { BillingUsageMetadata, ColumnInfo, DateTimeInterval } from "../billing";
import type { StoredQuery } from "./store";

export type PublicStatus = "pending" | "succeeded" | "failed" | "unreadable";

export interface QueryView {
  id: string;
  requestId: string | null;
  label: string | null;
  status: PublicStatus;
  createdAt: string;
  completedAt: string | null;
  totalRows: number | null;
  columns: ColumnInfo[] | null;
  metadata: BillingUsageMetadata | null;
  requestedPeriod: DateTimeInterval | null;
  failureMessage: string | null;
  overdue: boolean;
  expiresAt: string;
  /** The `request` as submitted, so a reopened task pane can run it again. */
  request: unknown;
}

export function publicStatus(query: StoredQuery): PublicStatus {
  switch (query.state) {
    case "submitting":
    case "pending":
    case "received":
      return "pending";
    default:
      return query.state;
  }
}

export function isOverdue(query: StoredQuery, now: Date, timeoutMinutes: number): boolean {
  return (
    (query.state === "submitting" || query.state === "pending") &&
    now.getTime() - query.createdAt > timeoutMinutes * 60_000
  );
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function queryView(query: StoredQuery, now: Date, timeoutMinutes: number): QueryView {
  return {
    id: query.id,
    requestId: query.requestId,
    label: query.label,
    status: publicStatus(query),
    createdAt: new Date(query.createdAt).toISOString(),
    completedAt: iso(query.completedAt),
    totalRows: query.totalRows,
    columns: query.columns,
    metadata: query.metadata,
    requestedPeriod: query.requestedPeriod,
    failureMessage: query.failureMessage,
    overdue: isOverdue(query, now, timeoutMinutes),
    expiresAt: new Date(query.expiresAt).toISOString(),
    request: JSON.parse(query.requestJson) as unknown,
  };
}
