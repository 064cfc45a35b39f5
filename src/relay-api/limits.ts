/**
 * The limits of the relay's `/v1` API, in one place: the relay enforces them through the route schemas, the
 * task pane stays within them, and the OpenAPI document states them.
 */

/**
 * The longest a `GET /v1/queries/{id}?wait=` holds its answer, in seconds: well under the 60-second idle
 * timeout of common reverse proxies and load balancers, so the network never cuts a long-poll short.
 */
export const MAX_WAIT_SECONDS = 30;

/** The most rows in one page of `GET /v1/queries/{id}/rows` (about 1 MB of JSON). */
export const MAX_PAGE_ROWS = 10_000;

/** Rows in a page when the caller gives no `limit`. */
export const DEFAULT_PAGE_ROWS = 1_000;

/** The most queries `GET /v1/queries` lists: the caller's newest. */
export const LIST_LIMIT = 100;

/**
 * The longest label of a query, after trimming. The task pane always refused more than 100 characters and the
 * relay more than 200; the stricter one is kept, so no label a pane ever sent is refused now, and a script cannot
 * store a label the pane would not accept. The label titles the table and its provenance in Excel and names the
 * CSV download, where 100 characters is already more than a reader takes in.
 */
export const MAX_LABEL_LENGTH = 100;

/**
 * The longest name of an Infobip connection (`INFOBIP_CONNECTIONS`). Names are short words an operator picks
 * (`eu`, `us`, `brand-a`): they head the Connection column in Excel and the pane's key list.
 */
export const MAX_CONNECTION_NAME_LENGTH = 32;

/** The most connections a relay is configured with; a query in the pane runs at most this many at once. */
export const MAX_CONNECTIONS = 16;
