/**
 * The emulator's answers against Infobip's OpenAPI document: the 201, the error bodies and the callback
 * payloads (SUCCESS and FAILED) for a spread of queries.
 */
import { AGGREGATE_DIMENSIONS } from "../../src/billing";
import { build, monthQuery, type Harness } from "./helper";
import { infobipSchemas, unpatchedInfobipSchemas } from "./openapi";

const schemas = infobipSchemas();
let harness: Harness;

beforeAll(async () => {
  harness = await build();
});
afterAll(async () => {
  await harness.close();
});

function expectValid(shortName: string, value: unknown): void {
  const { valid, errors } = schemas.validate(shortName, value);
  if (!valid) throw new Error(`${shortName} rejected by Infobip's schema:\n${errors}`);
}

describe("Infobip's OpenAPI schemas", () => {
  test("accept Infobip's own webhook examples (with the documented row-cell patch)", () => {
    const examples = schemas.webhookExamples();
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(3);
    for (const example of Object.values(examples)) expectValid("BillingUsageResult", example);
  });

  test("as published, reject rows of strings and numbers: the row-cell quirk is real", () => {
    const examples = unpatchedInfobipSchemas().webhookExamples();
    const simple = examples["A simple billing usage result"];
    expect(unpatchedInfobipSchemas().validate("BillingUsageResult", simple).valid).toBe(false);
  });
});

describe("emulator payloads", () => {
  test("201 matches QueryAggregateDataResponse", async () => {
    const answer = await harness.submit({ callbackUrl: harness.receiver.url(), request: monthQuery(["DAY"]) });
    expect(answer.status).toBe(201);
    expectValid("QueryAggregateDataResponse", answer.json);
  });

  test.each([
    ["400", { callbackUrl: "x", request: {} }, "demo-key"],
    ["401 no key", monthQuery(["DAY"]), null],
    ["401 no scope", monthQuery(["DAY"]), "demo-noscope-key"],
  ])("error body %s matches ApiError", async (_name, body, key) => {
    const answer = await harness.submit(body, key);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expectValid("ApiError", answer.json);
  });

  test("500 and 429 faults answer bodies that match ApiError", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "http-500" });
    await harness.admin("POST", "/_emulator/faults", { kind: "http-429" });
    const body = { callbackUrl: harness.receiver.url(), request: monthQuery(["DAY"]) };
    const first = await harness.submit(body);
    const second = await harness.submit(body);
    expect([first.status, second.status]).toEqual([500, 429]);
    expectValid("ApiError", first.json);
    expectValid("ApiError", second.json);
  });

  test.each([
    ["the spec's simple example", ["CATEGORY_CODE", "COUNTRY_NAME"], {}],
    [
      "the spec's detailed example",
      ["APPLICATION_ID", "ENTITY_ID", "CATEGORY_CODE", "COUNTRY_NAME", "TRAFFIC_TYPE", "SENDER_TYPE", "ACCOUNT_KEY"],
      {
        categories: ["SMS", "WHATSAPP", "RCS"],
        directions: ["OUTBOUND"],
      },
    ],
    ["a daily breakdown", ["DAY"], {}],
    [
      "a monthly breakdown with every other dimension",
      // Every dimension but DAY, which cannot be combined with MONTH.
      AGGREGATE_DIMENSIONS.filter((dimension) => dimension !== "DAY"),
      {},
    ],
    ["a query that matches nothing", ["DAY"], { countryCodes: ["ZZ"] }],
  ])("SUCCESS callback for %s matches BillingUsageResult", async (_name, aggregateBy, filters) => {
    const result = await harness.query(monthQuery(aggregateBy, "2026-02-01", "2026-04-01", filters));
    expect(result.status).toBe("SUCCESS");
    expectValid("BillingUsageResult", JSON.parse(JSON.stringify(result)));
    expect(result.response?.totalRows).toBe(result.response?.rows.length);
  });

  test("FAILED callback matches BillingUsageResult", async () => {
    await harness.admin("POST", "/_emulator/faults", { kind: "failed" });
    const result = await harness.query(monthQuery(["DAY"]));
    expect(result).toEqual({ requestId: result.requestId, status: "FAILED", failureMessage: "Could not load data" });
    expectValid("BillingUsageResult", result);
  });
});
