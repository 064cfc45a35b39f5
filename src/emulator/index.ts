/**
 * The emulator of Infobip's Billing Usage API, for tests, scripts and `npm run emulator`.
 *
 * ```ts
 * const emulator = await startEmulator({ now: new Date("2026-03-15T12:00:00Z"), callbackDelayMs: 20 });
 * // POST `${emulator.url}/billing/1/usage/query` with "Authorization: App demo-key" …
 * emulator.clock.advanceDays(1);   // or PUT `${emulator.url}/_emulator/clock`
 * await emulator.close();          // stops listening and cancels pending callbacks
 * ```
 */
import type { FastifyInstance } from "fastify";
import { listen } from "../server-kit";
import { buildEmulator, type EmulatorOptions, type EmulatorState } from "./app";
import type { CallbackDispatcher } from "./callbacks";

export { buildEmulator, DEFAULT_SEED, type EmulatorOptions, type EmulatorState } from "./app";
export { DEMO_KEYS, DEMO_KEY_NAMES, REQUIRED_SCOPE } from "./auth";
export { BILLING_USAGE_PATH } from "./routes/billing-usage";
export type { EmulatorClock } from "./clock";
export { FaultSchema, type Fault } from "./faults";
export type { SubmissionRecord, DeliveryAttempt } from "./request-log";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** TCP port; default 0 (any free port — read the chosen one from `url`). */
  port?: number;
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  host?: string;
}

/** A listening emulator: its state (`clock`, `ledger`, `faults`, `requests`, `throttle`) and the rest. */
export interface RunningEmulator extends EmulatorState {
  readonly app: FastifyInstance;
  readonly dispatcher: CallbackDispatcher;
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  /** Stops listening, cancels waiting callbacks and aborts those in flight; resolves when all is quiet. */
  close(): Promise<void>;
}

/**
 * Builds the emulator and starts listening.
 *
 * @param options `now` (fixed clock; default the real clock), `seed` (default 1), `callbackDelayMs`
 *   (default 1500; tests use ~20), `callbackRetryDelaysMs`, `callbackTimeoutMs`, `throttle`, `logger`
 *   (default off), `port` (default 0) and `host` (default 127.0.0.1).
 * @returns the base `url`, the state (`clock`, `ledger`, `faults`, `requests`, `throttle`), the callback
 *   `dispatcher`, the Fastify `app` and `close()`.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const app = await buildEmulator(emulatorOptions);
  const { url } = await listen(app, { port, host });
  return { ...app.emulator, app, dispatcher: app.emulatorCallbacks, url, close: () => app.close() };
}
