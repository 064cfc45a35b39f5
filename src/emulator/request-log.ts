/**
 * The recent submissions and what became of their callbacks (`GET /_emulator/requests`), kept in memory
 * for tests and demos. Callback URLs carry the receiver's secret, so only their redacted form is kept.
 */

export type DeliveryState = "none" | "scheduled" | "delivering" | "delivered" | "failed" | "cancelled";

export interface DeliveryAttempt {
  /** 1, or 2 for the second copy of a duplicated callback. */
  readonly copy: number;
  readonly attempt: number;
  /** Origin and first path segment of the target URL. */
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly status?: number;
  readonly error?: string;
  readonly ok: boolean;
}

export interface SubmissionRecord {
  readonly requestId: string | undefined;
  /** Real time the submission arrived. */
  readonly receivedAt: string;
  /** The emulated clock at that moment (what the data was computed for). */
  readonly clock: string;
  /** The demo key's name, when the key was known. */
  readonly principal: string | undefined;
  readonly httpStatus: number;
  readonly errorCode: string | undefined;
  readonly callbackTarget: string | undefined;
  readonly faults: readonly string[];
  delivery: {
    state: DeliveryState;
    resultStatus?: "SUCCESS" | "FAILED";
    totalRows?: number;
    bytes?: number;
    attempts: DeliveryAttempt[];
  };
}

export class RequestLog {
  private readonly records: SubmissionRecord[] = [];

  constructor(private readonly capacity = 200) {}

  add(record: SubmissionRecord): SubmissionRecord {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    return record;
  }

  find(requestId: string): SubmissionRecord | undefined {
    return this.records.find((r) => r.requestId === requestId);
  }

  /** Newest first. */
  list(): SubmissionRecord[] {
    return [...this.records].reverse();
  }
}

/**
 * What may be logged of a callback URL: its origin and first path segment, never the rest (where the
 * receiver's per-query secret lives) nor the query string.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split("/").filter((s) => s !== "");
    const first = segments[0] === undefined ? "" : `/${segments[0]}`;
    const more = segments.length > 1 || parsed.search !== "" ? "/…" : "";
    return `${parsed.origin}${first}${more}`;
  } catch {
    return "(not a URL)";
  }
}
