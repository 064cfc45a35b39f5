/**
 * The SQLite store's checkpoint thread (started by {@link Checkpointer}): its own connection to the relay's
 * database, on which it runs `PRAGMA wal_checkpoint(PASSIVE)` when asked — copying the WAL into the database file
 * and fsyncing both, off the relay's event loop. A PASSIVE checkpoint never waits for readers or the writer; it
 * copies what it can, and the next one the rest.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database((workerData as { file: string }).file);
db.pragma("busy_timeout = 5000");
// As on the relay's connection: the WAL does not stay as large as the largest result ever ingested.
db.pragma("journal_size_limit = 67108864");

parentPort?.on("message", (message: "checkpoint" | "close") => {
  if (message === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    parentPort?.postMessage({ ok: true });
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
