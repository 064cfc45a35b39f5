/**
 * The store for several relay instances on one PostgreSQL database (`RELAY_DATABASE_URL`), with `pg`.
 * Everything an instance needs from another lives in the database: queries, callback bodies, rows, the
 * key-hash secret, the rate-limit windows, the sweep's lease; wake-ups go through `LISTEN/NOTIFY`.
 *
 * How it keeps the relay's promises with several instances:
 * - **Durable before the 200.** A callback body is written in ONE transaction on a connection of its own (the
 *   upload pool): the delivery row, then its 1 MiB chunks as they stream in, then the query marked `received`
 *   and COMMIT with `synchronous_commit = on` — only then does the route answer 200. An instance that dies
 *   mid-upload leaves an open transaction that PostgreSQL rolls back when its connection drops: nothing
 *   half-stored, nothing that blocks a later delivery to another instance.
 * - **One result per query.** The first transaction to set `delivery_id` (`WHERE delivery_id IS NULL`) wins; a
 *   concurrent one waits on that row, then finds it set and rolls back (`duplicate`).
 * - **Reading into rows once.** The instance that accepted a body reads it under a lease on the query row
 *   (`reader`, `read_lease_until`), renewed by every batch of rows it writes; every write checks the lease, so
 *   an instance that lost it stops. When the reader dies, another claims the body once the lease ran out
 *   (`claimUnreadResults`, also `recover` at start).
 * - **Wake-ups.** The transaction that settles or deletes a query also runs `pg_notify`, delivered at commit
 *   to every instance's listener (postgres-notifier.ts).
 * - **Time.** Rows carry the relay's clock (ms since epoch), as on SQLite; leases use the database's clock,
 *   so instances whose clocks differ still agree on who holds one.
 *
 * PostgreSQL text cannot hold the character U+0000: in the few columns that take text from outside as is
 * (label, requestId, failure message) it is stored as U+FFFD. The raw body keeps the exact bytes.
 */
import { randomUUID } from "node:crypto";
import { Pool, type PoolClient, type PoolConfig } from "pg";
import { migratePostgres, type MigrationOutcome } from "./postgres-migrations";
import { PostgresNotifier, type NotifierLog } from "./postgres-notifier";
import { blocksOfRows, pageOfBlocks } from "./row-blocks";
import { readResultJson } from "./stored-json";
import type {
  DeliveryCompletion,
  NewQuery,
  QueryOutcome,
  QueryState,
  RawDelivery,
  RelayStore,
  SettlementListener,
  StoredQuery,
  SubmissionRecord,
  WindowCount,
  RowsBlock,
} from "./types";

/** The NOTIFY channel of settled and deleted queries; the payload is the query's ID. */
export const SETTLED_CHANNEL = "relay_query_settled";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database?sslmode=…`, as libpq reads it. */
  connectionString: string;
  /** RELAY_KEY_HASH_SECRET; undefined: the database's own (see postgres-migrations.ts). */
  keyHashSecret?: string | undefined;
  log?: NotifierLog;
  /** Connections for everything but uploads. */
  poolSize?: number;
  /** Connections that hold a callback's transaction while its body streams in: at most this many at once. */
  uploadPoolSize?: number;
  /** How long a reading of rows is this instance's without a sign of life (a batch written). */
  readLeaseMs?: number;
  /** Between two checks of the LISTEN connection. */
  listenCheckIntervalMs?: number;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_UPLOAD_POOL_SIZE = 10;
export const DEFAULT_READ_LEASE_MS = 15_000;
/** An upload whose sender goes quiet this long is given up (its transaction rolled back). */
const UPLOAD_IDLE_TIMEOUT_MS = 5 * 60_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** A callback may wait this long for one of the upload connections to be free. */
const UPLOAD_SLOT_TIMEOUT_MS = 60_000;

interface QueryRecord {
  id: string;
  owner: string;
  request_id: string | null;
  label: string | null;
  connection: string | null;
  hidden: boolean;
  request_json: string;
  secret_hash: Buffer;
  state: QueryState;
  created_at: string;
  completed_at: string | null;
  expires_at: string;
  delivery_id: string | null;
  total_rows: number | null;
  columns_json: string | null;
  metadata_json: string | null;
  requested_period_json: string | null;
  failure_message: string | null;
}

/** `bigint` columns arrive as strings (they may exceed 2^53; ours, milliseconds, never do). */
const toNumber = (value: string | null): number | null => (value === null ? null : Number(value));

function toStoredQuery(record: QueryRecord): StoredQuery {
  return {
    id: record.id,
    owner: record.owner,
    requestId: record.request_id,
    label: record.label,
    connection: record.connection,
    hidden: record.hidden,
    requestJson: record.request_json,
    secretHash: record.secret_hash,
    state: record.state,
    createdAt: Number(record.created_at),
    completedAt: toNumber(record.completed_at),
    expiresAt: Number(record.expires_at),
    deliveryId: record.delivery_id,
    totalRows: record.total_rows,
    ...readResultJson(record.columns_json, record.metadata_json, record.requested_period_json),
    failureMessage: record.failure_message,
  };
}

/** Text from outside that PostgreSQL must be able to store (see the header). */
function storableText(text: string): string;
function storableText(text: string | null): string | null;
function storableText(text: string | null): string | null {
  return text === null ? null : text.replaceAll("\u0000", "\uFFFD");
}

const STILL_WAITING: QueryState[] = ["submitting", "pending", "received"];

interface Upload {
  client: PoolClient;
  queryId: string;
  chunks: number;
}

/**
 * A checked-out client's errors (its connection killed by the server, say) are emitted on the client, which must
 * then have a listener or the process ends; the failure also rejects the query in progress or the next one.
 */
function ignoreClientErrors(): void {}

export class PostgresRelayStore implements RelayStore {
  /** Who this store is in leases and readings: one per process start. */
  readonly instanceId = randomUUID();
  private readonly pool: Pool;
  private readonly uploadPool: Pool;
  private readonly uploads = new Map<string, Upload>();
  private readonly readLeaseMs: number;
  private readonly listeners = new Set<SettlementListener>();
  private notifier: PostgresNotifier | undefined;
  private opened = false;
  private closed = false;

  private constructor(
    private readonly options: PostgresStoreOptions,
    private readonly connection: PoolConfig
  ) {
    this.readLeaseMs = options.readLeaseMs ?? DEFAULT_READ_LEASE_MS;
    this.pool = new Pool({ ...connection, max: options.poolSize ?? DEFAULT_POOL_SIZE });
    this.uploadPool = new Pool({
      ...connection,
      max: options.uploadPoolSize ?? DEFAULT_UPLOAD_POOL_SIZE,
      connectionTimeoutMillis: UPLOAD_SLOT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: UPLOAD_IDLE_TIMEOUT_MS,
    });
    // An idle pooled connection that fails is dropped by the pool; without a handler the error would end the process.
    for (const pool of [this.pool, this.uploadPool]) {
      pool.on("error", (error) => options.log?.warn({ err: error }, "an idle PostgreSQL connection failed"));
    }
  }

  /** Connects, brings the schema up to date under the advisory lock and settles the key-hash secret. */
  static async open(
    options: PostgresStoreOptions
  ): Promise<{ store: PostgresRelayStore; migration: MigrationOutcome }> {
    const connection: PoolConfig = {
      connectionString: options.connectionString,
      application_name: "billing-usage-relay",
      keepAlive: true,
      // Also how long a request waits for a free pooled connection.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    };
    const store = new PostgresRelayStore(options, connection);
    try {
      const client = await store.pool.connect();
      try {
        const migration = await migratePostgres(client, options.keyHashSecret);
        store.opened = true;
        return { store, migration };
      } finally {
        client.release();
      }
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    client.on("error", ignoreClientErrors);
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.off("error", ignoreClientErrors);
      client.release();
      return result;
    } catch (error) {
      await client.query("ROLLBACK").then(
        () => client.release(),
        (rollbackError: Error) => client.release(rollbackError)
      );
      client.off("error", ignoreClientErrors);
      throw error;
    }
  }

  async createQuery(query: NewQuery): Promise<void> {
    await this.pool.query(
      `INSERT INTO queries (id, owner, label, connection, hidden, request_json, secret_hash, state, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitting', $8, $9)`,
      [
        query.id,
        query.owner,
        storableText(query.label),
        query.connection,
        query.hidden,
        query.requestJson,
        query.secretHash,
        query.createdAt,
        query.expiresAt,
      ]
    );
  }

  async recordSubmission(id: string, requestId: string, now: number): Promise<SubmissionRecord> {
    const storedId = storableText(requestId);
    return this.transaction(async (client): Promise<SubmissionRecord> => {
      const set = await client.query(
        `UPDATE queries SET request_id = $2,
           state = CASE state WHEN 'submitting' THEN 'pending' ELSE state END
         WHERE id = $1 AND request_id IS NULL`,
        [id, storedId]
      );
      if (set.rowCount === 1) return "recorded";
      const found = await client.query<{ request_id: string | null }>(
        "SELECT request_id FROM queries WHERE id = $1 FOR UPDATE",
        [id]
      );
      const record = found.rows[0];
      if (record === undefined) return "gone";
      if (record.request_id === storedId) return "recorded";
      await client.query(
        `UPDATE queries SET state = 'unreadable', failure_message = $2, completed_at = $3 WHERE id = $1`,
        [
          id,
          storableText(
            `Infobip accepted this query as requestId ${requestId}, but the result delivered to its callback address is for requestId ${record.request_id ?? "(none)"}; the result cannot be trusted.`
          ),
          now,
        ]
      );
      await client.query("SELECT pg_notify($1, $2)", [SETTLED_CHANNEL, id]);
      return "mismatch";
    });
  }

  async getQuery(id: string): Promise<StoredQuery | undefined> {
    const result = await this.pool.query<QueryRecord>("SELECT * FROM queries WHERE id = $1", [id]);
    const record = result.rows[0];
    return record && toStoredQuery(record);
  }

  async getQueryAtCallbackAddress(id: string, secretHash: Buffer): Promise<StoredQuery | undefined> {
    const result = await this.pool.query<QueryRecord>("SELECT * FROM queries WHERE id = $1 AND secret_hash = $2", [
      id,
      secretHash,
    ]);
    const record = result.rows[0];
    return record && toStoredQuery(record);
  }

  async listQueries(owner: string, limit: number): Promise<StoredQuery[]> {
    const result = await this.pool.query<QueryRecord>(
      "SELECT * FROM queries WHERE owner = $1 AND NOT hidden ORDER BY created_at DESC, id LIMIT $2",
      [owner, limit]
    );
    return result.rows.map(toStoredQuery);
  }

  async deleteQuery(id: string): Promise<void> {
    // One transaction: from its commit on, the query, its body and its rows are gone for every instance, and a
    // reading in progress elsewhere finds no `received` row for its next batch.
    await this.transaction(async (client) => {
      await client.query("DELETE FROM queries WHERE id = $1", [id]);
      await client.query("DELETE FROM deliveries WHERE query_id = $1", [id]);
      await client.query("DELETE FROM result_blocks WHERE query_id = $1", [id]);
      await client.query("SELECT pg_notify($1, $2)", [SETTLED_CHANNEL, id]);
    });
  }

  async beginDelivery(queryId: string, contentType: string | null, now: number): Promise<string> {
    const deliveryId = randomUUID();
    const client = await this.uploadPool.connect();
    client.on("error", ignoreClientErrors);
    try {
      await client.query("BEGIN");
      await client.query("INSERT INTO deliveries (id, query_id, content_type, received_at) VALUES ($1, $2, $3, $4)", [
        deliveryId,
        queryId,
        contentType === null ? null : storableText(contentType),
        now,
      ]);
    } catch (error) {
      await this.endUpload(client, error);
      throw error;
    }
    this.uploads.set(deliveryId, { client, queryId, chunks: 0 });
    return deliveryId;
  }

  async appendChunk(deliveryId: string, seq: number, data: Buffer): Promise<void> {
    const upload = this.uploads.get(deliveryId);
    if (upload === undefined) throw new Error("no upload in progress under this delivery ID");
    await upload.client.query("INSERT INTO raw_chunks (delivery_id, seq, data) VALUES ($1, $2, $3)", [
      deliveryId,
      seq,
      data,
    ]);
    upload.chunks++;
  }

  async completeDelivery(deliveryId: string, byteLength: number): Promise<DeliveryCompletion> {
    const upload = this.uploads.get(deliveryId);
    if (upload === undefined) return "gone";
    this.uploads.delete(deliveryId);
    const { client, queryId } = upload;
    try {
      await client.query("UPDATE deliveries SET byte_length = $2, chunk_count = $3 WHERE id = $1", [
        deliveryId,
        byteLength,
        upload.chunks,
      ]);
      // Waits for a concurrent delivery's transaction on this row to end; then sees its delivery_id if it committed.
      const accepted = await client.query(
        `UPDATE queries SET delivery_id = $1, state = 'received',
           reader = $3, read_lease_until = now() + $4 * interval '1 millisecond'
         WHERE id = $2 AND delivery_id IS NULL`,
        [deliveryId, queryId, this.instanceId, this.readLeaseMs]
      );
      if (accepted.rowCount !== 1) {
        const exists = await client.query("SELECT 1 FROM queries WHERE id = $1", [queryId]);
        await this.endUpload(client, "rollback");
        return exists.rowCount === 0 ? "gone" : "duplicate";
      }
      // The 200 to Infobip follows this commit: durable whatever the server's default.
      await client.query("SET LOCAL synchronous_commit = on");
      await client.query("COMMIT");
      client.off("error", ignoreClientErrors);
      client.release();
      return "accepted";
    } catch (error) {
      await this.endUpload(client, error);
      throw error;
    }
  }

  async abandonDelivery(deliveryId: string): Promise<void> {
    const upload = this.uploads.get(deliveryId);
    if (upload === undefined) return;
    this.uploads.delete(deliveryId);
    await this.endUpload(upload.client, "rollback");
  }

  /** Rolls an upload's transaction back and returns its connection (or drops it, when it failed). */
  private async endUpload(client: PoolClient, reason: unknown): Promise<void> {
    try {
      await client.query("ROLLBACK");
      client.release(reason === "rollback" ? undefined : true);
    } catch (error) {
      client.release(error instanceof Error ? error : true);
    } finally {
      client.off("error", ignoreClientErrors);
    }
  }

  async failOversized(queryId: string, failureMessage: string, now: number, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `WITH failed AS (
         UPDATE queries SET state = 'failed', failure_message = $2, completed_at = $3, expires_at = $4
         WHERE id = $1 AND delivery_id IS NULL AND state IN ('submitting', 'pending')
         RETURNING id)
       SELECT pg_notify($5, id) FROM failed`,
      [queryId, storableText(failureMessage), now, now + ttlMs, SETTLED_CHANNEL]
    );
    return result.rowCount === 1;
  }

  async rawDelivery(queryId: string): Promise<RawDelivery | undefined> {
    const result = await this.pool.query<{
      id: string;
      byte_length: string;
      content_type: string | null;
      chunk_count: number;
    }>(
      `SELECT d.id, d.byte_length, d.content_type, d.chunk_count
       FROM queries q JOIN deliveries d ON d.id = q.delivery_id WHERE q.id = $1`,
      [queryId]
    );
    const record = result.rows[0];
    if (record === undefined) return undefined;
    return {
      deliveryId: record.id,
      byteLength: Number(record.byte_length),
      contentType: record.content_type,
      chunkCount: record.chunk_count,
    };
  }

  async readChunk(deliveryId: string, seq: number): Promise<Buffer | undefined> {
    const result = await this.pool.query<{ data: Buffer }>(
      "SELECT data FROM raw_chunks WHERE delivery_id = $1 AND seq = $2",
      [deliveryId, seq]
    );
    return result.rows[0]?.data;
  }

  /** Nothing to drop: an unfinished delivery was never committed. The bodies no live instance is reading are claimed. */
  async recover(): Promise<string[]> {
    return this.claimUnreadResults();
  }

  async claimUnreadResults(): Promise<string[]> {
    const result = await this.pool.query<{ id: string }>(
      `WITH free AS (
         SELECT id, created_at FROM queries
         WHERE state = 'received' AND (read_lease_until IS NULL OR read_lease_until < now())
         ORDER BY created_at
         FOR UPDATE SKIP LOCKED)
       UPDATE queries q SET reader = $1, read_lease_until = now() + $2 * interval '1 millisecond'
       FROM free WHERE q.id = free.id
       RETURNING q.id, q.created_at`,
      [this.instanceId, this.readLeaseMs]
    );
    return result.rows.map((row) => row.id);
  }

  async clearRows(queryId: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM result_blocks WHERE query_id = $1
         AND EXISTS (SELECT 1 FROM queries WHERE id = $1 AND state = 'received' AND reader = $2)`,
      [queryId, this.instanceId]
    );
  }

  async appendRows(queryId: string, start: number, rows: readonly string[]): Promise<boolean> {
    return this.appendRowBlocks(queryId, blocksOfRows(start, rows));
  }

  async appendRowBlocks(queryId: string, blocks: readonly RowsBlock[]): Promise<boolean> {
    if (blocks.length === 0) return (await this.isReading(queryId)) === true;
    // One statement: renew the reading's lease (only while it is still ours and the query still `received`),
    // and insert every block, one parameter each (a multi-row INSERT of ~100 KB texts: COPY would save little for
    // a handful of rows, and could not be made conditional on the lease in the same statement; a text[] parameter
    // would have every quote of the JSON escaped into an array literal and back).
    const values = blocks.map(
      (_, index) => `($${4 + 3 * index}::integer, $${5 + 3 * index}::integer, $${6 + 3 * index})`
    );
    const result = await this.pool.query(
      `WITH reading AS (
         UPDATE queries SET read_lease_until = now() + $2 * interval '1 millisecond'
         WHERE id = $1 AND state = 'received' AND reader = $3
         RETURNING id)
       INSERT INTO result_blocks (query_id, first_idx, row_count, cells)
       SELECT reading.id, b.first_idx, b.row_count, b.cells
       FROM reading, (VALUES ${values.join(", ")}) AS b(first_idx, row_count, cells)`,
      [queryId, this.readLeaseMs, this.instanceId, ...blocks.flatMap((block) => [block.start, block.count, block.json])]
    );
    return result.rowCount === blocks.length;
  }

  private async isReading(queryId: string): Promise<boolean> {
    const result = await this.pool.query("SELECT 1 FROM queries WHERE id = $1 AND state = 'received' AND reader = $2", [
      queryId,
      this.instanceId,
    ]);
    return result.rowCount === 1;
  }

  async completeQuery(queryId: string, outcome: QueryOutcome, now: number, ttlMs: number): Promise<void> {
    const expiresAt = now + ttlMs;
    if (outcome.state === "succeeded") {
      await this.pool.query(
        `WITH settled AS (
           UPDATE queries SET state = 'succeeded', request_id = COALESCE(request_id, $3),
             total_rows = $4, columns_json = $5, metadata_json = $6, requested_period_json = $7,
             failure_message = NULL, completed_at = $8, expires_at = $9, reader = NULL, read_lease_until = NULL
           WHERE id = $1 AND state = 'received' AND reader = $2
           RETURNING id)
         SELECT pg_notify($10, id) FROM settled`,
        [
          queryId,
          this.instanceId,
          storableText(outcome.requestId),
          outcome.totalRows,
          JSON.stringify(outcome.columns),
          outcome.metadata === null ? null : JSON.stringify(outcome.metadata),
          outcome.requestedPeriod === null ? null : JSON.stringify(outcome.requestedPeriod),
          now,
          expiresAt,
          SETTLED_CHANNEL,
        ]
      );
      return;
    }
    await this.transaction(async (client) => {
      const settled = await client.query(
        `UPDATE queries SET state = $3, failure_message = $4, completed_at = $5, expires_at = $6,
           reader = NULL, read_lease_until = NULL
         WHERE id = $1 AND state = 'received' AND reader = $2`,
        [queryId, this.instanceId, outcome.state, storableText(outcome.failureMessage), now, expiresAt]
      );
      if (settled.rowCount !== 1) return;
      await client.query("DELETE FROM result_blocks WHERE query_id = $1", [queryId]);
      await client.query("SELECT pg_notify($1, $2)", [SETTLED_CHANNEL, queryId]);
    });
  }

  async readRows(queryId: string, offset: number, limit: number): Promise<string[]> {
    // The block holding `offset` (the last one starting at or before it) and those after it, up to the end.
    const result = await this.pool.query<RowsBlock>(
      `SELECT first_idx AS start, row_count AS count, cells AS json FROM result_blocks
       WHERE query_id = $1 AND first_idx < $3 AND first_idx >= COALESCE(
         (SELECT max(first_idx) FROM result_blocks WHERE query_id = $1 AND first_idx <= $2), 0)
       ORDER BY first_idx`,
      [queryId, offset, offset + limit]
    );
    return pageOfBlocks(result.rows, offset, limit);
  }

  async sweep(now: number): Promise<number> {
    await this.pool.query("DELETE FROM rate_windows WHERE ends_at <= $1", [now]);
    const expired = await this.pool.query<{ id: string }>("SELECT id FROM queries WHERE expires_at <= $1", [now]);
    for (const { id } of expired.rows) await this.deleteQuery(id);
    return expired.rows.length;
  }

  async watchSettlements(listener: SettlementListener): Promise<() => void> {
    this.listeners.add(listener);
    if (this.notifier === undefined) {
      const notifier = new PostgresNotifier({
        connection: this.connection,
        channel: SETTLED_CHANNEL,
        onHint: (queryId) => {
          for (const each of [...this.listeners]) each(queryId);
        },
        ...(this.options.log ? { log: this.options.log } : {}),
        ...(this.options.listenCheckIntervalMs !== undefined
          ? { checkIntervalMs: this.options.listenCheckIntervalMs }
          : {}),
      });
      this.notifier = notifier;
      try {
        await notifier.start();
      } catch (error) {
        this.notifier = undefined;
        this.listeners.delete(listener);
        throw error;
      }
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The LISTEN connection, for tests that break it on purpose. */
  get settlementNotifier(): PostgresNotifier | undefined {
    return this.notifier;
  }

  async settledAmong(queryIds: readonly string[]): Promise<string[]> {
    if (queryIds.length === 0) return [];
    const result = await this.pool.query<{ id: string }>(
      `SELECT w.id FROM unnest($1::text[]) AS w(id)
       WHERE NOT EXISTS (SELECT 1 FROM queries q WHERE q.id = w.id AND q.state = ANY($2::text[]))`,
      [queryIds, STILL_WAITING]
    );
    return result.rows.map((row) => row.id);
  }

  async tryLease(name: string, ms: number): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= now()
       RETURNING holder`,
      [name, this.instanceId, ms]
    );
    return result.rowCount === 1;
  }

  async countRequest(key: string, windowMs: number, now: number): Promise<WindowCount> {
    // One atomic statement per request, like @fastify/rate-limit's Redis store (INCR + PEXPIRE): concurrent
    // requests on any instance each get their own count.
    const result = await this.pool.query<{ count: number; ttl: string }>(
      `INSERT INTO rate_windows (key, count, ends_at) VALUES ($1, 1, $2::bigint + $3::bigint)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_windows.ends_at <= $2::bigint THEN 1 ELSE rate_windows.count + 1 END,
         ends_at = CASE WHEN rate_windows.ends_at <= $2::bigint THEN $2::bigint + $3::bigint ELSE rate_windows.ends_at END
       RETURNING count, ends_at - $2::bigint AS ttl`,
      [key, now, windowMs]
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error("the rate-limit window was not counted");
    return { current: row.count, ttl: Number(row.ttl) };
  }

  async peekRequests(key: string, now: number): Promise<WindowCount> {
    const result = await this.pool.query<{ count: number; ttl: string }>(
      "SELECT count, ends_at - $2::bigint AS ttl FROM rate_windows WHERE key = $1 AND ends_at > $2::bigint",
      [key, now]
    );
    const row = result.rows[0];
    return row === undefined ? { current: 0, ttl: 0 } : { current: row.count, ttl: Number(row.ttl) };
  }

  async countedKeys(): Promise<string[]> {
    const result = await this.pool.query<{ key: string }>("SELECT key FROM rate_windows ORDER BY key");
    return result.rows.map((row) => row.key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier?.close();
    for (const deliveryId of [...this.uploads.keys()]) await this.abandonDelivery(deliveryId);
    if (this.opened) await this.releaseLeases();
    await Promise.all([this.pool.end(), this.uploadPool.end()]);
  }

  private async releaseLeases(): Promise<void> {
    try {
      // Let the other instances take over at once what this one stops doing.
      await this.pool.query("DELETE FROM leases WHERE holder = $1", [this.instanceId]);
      await this.pool.query(
        "UPDATE queries SET reader = NULL, read_lease_until = NULL WHERE reader = $1 AND state = 'received'",
        [this.instanceId]
      );
    } catch (error) {
      this.options.log?.warn({ err: error }, "could not release this instance's leases; they expire on their own");
    }
  }
}
