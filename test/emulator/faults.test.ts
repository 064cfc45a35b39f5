/**
 * Faults on demand (`/_emulator/faults`): every fault kind, their counts and combinations, the queue's
 * GET/DELETE, and zod-checked bodies. Each test starts with an empty queue.
 */
import { ApiErrorSchema } from "../../src/billing";
import { build, CallbackReceiver, monthQuery, type Harness } from "./helper";

let harness: Harness;
const request = monthQuery(["CATEGORY_CODE"]);

beforeAll(async () => {
  harness = await build();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(async () => {
  await harness.admin("DELETE", "/_emulator/faults");
  harness.receiver.respond = () => 200;
});

interface Log {
  requestId?: string;
  faults: string[];
  delivery: { state: string; attempts: { copy: number; attempt: number; status?: number; target: string }[] };
}

async function submitted(callbackUrl = harness.receiver.url()): Promise<string> {
  const answer = await harness.submit({ callbackUrl, request });
  expect(answer.status).toBe(201);
  return (answer.json as { requestId: string }).requestId;
}

async function settled(requestId: string): Promise<Log> {
  // Wait for the delivery to finish (delivered, failed or cancelled) as the request log reports it.
  for (;;) {
    const { json } = await harness.admin("GET", `/_emulator/requests/${requestId}`);
    const log = json as Log;
    if (!["scheduled", "delivering"].includes(log.delivery.state)) return log;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("callback faults", () => {
  test("failed: the next callback is FAILED with the given message; the one after is SUCCESS again", async () => {
    const queued = await harness.admin("POST", "/_emulator/faults", {
      kind: "failed",
      failureMessage: "Data warehouse timeout",
    });
    expect(queued.status).toBe(201);
    const first = await harness.query(request);
    expect(first).toEqual({ requestId: first.requestId, status: "FAILED", failureMessage: "Data warehouse timeout" });
    const second = await harness.query(request);
    expect(second.status).toBe("SUCCESS");
  });

  test("failed with a count applies to that many callbacks, with Infobip's example message by default", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "failed", count: 2 });
    const results = [await harness.query(request), await harness.query(request), await harness.query(request)];
    expect(results.map((r) => r.status)).toEqual(["FAILED", "FAILED", "SUCCESS"]);
    expect(results[0]?.failureMessage).toBe("Could not load data");
  });

  test("delay: a delayed callback arrives after one submitted later without delay", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "delay", ms: 1500 });
    const delayed = await submitted();
    const prompt = await submitted();
    await harness.receiver.waitFor((c) => c.result.requestId === delayed);
    const order = harness.receiver.received
      .map((c) => c.result.requestId)
      .filter((id) => id === delayed || id === prompt);
    expect(order).toEqual([prompt, delayed]);
    expect((await settled(delayed)).faults).toEqual(["delay 1500ms"]);
  });

  test("duplicate: the same result is delivered twice", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "duplicate" });
    const requestId = await submitted();
    const log = await settled(requestId);
    const copies = harness.receiver.forRequest(requestId);
    expect(copies).toHaveLength(2);
    expect(copies[0]?.raw).toBe(copies[1]?.raw);
    expect(log.delivery.attempts.map((a) => a.copy)).toEqual([1, 2]);
    expect(log.delivery.state).toBe("delivered");
  });

  test("wrong-url without a url: sent to the callback URL with its secret tampered (same length), retried, then given up", async () => {
    const secret = "k9Xq2ZpA7m";
    harness.receiver.respond = (path) => (path === `/callbacks/${secret}` ? 200 : 404);
    await harness.admin("POST", "/_emulator/faults", { kind: "wrong-url" });
    const requestId = await submitted(harness.receiver.url(secret));
    const log = await settled(requestId);
    const received = harness.receiver.forRequest(requestId);
    expect(received.length).toBe(4);
    const tampered = received[0]?.path.split("/").pop() ?? "";
    expect(tampered).not.toBe(secret);
    expect(tampered).toHaveLength(secret.length);
    expect(received.every((c) => c.answeredStatus === 404)).toBe(true);
    expect(log.delivery.state).toBe("failed");
    expect(log.delivery.attempts.map((a) => a.status)).toEqual([404, 404, 404, 404]);
  });

  test("wrong-url with a url: sent there instead of the callback URL", async () => {
    const elsewhere = await CallbackReceiver.start();
    try {
      await harness.admin("POST", "/_emulator/faults", { kind: "wrong-url", url: elsewhere.url("other") });
      const requestId = await submitted();
      await elsewhere.waitFor((c) => c.result.requestId === requestId);
      await settled(requestId);
      expect(harness.receiver.forRequest(requestId)).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  test("different kinds combine on one callback: FAILED and duplicated", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "failed" });
    await harness.admin("POST", "/_emulator/faults", { kind: "duplicate" });
    const requestId = await submitted();
    const log = await settled(requestId);
    expect(log.faults).toEqual(["failed", "duplicate"]);
    const copies = harness.receiver.forRequest(requestId);
    expect(copies.map((c) => c.result.status)).toEqual(["FAILED", "FAILED"]);
  });
});

describe("submission faults", () => {
  const body = () => ({ callbackUrl: harness.receiver.url(), request });

  test("http-500: the next submission is answered 500 with E500, the one after is accepted", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "http-500" });
    const first = await harness.submit(body());
    expect(first.status).toBe(500);
    expect(ApiErrorSchema.parse(first.json).errorCode).toBe("E500");
    expect((await harness.submit(body())).status).toBe(201);
  });

  test("http-429: answered 429 with E429 and Retry-After: 1", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "http-429", count: 2 });
    const answers = [await harness.submit(body()), await harness.submit(body()), await harness.submit(body())];
    expect(answers.map((a) => a.status)).toEqual([429, 429, 201]);
    expect(answers[0]?.headers.get("retry-after")).toBe("1");
    expect(ApiErrorSchema.parse(answers[0]?.json).errorCode).toBe("E429");
  });

  test("submission faults are served first queued first; an unauthenticated submission does not use one", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "http-429" });
    await harness.admin("POST", "/_emulator/faults", { kind: "http-500" });
    expect((await harness.submit(body(), null)).status).toBe(401);
    expect((await harness.submit(body())).status).toBe(429);
    expect((await harness.submit(body())).status).toBe(500);
    expect((await harness.submit(body())).status).toBe(201);
  });

  test("a submission fault leaves callback faults queued for the next accepted query", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "http-500" });
    await harness.admin("POST", "/_emulator/faults", { kind: "failed" });
    expect((await harness.submit(body())).status).toBe(500);
    const result = await harness.query(request);
    expect(result.status).toBe("FAILED");
  });
});

describe("the fault queue", () => {
  test("GET lists queued faults with their remaining uses; DELETE clears them", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "delay", ms: 50, count: 3 });
    await harness.admin("POST", "/_emulator/faults", { kind: "failed", count: 2 });
    const listed = await harness.admin("GET", "/_emulator/faults");
    expect((listed.json as { faults: { kind: string; remaining: number }[] }).faults).toEqual([
      expect.objectContaining({ kind: "delay", ms: 50, count: 3, remaining: 3 }),
      expect.objectContaining({ kind: "failed", count: 2, remaining: 2 }),
    ]);
    await harness.query(request);
    const after = await harness.admin("GET", "/_emulator/faults");
    expect((after.json as { faults: { remaining: number }[] }).faults.map((f) => f.remaining)).toEqual([2, 1]);
    const cleared = await harness.admin("DELETE", "/_emulator/faults");
    expect(cleared.json).toEqual({ cleared: 2, faults: [] });
  });

  test.each([
    [{ kind: "explode" }, "kind"],
    [{ kind: "delay" }, "ms"],
    [{ kind: "delay", ms: -5 }, "ms"],
    [{ kind: "failed", count: 0 }, "count"],
    [{ kind: "failed", count: 1.5 }, "count"],
    [{ kind: "failed", failureMessage: "" }, "failureMessage"],
    [{ kind: "wrong-url", url: "nowhere" }, "url"],
    [{ kind: "duplicate", times: 2 }, "times"],
  ])("POST %j → 400 naming %s", async (fault, property) => {
    const answer = await harness.admin("POST", "/_emulator/faults", fault);
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations.map((v) => v.property)).toContain(property);
  });
});
