/**
 * The one helper that assembles the real relay for a test: `buildRelay` exactly as production, a real SQLite
 * file in a temp directory (or, in Jest's postgresql project, a real PostgreSQL database standing for that
 * directory: helpers/stores.ts), log lines captured, a clock the test can move, listening on 127.0.0.1:0.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { resolvePreset, type BillingUsageQuery } from "../../../src/billing";
import { buildRelay, type RelayDeps } from "../../../src/relay/app";
import { loadRelayConfig, type RelayConfig } from "../../../src/relay/config";
import { singleConnection } from "../../../src/relay/connections";
import { SubmittedQuerySchema } from "../../../src/relay-api";
import { storeSettings } from "./stores";

export class TestClock {
  private offsetMs = 0;
  /** With `frozenAtMs` the clock stands still until advanced (exact rate-limit windows); else it runs. */
  constructor(private readonly frozenAtMs?: number) {}
  readonly now = (): Date => new Date((this.frozenAtMs ?? Date.now()) + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((line) => line !== "")
    );
    done();
  }
  get text(): string {
    return this.lines.join("\n");
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestRelay {
  url: string;
  app: FastifyInstance;
  config: RelayConfig;
  dataDir: string;
  logs: LogCapture;
  clock: TestClock;
  close(): Promise<void>;
}

const createdDirs: string[] = [];

/** A fresh data directory, removed after the test file that made it. */
export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-test-"));
  createdDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * `infobipBaseUrl`: one connection, `default`, as INFOBIP_BASE_URL alone configures; or `connections` for several.
 */
export async function startTestRelay(
  options: {
    infobipBaseUrl?: string;
    dataDir?: string;
    clock?: TestClock;
    logs?: LogCapture;
    deps?: Omit<RelayDeps, "clock" | "logStream">;
  } & Partial<RelayConfig>
): Promise<TestRelay> {
  const {
    clock = new TestClock(),
    logs = new LogCapture(),
    dataDir = tempDataDir(),
    deps = {},
    infobipBaseUrl,
    ...overrides
  } = options;
  const config: RelayConfig = {
    ...loadRelayConfig({}),
    host: "127.0.0.1",
    port: 0,
    dataDir,
    staticDir: path.join(dataDir, "no-pane-build"),
    logLevel: "info",
    ...(await storeSettings(dataDir)),
    ...(infobipBaseUrl === undefined ? {} : { connections: singleConnection(infobipBaseUrl) }),
    ...overrides,
  };
  const app = await buildRelay(config, { ...deps, logStream: logs, clock: clock.now });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (config.publicUrl === undefined) app.publicUrl.set(url);
  return { url, app, config, dataDir, logs, clock, close: () => app.close() };
}

export function thisMonthQuery(
  now: Date,
  aggregateBy: BillingUsageQuery["aggregateBy"] = ["CATEGORY_CODE"]
): BillingUsageQuery {
  return { filterBy: { dateInterval: resolvePreset("this-month", now) }, aggregateBy };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Calls the relay's API over HTTP with `Authorization: App <key>` (no header when key is undefined). */
export async function call(
  relay: { url: string },
  method: string,
  pathAndQuery: string,
  options: { key?: string | undefined; body?: unknown; headers?: Record<string, string> } = {}
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `App ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${relay.url}${pathAndQuery}`, {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A 202 of POST /v1/queries that Infobip accepted: its ID and requestId (a test of a slow Infobip reads it itself). */
export function acceptedSubmission(json: unknown): {
  id: string;
  requestId: string;
  createdAt: string;
  connection: string;
} {
  const submitted = SubmittedQuerySchema.parse(json);
  if (submitted.requestId === null || submitted.infobipAnswer !== "accepted") {
    throw new Error(`Infobip's answer is ${submitted.infobipAnswer}: ${JSON.stringify(submitted)}`);
  }
  return {
    id: submitted.id,
    requestId: submitted.requestId,
    createdAt: submitted.createdAt,
    connection: submitted.connection,
  };
}
