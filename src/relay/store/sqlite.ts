/**
 * The embedded store: one SQLite file (better-sqlite3) in the data directory, in WAL mode so reads (pages
 * of rows, long-polls) never wait for the writer.
 *
 * Durability where it matters: every commit survives a crash of the relay process (the WAL is written
 * before the commit returns), and the commits the relay answers for — a query stored before it goes to
 * Infobip, a callback body acknowledged with 200 — run with `synchronous = FULL`, which fsyncs the WAL and
 * with it every earlier write (the body's chunks). Rows and states derived from a stored body run with
 * `synchronous = NORMAL`: a power cut may undo them, and the relay then reads the body again at start.
 * (Measured: fsyncing every batch of rows made reading a 100k-row result about twice as slow.)
 *
 * What the seam asks for several instances is answered for the one process there is: settlements are told to
 * watchers in process, rate-limit windows are counted in memory, and leases live in a table (so two store objects
 * on one file, as the store suite opens, behave as on PostgreSQL).
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import Database from "better-sqlite3";
import { RateWindows } from "../rate-windows";
import { migrate } from "./migrations";
import { openCheckedDatabase } from "./sqlite-file";
import { Checkpointer } from "./sqlite-checkpointer";
import { blocksOfRows, pageOfBlocks } from "./row-blocks";
import { readResultJson } from "./stored-json";
import type {
  DeliveryCompletion,
  NewQuery,
  QueryOutcome,
  QueryState,
  RawDelivery,
  RelayStore,
  RowsBlock,
  SettlementListener,
  StoredQuery,
  SubmissionRecord,
  WindowCount,
} from "./types";

export const DATABASE_FILE = "relay.sqlite";
/** Rows deleted per statement (whole blocks) when a large result goes, so other requests get a turn in between. */
const DELETE_BATCH = 20_000;

interface QueryRecord {
  id: string;
  owner: string;
  request_id: string | null;
  label: string | null;
  connection: string | null;
  hidden: number;
  request_json: string;
  secret_hash: Buffer;
  state: QueryState;
  created_at: number;
  completed_at: number | null;
  expires_at: number;
  delivery_id: string | null;
  total_rows: number | null;
  columns_json: string | null;
  metadata_json: string | null;
  requested_period_json: string | null;
  failure_message: string | null;
}

function toStoredQuery(record: QueryRecord): StoredQuery {
  return {
    id: record.id,
    owner: record.owner,
    requestId: record.request_id,
    label: record.label,
    connection: record.connection,
    hidden: record.hidden !== 0,
    requestJson: record.request_json,
    secretHash: record.secret_hash,
    state: record.state,
    createdAt: record.created_at,
    completedAt: record.completed_at,
    expiresAt: record.expires_at,
    deliveryId: record.delivery_id,
    totalRows: record.total_rows,
    ...readResultJson(record.columns_json, record.metadata_json, record.requested_period_json),
    failureMessage: record.failure_message,
  };
}

export class SqliteRelayStore implements RelayStore {
  /** Who this store is in leases. */
  readonly instanceId = randomUUID();
  private readonly db: Database.Database;
  private readonly statements;
  /** One process: settlements are told in process, and the rate-limit windows live in its memory. */
  private readonly settled = new EventEmitter();
  private readonly rateWindows = new RateWindows();
  private readonly checkpointer: Checkpointer;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = openCheckedDatabase(file);
    // Pages freed by deletions can be given back to the file system (reclaimSpace), which a full disk needs. Takes
    // effect only on a database created by this version: an older one keeps auto_vacuum = NONE (see README).
    this.db.pragma("auto_vacuum = INCREMENTAL");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    // Keep the WAL from staying as large as the largest result ever ingested.
    this.db.pragma("journal_size_limit = 67108864");
    // The WAL is copied into the database file by a thread of its own, not inside the relay's commits.
    this.checkpointer = new Checkpointer(this.db, file);
    migrate(this.db);
    const db = this.db;
    this.statements = {
      insertQuery: db.prepare(
        `INSERT INTO queries (id, owner, label, connection, hidden, request_json, secret_hash, state, created_at, expires_at)
         VALUES (@id, @owner, @label, @connection, @hidden, @requestJson, @secretHash, 'submitting', @createdAt, @expiresAt)`
      ),
      getQuery: db.prepare(`SELECT * FROM queries WHERE id = ?`),
      getQueryAtCallbackAddress: db.prepare(`SELECT * FROM queries WHERE id = ? AND secret_hash = ?`),
      listQueries: db.prepare(
        `SELECT * FROM queries WHERE owner = ? AND hidden = 0 ORDER BY created_at DESC, id LIMIT ?`
      ),
      setRequestId: db.prepare(
        `UPDATE queries SET request_id = @requestId,
           state = CASE state WHEN 'submitting' THEN 'pending' ELSE state END
         WHERE id = @id AND request_id IS NULL`
      ),
      markMismatch: db.prepare(
        `UPDATE queries SET state = 'unreadable', failure_message = @message, completed_at = @now WHERE id = @id`
      ),
      deleteQueryRecord: db.prepare(`DELETE FROM queries WHERE id = ?`),
      deliveriesOf: db.prepare(`SELECT id FROM deliveries WHERE query_id = ?`),
      deleteDelivery: db.prepare(`DELETE FROM deliveries WHERE id = ?`),
      deleteChunks: db.prepare(`DELETE FROM raw_chunks WHERE delivery_id = ?`),
      deleteRowRange: db.prepare(`DELETE FROM result_blocks WHERE query_id = ? AND first_idx >= ? AND first_idx < ?`),
      maxRowIndex: db.prepare(`SELECT MAX(first_idx) AS last FROM result_blocks WHERE query_id = ?`),
      insertDelivery: db.prepare(
        `INSERT INTO deliveries (id, query_id, content_type, received_at) VALUES (?, ?, ?, ?)`
      ),
      // Only while the delivery exists: a query deleted mid-upload takes no more chunks.
      insertChunk: db.prepare(
        `INSERT INTO raw_chunks (delivery_id, seq, data)
         SELECT @deliveryId, @seq, @data WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = @deliveryId)`
      ),
      getDelivery: db.prepare(`SELECT * FROM deliveries WHERE id = ?`),
      finishDelivery: db.prepare(`UPDATE deliveries SET complete = 1, byte_length = ?, chunk_count = ? WHERE id = ?`),
      chunkCount: db.prepare(`SELECT COUNT(*) AS n FROM raw_chunks WHERE delivery_id = ?`),
      acceptDelivery: db.prepare(
        `UPDATE queries SET delivery_id = ?, state = 'received' WHERE id = ? AND delivery_id IS NULL`
      ),
      failOversized: db.prepare(
        `UPDATE queries SET state = 'failed', failure_message = ?, completed_at = ?, expires_at = ?
         WHERE id = ? AND delivery_id IS NULL AND state IN ('submitting', 'pending')`
      ),
      rawOf: db.prepare(
        `SELECT d.id, d.byte_length, d.content_type, d.chunk_count
         FROM queries q JOIN deliveries d ON d.id = q.delivery_id WHERE q.id = ? AND d.complete = 1`
      ),
      readChunk: db.prepare(`SELECT data FROM raw_chunks WHERE delivery_id = ? AND seq = ?`),
      incompleteDeliveries: db.prepare(`SELECT id FROM deliveries WHERE complete = 0`),
      receivedQueries: db.prepare(`SELECT id FROM queries WHERE state = 'received' ORDER BY created_at`),
      insertBlock: db.prepare(`INSERT INTO result_blocks (query_id, first_idx, row_count, cells) VALUES (?, ?, ?, ?)`),
      isReceiving: db.prepare(`SELECT 1 FROM queries WHERE id = ? AND state = 'received'`),
      succeed: db.prepare(
        `UPDATE queries SET state = 'succeeded', request_id = COALESCE(request_id, @requestId),
           total_rows = @totalRows, columns_json = @columns, metadata_json = @metadata,
           requested_period_json = @requestedPeriod, failure_message = NULL, completed_at = @now, expires_at = @expiresAt
         WHERE id = @id AND state = 'received'`
      ),
      settleWithoutRows: db.prepare(
        `UPDATE queries SET state = @state, failure_message = @message, completed_at = @now, expires_at = @expiresAt
         WHERE id = @id AND state = 'received'`
      ),
      // The block holding `offset` (the last one starting at or before it) and those after it, up to `end`.
      readBlocks: db.prepare(
        `SELECT first_idx AS start, row_count AS count, cells AS json FROM result_blocks
         WHERE query_id = @id AND first_idx < @end AND first_idx >= COALESCE(
           (SELECT MAX(first_idx) FROM result_blocks WHERE query_id = @id AND first_idx <= @offset), 0)
         ORDER BY first_idx`
      ),
      expired: db.prepare(`SELECT id FROM queries WHERE expires_at <= ?`),
      stillWaiting: db.prepare(`SELECT 1 FROM queries WHERE id = ? AND state IN ('submitting', 'pending', 'received')`),
      takeLease: db.prepare(
        `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @now + @ms)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
         RETURNING holder`
      ),
      releaseLeases: db.prepare(`DELETE FROM leases WHERE holder = ?`),
    };
    for (const statement of [
      this.statements.readChunk,
      this.statements.deliveriesOf,
      this.statements.incompleteDeliveries,
      this.statements.receivedQueries,
      this.statements.expired,
    ]) {
      statement.pluck();
    }
  }

  /** Runs a commit with the WAL fsynced (outside any transaction, where the pragma may change). */
  private durably<T>(commit: () => T): T {
    this.db.pragma("synchronous = FULL");
    try {
      return commit();
    } finally {
      this.db.pragma("synchronous = NORMAL");
    }
  }

  async createQuery(query: NewQuery): Promise<void> {
    this.durably(() => this.statements.insertQuery.run({ ...query, hidden: query.hidden ? 1 : 0 }));
  }

  async recordSubmission(id: string, requestId: string, now: number): Promise<SubmissionRecord> {
    const outcome = this.db.transaction((): SubmissionRecord => {
      if (this.statements.setRequestId.run({ id, requestId }).changes === 1) return "recorded";
      const record = this.statements.getQuery.get(id) as QueryRecord | undefined;
      if (record === undefined) return "gone";
      if (record.request_id === requestId) return "recorded";
      this.statements.markMismatch.run({
        id,
        now,
        message: `Infobip accepted this query as requestId ${requestId}, but the result delivered to its callback address is for requestId ${record.request_id ?? "(none)"}; the result cannot be trusted.`,
      });
      return "mismatch";
    })();
    if (outcome === "mismatch") this.tellSettled(id);
    return outcome;
  }

  async getQuery(id: string): Promise<StoredQuery | undefined> {
    const record = this.statements.getQuery.get(id) as QueryRecord | undefined;
    return record && toStoredQuery(record);
  }

  async getQueryAtCallbackAddress(id: string, secretHash: Buffer): Promise<StoredQuery | undefined> {
    const record = this.statements.getQueryAtCallbackAddress.get(id, secretHash) as QueryRecord | undefined;
    return record && toStoredQuery(record);
  }

  async listQueries(owner: string, limit: number): Promise<StoredQuery[]> {
    return (this.statements.listQueries.all(owner, limit) as QueryRecord[]).map(toStoredQuery);
  }

  async deleteQuery(id: string): Promise<void> {
    // The record goes first, in one statement: from then on the query is invisible and its callback is refused.
    const deliveries = this.statements.deliveriesOf.all(id) as string[];
    this.statements.deleteQueryRecord.run(id);
    for (const deliveryId of deliveries) {
      this.db.transaction(() => {
        this.statements.deleteChunks.run(deliveryId);
        this.statements.deleteDelivery.run(deliveryId);
      })();
    }
    this.tellSettled(id);
    await this.deleteRows(id);
  }

  private async deleteRows(queryId: string): Promise<void> {
    const last = (this.statements.maxRowIndex.get(queryId) as { last: number | null }).last;
    if (last === null) return;
    for (let start = 0; start <= last; start += DELETE_BATCH) {
      this.statements.deleteRowRange.run(queryId, start, start + DELETE_BATCH);
      this.checkpointer.wrote(DELETE_BATCH * 100); // about the bytes of the rows' pages it changes
      if (start + DELETE_BATCH <= last) await yieldToEventLoop();
    }
  }

  async beginDelivery(queryId: string, contentType: string | null, now: number): Promise<string> {
    const deliveryId = randomUUID();
    this.statements.insertDelivery.run(deliveryId, queryId, contentType, now);
    return deliveryId;
  }

  async appendChunk(deliveryId: string, seq: number, data: Buffer): Promise<void> {
    this.statements.insertChunk.run({ deliveryId, seq, data });
    this.checkpointer.wrote(data.length);
  }

  async completeDelivery(deliveryId: string, byteLength: number): Promise<DeliveryCompletion> {
    const complete = this.db.transaction((): DeliveryCompletion => {
      const delivery = this.statements.getDelivery.get(deliveryId) as { query_id: string } | undefined;
      if (delivery === undefined) return "gone";
      const chunks = (this.statements.chunkCount.get(deliveryId) as { n: number }).n;
      if (this.statements.acceptDelivery.run(deliveryId, delivery.query_id).changes === 1) {
        this.statements.finishDelivery.run(byteLength, chunks, deliveryId);
        return "accepted";
      }
      return this.statements.getQuery.get(delivery.query_id) === undefined ? "gone" : "duplicate";
    });
    // The 200 to Infobip follows this commit: it is fsynced, and with it the chunks written before.
    const outcome = this.durably(() => complete());
    if (outcome !== "accepted") await this.abandonDelivery(deliveryId);
    return outcome;
  }

  async abandonDelivery(deliveryId: string): Promise<void> {
    this.db.transaction(() => {
      this.statements.deleteChunks.run(deliveryId);
      this.statements.deleteDelivery.run(deliveryId);
    })();
  }

  async failOversized(queryId: string, failureMessage: string, now: number, ttlMs: number): Promise<boolean> {
    const failed = this.statements.failOversized.run(failureMessage, now, now + ttlMs, queryId).changes === 1;
    if (failed) this.tellSettled(queryId);
    return failed;
  }

  async rawDelivery(queryId: string): Promise<RawDelivery | undefined> {
    const record = this.statements.rawOf.get(queryId) as
      { id: string; byte_length: number; content_type: string | null; chunk_count: number } | undefined;
    if (record === undefined) return undefined;
    return {
      deliveryId: record.id,
      byteLength: record.byte_length,
      contentType: record.content_type,
      chunkCount: record.chunk_count,
    };
  }

  async readChunk(deliveryId: string, seq: number): Promise<Buffer | undefined> {
    return this.statements.readChunk.get(deliveryId, seq) as Buffer | undefined;
  }

  async recover(): Promise<string[]> {
    const interrupted = this.statements.incompleteDeliveries.all() as string[];
    for (const deliveryId of interrupted) await this.abandonDelivery(deliveryId);
    return this.statements.receivedQueries.all() as string[];
  }

  async clearRows(queryId: string): Promise<void> {
    await this.deleteRows(queryId);
  }

  async appendRows(queryId: string, start: number, rows: readonly string[]): Promise<boolean> {
    return this.appendRowBlocks(queryId, blocksOfRows(start, rows));
  }

  async appendRowBlocks(queryId: string, blocks: readonly RowsBlock[]): Promise<boolean> {
    const insert = this.statements.insertBlock;
    const written = this.db.transaction((): boolean => {
      // A query deleted (or expired) while its rows were being read takes no more rows.
      if (this.statements.isReceiving.get(queryId) === undefined) return false;
      for (const block of blocks) insert.run(queryId, block.start, block.count, block.json);
      return true;
    })();
    if (written) this.checkpointer.wrote(blocks.reduce((bytes, block) => bytes + block.json.length, 0));
    return written;
  }

  async completeQuery(queryId: string, outcome: QueryOutcome, now: number, ttlMs: number): Promise<void> {
    const expiresAt = now + ttlMs;
    if (outcome.state === "succeeded") {
      this.statements.succeed.run({
        id: queryId,
        requestId: outcome.requestId,
        totalRows: outcome.totalRows,
        columns: JSON.stringify(outcome.columns),
        metadata: outcome.metadata === null ? null : JSON.stringify(outcome.metadata),
        requestedPeriod: outcome.requestedPeriod === null ? null : JSON.stringify(outcome.requestedPeriod),
        now,
        expiresAt,
      });
      this.tellSettled(queryId);
      return;
    }
    await this.deleteRows(queryId);
    this.statements.settleWithoutRows.run({
      id: queryId,
      state: outcome.state,
      message: outcome.failureMessage,
      now,
      expiresAt,
    });
    this.tellSettled(queryId);
  }

  async readRows(queryId: string, offset: number, limit: number): Promise<string[]> {
    const blocks = this.statements.readBlocks.all({ id: queryId, offset, end: offset + limit }) as RowsBlock[];
    return pageOfBlocks(blocks, offset, limit);
  }

  async sweep(now: number): Promise<number> {
    const expired = this.statements.expired.all(now) as string[];
    for (const id of expired) await this.deleteQuery(id);
    return expired.length;
  }

  async reclaimSpace(): Promise<void> {
    this.db.pragma("incremental_vacuum");
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  async watchSettlements(listener: SettlementListener): Promise<() => void> {
    this.settled.on("settled", listener);
    return () => {
      this.settled.off("settled", listener);
    };
  }

  private tellSettled(queryId: string): void {
    this.settled.emit("settled", queryId);
  }

  async settledAmong(queryIds: readonly string[]): Promise<string[]> {
    return queryIds.filter((id) => this.statements.stillWaiting.get(id) === undefined);
  }

  async tryLease(name: string, ms: number): Promise<boolean> {
    return this.statements.takeLease.get({ name, holder: this.instanceId, now: Date.now(), ms }) !== undefined;
  }

  /** One process reads every body it accepts, and `recover()` finds at start what a previous run left. */
  async claimUnreadResults(): Promise<string[]> {
    return [];
  }

  async countRequest(key: string, windowMs: number, now: number): Promise<WindowCount> {
    return this.rateWindows.hit(key, windowMs, now);
  }

  async peekRequests(key: string, now: number): Promise<WindowCount> {
    return this.rateWindows.peek(key, now);
  }

  async countedKeys(): Promise<string[]> {
    return this.rateWindows.keys();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      this.statements.releaseLeases.run(this.instanceId);
    } catch {
      // A full disk: the leases run out by themselves (one process: nobody else waits for them).
    }
    await this.checkpointer.close();
    this.db.close();
  }
}

export function openSqliteStore(dataDir: string): SqliteRelayStore {
  return new SqliteRelayStore(path.join(dataDir, DATABASE_FILE));
}
