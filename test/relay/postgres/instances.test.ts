/**
 * Two relay PROCESSES (`src/relay/server.ts`, what `npm run relay` starts) on one PostgreSQL database, over real
 * HTTP, with the fake Infobip: what one instance does, the other sees, and an instance killed with SIGKILL in the
 * middle of a callback loses nothing.
 *
 * Each is `node --import tsx src/relay/server.ts`, not the `tsx` command: that one runs the relay in a child
 * process, which a SIGKILL to `tsx` would leave running.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { Client } from "pg";
import { deliver, FakeInfobip } from "../helpers/fake-infobip";
import { call, tempDataDir, thisMonthQuery } from "../helpers/relay";
import { resultRow, successResult } from "../helpers/results";
import { createTestSchema } from "../helpers/stores";

const ROOT = path.resolve(__dirname, "../../..");
/** Node with tsx's loader: the relay is this very process, so a signal reaches it. */
const RELAY_COMMAND = [process.execPath, ["--import", "tsx", "src/relay/server.ts"]] as const;
const KEY = "instances-key-0000000000000000000000000000-1111";

jest.setTimeout(120_000);

interface Instance {
  name: string;
  url: string;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  output: () => string;
}

let databaseUrl: string;
let infobip: FakeInfobip;
const running: Instance[] = [];

beforeEach(async () => {
  databaseUrl = await createTestSchema();
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  for (const instance of running.splice(0)) {
    instance.child.kill("SIGKILL");
    await instance.exited;
  }
  await infobip.close();
});

async function startInstance(name: string, env: Record<string, string> = {}): Promise<Instance> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([variable]) => !variable.startsWith("RELAY_") && !variable.startsWith("INFOBIP_")
    )
  );
  const child = spawn(RELAY_COMMAND[0], [...RELAY_COMMAND[1]], {
    cwd: ROOT,
    env: {
      ...clean,
      RELAY_DATABASE_URL: databaseUrl,
      RELAY_PORT: "0",
      RELAY_DATA_DIR: tempDataDir(),
      RELAY_STATIC_DIR: path.join(tempDataDir(), "no-pane"),
      INFOBIP_BASE_URL: infobip.url,
      RELAY_LOG_LEVEL: "warn",
      ...env,
    },
  });
  let output = "";
  child.stdout.on("data", (part: Buffer) => (output += part.toString()));
  child.stderr.on("data", (part: Buffer) => (output += part.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const match = /Relay listening on (http:\/\/\S+?);/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on("data", look);
    void exited.then(() => reject(new Error(`${name} exited before listening:\n${output}`)));
  });
  const instance = { name, url, child, exited, output: () => output };
  running.push(instance);
  return instance;
}

async function stop(instance: Instance, signal: NodeJS.Signals): Promise<number | null> {
  running.splice(running.indexOf(instance), 1);
  instance.child.kill(signal);
  return instance.exited;
}

async function submit(instance: Instance): Promise<{ id: string; requestId: string; callbackPath: string }> {
  const answer = await call(instance, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(new Date()) },
  });
  expect(answer.status).toBe(202);
  const { id, requestId } = answer.json as { id: string; requestId: string };
  return { id, requestId, callbackPath: new URL(infobip.lastSubmission().callbackUrl).pathname };
}

async function sql<T extends Record<string, unknown>>(text: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function rowsOf(instance: Instance, id: string, total: number): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let offset = 0; offset < total; offset += 10_000) {
    const page = await call(instance, "GET", `/v1/queries/${id}/rows?offset=${offset}&limit=10000`, { key: KEY });
    expect(page.status).toBe(200);
    rows.push(...(page.json as { rows: unknown[] }).rows);
  }
  return rows;
}

it("submit on one, callback on the other, the long-poll held on the first woken by it", async () => {
  const a = await startInstance("A");
  const b = await startInstance("B");
  const query = await submit(a);

  const started = Date.now();
  const longPoll = call(a, "GET", `/v1/queries/${query.id}?wait=25`, { key: KEY });
  await new Promise((resolve) => setTimeout(resolve, 300)); // the long-poll is held by A
  const delivered = await deliver(`${b.url}${query.callbackPath}`, JSON.stringify(successResult(query.requestId, 500)));
  expect(delivered.status).toBe(200);
  const settled = await longPoll;
  // Woken by B's NOTIFY, not by its 25 s timeout (nor by A's 5 s re-read).
  expect(Date.now() - started).toBeLessThan(4_500);
  expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 500, requestId: query.requestId });
  expect(await rowsOf(a, query.id, 500)).toEqual(Array.from({ length: 500 }, (_, i) => resultRow(i)));
  expect((await call(b, "GET", "/v1/queries", { key: KEY })).json).toMatchObject({ queries: [{ id: query.id }] });

  // A second delivery, to the other instance, changes nothing.
  expect((await deliver(`${a.url}${query.callbackPath}`, '{"requestId":"x","status":"FAILED"}')).status).toBe(200);
  expect((await call(b, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toMatchObject({ status: "succeeded" });
  expect(await sql("SELECT COUNT(*)::int AS n FROM deliveries")).toEqual([{ n: 1 }]);
});

it("an instance SIGKILLed mid-callback leaves nothing; the full delivery to the other is stored", async () => {
  const a = await startInstance("A");
  const b = await startInstance("B");
  const query = await submit(a);
  const body = Buffer.from(JSON.stringify(successResult(query.requestId, 60_000)));
  expect(body.length).toBeGreaterThan(2 * 1024 * 1024); // half of it is more than one 1 MiB chunk

  // Half the body to B, then B dies while its transaction is open.
  const half = http.request(`${b.url}${query.callbackPath}`, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(body.length) },
  });
  half.on("error", () => undefined);
  half.write(body.subarray(0, body.length / 2));
  const uploading =
    "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'";
  while ((await sql<{ n: number }>(uploading))[0]?.n !== 1) await new Promise((resolve) => setTimeout(resolve, 50));
  await stop(b, "SIGKILL");
  half.destroy();
  while ((await sql<{ n: number }>(uploading))[0]?.n !== 0) await new Promise((resolve) => setTimeout(resolve, 50));

  expect(
    await sql("SELECT (SELECT COUNT(*)::int FROM deliveries) AS d, (SELECT COUNT(*)::int FROM raw_chunks) AS c")
  ).toEqual([{ d: 0, c: 0 }]);
  expect((await call(a, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toMatchObject({ status: "pending" });

  expect((await deliver(`${a.url}${query.callbackPath}`, body)).status).toBe(200);
  const settled = await call(a, "GET", `/v1/queries/${query.id}?wait=25`, { key: KEY });
  expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 60_000 });
  const raw = await fetch(`${a.url}/v1/queries/${query.id}/raw`, { headers: { authorization: `App ${KEY}` } });
  expect(Buffer.from(await raw.arrayBuffer()).equals(body)).toBe(true);
  expect((await rowsOf(a, query.id, 60_000)).at(-1)).toEqual(resultRow(59_999));
});

it("results and pending queries survive a restart of every instance", async () => {
  const a = await startInstance("A");
  const b = await startInstance("B");
  const done = await submit(a);
  const waiting = await submit(b);
  expect(
    (await deliver(`${b.url}${done.callbackPath}`, JSON.stringify(successResult(done.requestId, 40)))).status
  ).toBe(200);
  expect((await call(a, "GET", `/v1/queries/${done.id}?wait=25`, { key: KEY })).json).toMatchObject({
    status: "succeeded",
  });
  expect(await stop(a, "SIGTERM")).toBe(0);
  expect(await stop(b, "SIGKILL")).toBe(null);

  const a2 = await startInstance("A2");
  const b2 = await startInstance("B2");
  expect((await call(b2, "GET", `/v1/queries/${done.id}`, { key: KEY })).json).toMatchObject({
    status: "succeeded",
    totalRows: 40,
  });
  expect(await rowsOf(a2, done.id, 40)).toEqual(Array.from({ length: 40 }, (_, i) => resultRow(i)));
  expect((await call(a2, "GET", `/v1/queries/${waiting.id}`, { key: KEY })).json).toMatchObject({ status: "pending" });
  const longPoll = call(a2, "GET", `/v1/queries/${waiting.id}?wait=25`, { key: KEY });
  expect(
    (await deliver(`${b2.url}${waiting.callbackPath}`, JSON.stringify(successResult(waiting.requestId, 7)))).status
  ).toBe(200);
  expect((await longPoll).json).toMatchObject({ status: "succeeded", totalRows: 7 });
});

it("refuses to start an instance whose RELAY_KEY_HASH_SECRET differs from the others'", async () => {
  const a = await startInstance("A", { RELAY_KEY_HASH_SECRET: "k".repeat(40) });
  await submit(a);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([variable]) => !variable.startsWith("RELAY_") && !variable.startsWith("INFOBIP_")
    )
  );
  const odd = spawn(RELAY_COMMAND[0], [...RELAY_COMMAND[1]], {
    cwd: ROOT,
    env: {
      ...clean,
      RELAY_DATABASE_URL: databaseUrl,
      RELAY_PORT: "0",
      RELAY_KEY_HASH_SECRET: "z".repeat(40),
      INFOBIP_BASE_URL: infobip.url,
    },
  });
  let stderr = "";
  odd.stderr.on("data", (part: Buffer) => (stderr += part.toString()));
  const code = await new Promise<number | null>((resolve) => odd.on("exit", resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/RELAY_KEY_HASH_SECRET differs from the value the other instances of this database use/);
  expect(stderr).not.toContain("z".repeat(40));
});

it("shares the per-key submission limit, and a DELETE on one is seen by the other", async () => {
  const env = { RELAY_SUBMIT_RATE_PER_SECOND: "2" };
  const a = await startInstance("A", env);
  const b = await startInstance("B", env);
  // Warm both up, so the three submissions below fall well within one second.
  await Promise.all([call(a, "GET", "/healthz"), call(b, "GET", "/healthz")]);
  const first = await submit(a);
  await submit(b);
  const third = await call(b, "POST", "/v1/queries", { key: KEY, body: { request: thisMonthQuery(new Date()) } });
  expect(third.status).toBe(429);
  expect(third.headers.get("retry-after")).toBe("1");
  expect(infobip.submissions).toHaveLength(2);

  expect((await call(a, "DELETE", `/v1/queries/${first.id}`, { key: KEY })).status).toBe(204);
  expect((await call(b, "GET", `/v1/queries/${first.id}`, { key: KEY })).status).toBe(404);
  expect((await deliver(`${b.url}${first.callbackPath}`, "{}")).status).toBe(404);
});
