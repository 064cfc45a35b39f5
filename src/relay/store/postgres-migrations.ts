/**
 * The PostgreSQL schema, as an ordered list of migrations, and the one place that applies them.
 *
 * Several instances may start at once against one database: each runs `migrate` in one transaction that first
 * takes a transaction-level advisory lock (with a lock timeout, so a stuck holder makes a start fail with a
 * message instead of hanging). The first applies what is missing; the others wait for the lock, then find
 * nothing left to do. DDL is transactional in PostgreSQL, so a failed migration leaves nothing half done.
 * The key-hash secret is settled in the same transaction, under the same lock (see `key-hash-secret` below).
 *
 * Append new migrations; never edit one that has shipped.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { ClientBase } from "pg";

/** A fixed advisory-lock key for the relay's migrations ("RELAY" in ASCII), the same for every instance. */
export const MIGRATION_LOCK_KEY = 0x52454c4159;
/** How long a starting instance waits for another one's migration before giving up. */
export const MIGRATION_LOCK_TIMEOUT_MS = 60_000;

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: queries, callback bodies in chunks, result rows; shared rate-limit windows, leases and settings.
  `
  CREATE TABLE relay_migrations (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE queries (
    id              text PRIMARY KEY,
    owner           text NOT NULL,      -- HMAC-SHA256 of the caller's credential, hex; never the key
    request_id      text,
    label           text,
    hidden          boolean NOT NULL DEFAULT false,
    request_json    text NOT NULL,
    secret_hash     bytea NOT NULL,     -- SHA-256 of the callback secret; never the secret
    state           text NOT NULL CHECK (state IN ('submitting','pending','received','succeeded','failed','unreadable')),
    created_at      bigint NOT NULL,    -- ms since epoch, on the relay's clock
    completed_at    bigint,
    expires_at      bigint NOT NULL,
    delivery_id     text,
    total_rows      integer,
    columns_json    text,
    metadata_json   text,
    requested_period_json text,
    failure_message text,
    reader          text,               -- the instance reading a 'received' body into rows
    read_lease_until timestamptz        -- ... until then, on the database's clock; renewed as rows are written
  );
  CREATE INDEX queries_by_owner ON queries (owner, created_at);
  CREATE INDEX queries_by_expiry ON queries (expires_at);
  CREATE INDEX queries_received ON queries (created_at) WHERE state = 'received';

  -- A delivery row and its chunks are written in the one transaction that stores the body: uncommitted until
  -- the body is complete, so an instance that dies mid-upload leaves nothing behind. No foreign key to
  -- queries on purpose: it would lock the query's row for the whole upload and hold up a DELETE.
  CREATE TABLE deliveries (
    id           text PRIMARY KEY,
    query_id     text NOT NULL,
    content_type text,
    received_at  bigint NOT NULL,
    byte_length  bigint,
    chunk_count  integer
  );
  CREATE INDEX deliveries_by_query ON deliveries (query_id);

  CREATE TABLE raw_chunks (
    delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    data        bytea NOT NULL,
    PRIMARY KEY (delivery_id, seq)
  );

  CREATE TABLE result_rows (
    query_id text NOT NULL,
    idx      integer NOT NULL,
    cells    text NOT NULL,              -- one row as a JSON array
    PRIMARY KEY (query_id, idx)
  );

  -- @fastify/rate-limit's counters, shared by every instance: one fixed window per key.
  CREATE TABLE rate_windows (
    key     text PRIMARY KEY,            -- "<limit>:owner:<owner hash>" or "<limit>:ip:<ip>"; never a key
    count   integer NOT NULL,
    ends_at bigint NOT NULL              -- ms since epoch, on the relay's clock
  );

  -- Work that one instance at a time does (the TTL sweep).
  CREATE TABLE leases (
    name       text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL
  );

  CREATE TABLE relay_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
  );
  `,
  // 2: the Infobip connection (INFOBIP_CONNECTIONS) a query was sent to. Rows from before keep NULL: they went to
  // the one base URL there was, and are reported as the default connection.
  `
  ALTER TABLE queries ADD COLUMN connection text;
  `,
  // 3: result rows in blocks of consecutive rows, each one JSON text (see row-blocks.ts); rows stored one by one
  // before become blocks of one row.
  `
  CREATE TABLE result_blocks (
    query_id  text NOT NULL,
    first_idx integer NOT NULL,
    row_count integer NOT NULL CHECK (row_count > 0),
    cells     text NOT NULL,             -- the rows' JSON arrays joined by commas
    PRIMARY KEY (query_id, first_idx)
  );
  INSERT INTO result_blocks (query_id, first_idx, row_count, cells) SELECT query_id, idx, 1, cells FROM result_rows;
  DROP TABLE result_rows;
  `,
];

/** The settings rows behind the key-hash secret. */
const SECRET_SETTING = "key_hash_secret";
const FINGERPRINT_SETTING = "key_hash_fingerprint";

/** Identifies a key-hash secret without revealing it: all instances must hash API keys under the same one. */
export function keyHashFingerprint(secret: string): string {
  return createHmac("sha256", secret).update("billing-usage-relay key-hash secret fingerprint").digest("hex");
}

export class KeyHashSecretMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyHashSecretMismatch";
  }
}

export interface MigrationOutcome {
  /** Migrations this call applied (0 when another instance had done it). */
  applied: number;
  keyHashSecret: { secret: string; source: "environment" | "database" | "generated" };
}

/**
 * Brings the schema up to date and settles the key-hash secret, in one transaction under the advisory lock.
 *
 * The key-hash secret (the HMAC key under which API keys become query owners) must be the same on every
 * instance. With RELAY_KEY_HASH_SECRET set, that value is used; without it, the database keeps one, generated
 * by the first instance that starts. Either way the database records a fingerprint of the secret in use, and an
 * instance whose secret has another fingerprint refuses to start, rather than silently hiding every query from
 * its owner whenever the load balancer picks it.
 */
export async function migratePostgres(
  client: ClientBase,
  configuredSecret: string | undefined
): Promise<MigrationOutcome> {
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL lock_timeout = ${MIGRATION_LOCK_TIMEOUT_MS}`);
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    const exists = await client.query<{ present: boolean }>(
      "SELECT to_regclass('relay_migrations') IS NOT NULL AS present"
    );
    let current = 0;
    if (exists.rows[0]?.present) {
      const version = await client.query<{ version: number | null }>(
        "SELECT max(version) AS version FROM relay_migrations"
      );
      current = version.rows[0]?.version ?? 0;
    }
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `The relay database is at schema version ${current}, newer than this relay knows (${POSTGRES_MIGRATIONS.length}); run a newer relay or point RELAY_DATABASE_URL at another database.`
      );
    }
    for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version] as string);
      await client.query("INSERT INTO relay_migrations (version) VALUES ($1)", [version + 1]);
    }
    const keyHashSecret = await settleKeyHashSecret(client, configuredSecret);
    await client.query("COMMIT");
    return { applied: POSTGRES_MIGRATIONS.length - current, keyHashSecret };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function settleKeyHashSecret(
  client: ClientBase,
  configured: string | undefined
): Promise<MigrationOutcome["keyHashSecret"]> {
  const stored = await client.query<{ name: string; value: string }>(
    "SELECT name, value FROM relay_settings WHERE name = ANY($1)",
    [[SECRET_SETTING, FINGERPRINT_SETTING]]
  );
  const setting = (name: string): string | undefined => stored.rows.find((row) => row.name === name)?.value;
  const fingerprint = setting(FINGERPRINT_SETTING);
  const storedSecret = setting(SECRET_SETTING);

  let result: MigrationOutcome["keyHashSecret"];
  if (configured !== undefined) {
    result = { secret: configured, source: "environment" };
  } else if (storedSecret !== undefined) {
    result = { secret: storedSecret, source: "database" };
  } else if (fingerprint !== undefined) {
    throw new KeyHashSecretMismatch(
      "RELAY_KEY_HASH_SECRET is not set, but this database's queries were hashed under a RELAY_KEY_HASH_SECRET given to the instance that set it up: give this instance the same value."
    );
  } else {
    const secret = randomBytes(48).toString("base64url");
    await client.query("INSERT INTO relay_settings (name, value) VALUES ($1, $2)", [SECRET_SETTING, secret]);
    result = { secret, source: "generated" };
  }

  const mine = keyHashFingerprint(result.secret);
  if (fingerprint === undefined) {
    await client.query("INSERT INTO relay_settings (name, value) VALUES ($1, $2)", [FINGERPRINT_SETTING, mine]);
  } else if (fingerprint !== mine) {
    throw new KeyHashSecretMismatch(
      storedSecret !== undefined
        ? "RELAY_KEY_HASH_SECRET differs from the key-hash secret this database generated and its queries are hashed under: unset it on this instance (every instance then uses the database's), or see src/relay/README.md to change it for all."
        : "RELAY_KEY_HASH_SECRET differs from the value the other instances of this database use: give every instance the same value."
    );
  }
  return result;
}
