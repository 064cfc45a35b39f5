/**
 * The relay's storage seam. Everything the relay keeps goes through this interface, so another database
 * (PostgreSQL for a multi-instance deployment) can replace the embedded SQLite one. Methods are async for
 * that reason even where SQLite answers synchronously.
 *
 * What is kept: for each query its owner (a keyed hash of the API key, never the key), a SHA-256 of its
 * callback secret (never the secret), the request, its state and result metadata; the callback body
 * exactly as delivered, in chunks; and the result rows, one JSON array text per row, for cheap paging.
 */
import type { BillingUsageMetadata, ColumnInfo, DateTimeInterval } from "../../billing";

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

export type SubmissionRecord = "recorded" | "gone" | "mismatch";
export type DeliveryCompletion = "accepted" | "duplicate" | "gone";

export interface RelayStore {
  createQuery(query: NewQuery): Promise<void>;
  /** Infobip accepted the query: remember its requestId (unless the callback already brought a different one). */
  recordSubmission(id: string, requestId: string, now: number): Promise<SubmissionRecord>;
  getQuery(id: string): Promise<StoredQuery | undefined>;
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
   * returns the queries whose body is stored but was not fully read, to be read again.
   */
  recover(): Promise<string[]>;
  clearRows(queryId: string): Promise<void>;
  /**
   * Rows `start..start+rows.length-1`, each a JSON array text, in one transaction. False (nothing written)
   * when the query is no longer `received`: deleted or expired meanwhile.
   */
  appendRows(queryId: string, start: number, rows: readonly string[]): Promise<boolean>;
  /** Settles a `received` query; keeps the rows only when it succeeded. */
  completeQuery(queryId: string, outcome: QueryOutcome, now: number, ttlMs: number): Promise<void>;
  readRows(queryId: string, offset: number, limit: number): Promise<string[]>;

  /** Deletes the queries whose time is up; returns how many went. */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}
