export * from "./types";
export { SqliteRelayStore, openSqliteStore, DATABASE_FILE } from "./sqlite";
