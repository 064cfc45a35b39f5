import { MAX_LABEL_LENGTH, validateQuerySubmission } from "./index";

const NOW = new Date("2026-04-10T12:00:00.000Z");
const REQUEST = {
  filterBy: { dateInterval: { sentSince: "2026-03-01", sentUntil: "2026-04-01" } },
  aggregateBy: ["CATEGORY_CODE"],
};

function violationsOf(body: unknown): Array<{ property: string; violation: string }> {
  const checked = validateQuerySubmission(body, NOW);
  return checked.ok ? [] : checked.violations;
}

describe("validateQuerySubmission", () => {
  it("accepts a query with a label, trimmed, or without one (null), and a connection or none (null)", () => {
    expect(validateQuerySubmission({ request: REQUEST, label: "  March  ", connection: "eu" }, NOW)).toEqual({
      ok: true,
      value: { request: REQUEST, label: "March", connection: "eu" },
    });
    expect(validateQuerySubmission({ request: REQUEST }, NOW)).toEqual({
      ok: true,
      value: { request: REQUEST, label: null, connection: null },
    });
    expect(validateQuerySubmission({ request: REQUEST, label: null }, NOW)).toMatchObject({ ok: true });
  });

  it(`keeps a label to ${MAX_LABEL_LENGTH} characters after trimming`, () => {
    expect(violationsOf({ request: REQUEST, label: ` ${"x".repeat(MAX_LABEL_LENGTH)} ` })).toEqual([]);
    expect(violationsOf({ request: REQUEST, label: "x".repeat(MAX_LABEL_LENGTH + 1) })).toEqual([
      { property: "label", violation: `must be at most ${MAX_LABEL_LENGTH} characters` },
    ]);
  });

  it("names every problem of the envelope and of the query at once, date rules included", () => {
    const violations = violationsOf({
      request: {
        filterBy: { dateInterval: { sentSince: "2026-01-01", sentUntil: "2026-01-01" }, countryCodes: ["usa"] },
        aggregateBy: [],
      },
      label: 42,
      colour: "blue",
    });
    expect(violations.map((v) => v.property).sort()).toEqual([
      "colour",
      "label",
      "request.aggregateBy",
      "request.filterBy.countryCodes[0]",
      "request.filterBy.dateInterval.sentSince",
      "request.filterBy.dateInterval.sentUntil",
    ]);
    expect(violations.find((v) => v.property === "colour")?.violation).toBe(
      "is not a known property; send request, label and connection only"
    );
    expect(violations.find((v) => v.property === "request.filterBy.dateInterval.sentSince")?.violation).toMatch(
      /before 2026-02-01/
    );
  });

  it.each([
    ["a list", [REQUEST], "body"],
    ["null", null, "body"],
    ["text", "request", "body"],
    ["an object without request", { label: "x" }, "request"],
  ])("refuses %s with one violation, naming what is wrong", (_what, body, property) => {
    expect(violationsOf(body).map((v) => v.property)).toEqual([property]);
  });
});
