/**
 * What the emulator's plugins add to Fastify's instance and request, declared once. The names carry
 * "emulator" because Fastify's declarations are shared by every app in this TypeScript program (the relay
 * declares its own in `src/relay/fastify-types.ts`).
 */
import type { Principal } from "./auth";
import type { CallbackDispatcher } from "./callbacks";
import type { EmulatorClock } from "./clock";
import type { FaultQueue } from "./faults";
import type { Ledger } from "./ledger";
import type { RequestLog } from "./request-log";
import type { SlidingWindowThrottle } from "./throttle";

/** The emulator's state: what its routes read and change, and what tests and scripts drive directly. */
export interface EmulatorState {
  readonly clock: EmulatorClock;
  readonly ledger: Ledger;
  readonly faults: FaultQueue;
  readonly requests: RequestLog;
  readonly throttle: SlidingWindowThrottle;
}

declare module "fastify" {
  interface FastifyInstance {
    /** plugins/state.ts */
    emulator: EmulatorState;
    /** plugins/callback-delivery.ts */
    emulatorCallbacks: CallbackDispatcher;
  }
  interface FastifyRequest {
    /** On Infobip's path, the demo key once authenticated (null before, and on every other path). */
    emulatorCaller: Principal | null;
    /** The requestId given to an accepted submission, for its log line (null otherwise). */
    emulatorRequestId: string | null;
  }
}
