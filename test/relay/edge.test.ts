/**
 * The relay at its HTTP edge, as a stranger on the internet meets it (issue 12, points 1, 2, 7 and 8), over real
 * HTTP on loopback: key guessing is refused per client IP and capped overall, stalled and trickling bodies are cut
 * off, bad input of every kind is a 4xx in the ApiError envelope (never a 500, never the URL repeated), and the
 * callback secret is masked in the logs however the path is spelt. The relay's clock is frozen, so every request
 * of a test falls in one rate-limit window; the body timeouts are configured small (fractions of a second).
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { ApiErrorSchema } from "../../src/billing";
import { hashCallbackSecret } from "../../src/relay/callback-secret";
import type { RelayConfig } from "../../src/relay/config";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { acceptedSubmission, call, startTestRelay, TestClock, thisMonthQuery, type TestRelay } from "./helpers/relay";
import { successResult } from "./helpers/results";

const KEY = "edge-test-key-0001";
const WRONG_SECRET = "A".repeat(43);

let infobip: FakeInfobip;
let relay: TestRelay | undefined;

beforeEach(async () => {
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  await relay?.close();
  relay = undefined;
  await infobip.close();
  jest.restoreAllMocks();
});

async function start(overrides: Partial<RelayConfig> = {}): Promise<TestRelay> {
  relay = await startTestRelay({ infobipBaseUrl: infobip.url, clock: new TestClock(Date.now()), ...overrides });
  return relay;
}

function randomKey(): string {
  return randomBytes(24).toString("base64url");
}

function submit(target: TestRelay, key: string, headers: Record<string, string> = {}) {
  return call(target, "POST", "/v1/queries", { key, headers, body: { request: thisMonthQuery(target.clock.now()) } });
}

function expectTooMany(answer: { status: number; headers: Headers; json: unknown }, words: RegExp): void {
  expect(answer.status).toBe(429);
  expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(ApiErrorSchema.parse(answer.json)).toMatchObject({
    errorCode: "E429",
    description: expect.stringMatching(words),
  });
}

/** What a raw socket gets back: everything the server wrote before it closed the connection. */
interface RawExchange {
  text: string;
  status: number | undefined;
  json: unknown;
}

function parseRaw(text: string): RawExchange {
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  const body = text.split("\r\n\r\n").slice(1).join("\r\n\r\n");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { text, status: status === undefined ? undefined : Number(status), json };
}

/**
 * Opens a connection, writes `head`, then the body `pieces` one every `everyMs`, and resolves with what the
 * server answered once it closed the connection (or the pieces ran out and it answered).
 */
function rawRequest(url: string, head: string, pieces: string[] = [], everyMs = 0): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const received: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.on("data", (part: Buffer) => received.push(part));
    socket.on("error", () => undefined); // a reset after the answer: what was received is what counts
    socket.on("close", () => {
      clearInterval(timer);
      resolve(parseRaw(Buffer.concat(received).toString("utf8")));
    });
    socket.on("connect", () => {
      socket.write(head);
      const queue = [...pieces];
      if (queue.length === 0) return;
      timer = setInterval(() => {
        const next = queue.shift();
        if (next === undefined || socket.destroyed) {
          clearInterval(timer);
          return;
        }
        socket.write(next);
      }, everyMs);
    });
    setTimeout(() => reject(new Error("the server kept the connection open")), 20_000).unref();
  });
}

describe("key guessing (point 1)", () => {
  it("refuses an IP's submissions once its keys have failed at Infobip too often: random keys stop reaching Infobip", async () => {
    const target = await start({ authFailureRatePerMinute: 5 });
    infobip.respondWith(() => ({ status: 401, body: JSON.stringify({ errorCode: "E401", description: "no" }) }));

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await submit(target, randomKey())).status);
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
    expect(infobip.requests).toHaveLength(5);
    expectTooMany(await submit(target, randomKey()), /without a valid API key.*5 per minute/);

    // The window ends: the IP may try again.
    target.clock.advance(60_000);
    infobip.respondWith(() => ({ status: 201 }));
    expect((await submit(target, KEY)).status).toBe(202);
  });

  it("counts Infobip's 403 as a failed authentication too", async () => {
    const target = await start({ authFailureRatePerMinute: 2 });
    infobip.respondWith(() => ({ status: 403, body: JSON.stringify({ errorCode: "E403", description: "scope" }) }));
    expect((await submit(target, randomKey())).status).toBe(403);
    expect((await submit(target, randomKey())).status).toBe(403);
    expectTooMany(await submit(target, randomKey()), /without a valid API key/);
    expect(infobip.requests).toHaveLength(2);
  });

  it("turns reads of unknown queries with random keys into 429 after the budget", async () => {
    const target = await start({ authFailureRatePerMinute: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(
        (await call(target, "GET", `/v1/queries/3f8a3c1e-8d1b-4c55-9a43-1a2b3c4d5e6f`, { key: randomKey() })).status
      );
    }
    expect(statuses).toEqual([...Array<number>(10).fill(404), ...Array<number>(20).fill(429)]);
  });

  it("counts requests without a usable key, then refuses the IP's calls whatever key they carry", async () => {
    const target = await start({ authFailureRatePerMinute: 3 });
    expect((await call(target, "GET", "/v1/queries")).status).toBe(401);
    expect((await call(target, "GET", "/v1/queries", { headers: { authorization: "Token nope" } })).status).toBe(401);
    expect((await call(target, "GET", "/v1/queries")).status).toBe(401);
    expectTooMany(await call(target, "GET", "/v1/queries"), /without a valid API key/);
    expectTooMany(await submit(target, KEY), /without a valid API key/);
    expect(infobip.requests).toHaveLength(0);
  });

  it("caps the submissions forwarded to Infobip per second whatever the key", async () => {
    const target = await start({ globalSubmitRatePerSecond: 4 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => submit(target, randomKey())));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(4);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused).toHaveLength(8);
    for (const answer of refused) expectTooMany(answer, /4 per second for all keys together/);
    expect(infobip.requests).toHaveLength(4);
    target.clock.advance(1_000);
    expect((await submit(target, randomKey())).status).toBe(202);
  });

  it("counts a wrong callback secret against the IP, and never refuses a valid callback", async () => {
    const target = await start({ authFailureRatePerMinute: 2 });
    const { id, requestId } = acceptedSubmission((await submit(target, KEY)).json);
    const { callbackUrl } = infobip.lastSubmission();
    const wrong = callbackUrl.replace(/[^/]+$/, WRONG_SECRET);
    expect((await deliver(wrong, "{}")).status).toBe(404);
    expect((await deliver(wrong, "{}")).status).toBe(404);
    const third = await deliver(wrong, "{}");
    expect(third.status).toBe(429);
    expect(ApiErrorSchema.parse(JSON.parse(third.text))).toMatchObject({ errorCode: "E429" });
    expectTooMany(await call(target, "GET", "/v1/queries", { key: KEY }), /without a valid API key/);

    expect((await deliver(callbackUrl, JSON.stringify(successResult(requestId, 2)))).status).toBe(200);
    target.clock.advance(60_000);
    const settled = await call(target, "GET", `/v1/queries/${id}?wait=30`, { key: KEY });
    expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 2 });
  });

  it("ignores X-Forwarded-For unless RELAY_TRUST_PROXY names the proxy", async () => {
    const untrusting = await start({ authFailureRatePerMinute: 2 });
    for (const client of ["203.0.113.1", "203.0.113.2"]) {
      expect((await call(untrusting, "GET", "/v1/queries", { headers: { "x-forwarded-for": client } })).status).toBe(
        401
      );
    }
    // A third "client" shares the one budget: the header is not believed.
    expect(
      (await call(untrusting, "GET", "/v1/queries", { headers: { "x-forwarded-for": "203.0.113.3" } })).status
    ).toBe(429);
    await untrusting.close();
    relay = undefined;

    const behindProxy = await start({ authFailureRatePerMinute: 2, trustProxy: ["127.0.0.1"] });
    for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      const headers = { "x-forwarded-for": client };
      expect((await call(behindProxy, "GET", "/v1/queries", { headers })).status).toBe(401);
      expect((await call(behindProxy, "GET", "/v1/queries", { headers })).status).toBe(401);
      expect((await call(behindProxy, "GET", "/v1/queries", { headers })).status).toBe(429);
    }
  });
});

describe("stalled and trickling bodies (point 2)", () => {
  const SMALL = { bodyIdleTimeoutSeconds: 0.3, requestTimeoutSeconds: 1, callbackRequestTimeoutSeconds: 1.5 };

  function head(path: string, length: number): string {
    return (
      `POST ${path} HTTP/1.1\r\nHost: relay\r\nAuthorization: App ${KEY}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`
    );
  }

  it("cuts off a body that stalls: 408 in the ApiError envelope, connection closed", async () => {
    const target = await start(SMALL);
    const answer = await rawRequest(target.url, head("/v1/queries", 1000) + '{"request":');
    expect(answer.status).toBe(408);
    expect(ApiErrorSchema.parse(answer.json)).toMatchObject({
      errorCode: "E408",
      description: expect.stringContaining("RELAY_BODY_IDLE_TIMEOUT_SECONDS") as unknown,
    });
    expect(answer.text.toLowerCase()).toContain("connection: close");
    expect(target.logs.text).toContain("request body cut off");
    expect(infobip.requests).toHaveLength(0);
  });

  it("cuts off a body that trickles in under the idle limit at the whole-request deadline", async () => {
    const target = await start(SMALL);
    // One byte every 100 ms never leaves the connection idle for 0.3 s, and would take 100 s.
    const answer = await rawRequest(target.url, head("/v1/queries", 1000), Array<string>(1000).fill(" "), 100);
    expect(answer.status).toBe(408);
    expect(ApiErrorSchema.parse(answer.json).description).toContain("RELAY_REQUEST_TIMEOUT_SECONDS");
  });

  it("gives a callback its own deadline, and stores nothing of a body cut off", async () => {
    const target = await start(SMALL);
    const { id } = acceptedSubmission((await submit(target, KEY)).json);
    const path = new URL(infobip.lastSubmission().callbackUrl).pathname;
    const answer = await rawRequest(target.url, head(path, 100_000) + "{", Array<string>(1000).fill(" "), 100);
    expect(answer.status).toBe(408);
    expect((await call(target, "GET", `/v1/queries/${id}`, { key: KEY })).json).toMatchObject({ status: "pending" });
    expect((await call(target, "GET", `/v1/queries/${id}/raw`, { key: KEY })).status).toBe(409);
  });

  it("does not cut off a long-poll, which sends no body", async () => {
    const target = await start({ ...SMALL, requestTimeoutSeconds: 0.2 });
    const { id } = acceptedSubmission((await submit(target, KEY)).json);
    const polled = await call(target, "GET", `/v1/queries/${id}?wait=1`, { key: KEY });
    expect(polled.status).toBe(200);
    expect(polled.json).toMatchObject({ status: "pending" });
  });

  it("closes connections over the cap per client IP, and accepts new ones once others closed", async () => {
    const target = await start({ maxConnectionsPerIp: 3 });
    const { port } = new URL(target.url);
    const open = await Promise.all(
      Array.from(
        { length: 3 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), "127.0.0.1", () => resolve(socket));
          })
      )
    );
    // The fourth is closed before it can send anything.
    const fourth = await rawRequest(target.url, "GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n");
    expect(fourth.text).toBe("");
    expect(target.logs.text).toContain("connection refused: too many open from this address");

    await Promise.all(open.map((socket) => new Promise((resolve) => socket.end(() => socket.once("close", resolve)))));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the closes
    expect((await call(target, "GET", "/healthz")).status).toBe(200);
  });
});

describe("bad input is a 4xx in the ApiError envelope (point 7)", () => {
  it("answers a body nested 100,000 levels deep with 400 naming the field", async () => {
    const target = await start();
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const body = `{"request":{"filterBy":{"countryCodes":[${deep}]},"aggregateBy":[${deep}]}}`;
    const answer = await call(target, "POST", "/v1/queries", { key: KEY, body });
    expect(answer.status).toBe(400);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.violations).toEqual([
      {
        property: expect.stringMatching(/^request\.filterBy\.countryCodes\[0\]/) as unknown,
        violation: expect.stringContaining("more than 32 levels deep") as unknown,
      },
    ]);
    expect(infobip.requests).toHaveLength(0);
  });

  it('answers values whose "length" is an object with violations, not a 500', async () => {
    const target = await start();
    const odd = { length: { toString: 0 } };
    const body = JSON.stringify({
      request: { filterBy: { countryCodes: [odd], templateIds: odd }, aggregateBy: odd },
      label: odd,
    });
    const answer = await call(target, "POST", "/v1/queries", { key: KEY, body });
    expect(answer.status).toBe(400);
    const properties = ApiErrorSchema.parse(answer.json).violations.map((v) => v.property);
    expect(properties).toEqual(
      expect.arrayContaining([
        "label",
        "request.filterBy.countryCodes[0]",
        "request.filterBy.templateIds",
        "request.aggregateBy",
      ])
    );
  });

  it("keeps a callback body that is not valid UTF-8 byte for byte, and marks it unreadable saying so", async () => {
    const target = await start();
    const { id, requestId } = acceptedSubmission((await submit(target, KEY)).json);
    const valid = Buffer.from(JSON.stringify(successResult(requestId, 3)));
    // A Latin-1 "é" (0xE9) inside the first row's text: not UTF-8.
    const at = valid.indexOf("SMS") + 1;
    const body = Buffer.concat([valid.subarray(0, at), Buffer.from([0xe9]), valid.subarray(at)]);
    expect((await deliver(infobip.lastSubmission().callbackUrl, body)).status).toBe(200);

    const settled = await call(target, "GET", `/v1/queries/${id}?wait=30`, { key: KEY });
    expect(settled.json).toMatchObject({
      status: "unreadable",
      failureMessage: expect.stringContaining("not valid UTF-8") as unknown,
    });
    const raw = await fetch(`${target.url}/v1/queries/${id}/raw`, { headers: { authorization: `App ${KEY}` } });
    expect(Buffer.from(await raw.arrayBuffer()).equals(body)).toBe(true);
  });

  it.each([
    ["a request line that is not HTTP", "NONSENSE\r\n\r\n", 400],
    [
      "headers larger than Node accepts",
      `GET /v1/queries HTTP/1.1\r\nHost: relay\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])("answers %s in the envelope", async (_name, request, status) => {
    const target = await start();
    const answer = await rawRequest(target.url, request);
    expect(answer.status).toBe(status);
    expect(ApiErrorSchema.parse(answer.json).errorCode).toBe(`E${status}`);
  });

  it("answers a malformed percent-encoding, a body too large and an unsupported type in the envelope, never echoing the URL", async () => {
    const target = await start();
    const marker = "ECHO-MARKER";
    const badUrl = await call(target, "GET", `/v1/queries/%zz${marker}`, { key: KEY });
    expect(badUrl.status).toBe(400);
    expect(ApiErrorSchema.parse(badUrl.json).errorCode).toBe("E400");
    expect(badUrl.text).not.toContain(marker);

    const tooLarge = await call(target, "POST", `/v1/queries?${marker}`, {
      key: KEY,
      body: `"${"x".repeat(1_100_000)}"`,
    });
    expect(tooLarge.status).toBe(413);
    expect(ApiErrorSchema.parse(tooLarge.json).errorCode).toBe("E413");
    expect(tooLarge.text).not.toContain(marker);

    const xml = await fetch(`${target.url}/v1/queries?${marker}`, {
      method: "POST",
      headers: { authorization: `App ${KEY}`, "content-type": "application/xml" },
      body: "<query/>",
    });
    expect(xml.status).toBe(415);
    const xmlText = await xml.text();
    expect(ApiErrorSchema.parse(JSON.parse(xmlText)).errorCode).toBe("E415");
    expect(xmlText).not.toContain(marker);
  });
});

describe("callback secrets (point 8)", () => {
  it("are masked in the logs however the callback path is spelt", async () => {
    const target = await start({ logLevel: "debug" });
    const { id } = acceptedSubmission((await submit(target, KEY)).json);
    const secret = infobip.lastSubmission().callbackUrl.split("/").at(-1) ?? "";
    expect(secret).toHaveLength(43);
    for (const path of [
      `/CALLBACKS/${id}/${secret}`,
      `/callbacks/${id}//${secret}`,
      `//callbacks/${id}/${secret}`,
      `/Callbacks/${id}/${secret}?again`,
      `/%63allbacks/${id}/${secret}`,
      `/callbacks/${secret}`,
    ]) {
      // Refused, or (where the router decodes the spelling back to the real address) stored: either way logged.
      expect([200, 404]).toContain((await deliver(`${target.url}${path}`, "{}")).status);
    }
    expect(target.logs.text).toContain(`/CALLBACKS/${id}/***`);
    expect(target.logs.text).not.toContain(secret);
  });

  it("looks a callback address up by its ID and secret together: a wrong secret and an unknown ID are the same miss", async () => {
    const target = await start();
    const { id } = acceptedSubmission((await submit(target, KEY)).json);
    const byAddress = jest.spyOn(target.app.store, "getQueryAtCallbackAddress");
    const byId = jest.spyOn(target.app.store, "getQuery");
    expect((await deliver(`${target.url}/callbacks/${id}/${WRONG_SECRET}`, "{}")).status).toBe(404);
    expect(
      (await deliver(`${target.url}/callbacks/3f8a3c1e-8d1b-4c55-9a43-1a2b3c4d5e6f/${WRONG_SECRET}`, "{}")).status
    ).toBe(404);
    // Both refusals made the one lookup, with the presented secret's hash, and both found nothing; the query's own
    // record (which an ID alone would find) was never read.
    expect(byAddress).toHaveBeenCalledTimes(2);
    expect(byAddress.mock.calls.map(([, hash]) => hash.equals(hashCallbackSecret(WRONG_SECRET)))).toEqual([true, true]);
    for (const found of byAddress.mock.results) await expect(found.value).resolves.toBeUndefined();
    expect(byId).not.toHaveBeenCalled();
  });
});
