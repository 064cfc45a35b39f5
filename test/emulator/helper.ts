/**
 * Test helper: the real emulator listening on 127.0.0.1:0 and a tiny callback receiver (a plain Node
 * HTTP server on loopback) that records every POST and answers as the test tells it to.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BillingUsageResultSchema, type BillingUsageResult } from "../../src/billing";
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "../../src/emulator";

/** The clock most tests use: mid-March 2026, so the window is 2026-01-01 … 2026-04-01. */
export const MID_MARCH = new Date("2026-03-15T12:00:00Z");

export interface ReceivedCallback {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** The body parsed and checked with the contract's zod schema. */
  readonly result: BillingUsageResult;
  readonly answeredStatus: number;
}

type Waiter = { match: (c: ReceivedCallback) => boolean; resolve: (c: ReceivedCallback) => void };

export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Decides the HTTP status for each POST (default 200); `hang` never answers. */
  respond: (path: string, index: number) => number | "hang" = () => 200;
  private waiters: Waiter[] = [];
  private readonly hanging = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string
  ) {}

  static async start(): Promise<CallbackReceiver> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const receiver = new CallbackReceiver(server, `http://127.0.0.1:${port}`);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const index = receiver.received.length;
        const answer = receiver.respond(request.url ?? "/", index);
        const parsed = BillingUsageResultSchema.parse(JSON.parse(raw));
        const callback: ReceivedCallback = {
          path: request.url ?? "/",
          headers: request.headers,
          raw,
          result: parsed,
          answeredStatus: answer === "hang" ? 0 : answer,
        };
        receiver.received.push(callback);
        receiver.waiters = receiver.waiters.filter((w) => {
          if (!w.match(callback)) return true;
          w.resolve(callback);
          return false;
        });
        if (answer === "hang") {
          const release = (): void => {
            response.destroy();
          };
          receiver.hanging.add(release);
          return;
        }
        response.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "no");
      });
    });
    return receiver;
  }

  /** A callback URL on this receiver, with a secret-looking last segment. */
  url(secret = "s3cretToken42"): string {
    return `${this.baseUrl}/callbacks/${secret}`;
  }

  /** The next callback (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(match: (c: ReceivedCallback) => boolean, timeoutMs = 10_000): Promise<ReceivedCallback> {
    const already = this.received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching callback within ${timeoutMs} ms (received ${this.received.length})`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      this.waiters.push(waiter);
    });
  }

  forRequest(requestId: string): ReceivedCallback[] {
    return this.received.filter((c) => c.result.requestId === requestId);
  }

  async close(): Promise<void> {
    for (const release of this.hanging) release();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, "close");
  }
}

export interface Harness {
  readonly emulator: RunningEmulator;
  readonly receiver: CallbackReceiver;
  /** POSTs a query body (object or raw string) with `Authorization: App <key>` (null: no header). */
  submit(
    body: unknown,
    key?: string | null,
    headers?: Record<string, string>
  ): Promise<{ status: number; json: unknown; headers: Headers }>;
  /** Submits a valid query and resolves with its callback's result. */
  query(request: Record<string, unknown>, key?: string): Promise<BillingUsageResult>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function build(options: StartEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({
    now: MID_MARCH,
    callbackDelayMs: 10,
    callbackRetryDelaysMs: [20, 40, 80],
    ...options,
  });
  const receiver = await CallbackReceiver.start();
  const submit: Harness["submit"] = async (body, key = "demo-key", headers = {}) => {
    const response = await fetch(`${emulator.url}/billing/1/usage/query`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key === null ? {} : { authorization: `App ${key}` }),
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text === "" ? undefined : (JSON.parse(text) as unknown),
      headers: response.headers,
    };
  };
  return {
    emulator,
    receiver,
    submit,
    async query(request, key = "demo-key") {
      const answer = await submit({ callbackUrl: receiver.url(), request }, key);
      if (answer.status !== 201) throw new Error(`query refused ${answer.status}: ${JSON.stringify(answer.json)}`);
      const { requestId } = answer.json as { requestId: string };
      const callback = await receiver.waitFor((c) => c.result.requestId === requestId);
      return callback.result;
    },
    async admin(method, path, body) {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
    },
    async close() {
      await emulator.close();
      await receiver.close();
    },
  };
}

/** A query body's `request` for whole months of the mid-March window. */
export function monthQuery(
  aggregateBy: string[],
  sentSince = "2026-03-01",
  sentUntil = "2026-04-01",
  extra: Record<string, unknown> = {}
) {
  return { filterBy: { dateInterval: { sentSince, sentUntil }, ...extra }, aggregateBy };
}

/** Cells of one named column. */
export function column(result: BillingUsageResult, name: string): unknown[] {
  const index = result.response?.columns.findIndex((c) => c.columnName === name) ?? -1;
  if (index < 0) throw new Error(`no column ${name}`);
  return (result.response?.rows ?? []).map((row) => row[index]);
}

/** Rows as objects keyed by column name. */
export function records(result: BillingUsageResult): Record<string, unknown>[] {
  const columns = result.response?.columns ?? [];
  return (result.response?.rows ?? []).map((row) => Object.fromEntries(columns.map((c, i) => [c.columnName, row[i]])));
}
