/**
 * Every validation rule, over HTTP: the emulator answers 400 with Infobip's E400 envelope and a violation
 * naming the offending property. The clock is mid-March 2026, so the window is 2026-01-01 … 2026-04-01.
 */
import net from "node:net";
import { ApiErrorSchema } from "../../src/billing";
import { build, type Harness } from "./helper";

let harness: Harness;

beforeAll(async () => {
  harness = await build();
});
afterAll(async () => {
  await harness.close();
});

type Body = Record<string, unknown>;

function validBody(): Body {
  return {
    callbackUrl: "http://127.0.0.1:9/callbacks/abc",
    request: {
      filterBy: { dateInterval: { sentSince: "2026-03-01", sentUntil: "2026-04-01" } },
      aggregateBy: ["DAY"],
    },
  };
}

/** A valid body changed by `edit`. */
function edited(
  edit: (
    body: {
      callbackUrl?: unknown;
      request: { filterBy: Body & { dateInterval: Body }; aggregateBy?: unknown; options?: unknown } & Body;
    } & Body
  ) => void
): Body {
  const body = validBody() as Parameters<typeof edit>[0];
  edit(body);
  return body;
}

const filterOf = (body: Parameters<Parameters<typeof edited>[0]>[0]) => body.request.filterBy;

const CASES: [rule: string, body: Body, property: string][] = [
  ["callbackUrl is required", edited((b) => delete b.callbackUrl), "callbackUrl"],
  ["callbackUrl must be a URL", edited((b) => (b.callbackUrl = "not a url")), "callbackUrl"],
  ["callbackUrl must be http(s)", edited((b) => (b.callbackUrl = "ftp://example.com/x")), "callbackUrl"],
  ["callbackUrl must be text", edited((b) => (b.callbackUrl = 42)), "callbackUrl"],
  ["request is required", edited((b) => delete (b as Body).request), "request"],
  ["filterBy is required", edited((b) => delete (b.request as Body).filterBy), "request.filterBy"],
  [
    "dateInterval is required",
    edited((b) => delete (filterOf(b) as Body).dateInterval),
    "request.filterBy.dateInterval",
  ],
  [
    "sentSince is required",
    edited((b) => delete filterOf(b).dateInterval.sentSince),
    "request.filterBy.dateInterval.sentSince",
  ],
  [
    "sentUntil is required",
    edited((b) => delete filterOf(b).dateInterval.sentUntil),
    "request.filterBy.dateInterval.sentUntil",
  ],
  [
    "sentSince is yyyy-MM-dd",
    edited((b) => (filterOf(b).dateInterval.sentSince = "2026/03/01")),
    "request.filterBy.dateInterval.sentSince",
  ],
  [
    "sentUntil is a real day",
    edited((b) => (filterOf(b).dateInterval.sentUntil = "2026-02-30")),
    "request.filterBy.dateInterval.sentUntil",
  ],
  [
    "sentUntil is after sentSince",
    edited((b) => (filterOf(b).dateInterval.sentUntil = "2026-03-01")),
    "request.filterBy.dateInterval.sentUntil",
  ],
  [
    "sentUntil is not before sentSince",
    edited((b) => Object.assign(filterOf(b).dateInterval, { sentSince: "2026-03-10", sentUntil: "2026-03-05" })),
    "request.filterBy.dateInterval.sentUntil",
  ],
  [
    "at most 3 months",
    edited((b) => Object.assign(filterOf(b).dateInterval, { sentSince: "2026-01-01", sentUntil: "2026-04-02" })),
    "request.filterBy.dateInterval.sentUntil",
  ],
  [
    "retention: current month and the two before",
    edited((b) => Object.assign(filterOf(b).dateInterval, { sentSince: "2025-12-31", sentUntil: "2026-01-15" })),
    "request.filterBy.dateInterval.sentSince",
  ],
  [
    "sentSince not after the current month",
    edited((b) => Object.assign(filterOf(b).dateInterval, { sentSince: "2026-04-01", sentUntil: "2026-04-02" })),
    "request.filterBy.dateInterval.sentSince",
  ],
  [
    "sentUntil not beyond the 1st of next month",
    edited((b) => Object.assign(filterOf(b).dateInterval, { sentUntil: "2026-04-02" })),
    "request.filterBy.dateInterval.sentUntil",
  ],
  ["aggregateBy is required", edited((b) => delete b.request.aggregateBy), "request.aggregateBy"],
  ["aggregateBy is not empty", edited((b) => (b.request.aggregateBy = [])), "request.aggregateBy"],
  ["aggregateBy values are known", edited((b) => (b.request.aggregateBy = ["DAY", "WEEK"])), "request.aggregateBy[1]"],
  [
    "aggregateBy has no duplicates",
    edited((b) => (b.request.aggregateBy = ["SENDER", "SENDER"])),
    "request.aggregateBy[1]",
  ],
  [
    "DAY and MONTH are not combined",
    edited((b) => (b.request.aggregateBy = ["DAY", "MONTH"])),
    "request.aggregateBy[1]",
  ],
  ["categories are known", edited((b) => (filterOf(b).categories = ["SMS", "FAX"])), "request.filterBy.categories[1]"],
  [
    "categories have no duplicates",
    edited((b) => (filterOf(b).categories = ["SMS", "SMS"])),
    "request.filterBy.categories[1]",
  ],
  [
    "subCategories are known",
    edited((b) => (filterOf(b).subCategories = ["VIBER_CHANNELS"])),
    "request.filterBy.subCategories[0]",
  ],
  ["countryCodes are alpha-2", edited((b) => (filterOf(b).countryCodes = ["usa"])), "request.filterBy.countryCodes[0]"],
  [
    "a platform names its application",
    edited((b) => (filterOf(b).platforms = [{ entityId: "entity_a" }])),
    "request.filterBy.platforms[0].applicationId",
  ],
  [
    "platforms have no duplicates",
    edited((b) => (filterOf(b).platforms = [{ applicationId: "a" }, { applicationId: "a" }])),
    "request.filterBy.platforms[1]",
  ],
  ["directions are known", edited((b) => (filterOf(b).directions = ["SIDEWAYS"])), "request.filterBy.directions[0]"],
  [
    "campaignIds are whole numbers",
    edited((b) => (filterOf(b).campaignIds = [1.5])),
    "request.filterBy.campaignIds[0]",
  ],
  ["campaignIds are positive", edited((b) => (filterOf(b).campaignIds = [12, -3])), "request.filterBy.campaignIds[1]"],
  [
    "campaignIds are numbers",
    edited((b) => (filterOf(b).campaignIds = ["12354646546"])),
    "request.filterBy.campaignIds[0]",
  ],
  [
    "campaignIds are exact (≤ 2^53)",
    edited((b) => (filterOf(b).campaignIds = [2 ** 53 + 2])),
    "request.filterBy.campaignIds[0]",
  ],
  [
    "trafficTypes are not empty strings",
    edited((b) => (filterOf(b).trafficTypes = [""])),
    "request.filterBy.trafficTypes[0]",
  ],
  [
    "senders have no duplicates",
    edited((b) => (filterOf(b).senders = ["InfoSMS", "InfoSMS"])),
    "request.filterBy.senders[1]",
  ],
  ["senderTypes are text", edited((b) => (filterOf(b).senderTypes = [7])), "request.filterBy.senderTypes[0]"],
  ["accountKeys are not empty", edited((b) => (filterOf(b).accountKeys = ["  "])), "request.filterBy.accountKeys[0]"],
  [
    "campaignReferenceIds are a list",
    edited((b) => (filterOf(b).campaignReferenceIds = "summer-sale")),
    "request.filterBy.campaignReferenceIds",
  ],
  [
    "templateIds are strings",
    edited((b) => (filterOf(b).templateIds = [5653923468715475])),
    "request.filterBy.templateIds[0]",
  ],
  ["unknown filters are refused", edited((b) => (filterOf(b).countryCode = ["US"])), "request.filterBy.countryCode"],
  ["unknown top-level properties are refused", edited((b) => (b.callbackURL = "https://example.com")), "callbackURL"],
  [
    "includeUnfinalizedData is a boolean",
    edited((b) => (b.request.options = { includeUnfinalizedData: "yes" })),
    "request.options.includeUnfinalizedData",
  ],
  ["options has no unknown keys", edited((b) => (b.request.options = { timezone: "CET" })), "request.options.timezone"],
];

describe("POST /billing/1/usage/query validation", () => {
  test("the unedited body is accepted (so each case below fails for its own reason)", async () => {
    const answer = await harness.submit(validBody());
    expect(answer.status).toBe(201);
  });

  test.each(CASES.map(([rule, body, property]) => [rule, property, body] as const))(
    "%s → 400 naming %s",
    async (_rule, property, body) => {
      const answer = await harness.submit(body);
      expect(answer.status).toBe(400);
      const error = ApiErrorSchema.parse(answer.json);
      expect(error.errorCode).toBe("E400");
      const violation = error.violations.find((v) => v.property === property);
      expect(violation).toBeDefined();
      expect(violation?.violation?.length).toBeGreaterThan(5);
    }
  );

  test("every problem is reported at once", async () => {
    const body = edited((b) => {
      delete b.callbackUrl;
      b.request.aggregateBy = ["NOPE"];
      filterOf(b).countryCodes = ["x"];
    });
    const answer = await harness.submit(body);
    const properties = ApiErrorSchema.parse(answer.json).violations.map((v) => v.property);
    expect(properties).toEqual(
      expect.arrayContaining(["callbackUrl", "request.aggregateBy[0]", "request.filterBy.countryCodes[0]"])
    );
  });

  test.each([
    ["malformed JSON", "body", '{"callbackUrl": ', {}],
    ["an empty body", "body", "", {}],
    ["a text/plain body", "Content-Type", "callbackUrl=x", { "content-type": "text/plain" }],
    ["a form body", "Content-Type", "callbackUrl=x", { "content-type": "application/x-www-form-urlencoded" }],
  ])("%s → 400 naming %s", async (_name, property, raw, headers) => {
    const answer = await harness.submit(raw, "demo-key", headers);
    expect(answer.status).toBe(400);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.violations.map((v) => v.property)).toContain(property);
  });

  test.each([["[]"], ['"query"'], ["null"], ["42"]])(
    "a JSON %s instead of an object → 400 naming body",
    async (raw) => {
      const answer = await harness.submit(raw);
      expect(answer.status).toBe(400);
      expect(ApiErrorSchema.parse(answer.json).violations.map((v) => v.property)).toEqual(["body"]);
    }
  );

  test("refused submissions are in the request log with their status and no requestId", async () => {
    await harness.submit(edited((b) => delete b.callbackUrl));
    const log = await harness.admin("GET", "/_emulator/requests");
    const [latest] = (log.json as { requests: { httpStatus: number; errorCode?: string; requestId?: string }[] })
      .requests;
    expect(latest).toMatchObject({ httpStatus: 400, errorCode: "E400" });
    expect(latest?.requestId).toBeUndefined();
  });

  test.each([
    ["a body that is not JSON", '{"callbackUrl": ', "demo-subaccount-key", {}, 400, "demo-subaccount-key"],
    ["a text/plain body", "callbackUrl=x", "demo-key", { "content-type": "text/plain" }, 400, "demo-key"],
    ["an unknown key (with a body that is not JSON)", "{", "not-a-key", {}, 401, undefined],
  ])(
    "%s is in the request log with the key that sent it, when known",
    async (_name, raw, key, headers, status, principal) => {
      await harness.submit(raw, key, headers);
      const log = await harness.admin("GET", "/_emulator/requests");
      const [latest] = (log.json as { requests: { httpStatus: number; principal?: string; requestId?: string }[] })
        .requests;
      expect(latest?.httpStatus).toBe(status);
      expect(latest?.principal).toBe(principal);
      expect(latest?.requestId).toBeUndefined();
    }
  );
});

describe("input that used to crash the validator (issue 12, point 7)", () => {
  it("answers a query nested 100,000 levels deep with 400 naming the field", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const body = `{"callbackUrl":"http://127.0.0.1:9/cb","request":{"filterBy":{"dateInterval":{"sentSince":"2026-03-01","sentUntil":"2026-04-01"}},"aggregateBy":[${deep}]}}`;
    const answer = await harness.submit(body);
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations).toEqual([
      {
        property: expect.stringMatching(/^request\.aggregateBy\[0\]/) as unknown,
        violation: expect.stringContaining("more than 32 levels deep") as unknown,
      },
    ]);
  });

  it('answers a value whose "length" is an object with a violation', async () => {
    const answer = await harness.submit(edited((body) => (body.request.aggregateBy = { length: { toString: 0 } })));
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations).toEqual([
      { property: "request.aggregateBy", violation: "must be a list, not an object" },
    ]);
  });

  it("answers a malformed percent-encoding and a request that is not HTTP in the envelope, never echoing the URL", async () => {
    const badUrl = await fetch(`${harness.emulator.url}/billing/1/usage/%zzECHO-MARKER`, { method: "POST" });
    expect(badUrl.status).toBe(400);
    const text = await badUrl.text();
    expect(ApiErrorSchema.parse(JSON.parse(text)).errorCode).toBe("E400");
    expect(text).not.toContain("ECHO-MARKER");

    const { hostname, port } = new URL(harness.emulator.url);
    const raw = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), hostname, () => socket.write("NONSENSE\r\n\r\n"));
      const parts: Buffer[] = [];
      socket.on("data", (part: Buffer) => parts.push(part));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve(Buffer.concat(parts).toString("utf8")));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(ApiErrorSchema.parse(JSON.parse(raw.split("\r\n\r\n")[1] ?? "")).errorCode).toBe("E400");
  });
});
