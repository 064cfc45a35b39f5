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
import { createEmulator, type Emulator, type EmulatorOptions } from "./app";

export { buildEmulator, createEmulator, DEFAULT_SEED, type Emulator, type EmulatorOptions } from "./app";
export { DEMO_KEYS, DEMO_KEY_NAMES, REQUIRED_SCOPE } from "./auth";
export { BILLING_USAGE_PATH } from "./billing-route";
export type { EmulatorClock } from "./clock";
export { FaultSchema, type Fault } from "./faults";
export type { SubmissionRecord, DeliveryAttempt } from "./request-log";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** TCP port; default 0 (any free port — read the chosen one from `url`). */
  port?: number;
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  host?: string;
}

export interface RunningEmulator extends Emulator {
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
 * @returns the base `url`, the `clock`, `faults`, `requests`, `ledger`, `dispatcher`, the Fastify `app`
 *   and `close()`.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const emulator = createEmulator(emulatorOptions);
  await emulator.app.listen({ port, host });
  const address = emulator.app.server.address();
  if (address === null || typeof address === "string") {
    await emulator.app.close();
    throw new Error("the emulator is not listening on a TCP port");
  }
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    ...emulator,
    url: `http://${hostInUrl}:${address.port}`,
    close: () => emulator.app.close(),
  };
}
