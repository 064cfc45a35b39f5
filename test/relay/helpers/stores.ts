/**
 * Which store the relay's tests run on, and what they need to look into it. The `postgresql` Jest project sets
 * the global RELAY_TEST_STORE (jest.config.js); the `default` project runs on SQLite.
 *
 * On PostgreSQL each test file gets a database of its own in the private test cluster
 * (test/support/postgres-global-setup.ts), and each data directory a test uses a schema of its own in it (the
 * relay's connection URL sets its search_path, as an operator may): starting a relay again "on the same data
 * directory" is a restart on the same tables, exactly as on SQLite. Databases are not dropped one by one (each
 * DROP DATABASE costs a checkpoint): the whole cluster goes at the end of the run.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import type { RelayConfig } from "../../../src/relay/config";
import { DATABASE_FILE, openSqliteStore, PostgresRelayStore, type RelayStore } from "../../../src/relay/store";

export type StoreKind = "sqlite" | "postgresql";

export const STORE_KIND: StoreKind =
  (globalThis as { RELAY_TEST_STORE?: string }).RELAY_TEST_STORE === "postgresql" ? "postgresql" : "sqlite";

/** The private cluster's superuser URL (a database name is put in its path). */
export function clusterUrl(database = "postgres"): string {
  const base = process.env.RELAY_TEST_POSTGRES_URL;
  if (!base) throw new Error("no test PostgreSQL cluster: run this test in Jest's postgresql project");
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: Client) => Promise<T>, database = "postgres"): Promise<T> {
  const client = new Client({ connectionString: clusterUrl(database) });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database in the test cluster. */
export async function createTestDatabase(): Promise<string> {
  const name = `relay_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return clusterUrl(name);
}

let fileDatabase: Promise<string> | undefined;
const byDataDir = new Map<string, string>();

/** A connection URL to a new, empty schema of this test file's database (its search_path set in the URL). */
export async function createTestSchema(): Promise<string> {
  fileDatabase ??= createTestDatabase();
  const database = await fileDatabase;
  const schema = `dir_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA ${schema}`), new URL(database).pathname.slice(1));
  const url = new URL(database);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/** The relay's database URL standing for a data directory: a schema of its own (made on first use). */
export async function databaseUrlFor(dataDir: string): Promise<string> {
  const known = byDataDir.get(dataDir);
  if (known !== undefined) return known;
  const url = await createTestSchema();
  byDataDir.set(dataDir, url);
  return url;
}

/** What the relay's configuration needs to use the test's store for this data directory. */
export async function storeSettings(dataDir: string): Promise<Partial<RelayConfig>> {
  return STORE_KIND === "postgresql" ? { databaseUrl: await databaseUrlFor(dataDir) } : {};
}

/** The store of a data directory, opened as a relay would (for tests that play a part of the relay by hand). */
export async function openTestStore(dataDir: string, options: { readLeaseMs?: number } = {}): Promise<RelayStore> {
  if (STORE_KIND === "sqlite") return openSqliteStore(dataDir);
  const { store } = await PostgresRelayStore.open({ connectionString: await databaseUrlFor(dataDir), ...options });
  return store;
}

/** Runs a read-only SQL statement (the same text on both stores) as an operator would, outside the relay. */
export async function selectRows(dataDir: string, sql: string): Promise<Record<string, unknown>[]> {
  if (STORE_KIND === "sqlite") {
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const url = await databaseUrlFor(dataDir);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Result rows are stored in blocks (table `result_blocks`, src/relay/store/row-blocks.ts): "result_rows" counts the
 * rows those blocks hold.
 */
export const RESULT_ROWS = "result_rows";

/** How many rows each of these tables holds (for {@link RESULT_ROWS}: how many result rows are stored). */
export async function tableCounts(dataDir: string, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const sql =
      table === RESULT_ROWS
        ? "SELECT COALESCE(SUM(row_count), 0) AS n FROM result_blocks"
        : `SELECT COUNT(*) AS n FROM ${table}`;
    const [row] = await selectRows(dataDir, sql);
    counts[table] = Number(row?.n);
  }
  return counts;
}

export async function countRows(dataDir: string, table: string): Promise<number> {
  return (await tableCounts(dataDir, [table]))[table] ?? 0;
}
