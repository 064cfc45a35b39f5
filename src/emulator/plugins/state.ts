/**
 * First plugin: the emulator's state, shared as `app.emulator` — the clock, the seeded ledger, the fault
 * queue, the request log and the per-key throttle. All of it lives in memory and goes with the instance.
 */
import fp from "fastify-plugin";
import { EmulatorClock } from "../clock";
import { FaultQueue } from "../faults";
import { Ledger } from "../ledger";
import { RequestLog } from "../request-log";
import { SlidingWindowThrottle, type ThrottleSettings } from "../throttle";

export interface StatePluginOptions {
  /** Fixes the clock at this instant; undefined follows the real clock. */
  now: Date | undefined;
  seed: number;
  throttle: ThrottleSettings;
  /** How many recent submissions the request log keeps; undefined: its default. */
  requestLogSize: number | undefined;
}

export default fp<StatePluginOptions>(
  async (app, options) => {
    app.decorate("emulator", {
      clock: new EmulatorClock(options.now),
      ledger: new Ledger(options.seed),
      faults: new FaultQueue(),
      requests: new RequestLog(options.requestLogSize),
      throttle: new SlidingWindowThrottle(options.throttle),
    });
  },
  { name: "emulator-state" }
);
