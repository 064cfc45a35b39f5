import fc from "fast-check";
import {
  QueryDefinitionSchema,
  parseCampaignId,
  parseListText,
  parsePlatform,
  toQuery,
  validateQuery,
  type QueryDefinition,
} from "./index";

const APRIL = new Date("2026-04-10T12:00:00.000Z");
const JUNE = new Date("2026-06-02T09:00:00.000Z");

function definition(period: QueryDefinition["period"], overrides: Partial<QueryDefinition> = {}): QueryDefinition {
  return {
    version: 1,
    period,
    aggregateBy: ["MONTH", "CATEGORY_CODE"],
    filters: { countryCodes: ["US", "DE"], categories: [], templateIds: [] },
    includeUnfinalizedData: false,
    ...overrides,
  };
}

describe("toQuery", () => {
  it("re-evaluates a preset against the clock of each refresh", () => {
    const lastMonth = definition({ preset: "last-month" });
    expect(toQuery(lastMonth, APRIL).filterBy.dateInterval).toEqual({
      sentSince: "2026-03-01",
      sentUntil: "2026-04-01",
    });
    expect(toQuery(lastMonth, JUNE).filterBy.dateInterval).toEqual({
      sentSince: "2026-05-01",
      sentUntil: "2026-06-01",
    });
    const monthToDate = definition({ preset: "month-to-date" });
    expect(toQuery(monthToDate, APRIL).filterBy.dateInterval).toEqual({
      sentSince: "2026-04-01",
      sentUntil: "2026-04-11",
    });
    expect(toQuery(monthToDate, JUNE).filterBy.dateInterval).toEqual({
      sentSince: "2026-06-01",
      sentUntil: "2026-06-03",
    });
  });

  it("keeps custom dates fixed whatever the clock", () => {
    const custom = definition({ preset: "custom", sentSince: "2026-03-05", sentUntil: "2026-03-20" });
    expect(toQuery(custom, APRIL).filterBy.dateInterval).toEqual({ sentSince: "2026-03-05", sentUntil: "2026-03-20" });
    expect(toQuery(custom, JUNE).filterBy.dateInterval).toEqual({ sentSince: "2026-03-05", sentUntil: "2026-03-20" });
  });

  it("throws on custom dates that are not yyyy-MM-dd", () => {
    expect(() =>
      toQuery(definition({ preset: "custom", sentSince: "5 March", sentUntil: "2026-03-20" }), APRIL)
    ).toThrow();
  });

  it("drops empty filters, copies the dimensions and states includeUnfinalizedData", () => {
    const def = definition({ preset: "this-month" });
    const query = toQuery(def, APRIL);
    expect(query).toEqual({
      filterBy: { dateInterval: { sentSince: "2026-04-01", sentUntil: "2026-05-01" }, countryCodes: ["US", "DE"] },
      aggregateBy: ["MONTH", "CATEGORY_CODE"],
      options: { includeUnfinalizedData: false },
    });
    expect(query.aggregateBy).not.toBe(def.aggregateBy);
  });

  it("gives a query the rules accept, for every relative preset", () => {
    for (const preset of ["this-month", "month-to-date", "last-month", "retention-window"] as const) {
      const query = toQuery(definition({ preset }), APRIL);
      expect(validateQuery(query, APRIL)).toEqual({ ok: true, value: query });
    }
  });
});

describe("QueryDefinitionSchema", () => {
  it("accepts a saved definition and refuses an unknown preset or version", () => {
    const def = definition({ preset: "retention-window" }, { label: "Q2 by country" });
    expect(QueryDefinitionSchema.parse(def)).toEqual(def);
    expect(QueryDefinitionSchema.safeParse({ ...def, period: { preset: "last-year" } }).success).toBe(false);
    expect(QueryDefinitionSchema.safeParse({ ...def, version: 2 }).success).toBe(false);
    expect(
      QueryDefinitionSchema.safeParse({ ...def, period: { preset: "custom", sentSince: "2026-03-01" } }).success
    ).toBe(false);
  });

  it("checks the filters and dimensions with the request's own rules", () => {
    const def = definition({ preset: "this-month" });
    expect(QueryDefinitionSchema.safeParse({ ...def, aggregateBy: ["DAY", "MONTH"] }).success).toBe(false);
    expect(QueryDefinitionSchema.safeParse({ ...def, filters: { countryCodes: ["us"] } }).success).toBe(false);
    expect(QueryDefinitionSchema.safeParse({ ...def, filters: {} }).success).toBe(true);
    // The period lives in `period`: a date interval among the filters is an unknown property.
    expect(QueryDefinitionSchema.safeParse({ ...def, filters: { dateInterval: {} } }).success).toBe(false);
  });
});

describe("parseListText", () => {
  it.each([
    ["US\nDE\nIN", ["US", "DE", "IN"]],
    ["US\r\nDE\r\n", ["US", "DE"]],
    ["US, DE,IN", ["US", "DE", "IN"]],
    ["US\tDE\tIN", ["US", "DE", "IN"]],
    ["US;DE; IN", ["US", "DE", "IN"]],
    ["US\n\n , ;\t\nDE", ["US", "DE"]],
    ["US\nDE\nUS\nde", ["US", "DE", "de"]],
    ["  summer sale  \n bf2026", ["summer sale", "bf2026"]],
    ["", []],
    [" \n\t ", []],
  ])("%j → %j", (text, values) => {
    expect(parseListText(text)).toEqual(values);
  });

  it("property: values are trimmed, non-empty, unique, separator-free and in first-seen order", () => {
    const value = fc.stringMatching(/^[A-Za-z0-9 ._@-]{0,12}$/);
    const separator = fc.constantFrom("\n", "\r\n", ",", ";", "\t", " , ");
    fc.assert(
      fc.property(fc.array(fc.tuple(value, separator), { maxLength: 12 }), (parts) => {
        const text = parts.map(([v, s]) => v + s).join("");
        const expected = [...new Set(parts.map(([v]) => v.trim()).filter((v) => v.length > 0))];
        expect(parseListText(text)).toEqual(expected);
      })
    );
  });
});

describe("parseCampaignId", () => {
  it.each([
    ["754564654689", 754_564_654_689],
    [" 12354646546 ", 12_354_646_546],
    ["9007199254740991", Number.MAX_SAFE_INTEGER],
    ["007", 7],
  ])("reads %j as %d", (text, value) => {
    expect(parseCampaignId(text)).toEqual({ ok: true, value });
  });

  it.each(["9007199254740992", "9007199254740993", "123456789012345678901234567890"])(
    "refuses %s, which would lose digits",
    (text) => {
      expect(parseCampaignId(text)).toEqual({
        ok: false,
        reason: `${text} is larger than 9007199254740991 and cannot be sent without losing digits`,
      });
    }
  );

  it.each(["1.5", "-3", "1e6", "12 34", "abc", ""])("refuses %j as not a whole number", (text) => {
    expect(parseCampaignId(text)).toEqual({ ok: false, reason: `"${text.trim()}" is not a whole number` });
  });

  it("refuses zero", () => {
    expect(parseCampaignId("0")).toEqual({ ok: false, reason: "campaign IDs are positive" });
  });

  it("property: every exact positive ID round-trips through its text", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (id) => {
        expect(parseCampaignId(String(id))).toEqual({ ok: true, value: id });
      })
    );
  });
});

describe("parsePlatform", () => {
  it.each([
    ["app_a:entity_a", { applicationId: "app_a", entityId: "entity_a" }],
    [" app_a : entity_a ", { applicationId: "app_a", entityId: "entity_a" }],
    ["app_a", { applicationId: "app_a" }],
    ["app_a:", { applicationId: "app_a" }],
    ["app_a:  ", { applicationId: "app_a" }],
    ["app_a:ns:entity", { applicationId: "app_a", entityId: "ns:entity" }],
    [":entity_a", { applicationId: "", entityId: "entity_a" }],
  ])("%j → %j", (text, platform) => {
    expect(parsePlatform(text)).toEqual(platform);
  });

  it("leaves a missing application for the rules to report", () => {
    const platforms = [parsePlatform(":entity_a")];
    const query = toQuery(definition({ preset: "this-month" }, { filters: { platforms } }), APRIL);
    expect(validateQuery(query, APRIL)).toEqual({
      ok: false,
      violations: [{ property: "request.filterBy.platforms[0].applicationId", violation: "must not be empty" }],
    });
  });
});
