/**
 * Whether the relay's store can write, for the readiness answer (`GET /healthz`), and the space kept for a bad day.
 *
 * A write that fails for lack of space (see store/storage-failure.ts) marks the store not writable. From then on a
 * probe runs every few seconds, in the background, until writing works again: the relay recovers by itself when
 * space returns, with no restart. The probe asks for more than one small write passing (a tiny write may still fit
 * on a full disk, in the slack of SQLite's WAL): on SQLite, the reserve file must be whole again and as much space
 * again free beside it; then a small write to the store (on PostgreSQL, that write is the whole probe).
 *
 * The reserve (SQLite only): a file of RELAY_DISK_RESERVE_BYTES in the data directory, written at start. On a full
 * disk even a DELETE fails, because SQLite writes the deletion to its WAL first, and a checkpoint may need to grow
 * the database file by what the WAL holds (measured on a 20 MB tmpfs: with a 1 MiB reserve the DELETE passed but
 * the checkpoint after it failed; 4 MiB was enough to delete a few 1 MiB blobs, but not a 45,000-row result, whose
 * rows' b-tree pages all go to the WAL: 8 MiB was, with SQLite's default 1,000-page autocheckpoint). The
 * reserve is removed only to make room for a DELETE (never for the relay's own clean-ups, which would spend it), the
 * freed pages are given back to the file system (incremental vacuum, WAL truncated), and the probe writes the
 * reserve again.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import type { RelayStore } from "./store";
import { describeStorageFailure, isStorageFull } from "./store/storage-failure";

export const RESERVE_FILE = "space-reserve";
/** The lease row the probe writes: a real write to the store, of a few bytes, that changes nothing else. */
const PROBE_LEASE = "storage-probe";

export type StorageState = { writable: true } | { writable: false; reason: string; since: Date };

export interface StorageHealthOptions {
  store: RelayStore;
  /** Where the reserve file lives (the SQLite data directory); undefined on PostgreSQL, which has no reserve. */
  reserveDir: string | undefined;
  reserveBytes: number;
  probeIntervalMs: number;
  log: FastifyBaseLogger;
  clock: () => Date;
}

export class StorageHealth {
  private notWritable: { reason: string; since: Date } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<boolean> | undefined;
  private closed = false;

  constructor(private readonly options: StorageHealthOptions) {}

  private get reserveFile(): string | undefined {
    const { reserveDir, reserveBytes } = this.options;
    return reserveDir === undefined || reserveBytes === 0 ? undefined : path.join(reserveDir, RESERVE_FILE);
  }

  /** At start: writes the reserve; a disk already too full for it starts the relay not writable (and probing). */
  async start(): Promise<void> {
    try {
      await this.restoreReserve();
    } catch (error) {
      if (!isStorageFull(error)) throw error;
      this.markNotWritable(`no room for the ${this.options.reserveBytes}-byte reserve at start`);
    }
  }

  state(): StorageState {
    return this.notWritable === undefined ? { writable: true } : { writable: false, ...this.notWritable };
  }

  /** Called with any failure of a store write: a full disk marks the store not writable. True when it was one. */
  noteFailure(error: unknown, during: string): boolean {
    if (!isStorageFull(error)) return false;
    this.markNotWritable(`${during} failed: ${describeStorageFailure(error)}`);
    return true;
  }

  /** Removes the reserve so that a deletion can be written; true when there was one to remove. */
  async makeRoom(): Promise<boolean> {
    const file = this.reserveFile;
    if (file === undefined) return false;
    try {
      await fs.promises.unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    this.options.log.warn({ reserveBytes: this.options.reserveBytes }, "disk full: reserve released to make room");
    return true;
  }

  /** After space was freed: gives the store's free pages back to the file system, and probes at once. */
  async afterFreeing(): Promise<void> {
    if (this.notWritable !== undefined) await this.probe();
  }

  /** Tries whether the store can write again (only while it cannot); true when it can. */
  probe(): Promise<boolean> {
    if (this.notWritable === undefined) return Promise.resolve(true);
    this.probing ??= this.tryWriting().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private markNotWritable(reason: string): void {
    if (this.notWritable === undefined) {
      this.options.log.error({ reason }, "store not writable: the disk is full; retrying in the background");
      this.notWritable = { reason, since: this.options.clock() };
    } else {
      this.notWritable.reason = reason;
    }
    if (this.timer === undefined && !this.closed) {
      this.timer = setInterval(() => void this.probe(), this.options.probeIntervalMs);
      this.timer.unref();
    }
  }

  private async tryWriting(): Promise<boolean> {
    const { store, log } = this.options;
    try {
      await store.reclaimSpace?.();
      await this.restoreReserve();
      const spare = await this.spareBytes();
      if (spare !== undefined && spare < this.options.reserveBytes) {
        this.notWritable = {
          since: this.notWritable?.since ?? this.options.clock(),
          reason: `only ${spare} bytes free beside the reserve (RELAY_DISK_RESERVE_BYTES: ${this.options.reserveBytes})`,
        };
        return false;
      }
      await store.tryLease(PROBE_LEASE, 1);
    } catch (error) {
      if (!isStorageFull(error)) log.warn({ err: error }, "probing whether the store can write failed");
      if (this.notWritable !== undefined) this.notWritable.reason = `still full: ${describeStorageFailure(error)}`;
      return false;
    }
    if (this.notWritable !== undefined) {
      log.info({ since: this.notWritable.since.toISOString() }, "store writable again");
    }
    this.notWritable = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return true;
  }

  /** Free bytes on the reserve's file system, for unprivileged users; undefined without a reserve. */
  private async spareBytes(): Promise<number | undefined> {
    const dir = this.options.reserveDir;
    if (this.reserveFile === undefined || dir === undefined) return undefined;
    const stats = await fs.promises.statfs(dir);
    return stats.bavail * stats.bsize;
  }

  /** Writes the reserve whole (under a temporary name, so a disk too full for it leaves no partial reserve). */
  private async restoreReserve(): Promise<void> {
    const file = this.reserveFile;
    if (file === undefined) return;
    try {
      if ((await fs.promises.stat(file)).size === this.options.reserveBytes) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const partial = `${file}.partial`;
    try {
      const handle = await fs.promises.open(partial, "w", 0o600);
      try {
        const block = Buffer.alloc(Math.min(this.options.reserveBytes, 1024 * 1024));
        for (let written = 0; written < this.options.reserveBytes; written += block.length) {
          await handle.write(block, 0, Math.min(block.length, this.options.reserveBytes - written));
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(partial, file);
    } catch (error) {
      await fs.promises.rm(partial, { force: true });
      throw error;
    }
  }
}
