/**
 * Checkpoints the SQLite store's WAL in a worker thread instead of inside the relay's commits.
 *
 * SQLite's automatic checkpoint runs in whichever commit makes the WAL pass 1,000 pages (4 MB), on that
 * connection's thread: while a 10 MB callback is stored and read into rows, two or three commits each copied 4 MB
 * into the database file and fsynced it on the event loop — stalls of 25–45 ms measured (bench/relay.ts). So the
 * relay's connection turns the automatic checkpoint off, and this asks a thread of its own to checkpoint once
 * enough has been written since the last one (and, by fsyncing the WAL as it goes, keeps the fsync of the commit
 * that acknowledges a callback small). Should the thread fail, the relay's connection checkpoints automatically
 * again, as before.
 */
import path from "node:path";
import type { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { startWorkerThread } from "../worker-thread";

/** Bytes written since the last checkpoint that ask for the next: SQLite's own threshold (1,000 pages of 4 KiB). */
const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024;
const AUTO_CHECKPOINT_PAGES = 1000;
/** And whatever small writes came meanwhile (cheap when there is nothing to copy). */
const CHECKPOINT_EVERY_MS = 10_000;

export class Checkpointer {
  private readonly worker: Worker;
  private written = 0;
  private running = false;
  private failed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Database.Database,
    file: string
  ) {
    this.worker = startWorkerThread(path.join(__dirname, `sqlite-checkpoint-worker${path.extname(__filename)}`), {
      workerData: { file },
    });
    db.pragma("wal_autocheckpoint = 0");
    this.worker.on("message", (answer: { ok: boolean }) => {
      this.running = false;
      if (!answer.ok) this.fallBack();
      else if (this.written >= CHECKPOINT_AFTER_BYTES) this.checkpoint();
    });
    this.worker.on("error", () => this.fallBack());
    this.worker.on("exit", () => this.fallBack());
    this.timer = setInterval(() => {
      if (!this.running && !this.failed) this.checkpoint();
    }, CHECKPOINT_EVERY_MS);
    this.timer.unref();
  }

  /** Counts bytes just committed; starts a checkpoint once enough are waiting and none is under way. */
  wrote(bytes: number): void {
    if (this.failed) return;
    this.written += bytes;
    if (!this.running && this.written >= CHECKPOINT_AFTER_BYTES) this.checkpoint();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.failed) return;
    this.failed = true;
    this.worker.removeAllListeners("exit");
    this.worker.postMessage("close");
    await new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
  }

  private checkpoint(): void {
    this.running = true;
    this.written = 0;
    this.worker.postMessage("checkpoint");
  }

  private fallBack(): void {
    clearInterval(this.timer);
    if (this.failed) return;
    this.failed = true;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
