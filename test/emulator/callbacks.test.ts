/**
 * Callback delivery over real sockets: retries with backoff on non-2xx answers, unreachable and silent
 * receivers, what is logged (never the callback secret nor the API key), and a clean stop on close().
 */
import { once } from "node:events";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { build, monthQuery, type Harness } from "./helper";

const request = monthQuery(["CATEGORY_CODE"]);

interface Log {
  delivery: {
    state: string;
    resultStatus?: string;
    totalRows?: number;
    bytes?: number;
    attempts: { attempt: number; status?: number; error?: string; ok: boolean; target: string }[];
  };
  callbackTarget: string;
}

async function settled(harness: Harness, requestId: string): Promise<Log> {
  for (;;) {
    const { json } = await harness.admin("GET", `/_emulator/requests/${requestId}`);
    const log = json as Log;
    if (!["scheduled", "delivering"].includes(log.delivery.state)) return log;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A loopback URL on which nothing listens (a port that was free a moment ago). */
async function deadUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 9}/callbacks/gone`;
}

describe("delivery", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await build();
  });
  afterAll(async () => {
    await harness.close();
  });

  test("one POST of JSON to the callback URL, answered 200, logged as delivered", async () => {
    const answer = await harness.submit({ callbackUrl: harness.receiver.url("tok3n"), request });
    const { requestId } = answer.json as { requestId: string };
    const callback = await harness.receiver.waitFor((c) => c.result.requestId === requestId);
    expect(callback.path).toBe("/callbacks/tok3n");
    expect(callback.headers["content-type"]).toBe("application/json");
    const log = await settled(harness, requestId);
    expect(log.delivery).toMatchObject({
      state: "delivered",
      resultStatus: "SUCCESS",
      bytes: Buffer.byteLength(callback.raw),
    });
    expect(log.delivery.totalRows).toBe(callback.result.response?.totalRows);
    expect(harness.receiver.forRequest(requestId)).toHaveLength(1);
  });

  test("a receiver answering 503 is retried until it answers 2xx", async () => {
    let calls = 0;
    harness.receiver.respond = () => (++calls <= 2 ? 503 : 204);
    const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request });
    const { requestId } = answer.json as { requestId: string };
    const log = await settled(harness, requestId);
    harness.receiver.respond = () => 200;
    expect(log.delivery.state).toBe("delivered");
    expect(log.delivery.attempts.map((a) => a.status)).toEqual([503, 503, 204]);
    expect(harness.receiver.forRequest(requestId)).toHaveLength(3);
  });

  test("an unreachable URL is tried 1 + 3 times, then given up; the emulator keeps serving", async () => {
    const answer = await harness.submit({ callbackUrl: await deadUrl(), request });
    const { requestId } = answer.json as { requestId: string };
    const log = await settled(harness, requestId);
    expect(log.delivery.state).toBe("failed");
    expect(log.delivery.attempts).toHaveLength(4);
    expect(log.delivery.attempts.every((a) => !a.ok && a.status === undefined && (a.error ?? "").length > 0)).toBe(
      true
    );
    expect((await harness.admin("GET", "/healthz")).status).toBe(200);
    expect((await harness.submit({ callbackUrl: harness.receiver.url(), request })).status).toBe(201);
  });

  test("the request log keeps the callback URL's origin and first segment only", async () => {
    const answer = await harness.submit({ callbackUrl: harness.receiver.url("VerySecret123"), request });
    const { requestId } = answer.json as { requestId: string };
    const log = await settled(harness, requestId);
    expect(log.callbackTarget).toBe(`${harness.receiver.baseUrl}/callbacks/…`);
    expect(JSON.stringify(log)).not.toContain("VerySecret123");
  });
});

describe("a receiver that does not answer", () => {
  test("the attempt times out and is retried", async () => {
    const harness = await build({ callbackTimeoutMs: 150, callbackRetryDelaysMs: [10] });
    try {
      harness.receiver.respond = (_path, index) => (index === 0 ? "hang" : 200);
      const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request });
      const { requestId } = answer.json as { requestId: string };
      const log = await settled(harness, requestId);
      expect(log.delivery.state).toBe("delivered");
      expect(log.delivery.attempts[0]?.error).toMatch(/no answer within 150 ms/);
      expect(log.delivery.attempts[1]?.ok).toBe(true);
    } finally {
      await harness.close();
    }
  });
});

describe("logging", () => {
  test("one line per request and per callback attempt; no API key, no callback secret", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString("utf8")
            .split("\n")
            .filter((l) => l !== "")
        );
        done();
      },
    });
    const harness = await build({ logger: { level: "info", stream } });
    try {
      let calls = 0;
      harness.receiver.respond = () => (++calls === 1 ? 500 : 200);
      const answer = await harness.submit({ callbackUrl: harness.receiver.url("Hidden987"), request });
      const { requestId } = answer.json as { requestId: string };
      await settled(harness, requestId);
      const entries = lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string; url?: string });
      const submission = entries.filter((e) => e.msg === "request" && e.url === "/billing/1/usage/query");
      expect(submission).toHaveLength(1);
      expect(submission[0]?.requestId).toBe(requestId);
      const attempts = entries.filter((e) => e.requestId === requestId && e.msg.startsWith("callback"));
      expect(attempts.map((e) => e.msg)).toEqual(["callback not accepted; will retry", "callback delivered"]);
      const all = lines.join("\n");
      expect(all).not.toContain("Hidden987");
      expect(all).not.toMatch(/App demo-key|authorization/i);
    } finally {
      await harness.close();
    }
  });
});

describe("close()", () => {
  test("cancels waiting callbacks and leaves no timer behind", async () => {
    const harness = await build({ callbackDelayMs: 60_000 });
    const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request });
    const { requestId } = answer.json as { requestId: string };
    expect(harness.emulator.dispatcher.pending).toBe(1);
    expect(harness.emulator.dispatcher.openHandles.timers).toBe(1);
    await harness.emulator.close();
    expect(harness.emulator.dispatcher.pending).toBe(0);
    expect(harness.emulator.dispatcher.openHandles).toEqual({ timers: 0, requests: 0, sockets: 0 });
    expect(harness.emulator.requests.find(requestId)?.delivery.state).toBe("cancelled");
    expect(harness.receiver.forRequest(requestId)).toHaveLength(0);
    await harness.receiver.close();
  });

  test("aborts a delivery in flight to a receiver that never answers", async () => {
    const harness = await build({ callbackTimeoutMs: 60_000 });
    harness.receiver.respond = () => "hang";
    const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request });
    const { requestId } = answer.json as { requestId: string };
    await harness.receiver.waitFor((c) => c.result.requestId === requestId);
    expect(harness.emulator.dispatcher.openHandles.requests).toBe(1);
    await harness.emulator.close();
    expect(harness.emulator.dispatcher.pending).toBe(0);
    expect(harness.emulator.dispatcher.openHandles).toEqual({ timers: 0, requests: 0, sockets: 0 });
    expect(harness.emulator.requests.find(requestId)?.delivery.state).toBe("cancelled");
    await harness.receiver.close();
  });

  test("closes the keep-alive sockets left by delivered callbacks", async () => {
    const harness = await build();
    const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request });
    const { requestId } = answer.json as { requestId: string };
    await settled(harness, requestId);
    expect(harness.emulator.dispatcher.openHandles.sockets).toBeGreaterThan(0);
    await harness.close();
    expect(harness.emulator.dispatcher.openHandles.sockets).toBe(0);
  });
});
