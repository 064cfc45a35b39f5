/**
 * Chooses and opens the relay's store from its configuration: PostgreSQL when RELAY_DATABASE_URL is set (several
 * instances may share it), else the SQLite file in RELAY_DATA_DIR, exactly as a single relay has always kept it.
 * Opening settles the key-hash secret too, since where it lives depends on the store.
 */
import fs from "node:fs";
import type { RelayConfig } from "../config";
import { resolveKeyHashSecret } from "../key-hash-secret";
import { PostgresRelayStore } from "./postgres";
import type { NotifierLog } from "./postgres-notifier";
import { openSqliteStore } from "./sqlite";
import type { RelayStore } from "./types";

export interface OpenedStore {
  store: RelayStore;
  keyHashSecret: { secret: string; source: "environment" | "file" | "database" | "generated" };
  /** What to log about the store: never the credentials in RELAY_DATABASE_URL. */
  description: { kind: "sqlite"; dataDir: string } | { kind: "postgresql"; host: string; database: string };
}

/** The data directory, readable by its owner only, for the SQLite file and the generated secret. */
export function ensureDataDir(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return dataDir;
}

export async function openRelayStore(config: RelayConfig, log: NotifierLog): Promise<OpenedStore> {
  if (config.databaseUrl !== undefined) {
    const { store, migration } = await PostgresRelayStore.open({
      connectionString: config.databaseUrl,
      keyHashSecret: config.keyHashSecret,
      log,
    });
    const url = new URL(config.databaseUrl);
    return {
      store,
      keyHashSecret: migration.keyHashSecret,
      description: { kind: "postgresql", host: url.host, database: decodeURIComponent(url.pathname.slice(1)) },
    };
  }
  const keyHashSecret = resolveKeyHashSecret(config.keyHashSecret, ensureDataDir(config.dataDir));
  return {
    store: openSqliteStore(config.dataDir),
    keyHashSecret,
    description: { kind: "sqlite", dataDir: config.dataDir },
  };
}
