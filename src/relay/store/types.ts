/**
 * The relay's storage seam. Everything the relay keeps goes through this interface: the embedded SQLite store
 * (one process) and the PostgreSQL store (several instances on one database) both implement it, and pass the
 * same store test suite. Methods are async for that reason even where SQLite answers synchronously.
 *
 * What is kept: for each query its owner (a keyed hash of the API key, never the key), a SHA-256 of its
 * callback secret (never the secret), the request, its state and result metadata; the callback body
 * exactly as delivered, in chunks; and the result rows in blocks of pre-serialised JSON (row-blocks.ts), so a
 * page is served by putting texts side by side.
 */
import type { BillingUsageMetadata, ColumnInfo, DateTimeInterval } from "../../billing";
import type { RowsBlock } from "./row-blocks";

export type { RowsBlock } from "./row-blocks";

/**
 * `submitting`: stored, not yet accepted by Infobip (the callback may still land first);
 * `pending`: accepted, waiting for the callback; `received`: the callback body is stored, rows are being
 * read from it; then one of the three outcomes.
 */
export type QueryState = "submitting" | "pending" | "received" | "succeeded" | "failed" | "unreadable";

export interface StoredQuery {
  id: string;
  owner: string;
  requestId: string | null;
  label: string | null;
  /**
   * The name of the Infobip connection it was sent to. Null for a query stored before the relay had connections
   * (schema 3 on SQLite, 2 on PostgreSQL): it went to the one base URL there was, which stays the default when an
   * operator adds connections, so it is reported as the default (views.ts).
   */
  connection: string | null;
  /** Internal queries (the connection check) are kept out of the owner's list. */
  hidden: boolean;
  /** The `request` part as submitted (JSON text). */
  requestJson: string;
  secretHash: Buffer;
  state: QueryState;
  createdAt: number;
  completedAt: number | null;
  expiresAt: number;
  /** The delivery whose bytes are the result; null until a complete callback body is stored. */
  deliveryId: string | null;
  totalRows: number | null;
  columns: ColumnInfo[] | null;
  metadata: BillingUsageMetadata | null;
  requestedPeriod: DateTimeInterval | null;
  failureMessage: string | null;
}

export interface NewQuery {
  id: string;
  owner: string;
  label: string | null;
  connection: string;
  hidden: boolean;
  requestJson: string;
  secretHash: Buffer;
  createdAt: number;
  expiresAt: number;
}

export interface RawDelivery {
  deliveryId: string;
  byteLength: number;
  contentType: string | null;
  chunkCount: number;
}

/** What reading a callback body led to. */
export type QueryOutcome =
  | {
      state: "succeeded";
      requestId: string;
      totalRows: number;
      columns: ColumnInfo[];
      metadata: BillingUsageMetadata | null;
      requestedPeriod: DateTimeInterval | null;
    }
  | { state: "failed"; failureMessage: string }
  | { state: "unreadable"; failureMessage: string };

/** A fixed-window count, as `@fastify/rate-limit`'s store reports it. */
export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

/**
 * Told the ID of each query that settled (succeeded, failed, unreadable) or was deleted, by this instance or
 * another sharing the store. A hint, not a guarantee: `null` means some may have been missed (a reconnection),
 * so whoever waits should read again what it waits for.
 */
export type SettlementListener = (queryId: string | null) => void;

export type SubmissionRecord = "recorded" | "gone" | "mismatch";
export type DeliveryCompletion = "accepted" | "duplicate" | "gone";

export interface RelayStore {
  createQuery(query: NewQuery): Promise<void>;
  /** Infobip accepted the query: remember its requestId (unless the callback already brought a different one). */
  recordSubmission(id: string, requestId: string, now: number): Promise<SubmissionRecord>;
  getQuery(id: string): Promise<StoredQuery | undefined>;
  /**
   * The query whose callback address this is: its ID and the SHA-256 of its secret, matched together in one lookup,
   * so a wrong secret for an existing ID and an unknown ID both find nothing, with the same work and no row read
   * (a stranger cannot tell by the time which IDs exist).
   */
  getQueryAtCallbackAddress(id: string, secretHash: Buffer): Promise<StoredQuery | undefined>;
  /** The owner's visible queries, newest first. */
  listQueries(owner: string, limit: number): Promise<StoredQuery[]>;
  /** Removes a query with everything stored for it. */
  deleteQuery(id: string): Promise<void>;

  /** Starts storing a callback body; chunks are appended in order, then the delivery is completed or abandoned. */
  beginDelivery(queryId: string, contentType: string | null, now: number): Promise<string>;
  appendChunk(deliveryId: string, seq: number, data: Buffer): Promise<void>;
  /**
   * Durably marks the body complete. The first complete delivery of a query wins (`accepted`: the query
   * becomes `received`); a later one is dropped (`duplicate`), as is one for a query deleted meanwhile (`gone`).
   */
  completeDelivery(deliveryId: string, byteLength: number): Promise<DeliveryCompletion>;
  abandonDelivery(deliveryId: string): Promise<void>;
  /** The callback was refused for its size: the query fails, unless a result was already accepted. */
  failOversized(queryId: string, failureMessage: string, now: number, ttlMs: number): Promise<boolean>;
  rawDelivery(queryId: string): Promise<RawDelivery | undefined>;
  readChunk(deliveryId: string, seq: number): Promise<Buffer | undefined>;

  /**
   * At start: drops the chunks of deliveries a previous run did not finish (their sender got no 200), and
   * returns the queries whose body is stored but was not fully read, to be read again (on PostgreSQL: those
   * no live instance is reading; an unfinished delivery there was never committed).
   */
  recover(): Promise<string[]>;
  clearRows(queryId: string): Promise<void>;
  /**
   * Rows `start..start+rows.length-1`, each a JSON array text, in one transaction. False (nothing written)
   * when the query is no longer `received` (deleted or expired meanwhile) or no longer this store's to read.
   */
  appendRows(queryId: string, start: number, rows: readonly string[]): Promise<boolean>;
  /** As {@link appendRows}, for rows already joined into blocks (consecutive, in order), in one transaction. */
  appendRowBlocks(queryId: string, blocks: readonly RowsBlock[]): Promise<boolean>;
  /** Settles a `received` query; keeps the rows only when it succeeded. */
  completeQuery(queryId: string, outcome: QueryOutcome, now: number, ttlMs: number): Promise<void>;
  /**
   * Rows `offset..offset+limit-1` as JSON texts of consecutive rows, each text one or more rows joined by commas
   * (never empty): `[${texts.join(",")}]` is the page.
   */
  readRows(queryId: string, offset: number, limit: number): Promise<string[]>;

  /**
   * Gives the pages freed by deletions back to the file system, where the store's space is the data directory's
   * (SQLite: incremental vacuum, then the WAL checkpointed and truncated). Used when the disk is full; optional.
   */
  reclaimSpace?(): Promise<void>;

  /** Deletes the queries whose time is up (and rate-limit windows that have ended); returns how many queries went. */
  sweep(now: number): Promise<number>;
  /** Releases this store's leases and result readings (another instance takes them over at once), then closes. */
  close(): Promise<void>;

  // What several instances sharing one store need from it. SQLite (one process) answers from the process.

  /** Calls `listener` for every query settled or deleted by any instance; resolves once listening. Returns the way to stop. */
  watchSettlements(listener: SettlementListener): Promise<() => void>;
  /** Of these queries, the ones no longer waiting for a result (settled or gone): the read that follows a hint. */
  settledAmong(queryIds: readonly string[]): Promise<string[]>;
  /**
   * Takes the named lease for `ms`, or renews it when this store holds it already; false while another holder's
   * lease runs. Work done only under a lease (the TTL sweep) runs on one instance at a time.
   */
  tryLease(name: string, ms: number): Promise<boolean>;
  /**
   * Stored bodies whose reading into rows no instance is doing any more (the one reading them died), now this
   * store's to read. `recover()` does the same at start.
   */
  claimUnreadResults(): Promise<string[]>;

  /** Counts one request for `key` in its fixed window of `windowMs` (a window starts at the first request after the last one ended). */
  countRequest(key: string, windowMs: number, now: number): Promise<WindowCount>;
  /** The count for `key` without counting anything. */
  peekRequests(key: string, now: number): Promise<WindowCount>;
  /** The keys being counted (tests check that no API key is among them). */
  countedKeys(): Promise<string[]>;
}
