/**
 * Starts one of the relay's worker threads from its source file. Under tsx (how the relay runs: `node --import
 * tsx`) and Jest that file is TypeScript, and on Node 20 a worker thread does not inherit tsx's `--import` hook,
 * so the thread registers tsx's require hook itself before loading it; a compiled `.js` file is loaded as is.
 *
 * The thread is unref'd: an idle worker does not keep the process alive (the relay's server does while it runs).
 */
import { Worker, type ResourceLimits } from "node:worker_threads";

export function startWorkerThread(
  entry: string,
  options: { resourceLimits?: ResourceLimits; workerData?: unknown } = {}
): Worker {
  const worker = entry.endsWith(".ts")
    ? new Worker(`require(${JSON.stringify(require.resolve("tsx/cjs"))});require(${JSON.stringify(entry)});`, {
        ...options,
        eval: true,
      })
    : new Worker(entry, options);
  worker.unref();
  return worker;
}
