import {
  DIMENSIONS,
  FILTERS,
  QueryDefinitionSchema,
  resolvePreset,
  retentionWindow,
  toQuery,
  validateQuery,
  type PeriodPreset,
} from "../billing";
import {
  aggregateByOf,
  connectionChoice,
  appendToTextFilter,
  fieldForProperty,
  firstErrorField,
  fromDefinition,
  initialComposerState,
  mapViolations,
  periodInfo,
  predictedHeaders,
  toDefinition,
  toggleChoice,
  toggleDimension,
  validateComposer,
  type ComposerState,
} from "./composer-state";

const NOW = new Date("2026-03-15T10:00:00Z");

function state(overrides: Partial<ComposerState> = {}): ComposerState {
  return { ...initialComposerState(), ...overrides };
}

function withText(key: keyof ComposerState["textFilters"], text: string, base: ComposerState = state()): ComposerState {
  return { ...base, textFilters: { ...base.textFilters, [key]: text } };
}

function expectOk(result: ReturnType<typeof validateComposer>) {
  if (!result.ok) throw new Error(`expected a valid form, got ${JSON.stringify(result.errors)}`);
  return result;
}

function expectErrors(result: ReturnType<typeof validateComposer>) {
  if (result.ok) throw new Error("expected errors, got a valid form");
  return result.errors;
}

describe("period presets", () => {
  const presets: Exclude<PeriodPreset, "custom">[] = ["this-month", "month-to-date", "last-month", "retention-window"];

  it.each(presets)("%s becomes the interval src/billing resolves at now, and passes the rules", (preset) => {
    const result = expectOk(validateComposer(state({ preset }), NOW));
    expect(result.query.filterBy.dateInterval).toEqual(resolvePreset(preset, NOW));
    expect(result.definition.period).toEqual({ preset });
  });

  it("keeps a preset by name in the definition, so a refresh next month asks for that month", () => {
    const { definition } = expectOk(validateComposer(state({ preset: "last-month" }), NOW));
    const nextMonth = new Date("2026-04-20T00:00:00Z");
    expect(toQuery(definition, NOW).filterBy.dateInterval).toEqual({
      sentSince: "2026-02-01",
      sentUntil: "2026-03-01",
    });
    expect(toQuery(definition, nextMonth).filterBy.dateInterval).toEqual({
      sentSince: "2026-03-01",
      sentUntil: "2026-04-01",
    });
  });

  it("keeps custom dates fixed", () => {
    const custom = state({ preset: "custom", customSince: "2026-02-10", customUntil: "2026-03-05" });
    const { definition, query } = expectOk(validateComposer(custom, NOW));
    expect(definition.period).toEqual({ preset: "custom", sentSince: "2026-02-10", sentUntil: "2026-03-05" });
    expect(query.filterBy.dateInterval).toEqual({ sentSince: "2026-02-10", sentUntil: "2026-03-05" });
  });

  it("shows the retention window and which months are provisional until when", () => {
    const info = periodInfo(state({ preset: "retention-window" }), NOW);
    expect(info.retention).toEqual(retentionWindow(NOW));
    expect(info.interval).toEqual({ sentSince: "2026-01-01", sentUntil: "2026-04-01" });
    expect(info.lastDay).toBe("2026-03-31");
    // On 15 March, January and February are final (5 Feb, 5 Mar have passed); March is not.
    expect(info.provisionalNotes).toEqual(["Data for March 2026 is provisional until 5 April 2026."]);
  });

  it("counts last month as provisional before the 5th and final from the 5th", () => {
    const before = periodInfo(state({ preset: "last-month" }), new Date("2026-03-04T23:59:59Z"));
    const after = periodInfo(state({ preset: "last-month" }), new Date("2026-03-05T00:00:00Z"));
    expect(before.provisionalNotes).toEqual(["Data for February 2026 is provisional until 5 March 2026."]);
    expect(after.provisionalNotes).toEqual([]);
  });

  it("says provisional months will be left out when provisional data is off", () => {
    const info = periodInfo(state({ preset: "this-month", includeUnfinalizedData: false }), NOW);
    expect(info.excludedNote).toMatch(/left out/);
    expect(
      periodInfo(state({ preset: "last-month", includeUnfinalizedData: false }), NOW).excludedNote
    ).toBeUndefined();
  });

  it("shows the wider period Infobip uses when Month granularity aligns custom dates", () => {
    const custom = state({
      preset: "custom",
      customSince: "2026-02-10",
      customUntil: "2026-03-05",
      granularity: "MONTH",
    });
    expect(periodInfo(custom, NOW).alignedInterval).toEqual({ sentSince: "2026-02-01", sentUntil: "2026-04-01" });
    expect(periodInfo({ ...custom, granularity: "DAY" }, NOW).alignedInterval).toBeUndefined();
  });
});

describe("date errors are shown beside the date fields, in plain words", () => {
  it("an empty or malformed custom date is an error on that field, and nothing else is blamed", () => {
    const errors = expectErrors(
      validateComposer(state({ preset: "custom", customSince: "", customUntil: "2026-13-01" }), NOW)
    );
    expect(errors.from).toEqual(["Enter a date, for example 2026-03-01."]);
    expect(errors.to?.[0]).toMatch(/“2026-13-01” is not a date: write it as yyyy-mm-dd/);
    expect(Object.keys(errors).sort()).toEqual(["from", "to"]);
  });

  it("a date before the retention window is put on From, naming the first allowed day", () => {
    const errors = expectErrors(
      validateComposer(state({ preset: "custom", customSince: "2025-12-31", customUntil: "2026-01-15" }), NOW)
    );
    expect(errors.from?.[0]).toMatch(
      /^Is before 2026-01-01: billing data is kept for the current month and the two months before it only\.$/
    );
    expect(errors.to).toBeUndefined();
  });

  it("an end before the start is put on To, with the API's field names replaced by the form's", () => {
    const errors = expectErrors(
      validateComposer(state({ preset: "custom", customSince: "2026-03-10", customUntil: "2026-03-10" }), NOW)
    );
    expect(errors.to?.[0]).toBe(
      "Must be after the From date: the To date is exclusive, the day after the last day you want."
    );
    expect(errors.to?.[0]).not.toMatch(/sentSince|sentUntil/);
  });

  it("an end beyond the first of next month is put on To", () => {
    const errors = expectErrors(
      validateComposer(state({ preset: "custom", customSince: "2026-03-01", customUntil: "2026-04-02" }), NOW)
    );
    expect(errors.to?.[0]).toMatch(/^Is after 2026-04-01, the first day of next month/);
  });

  it("still reports other fields' problems while the dates are half-typed", () => {
    const errors = expectErrors(
      validateComposer(
        withText("countryCodes", "USA", state({ preset: "custom", customSince: "2026-03", customUntil: "" })),
        NOW
      )
    );
    expect(errors.from).toBeDefined();
    expect(errors.to).toBeDefined();
    expect(errors.countryCodes?.[0]).toMatch(/^“USA” must be an ISO 3166-1 alpha-2 country code/);
  });
});

describe("violations map to their fields by property path", () => {
  it.each([
    ["request.filterBy.dateInterval.sentSince", "custom", "from"],
    ["request.filterBy.dateInterval.sentUntil", "custom", "to"],
    ["request.filterBy.dateInterval.sentUntil", "last-month", "period"],
    ["request.filterBy.dateInterval", "this-month", "period"],
    ["request.aggregateBy", "last-month", "dimensions"],
    ["request.aggregateBy[1]", "last-month", "dimensions"],
    ["request.options.includeUnfinalizedData", "last-month", "includeUnfinalizedData"],
    ["request.somethingElse", "last-month", "form"],
  ] as const)("%s (%s) → %s", (property, preset, field) => {
    expect(fieldForProperty(property, preset).field).toBe(field);
  });

  it.each(FILTERS.map((f) => f.key))("request.filterBy.%s[2] → its own filter field, item 2", (key) => {
    expect(fieldForProperty(`request.filterBy.${key}[2]`, "last-month")).toEqual({ field: key, index: 2 });
  });

  it("names the offending value of a list when a relay 400 points at an item", () => {
    const { definition } = toDefinition(withText("senders", "ACME\nShop"));
    const errors = mapViolations(
      [{ property: "request.filterBy.senders[1]", violation: "is not a sender we know" }],
      definition
    );
    expect(errors.senders).toEqual(["“Shop” is not a sender we know."]);
  });

  it("asks for a dimension or a granularity when nothing would be grouped", () => {
    const errors = expectErrors(validateComposer(state({ granularity: "NONE", dimensions: [] }), NOW));
    expect(errors.dimensions?.[0]).toMatch(/^Choose a granularity \(Day or Month\) or at least one column/);
  });

  it("the first field with a problem is the earliest in the form", () => {
    expect(firstErrorField({ label: ["x"], countryCodes: ["y"], to: ["z"] })).toBe("to");
    expect(firstErrorField({})).toBeUndefined();
  });
});

describe("pasted lists", () => {
  it("accept lines, commas, semicolons and tabs, trimmed and without repeats", () => {
    const { query } = expectOk(validateComposer(withText("senders", "ACME, Shop;\tACME\n\n  InfoSMS  \r\n"), NOW));
    expect(query.filterBy.senders).toEqual(["ACME", "Shop", "InfoSMS"]);
  });

  it("upper-case country codes, since de means DE", () => {
    const { query } = expectOk(validateComposer(withText("countryCodes", "de\nUS\nus"), NOW));
    expect(query.filterBy.countryCodes).toEqual(["DE", "US"]);
  });

  it("leave out empty filters entirely", () => {
    const { query } = expectOk(validateComposer(withText("templateIds", "  \n , "), NOW));
    expect(query.filterBy).not.toHaveProperty("templateIds");
  });

  it("read platforms as application:entity, one per line", () => {
    const { query } = expectOk(validateComposer(withText("platforms", "app-1:entity-9\napp-2"), NOW));
    expect(query.filterBy.platforms).toEqual([
      { applicationId: "app-1", entityId: "entity-9" },
      { applicationId: "app-2" },
    ]);
  });

  it("refuse a platform with no application, naming the line", () => {
    const errors = expectErrors(validateComposer(withText("platforms", ":entity-9"), NOW));
    expect(errors.platforms).toEqual([
      "“:entity-9” needs an application ID, written application:entity (or the application alone).",
    ]);
  });

  it("appending a suggestion adds it once, on its own line", () => {
    const once = appendToTextFilter(withText("trafficTypes", "A2P"), "trafficTypes", "MARKETING");
    expect(once.textFilters.trafficTypes).toBe("A2P\nMARKETING");
    expect(appendToTextFilter(once, "trafficTypes", "A2P").textFilters.trafficTypes).toBe("A2P\nMARKETING");
  });
});

describe("campaign IDs", () => {
  it("are sent as numbers", () => {
    const { query } = expectOk(validateComposer(withText("campaignIds", "123\n9007199254740991"), NOW));
    expect(query.filterBy.campaignIds).toEqual([123, 9007199254740991]);
  });

  it("above 2^53 are refused before sending, saying digits would be lost", () => {
    const errors = expectErrors(validateComposer(withText("campaignIds", "123\n9007199254740993"), NOW));
    expect(errors.campaignIds).toEqual([
      "9007199254740993 is larger than 9007199254740991 and cannot be sent without losing digits.",
    ]);
  });

  it("that are not whole numbers are refused, naming the value", () => {
    const errors = expectErrors(validateComposer(withText("campaignIds", "12.5"), NOW));
    expect(errors.campaignIds?.[0]).toMatch(/^"12\.5" is not a whole number/);
  });
});

describe("granularity and dimensions", () => {
  it.each([
    ["DAY", ["DAY", "COUNTRY_NAME"]],
    ["MONTH", ["MONTH", "COUNTRY_NAME"]],
    ["NONE", ["COUNTRY_NAME"]],
  ] as const)("granularity %s gives aggregateBy %j", (granularity, expected) => {
    const s = toggleDimension(state({ granularity }), "COUNTRY_NAME", true);
    expect(aggregateByOf(s)).toEqual(expected);
    expect(expectOk(validateComposer(s, NOW)).query.aggregateBy).toEqual(expected);
  });

  it("never sends DAY and MONTH together: ticking Day replaces Month", () => {
    const s = toggleDimension(state({ granularity: "MONTH" }), "DAY", true);
    expect(aggregateByOf(s)).toEqual(["DAY"]);
  });

  it("keeps the catalog's order whatever the order of ticking", () => {
    let s = state({ granularity: "NONE" });
    for (const code of ["SENDER", "ACCOUNT_KEY", "COUNTRY_NAME"] as const) s = toggleDimension(s, code, true);
    expect(aggregateByOf(s)).toEqual(["ACCOUNT_KEY", "SENDER", "COUNTRY_NAME"]);
    expect(aggregateByOf(toggleDimension(s, "ACCOUNT_KEY", false))).toEqual(["SENDER", "COUNTRY_NAME"]);
  });

  it("every non-time dimension of the catalog can be ticked and passes the rules", () => {
    for (const d of DIMENSIONS.filter((x) => x.group !== "Time")) {
      const s = toggleDimension(state(), d.code, true);
      expect(expectOk(validateComposer(s, NOW)).query.aggregateBy).toEqual(["MONTH", d.code]);
    }
  });

  it("shows the auto-added Account and Category columns until one of each pair is chosen", () => {
    const plain = predictedHeaders(state());
    expect(plain.filter((h) => h.autoAdded).map((h) => h.label)).toEqual(["Account", "Category code"]);
    const withAccount = predictedHeaders(toggleDimension(state(), "ACCOUNT_KEY", true));
    expect(withAccount.filter((h) => h.autoAdded).map((h) => h.label)).toEqual(["Category code"]);
    expect(plain.slice(-2).map((h) => h.label)).toEqual(["Billing month", "Period status"]);
  });
});

describe("checkbox filters, options, destination and label", () => {
  it("categories, subcategories and directions keep the catalog's order", () => {
    let s = toggleChoice(state(), "categories", "WHATSAPP", true);
    s = toggleChoice(s, "categories", "SMS", true);
    s = toggleChoice(s, "directions", "INBOUND", true);
    s = toggleChoice(s, "subCategories", "VIBER_BOTS", true);
    const { query } = expectOk(validateComposer(s, NOW));
    expect(query.filterBy.categories).toEqual(["SMS", "WHATSAPP"]);
    expect(query.filterBy.directions).toEqual(["INBOUND"]);
    expect(query.filterBy.subCategories).toEqual(["VIBER_BOTS"]);
    expect(toggleChoice(s, "categories", "SMS", false).categories).toEqual(["WHATSAPP"]);
  });

  it("include provisional data becomes options.includeUnfinalizedData", () => {
    expect(expectOk(validateComposer(state({ includeUnfinalizedData: false }), NOW)).query.options).toEqual({
      includeUnfinalizedData: false,
    });
  });

  it("replacing a table needs the table", () => {
    const errors = expectErrors(validateComposer(state({ destination: { kind: "replace", tableName: "" } }), NOW));
    expect(errors.destination).toEqual(["Choose the billing table whose rows this query replaces."]);
    const ok = expectOk(validateComposer(state({ destination: { kind: "replace", tableName: "Billing_1" } }), NOW));
    expect(ok.destination).toEqual({ kind: "replace", tableName: "Billing_1" });
  });

  it("the label is trimmed, kept in the definition, and limited in length", () => {
    expect(expectOk(validateComposer(state({ label: "  March SMS  " }), NOW)).definition.label).toBe("March SMS");
    expect(expectErrors(validateComposer(state({ label: "x".repeat(101) }), NOW)).label).toBeDefined();
  });
});

describe("definitions round-trip through the form", () => {
  it("a valid form gives a definition the saved schema accepts, and the form shows it again unchanged", () => {
    let s = state({
      preset: "custom",
      customSince: "2026-02-01",
      customUntil: "2026-03-01",
      granularity: "DAY",
      label: "Feb",
    });
    s = toggleDimension(s, "COUNTRY_NAME", true);
    s = toggleChoice(s, "categories", "SMS", true);
    s = withText("platforms", "app:ent\napp2", s);
    s = withText("campaignIds", "42", s);
    s = withText("accountKeys", "k1\nk2", s);
    const { definition, query } = expectOk(validateComposer(s, NOW));
    expect(QueryDefinitionSchema.safeParse(definition).success).toBe(true);
    expect(validateQuery(query, NOW).ok).toBe(true);
    const again = fromDefinition(definition);
    expect(expectOk(validateComposer(again, NOW)).definition).toEqual(definition);
  });
});

describe("connections", () => {
  const NOW = new Date("2026-03-15T10:00:00Z");

  it("offers nothing for a relay with one connection, and names none in the definition", () => {
    expect(connectionChoice(undefined, [], () => true)).toBeUndefined();
    const result = validateComposer(initialComposerState(), NOW);
    expect(result.ok).toBe(true);
    expect(result.ok && "connections" in result.definition).toBe(false);
  });

  it("ticks the connections with a key at first (all when none has one), and keeps a choice among those listed", () => {
    expect(connectionChoice(undefined, ["eu", "us", "apac"], (name) => name !== "us")).toEqual(["eu", "apac"]);
    expect(connectionChoice(undefined, ["eu", "us"], () => false)).toEqual(["eu", "us"]);
    expect(connectionChoice(["us", "gone"], ["eu", "us"], () => true)).toEqual(["us"]);
  });

  it("records the chosen connections in the definition, and refuses none at all beside the field", () => {
    const chosen = validateComposer({ ...initialComposerState(), connections: ["eu", "us"] }, NOW);
    expect(chosen.ok && chosen.definition.connections).toEqual(["eu", "us"]);
    expect(fromDefinition(chosen.ok ? chosen.definition : (undefined as never)).connections).toEqual(["eu", "us"]);
    const none = validateComposer({ ...initialComposerState(), connections: [] }, NOW);
    expect(none.ok ? {} : none.errors.connections).toEqual(["Choose at least one connection to run the query on."]);
    expect(none.ok ? undefined : firstErrorField(none.errors)).toBe("connections");
  });
});
