/**
 * The SQLite schema, as an ordered list of migrations. `PRAGMA user_version` records how many have run;
 * each runs in its own transaction at open. Append new migrations; never edit one that has shipped.
 */
import type Database from "better-sqlite3";

export const MIGRATIONS: readonly string[] = [
  // 1: queries, callback bodies in chunks, result rows.
  `
  CREATE TABLE queries (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,      -- HMAC-SHA256 of the caller's credential, hex; never the key
    request_id      TEXT,
    label           TEXT,
    hidden          INTEGER NOT NULL DEFAULT 0,
    request_json    TEXT NOT NULL,
    secret_hash     BLOB NOT NULL,      -- SHA-256 of the callback secret; never the secret
    state           TEXT NOT NULL CHECK (state IN ('submitting','pending','received','succeeded','failed','unreadable')),
    created_at      INTEGER NOT NULL,   -- ms since epoch
    completed_at    INTEGER,
    expires_at      INTEGER NOT NULL,
    delivery_id     TEXT,
    total_rows      INTEGER,
    columns_json    TEXT,
    metadata_json   TEXT,
    requested_period_json TEXT,
    failure_message TEXT
  );
  CREATE INDEX queries_by_owner ON queries (owner, created_at);
  CREATE INDEX queries_by_expiry ON queries (expires_at);
  CREATE INDEX queries_by_state ON queries (state);

  CREATE TABLE deliveries (
    id           TEXT PRIMARY KEY,
    query_id     TEXT NOT NULL,
    content_type TEXT,
    received_at  INTEGER NOT NULL,
    byte_length  INTEGER,
    chunk_count  INTEGER,
    complete     INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX deliveries_by_query ON deliveries (query_id);

  -- A rowid table: chunks are up to 1 MiB, which WITHOUT ROWID tables store poorly.
  CREATE TABLE raw_chunks (
    delivery_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    data        BLOB NOT NULL,
    UNIQUE (delivery_id, seq)
  );

  CREATE TABLE result_rows (
    query_id TEXT NOT NULL,
    idx      INTEGER NOT NULL,
    cells    TEXT NOT NULL,               -- one row as a JSON array
    PRIMARY KEY (query_id, idx)
  ) WITHOUT ROWID;
  `,
  // 2: leases, as on PostgreSQL (one process holds them all here, but the store seam is one).
  `
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL       -- ms since epoch, on the system clock
  );
  `,
  // 3: the Infobip connection (INFOBIP_CONNECTIONS) a query was sent to. Rows from before keep NULL: they went to
  // the one base URL there was, and are reported as the default connection.
  `
  ALTER TABLE queries ADD COLUMN connection TEXT;
  `,
  // 4: result rows in blocks of consecutive rows, each one JSON text (see row-blocks.ts); rows stored one by one
  // before become blocks of one row. A rowid table: blocks are ~100 KB, which WITHOUT ROWID tables store poorly.
  `
  CREATE TABLE result_blocks (
    query_id  TEXT NOT NULL,
    first_idx INTEGER NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count > 0),
    cells     TEXT NOT NULL,              -- the rows' JSON arrays joined by commas
    UNIQUE (query_id, first_idx)
  );
  INSERT INTO result_blocks (query_id, first_idx, row_count, cells) SELECT query_id, idx, 1, cells FROM result_rows;
  DROP TABLE result_rows;
  `,
];

export function migrate(db: Database.Database): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The relay database is at schema version ${current}, newer than this relay knows (${MIGRATIONS.length}); run a newer relay or use another RELAY_DATA_DIR.`
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
