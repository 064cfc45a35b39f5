/**
 * Complete answers of the relay's contract (`src/relay-api`) for the fake relays of the pane's tests: each test
 * names what it is about, the rest is what the relay sends when there is nothing to say (null, not overdue).
 */
import type { QueryState, RowsPage } from "../../src/relay-api";

const TTL_MS = 168 * 3_600_000;

export function queryState(answer: Partial<QueryState> & Pick<QueryState, "id" | "status" | "createdAt">): QueryState {
  return {
    requestId: null,
    infobipAnswer: "accepted",
    label: null,
    connection: "default",
    completedAt: null,
    totalRows: null,
    columns: null,
    metadata: null,
    requestedPeriod: null,
    failureMessage: null,
    overdue: false,
    expiresAt: new Date(Date.parse(answer.createdAt) + TTL_MS).toISOString(),
    request: {},
    ...answer,
  };
}

export function rowsPage(page: Partial<RowsPage> & Pick<RowsPage, "rows" | "totalRows">): RowsPage {
  return { offset: 0, limit: Math.max(1, page.rows.length), columns: [], requestedPeriod: null, ...page };
}
