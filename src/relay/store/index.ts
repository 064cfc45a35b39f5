export * from "./types";
export { SqliteRelayStore, openSqliteStore, DATABASE_FILE } from "./sqlite";
export { PostgresRelayStore } from "./postgres";
export { openRelayStore, ensureDataDir, type OpenedStore } from "./open";
