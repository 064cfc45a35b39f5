/**
 * Callback delivery: after the processing delay, POST the `BillingUsageResult` JSON to the query's
 * `callbackUrl`, and log every attempt under the `requestId`.
 *
 * Infobip documents a single delivery and says nothing about retries. The emulator retries a few times
 * with backoff (default after 1 s, 4 s and 16 s) when the URL does not answer, times out, or answers
 * anything but 2xx, so that a receiver that is briefly down does not lose the result — and so that a
 * receiver's idempotency can be tested. A delivery never throws into the server: every failure ends in
 * the request log and a log line. `close()` cancels waiting deliveries, aborts the ones in flight and
 * leaves no timer behind.
 */
import { once } from "node:events";
import http, { type ClientRequest } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { CallbackFaults } from "./faults";
import { redactUrl, type DeliveryAttempt, type DeliveryState } from "./request-log";

export interface DeliveryLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DispatcherSettings {
  /** Wait before the first attempt (Infobip's processing time). */
  readonly delayMs: number;
  /** Waits before each retry; its length is the number of retries. */
  readonly retryDelaysMs: readonly number[];
  /** How long one attempt may take before it is abandoned. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_DISPATCHER_SETTINGS: DispatcherSettings = {
  delayMs: 1500,
  retryDelaysMs: [1000, 4000, 16000],
  attemptTimeoutMs: 30_000,
};

/** The result to deliver: a JSON body and a summary for the log. */
export interface BuiltCallback {
  readonly body: string;
  readonly resultStatus: "SUCCESS" | "FAILED";
  readonly totalRows: number | undefined;
}

export interface DeliveryJob {
  readonly requestId: string;
  readonly callbackUrl: string;
  readonly faults: CallbackFaults;
  /** Builds the result when it is due (large results are built after the delay, not at submission). */
  readonly build: () => BuiltCallback;
}

export interface DeliveryObserver {
  state(requestId: string, state: DeliveryState, built?: BuiltCallback & { bytes: number }): void;
  attempt(requestId: string, attempt: DeliveryAttempt): void;
}

/**
 * The URL a `wrong-url` fault sends to: the given one, or the callback URL with its last path segment
 * altered character by character (digits, lower- and upper-case letters each stay in their class, so
 * length and charset still pass a receiver's format checks).
 */
export function tamperedCallbackUrl(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  const segments = url.pathname.split("/");
  const lastIndex = segments.length - 1 - [...segments].reverse().findIndex((s) => s !== "");
  const last = segments[lastIndex];
  if (last === undefined || last === "") {
    url.pathname = `${url.pathname.replace(/\/$/, "")}/tampered`;
    return url.toString();
  }
  const shift = (c: string, first: string, size: number): string =>
    String.fromCharCode(((c.charCodeAt(0) - first.charCodeAt(0) + 1) % size) + first.charCodeAt(0));
  segments[lastIndex] = [...last]
    .map((c) => {
      if (c >= "0" && c <= "9") return shift(c, "0", 10);
      if (c >= "a" && c <= "z") return shift(c, "a", 26);
      if (c >= "A" && c <= "Z") return shift(c, "A", 26);
      return c;
    })
    .join("");
  url.pathname = segments.join("/");
  return url.toString();
}

export class CallbackDispatcher {
  private closed = false;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: (completed: boolean) => void }>();
  private readonly inFlight = new Set<ClientRequest>();
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly settings: DispatcherSettings,
    private readonly log: DeliveryLogger,
    private readonly observer: DeliveryObserver
  ) {}

  /** Jobs not finished yet (waiting, building or delivering). */
  get pending(): number {
    return this.running.size;
  }

  /** Queues a job; returns at once. Never throws. */
  schedule(job: DeliveryJob): void {
    if (this.closed) {
      this.observer.state(job.requestId, "cancelled");
      return;
    }
    this.observer.state(job.requestId, "scheduled");
    const run = this.run(job).catch((error: unknown) => {
      this.log.error({ requestId: job.requestId, err: describe(error) }, "callback job failed unexpectedly");
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Timers, requests and open sockets the dispatcher holds right now (all 0 once closed). */
  get openHandles(): { timers: number; requests: number; sockets: number } {
    return { timers: this.timers.size, requests: this.inFlight.size, sockets: this.agentSockets().length };
  }

  /** The agents' sockets not closed yet (an agent forgets a closed socket a tick after it closes). */
  private agentSockets(): Socket[] {
    return [this.httpAgent, this.httpsAgent]
      .flatMap((agent) => [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)])
      .flatMap((list) => list ?? [])
      .filter((socket) => !socket.closed);
  }

  /** Cancels waiting deliveries, aborts in-flight ones and waits for every job to wind down. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.resolve(false);
    }
    this.timers.clear();
    for (const request of this.inFlight) request.destroy(new Error("the emulator is closing"));
    await Promise.allSettled([...this.running]);
    // Destroying an agent only starts closing its keep-alive sockets; wait until they are closed.
    const closed = this.agentSockets().map((socket) => once(socket, "close"));
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    await Promise.allSettled(closed);
  }

  /** Resolves true after `ms`, or false at once if the dispatcher closes first. */
  private wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  private async run(job: DeliveryJob): Promise<void> {
    const { requestId } = job;
    if (!(await this.wait(this.settings.delayMs + (job.faults.extraDelayMs ?? 0)))) {
      this.observer.state(requestId, "cancelled");
      return;
    }
    let built: BuiltCallback;
    try {
      built = job.build();
    } catch (error) {
      // Infobip's answer when it cannot produce a result is a FAILED callback; send that instead.
      this.log.error({ requestId, err: describe(error) }, "could not build the callback result");
      built = {
        body: JSON.stringify({ requestId, status: "FAILED", failureMessage: "Could not load data" }),
        resultStatus: "FAILED",
        totalRows: undefined,
      };
    }
    const bytes = Buffer.byteLength(built.body);
    this.observer.state(requestId, "delivering", { ...built, bytes });
    const target = job.faults.wrongUrl
      ? (job.faults.wrongUrl.url ?? tamperedCallbackUrl(job.callbackUrl))
      : job.callbackUrl;
    const copies = job.faults.duplicate ? 2 : 1;
    let delivered = true;
    for (let copy = 1; copy <= copies; copy++) {
      const outcome = await this.deliver(requestId, target, built.body, copy);
      if (outcome === "cancelled") {
        this.observer.state(requestId, "cancelled");
        return;
      }
      delivered &&= outcome === "delivered";
    }
    this.observer.state(requestId, delivered ? "delivered" : "failed");
  }

  private async deliver(
    requestId: string,
    url: string,
    body: string,
    copy: number
  ): Promise<"delivered" | "failed" | "cancelled"> {
    const attempts = 1 + this.settings.retryDelaysMs.length;
    const target = redactUrl(url);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && !(await this.wait(this.settings.retryDelaysMs[attempt - 2] ?? 0))) return "cancelled";
      if (this.closed) return "cancelled";
      const startedAt = new Date();
      const answer = await this.post(url, body);
      const record: DeliveryAttempt = {
        copy,
        attempt,
        target,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        ...answer,
      };
      this.observer.attempt(requestId, record);
      const details = {
        requestId,
        copy,
        attempt,
        of: attempts,
        target,
        status: answer.status,
        error: answer.error,
        durationMs: record.durationMs,
        bytes: Buffer.byteLength(body),
      };
      if (answer.ok) {
        this.log.info(details, "callback delivered");
        return "delivered";
      }
      if (this.closed) return "cancelled";
      this.log.warn(
        details,
        attempt < attempts ? "callback not accepted; will retry" : "callback not accepted; giving up"
      );
    }
    return "failed";
  }

  /**
   * One POST with node:http(s) on the dispatcher's own keep-alive agents, so that close() can destroy
   * every socket it opened (fetch's shared pool would outlive the emulator).
   */
  private post(url: string, body: string): Promise<{ ok: boolean; status?: number; error?: string }> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ ok: false, error: "not a valid URL" });
        return;
      }
      const secure = target.protocol === "https:";
      const request = (secure ? https : http).request(target, {
        method: "POST",
        agent: secure ? this.httpsAgent : this.httpAgent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "infobip-billing-usage-emulator",
        },
      });
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.settings.attemptTimeoutMs} ms`)),
        this.settings.attemptTimeoutMs
      );
      const finish = (answer: { ok: boolean; status?: number; error?: string }): void => {
        clearTimeout(timer);
        this.inFlight.delete(request);
        resolve(answer);
      };
      this.inFlight.add(request);
      request.on("response", (response) => {
        const status = response.statusCode ?? 0;
        // Drain the answer so the socket can be reused; its content does not matter.
        response.resume();
        response.on("end", () => finish({ ok: status >= 200 && status < 300, status }));
        response.on("error", (error) => finish({ ok: false, status, error: describe(error) }));
      });
      request.on("error", (error) => finish({ ok: false, error: describe(error) }));
      request.end(body);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
