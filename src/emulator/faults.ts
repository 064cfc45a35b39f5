/**
 * Faults on demand, for tests and demos of error handling (`POST /_emulator/faults`). Each fault is
 * queued with a count and applies to the next `count` callbacks or submissions:
 *
 * Callback faults (taken when a query is accepted, so they belong to that query's callback):
 * - `failed`     — the callback says `status: "FAILED"` with `failureMessage` (default "Could not load data").
 * - `delay`      — the callback goes out `ms` milliseconds later than usual.
 * - `duplicate`  — the same callback is delivered twice (the second after the first has finished).
 * - `wrong-url`  — the callback goes to `url` if given, else to the query's callbackUrl with its last path
 *                  segment tampered (same length and character classes, so a secret-checking receiver must
 *                  look it up and refuse it).
 * Different kinds combine: one callback can be delayed, duplicated and FAILED at once.
 *
 * Submission faults (taken by the next authenticated, in-scope, non-throttled submission, before its body
 * is validated), first queued first served:
 * - `http-500` — answered 500 with Infobip's E500 body.
 * - `http-429` — answered 429 with Infobip's E429 body and `Retry-After: 1`.
 * - `slow-answer` — accepted as usual (the callback is scheduled), but the 201 is sent `ms` milliseconds late:
 *                   a caller with a shorter timeout never learns the requestId, yet the callback comes.
 *                   Taken by the next valid submission.
 */
import { z } from "zod";
import { CallbackUrlSchema } from "../billing";

const Count = z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000").default(1);

export const FaultSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("failed"),
    count: Count,
    failureMessage: z.string().min(1, "must not be empty").max(1000).default("Could not load data"),
  }),
  z.strictObject({
    kind: z.literal("delay"),
    count: Count,
    ms: z.number().int().min(1, "must be at least 1").max(600_000, "must be at most 600000 (10 minutes)"),
  }),
  z.strictObject({ kind: z.literal("duplicate"), count: Count }),
  z.strictObject({ kind: z.literal("wrong-url"), count: Count, url: CallbackUrlSchema.optional() }),
  z.strictObject({ kind: z.literal("http-500"), count: Count }),
  z.strictObject({ kind: z.literal("http-429"), count: Count }),
  z.strictObject({
    kind: z.literal("slow-answer"),
    count: Count,
    ms: z.number().int().min(1, "must be at least 1").max(600_000, "must be at most 600000 (10 minutes)"),
  }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultKind = Fault["kind"];

export const CALLBACK_FAULT_KINDS = [
  "failed",
  "delay",
  "duplicate",
  "wrong-url",
] as const satisfies readonly FaultKind[];
export const SUBMISSION_FAULT_KINDS = ["http-500", "http-429"] as const satisfies readonly FaultKind[];
export type SubmissionFaultKind = (typeof SUBMISSION_FAULT_KINDS)[number];

/** A queued fault and how many more times it applies. */
export type QueuedFault = Fault & { id: number; remaining: number };

/** What one callback gets from the queue. */
export interface CallbackFaults {
  failureMessage?: string;
  extraDelayMs?: number;
  duplicate?: boolean;
  /** Present when the callback goes to the wrong place; `url` undefined means "tamper with the secret". */
  wrongUrl?: { url: string | undefined };
}

export function describeCallbackFaults(faults: CallbackFaults): string[] {
  const names: string[] = [];
  if (faults.failureMessage !== undefined) names.push("failed");
  if (faults.extraDelayMs !== undefined) names.push(`delay ${faults.extraDelayMs}ms`);
  if (faults.duplicate) names.push("duplicate");
  if (faults.wrongUrl) names.push(faults.wrongUrl.url ? "wrong-url (redirected)" : "wrong-url (tampered secret)");
  return names;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];
  private nextId = 1;

  add(fault: Fault): QueuedFault {
    const queued: QueuedFault = { ...fault, id: this.nextId++, remaining: fault.count };
    this.queue.push(queued);
    return queued;
  }

  list(): QueuedFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): number {
    const cleared = this.queue.length;
    this.queue = [];
    return cleared;
  }

  /** Takes one use of the oldest queued fault of one of `kinds`. */
  private take<K extends FaultKind>(kinds: readonly K[]): Extract<QueuedFault, { kind: K }> | undefined {
    const found = this.queue.find((f): f is Extract<QueuedFault, { kind: K }> =>
      (kinds as readonly FaultKind[]).includes(f.kind)
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.queue = this.queue.filter((f) => f !== found);
    return found;
  }

  /** The fault (if any) for the next submission. */
  takeForSubmission(): SubmissionFaultKind | undefined {
    return this.take(SUBMISSION_FAULT_KINDS)?.kind;
  }

  /** How late the next accepted submission's answer goes out, when a `slow-answer` fault is queued. */
  takeSlowAnswer(): number | undefined {
    return this.take(["slow-answer"] as const)?.ms;
  }

  /** One use of each queued callback fault kind, for the callback of a query being accepted. */
  takeForCallback(): CallbackFaults {
    const faults: CallbackFaults = {};
    const failed = this.take(["failed"] as const);
    if (failed) faults.failureMessage = failed.failureMessage;
    const delay = this.take(["delay"] as const);
    if (delay) faults.extraDelayMs = delay.ms;
    if (this.take(["duplicate"] as const)) faults.duplicate = true;
    const wrong = this.take(["wrong-url"] as const);
    if (wrong) faults.wrongUrl = { url: wrong.url };
    return faults;
  }
}
