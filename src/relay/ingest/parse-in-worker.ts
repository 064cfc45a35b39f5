/**
 * The relay's side of the parse worker (parse-worker.ts): one long-lived `worker_threads` thread, started with the
 * relay so the first callback does not wait for it, that turns a whole callback body into blocks of rows ready to
 * store. Bodies are parsed one after another, in the order given.
 * A worker that dies (out of memory on a huge body, say) fails the bodies it had, which are
 * then read the streaming way; the next body starts a new one.
 */
import path from "node:path";
import type { Worker } from "node:worker_threads";
import type { RowsBlock } from "../store/row-blocks";
import { startWorkerThread } from "../worker-thread";
import type { ParseMessage, ParseRequest } from "./parse-worker";

export type WorkerParse =
  | { kind: "parsed"; skeleton: string; rowCount: number; widths: Map<number, number> }
  /** Not a plain result (or the worker failed): read it the streaming way, which says what is wrong. */
  | { kind: "notPlain"; reason: string }
  | { kind: "aborted" };

interface Job {
  onBlocks: (blocks: RowsBlock[]) => void;
  settle: (parse: WorkerParse) => void;
}

/** Heap the worker may use: JSON.parse holds about 3.5 bytes per body byte (bodies above the limit are not sent). */
const WORKER_HEAP_MB = 1024;

export class ParseWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();
  private closed = false;

  constructor(
    private readonly options: {
      blockRows: number;
      blocksPerMessage?: number;
      /** Told when the thread fails (its bodies are then read streaming): for the relay's log. */
      onFailure?: (reason: string) => void;
    }
  ) {}

  /** Starts the thread now rather than at the first body. */
  warm(): void {
    this.ensureWorker();
  }

  /**
   * Parses `body` (transferred: the caller must not use it afterwards). `onBlocks` receives the rows' blocks in
   * order, all of them before the promise resolves `parsed`.
   */
  parse(body: Uint8Array, onBlocks: (blocks: RowsBlock[]) => void, signal?: AbortSignal): Promise<WorkerParse> {
    if (this.closed) return Promise.resolve({ kind: "aborted" });
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<WorkerParse>((resolve) => {
      const abort = (): void => {
        this.jobs.delete(id);
        resolve({ kind: "aborted" });
      };
      signal?.addEventListener("abort", abort, { once: true });
      this.jobs.set(id, {
        onBlocks,
        settle: (parse) => {
          signal?.removeEventListener("abort", abort);
          this.jobs.delete(id);
          resolve(parse);
        },
      });
      const request: ParseRequest = {
        id,
        body,
        blockRows: this.options.blockRows,
        blocksPerMessage: this.options.blocksPerMessage ?? 10,
      };
      worker.postMessage(request, [body.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const job of [...this.jobs.values()]) job.settle({ kind: "aborted" });
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const entry = path.join(__dirname, `parse-worker${path.extname(__filename)}`);
    const worker = startWorkerThread(entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on("message", (message: ParseMessage) => {
      const job = this.jobs.get(message.id);
      if (job === undefined) return; // aborted meanwhile
      if (message.kind === "blocks") job.onBlocks(message.blocks);
      else if (message.kind === "parsed") {
        job.settle({
          kind: "parsed",
          skeleton: message.skeleton,
          rowCount: message.rowCount,
          widths: new Map(message.widths),
        });
      } else job.settle({ kind: "notPlain", reason: message.reason });
    });
    const lost = (why: string): void => {
      if (this.worker === worker) this.worker = undefined;
      if (!this.closed) this.options.onFailure?.(why);
      this.failAll(why);
    };
    worker.on("error", (error) => lost(`the parse worker failed: ${error.message}`));
    worker.on("exit", (code) => lost(`the parse worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(reason: string): void {
    for (const job of [...this.jobs.values()]) job.settle({ kind: "notPlain", reason });
  }
}
