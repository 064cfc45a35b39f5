import fc from "fast-check";
import {
  AGGREGATE_DIMENSIONS,
  DIMENSIONS,
  FILTERS,
  FILTER_KEYS,
  MAX_RANGE_MONTHS,
  PERIOD_PRESETS,
  dateIntervalViolations,
  propertyPath,
  resolvePreset,
  validateQuery,
  validateQueryRequest,
  type BillingUsageDataFilter,
  type FilterKey,
  type Validation,
  type Violation,
} from "./index";
import {
  MS_PER_DAY,
  addCalendarMonths,
  daysFromCivil,
  daysOfInstant,
  firstDayOfMonthIndex,
  formatDays,
  monthIndexOfDays,
} from "./test-support/civil-calendar";

const NOW = new Date("2026-04-10T12:00:00.000Z");
const MARCH = { sentSince: "2026-03-01", sentUntil: "2026-04-01" };

/** A minimal valid `request`, with overrides merged into `filterBy` and the top level. */
function query(filterBy: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { filterBy: { dateInterval: MARCH, ...filterBy }, aggregateBy: ["CATEGORY_CODE"], ...rest };
}

function violationsOf<T>(result: Validation<T>): Violation[] {
  return result.ok ? [] : result.violations;
}

function interval(sentSince: string, sentUntil: string, now: Date): Violation[] {
  return violationsOf(validateQuery(query({ dateInterval: { sentSince, sentUntil } }), now));
}

const SINCE = "request.filterBy.dateInterval.sentSince";
const UNTIL = "request.filterBy.dateInterval.sentUntil";

describe("propertyPath", () => {
  it("writes dotted paths with array indexes", () => {
    expect(propertyPath(["request", "aggregateBy", 1])).toBe("request.aggregateBy[1]");
    expect(propertyPath(["request", "filterBy", "platforms", 0, "applicationId"])).toBe(
      "request.filterBy.platforms[0].applicationId"
    );
    expect(propertyPath([])).toBe("");
  });

  it("brackets keys that are not plain names, so a path never ends in a bare dot", () => {
    expect(propertyPath(["request", ""])).toBe('request[""]');
    expect(propertyPath(["request", "filterBy", "country code"])).toBe('request.filterBy["country code"]');
  });
});

describe("aggregateBy", () => {
  it.each(DIMENSIONS.map((d) => d.code))("accepts %s on its own", (dimension) => {
    const result = validateQuery(query({}, { aggregateBy: [dimension] }), NOW);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ aggregateBy: [dimension] }) });
  });

  it("accepts every dimension but MONTH at once, keeping the order", () => {
    const all = AGGREGATE_DIMENSIONS.filter((d) => d !== "MONTH").reverse();
    const result = validateQuery(query({}, { aggregateBy: all }), NOW);
    expect(result.ok && result.value.aggregateBy).toEqual(all);
  });

  it.each([
    [["DAY", "MONTH"], "request.aggregateBy[1]"],
    [["MONTH", "CATEGORY_CODE", "DAY"], "request.aggregateBy[0]"],
  ])("refuses DAY with MONTH in %j, at the MONTH item", (aggregateBy, property) => {
    expect(violationsOf(validateQuery(query({}, { aggregateBy }), NOW))).toEqual([
      { property, violation: "cannot be combined with DAY: choose one time granularity, DAY or MONTH" },
    ]);
  });

  it("refuses an empty list", () => {
    expect(violationsOf(validateQuery(query({}, { aggregateBy: [] }), NOW))).toEqual([
      { property: "request.aggregateBy", violation: "must name at least one dimension" },
    ]);
  });

  it("refuses a missing list", () => {
    expect(violationsOf(validateQuery({ filterBy: { dateInterval: MARCH } }, NOW))).toEqual([
      { property: "request.aggregateBy", violation: "is required" },
    ]);
  });

  it("refuses a repeated dimension at the repeat", () => {
    expect(
      violationsOf(validateQuery(query({}, { aggregateBy: ["COUNTRY_NAME", "DAY", "COUNTRY_NAME"] }), NOW))
    ).toEqual([{ property: "request.aggregateBy[2]", violation: "is a duplicate of item 0; list each value once" }]);
  });

  it("refuses an unknown dimension, listing the known ones", () => {
    const violations = violationsOf(validateQuery(query({}, { aggregateBy: ["DAY", "WEEK"] }), NOW));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.property).toBe("request.aggregateBy[1]");
    expect(violations[0]?.violation).toMatch(/^must be one of: DAY, MONTH, /);
    for (const code of AGGREGATE_DIMENSIONS) expect(violations[0]?.violation).toContain(code);
  });

  it("reports an unknown dimension, a duplicate and DAY with MONTH in one answer", () => {
    const violations = violationsOf(validateQuery(query({}, { aggregateBy: ["DAY", "MONTH", "DAY", "WEEK"] }), NOW));
    expect(violations.map((v) => v.property).sort()).toEqual([
      "request.aggregateBy[1]",
      "request.aggregateBy[2]",
      "request.aggregateBy[3]",
    ]);
    expect(violations.find((v) => v.property === "request.aggregateBy[1]")?.violation).toMatch(/combined with DAY/);
    expect(violations.find((v) => v.property === "request.aggregateBy[2]")?.violation).toMatch(/duplicate of item 0/);
  });

  it("reports a duplicate filter value beside an unknown one", () => {
    const violations = violationsOf(validateQuery(query({ categories: ["SMS", "SMS", "FAX"] }), NOW));
    expect(violations.map((v) => v.property).sort()).toEqual([
      "request.filterBy.categories[1]",
      "request.filterBy.categories[2]",
    ]);
  });
});

/** Two distinct valid values per filter; the types make sure each table row fits its filter. */
const VALID_FILTER_VALUES: {
  [K in FilterKey]: [NonNullable<BillingUsageDataFilter[K]>[number], NonNullable<BillingUsageDataFilter[K]>[number]];
} = {
  accountKeys: ["account_key_1", "565C2852060F94BC771F692C04C055E1"],
  categories: ["SMS", "WHATSAPP"],
  subCategories: ["VIBER_BM", "VIBER_BOTS"],
  countryCodes: ["US", "DE"],
  platforms: [{ applicationId: "app_a", entityId: "entity_a" }, { applicationId: "app_a" }],
  directions: ["OUTBOUND", "INBOUND"],
  trafficTypes: ["MARKETING", "A2P"],
  senders: ["mySender", "jane.smith@somecompany.com"],
  senderTypes: ["ALPHANUMERIC", "DOMAIN"],
  campaignReferenceIds: ["summer-sale", "bf2026"],
  campaignIds: [12_354_646_546, 754_564_654_689],
  templateIds: ["5653923468715475", "5253923468715475"],
};

describe("filterBy", () => {
  it("has one table row per filter of the catalog", () => {
    expect(Object.keys(VALID_FILTER_VALUES).sort()).toEqual([...FILTER_KEYS].sort());
    expect(FILTERS.map((f) => f.key)).toEqual([...FILTER_KEYS]);
  });

  describe.each(FILTER_KEYS)("%s", (key) => {
    const [first, second] = VALID_FILTER_VALUES[key];

    it("accepts valid values and keeps them", () => {
      const result = validateQuery(query({ [key]: [first, second] }), NOW);
      expect(result.ok && result.value.filterBy[key]).toEqual([first, second]);
    });

    it("refuses a duplicate at its index", () => {
      expect(violationsOf(validateQuery(query({ [key]: [first, second, first] }), NOW))).toEqual([
        { property: `request.filterBy.${key}[2]`, violation: "is a duplicate of item 0; list each value once" },
      ]);
    });

    it("refuses something that is not a list", () => {
      expect(violationsOf(validateQuery(query({ [key]: first }), NOW))).toEqual([
        { property: `request.filterBy.${key}`, violation: expect.stringMatching(/^must be a list, not /) },
      ]);
    });
  });

  it.each([
    ["categories", ["SMS", "SMS_FEE"], "request.filterBy.categories[1]", /^must be one of: SMS, /],
    ["subCategories", ["VIBER"], "request.filterBy.subCategories[0]", /^must be one of: VIBER_BM, VIBER_BOTS$/],
    ["directions", ["OUT"], "request.filterBy.directions[0]", /^must be one of: OUTBOUND, INBOUND$/],
    ["countryCodes", ["us"], "request.filterBy.countryCodes[0]", /ISO 3166-1 alpha-2/],
    ["countryCodes", ["US", "USA"], "request.filterBy.countryCodes[1]", /two capital letters/],
    ["countryCodes", ["U1"], "request.filterBy.countryCodes[0]", /two capital letters/],
    ["accountKeys", [""], "request.filterBy.accountKeys[0]", /^must not be empty$/],
    ["senders", ["   "], "request.filterBy.senders[0]", /^must not be empty$/],
    ["templateIds", [5653923468715475], "request.filterBy.templateIds[0]", /^must be text, not a number$/],
    ["campaignIds", ["12354646546"], "request.filterBy.campaignIds[0]", /^must be a number, not a string$/],
  ])("%s %j is refused at the item", (key, values, property, message) => {
    expect(violationsOf(validateQuery(query({ [key]: values }), NOW))).toEqual([
      { property, violation: expect.stringMatching(message) },
    ]);
  });

  it.each(["countryCode", "category", "accountKey", "campaignId", "dateRange", "platform"])(
    "refuses the unknown filter %s, naming it",
    (name) => {
      expect(violationsOf(validateQuery(query({ [name]: ["x"] }), NOW))).toEqual([
        { property: `request.filterBy.${name}`, violation: "is not a known property; check its spelling" },
      ]);
    }
  );

  it("refuses unknown properties elsewhere in the request too", () => {
    const input = {
      filterBy: { dateInterval: { ...MARCH, timeZone: "UTC" } },
      aggregateBy: ["DAY"],
      options: { includeUnfinalisedData: false },
      groupBy: ["DAY"],
    };
    expect(violationsOf(validateQuery(input, NOW))).toEqual(
      expect.arrayContaining([
        {
          property: "request.filterBy.dateInterval.timeZone",
          violation: "is not a known property; check its spelling",
        },
        {
          property: "request.options.includeUnfinalisedData",
          violation: "is not a known property; check its spelling",
        },
        { property: "request.groupBy", violation: "is not a known property; check its spelling" },
      ])
    );
  });

  it("requires the date interval", () => {
    expect(violationsOf(validateQuery({ filterBy: {}, aggregateBy: ["DAY"] }, NOW))).toEqual([
      { property: "request.filterBy.dateInterval", violation: "is required" },
    ]);
    expect(
      violationsOf(
        validateQuery({ filterBy: { dateInterval: { sentSince: "2026-03-01" } }, aggregateBy: ["DAY"] }, NOW)
      )
    ).toEqual([{ property: UNTIL, violation: "is required" }]);
  });
});

describe("campaign IDs", () => {
  const campaignIds = (ids: unknown[]): Violation[] => violationsOf(validateQuery(query({ campaignIds: ids }), NOW));
  const precision = `is larger than ${Number.MAX_SAFE_INTEGER} and has lost digits on the way; campaign IDs this large cannot be sent exactly`;

  it("accepts 2^53 - 1, the largest exact one", () => {
    expect(campaignIds([2 ** 53 - 1, 754_564_654_689])).toEqual([]);
  });

  it.each([2 ** 53, 2 ** 53 + 2, JSON.parse("9007199254740993") as number, 1e20])(
    "refuses %d with the precision message",
    (id) => {
      expect(campaignIds([id])).toEqual([{ property: "request.filterBy.campaignIds[0]", violation: precision }]);
    }
  );

  it.each([1.5, 0, -1, Number.NaN])("refuses %d as not a positive whole number", (id) => {
    expect(campaignIds([7, id])).toEqual([
      {
        property: "request.filterBy.campaignIds[1]",
        violation: expect.stringMatching(/positive whole number|must be a number/),
      },
    ]);
  });
});

describe("platforms", () => {
  const platforms = (list: unknown[]): Violation[] => violationsOf(validateQuery(query({ platforms: list }), NOW));

  it("accepts an application alone and an application with an entity", () => {
    expect(platforms([{ applicationId: "app_a" }, { applicationId: "app_a", entityId: "entity_a" }])).toEqual([]);
  });

  it("refuses an entity without its application", () => {
    expect(platforms([{ applicationId: "app_a" }, { entityId: "entity_a" }])).toEqual([
      {
        property: "request.filterBy.platforms[1].applicationId",
        violation: "is required with entityId: an entity is only meaningful within its application",
      },
    ]);
  });

  it("refuses an empty pair", () => {
    expect(platforms([{}])).toEqual([
      {
        property: "request.filterBy.platforms[0].applicationId",
        violation: "is required: a platform names an application, optionally with one of its entities",
      },
    ]);
  });

  it("refuses the same pair twice but not the same application with another entity", () => {
    const a = { applicationId: "app_a", entityId: "entity_a" };
    expect(platforms([a, { applicationId: "app_a", entityId: "entity_b" }, { ...a }])).toEqual([
      { property: "request.filterBy.platforms[2]", violation: "is a duplicate of item 0; list each value once" },
    ]);
  });

  it("refuses blank IDs and unknown keys", () => {
    expect(platforms([{ applicationId: " ", entityId: "e" }])).toEqual([
      { property: "request.filterBy.platforms[0].applicationId", violation: "must not be empty" },
    ]);
    expect(platforms([{ applicationId: "a", appId: "b" }])).toEqual([
      { property: "request.filterBy.platforms[0].appId", violation: "is not a known property; check its spelling" },
    ]);
  });
});

describe("dates", () => {
  it.each(["2026-3-01", "01.03.2026", "2026-03-01T00:00:00Z", "20260301", ""])("refuses the format %j", (text) => {
    expect(interval(text, "2026-04-01", NOW)).toEqual([
      { property: SINCE, violation: "must be a date written yyyy-MM-dd (UTC), for example 2026-03-01" },
    ]);
    expect(interval("2026-03-01", text, NOW)).toEqual([
      { property: UNTIL, violation: "must be a date written yyyy-MM-dd (UTC), for example 2026-03-01" },
    ]);
  });

  it("refuses a date that is not a date", () => {
    expect(
      violationsOf(validateQuery(query({ dateInterval: { sentSince: 20260301, sentUntil: "2026-04-01" } }), NOW))
    ).toEqual([{ property: SINCE, violation: "must be text, not a number" }]);
  });

  it.each(["2026-02-29", "2026-02-30", "2026-04-31"])("refuses %s, which is not a calendar day", (text) => {
    expect(interval(text, "2026-05-01", NOW)).toEqual([
      { property: SINCE, violation: expect.stringContaining("yyyy-MM-dd") },
    ]);
  });

  it("accepts 29 February in a leap year", () => {
    expect(interval("2024-02-29", "2024-03-01", new Date("2024-03-10T00:00:00Z"))).toEqual([]);
  });

  it("needs sentSince before sentUntil (the end is exclusive: one day is since..since+1)", () => {
    const message = "must be after sentSince: sentUntil is exclusive, the day after the last day you want";
    expect(interval("2026-04-09", "2026-04-10", NOW)).toEqual([]);
    expect(interval("2026-04-09", "2026-04-09", NOW)).toEqual([{ property: UNTIL, violation: message }]);
    expect(interval("2026-04-09", "2026-03-09", NOW)).toEqual([{ property: UNTIL, violation: message }]);
  });

  describe("at most 3 calendar months", () => {
    const inMay = new Date("2026-05-15T08:00:00.000Z");
    const tooLong = `is more than ${MAX_RANGE_MONTHS} months after sentSince: a query covers at most ${MAX_RANGE_MONTHS} months; split it into several queries`;

    it("allows exactly 3 months, 2026-03-01 to 2026-06-01", () => {
      expect(interval("2026-03-01", "2026-06-01", inMay)).toEqual([]);
    });

    it("refuses one day more", () => {
      expect(interval("2026-03-01", "2026-06-02", inMay)).toEqual([{ property: UNTIL, violation: tooLong }]);
    });

    it("clamps month ends: 2026-01-31 + 3 months is 2026-04-30", () => {
      const inApril = new Date("2026-04-20T00:00:00.000Z");
      expect(
        dateIntervalViolations("2026-01-31", "2026-04-30", inApril, ["request", "filterBy", "dateInterval"])
      ).toEqual([{ property: SINCE, violation: expect.stringContaining("is before 2026-02-01") }]);
      expect(
        dateIntervalViolations("2026-01-31", "2026-05-01", inApril, ["request", "filterBy", "dateInterval"])
      ).toEqual([
        { property: SINCE, violation: expect.stringContaining("is before 2026-02-01") },
        { property: UNTIL, violation: tooLong },
      ]);
      const inMarch = new Date("2026-03-20T00:00:00.000Z");
      expect(interval("2026-01-31", "2026-04-30", inMarch)).toEqual([
        { property: UNTIL, violation: expect.stringContaining("is after 2026-04-01, the first day of next month") },
      ]);
      expect(interval("2026-01-31", "2026-05-01", inMarch)).toEqual([{ property: UNTIL, violation: tooLong }]);
    });
  });

  describe("retention: the current month and the two before it", () => {
    it("allows the 1st of the month two months back and refuses the day before", () => {
      expect(interval("2026-02-01", "2026-03-01", NOW)).toEqual([]);
      expect(interval("2026-01-31", "2026-03-01", NOW)).toEqual([
        {
          property: SINCE,
          violation:
            "is before 2026-02-01: billing data is kept for the current month and the two months before it only",
        },
      ]);
    });

    it("reaches into the previous year in January", () => {
      const inJanuary = new Date("2026-01-15T00:00:00.000Z");
      expect(interval("2025-11-01", "2026-01-01", inJanuary)).toEqual([]);
      expect(interval("2025-10-31", "2025-12-01", inJanuary)).toEqual([
        { property: SINCE, violation: expect.stringContaining("is before 2025-11-01") },
      ]);
    });

    it("moves at midnight UTC on the 1st", () => {
      const lastMoment = new Date("2026-04-30T23:59:59.999Z");
      const nextMonth = new Date("2026-05-01T00:00:00.000Z");
      expect(interval("2026-02-01", "2026-03-01", lastMoment)).toEqual([]);
      expect(interval("2026-02-01", "2026-03-01", nextMonth)).toEqual([
        { property: SINCE, violation: expect.stringContaining("is before 2026-03-01") },
      ]);
    });
  });

  describe("the future", () => {
    it("allows sentUntil up to the 1st of next month and refuses beyond", () => {
      expect(interval("2026-04-01", "2026-05-01", NOW)).toEqual([]);
      expect(interval("2026-04-30", "2026-05-01", NOW)).toEqual([]);
      expect(interval("2026-04-01", "2026-05-02", NOW)).toEqual([
        {
          property: UNTIL,
          violation:
            "is after 2026-05-01, the first day of next month: use 2026-05-01 to include the whole current month",
        },
      ]);
    });

    it("refuses a sentSince after the current month", () => {
      expect(interval("2026-05-01", "2026-05-02", NOW)).toEqual([
        { property: SINCE, violation: "is after the current month: no billing data exists from 2026-05-01 on yet" },
        { property: UNTIL, violation: expect.stringContaining("is after 2026-05-01") },
      ]);
    });
  });

  it("reports the date rules even when other parts are wrong, so every problem shows at once", () => {
    const violations = violationsOf(
      validateQuery(
        { filterBy: { dateInterval: { sentSince: "2025-01-01", sentUntil: "2025-01-01" } }, aggregateBy: [] },
        NOW
      )
    );
    expect(violations.map((v) => v.property).sort()).toEqual(["request.aggregateBy", SINCE, UNTIL].sort());
  });

  it("answers dates at the end of the calendar with violations, never an exception", () => {
    expect(interval("9999-12-01", "9999-12-31", NOW)).toEqual([
      { property: SINCE, violation: "is after the current month: no billing data exists from 2026-05-01 on yet" },
      { property: UNTIL, violation: expect.stringContaining("is after 2026-05-01") },
    ]);
    expect(interval("0000-01-01", "0000-01-02", NOW)).toEqual([
      { property: SINCE, violation: expect.stringContaining("is before 2026-02-01") },
    ]);
  });

  it("uses the prefix it is given", () => {
    expect(
      violationsOf(
        validateQuery(query({ dateInterval: { sentSince: "2026-01-01", sentUntil: "2026-02-01" } }), NOW, ["query"])
      )
    ).toEqual([
      { property: "query.filterBy.dateInterval.sentSince", violation: expect.stringContaining("is before 2026-02-01") },
    ]);
  });
});

describe("validateQueryRequest (the whole body)", () => {
  it('names a body that is not an object "body"', () => {
    expect(violationsOf(validateQueryRequest(null, NOW))).toEqual([
      { property: "body", violation: "must be an object, not null" },
    ]);
  });

  const body = (callbackUrl: unknown, request: unknown = query()): Record<string, unknown> =>
    callbackUrl === undefined ? { request } : { callbackUrl, request };

  it.each([
    "https://example.com/receive",
    "http://127.0.0.1:3001/callback/abc",
    "https://relay.example.com:8443/cb?t=1",
  ])("accepts the callback URL %s", (url) => {
    expect(validateQueryRequest(body(url), NOW)).toEqual({ ok: true, value: body(url) });
  });

  it("requires callbackUrl", () => {
    expect(violationsOf(validateQueryRequest(body(undefined), NOW))).toEqual([
      { property: "callbackUrl", violation: "is required" },
    ]);
  });

  it.each(["/billing-callback", "example.com/cb", "ftp://example.com/cb", "javascript:alert(1)", "https//example.com"])(
    "refuses %j, which is not an absolute http(s) URL",
    (url) => {
      expect(violationsOf(validateQueryRequest(body(url), NOW))).toEqual([
        { property: "callbackUrl", violation: "must be an absolute http or https URL that Infobip can reach" },
      ]);
    }
  );

  it("refuses an empty or non-text callbackUrl", () => {
    expect(violationsOf(validateQueryRequest(body(""), NOW))).toEqual(
      expect.arrayContaining([{ property: "callbackUrl", violation: "must not be empty" }])
    );
    expect(violationsOf(validateQueryRequest(body(42), NOW))).toEqual([
      { property: "callbackUrl", violation: "must be text, not a number" },
    ]);
  });

  it("requires request and refuses unknown top-level properties", () => {
    expect(violationsOf(validateQueryRequest({ callbackUrl: "https://example.com/cb" }, NOW))).toEqual([
      { property: "request", violation: "is required" },
    ]);
    expect(violationsOf(validateQueryRequest({ ...body("https://example.com/cb"), callbackURL: "x" }, NOW))).toEqual([
      { property: "callbackURL", violation: "is not a known property; check its spelling" },
    ]);
  });

  it("finds the same problems in the request part as validateQuery, under the same paths", () => {
    const broken = query(
      { countryCodes: ["us"], dateInterval: { sentSince: "2025-01-01", sentUntil: "2025-07-01" } },
      { aggregateBy: ["DAY", "MONTH"] }
    );
    expect(violationsOf(validateQueryRequest(body("https://example.com/cb", broken), NOW))).toEqual(
      violationsOf(validateQuery(broken, NOW))
    );
  });
});

describe("every violation names a property and says what is wrong in plain words", () => {
  const maybe = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.anything() });
  const dimension = fc.constantFrom(...AGGREGATE_DIMENSIONS, "WEEK", "day");
  const date = fc.oneof(
    fc.integer({ min: -200, max: 200 }).map((offset) => formatDays(daysOfInstant(NOW) + offset)),
    fc.constantFrom("2026-02-30", "2026-3-1", "")
  );
  const filterValue = fc.oneof(
    fc.array(fc.constantFrom("SMS", "US", "us", "", "OUTBOUND", "VIBER_BM", "x"), { maxLength: 3 }),
    fc.array(fc.oneof(fc.integer(), fc.double()), { maxLength: 3 }),
    fc.array(
      fc.record({ applicationId: fc.constantFrom("a", ""), entityId: fc.constantFrom("e", "") }, { requiredKeys: [] }),
      { maxLength: 3 }
    )
  );
  const filterBy = fc
    .tuple(
      maybe(fc.record({ sentSince: maybe(date), sentUntil: maybe(date) }, { requiredKeys: [] })),
      fc.dictionary(fc.constantFrom(...FILTER_KEYS, "countryCode", "timeZone"), maybe(filterValue), { maxKeys: 4 })
    )
    .map(([dateInterval, filters]) => ({ dateInterval, ...filters }));
  const request = fc.record(
    {
      filterBy: maybe(filterBy),
      aggregateBy: maybe(fc.array(dimension, { maxLength: 4 })),
      options: maybe(fc.record({ includeUnfinalizedData: maybe(fc.boolean()) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] }
  );
  const requestBody = fc.record(
    { callbackUrl: maybe(fc.constantFrom("https://example.com/cb", "/cb", "")), request: maybe(request) },
    { requiredKeys: [] }
  );
  const PATH = /^(callbackUrl|request)(\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;
  const ZOD_WORDING = /Invalid input|expected |received|Too small|Too big|Unrecognized|ZodError/;

  it("for any body, valid or not", () => {
    fc.assert(
      fc.property(requestBody, (input) => {
        const result = validateQueryRequest(input, NOW);
        if (result.ok) return;
        expect(result.violations.length).toBeGreaterThan(0);
        for (const { property, violation } of result.violations) {
          expect(property).toMatch(PATH);
          expect(violation.length).toBeGreaterThan(0);
          expect(violation).not.toMatch(ZOD_WORDING);
        }
      }),
      { numRuns: 500 }
    );
  });
});

describe("property: the presets are always valid queries", () => {
  const MIN = daysFromCivil({ year: 1, month: 3, day: 1 }) * MS_PER_DAY;
  const MAX = daysFromCivil({ year: 9999, month: 11, day: 30 }) * MS_PER_DAY;
  const anyNow = fc.integer({ min: MIN, max: MAX }).map((ms) => new Date(ms));

  it.each(PERIOD_PRESETS.filter((p) => p !== "custom"))("%s, for any now", (preset) => {
    fc.assert(
      fc.property(
        anyNow,
        fc.constantFrom<("DAY" | "MONTH" | "CATEGORY_CODE")[]>(["DAY"], ["MONTH"], ["CATEGORY_CODE"]),
        (now, aggregateBy) => {
          const dateInterval = resolvePreset(preset, now);
          expect(validateQuery({ filterBy: { dateInterval }, aggregateBy }, now)).toEqual({
            ok: true,
            value: { filterBy: { dateInterval }, aggregateBy },
          });
        }
      )
    );
  });
});

describe("property: the date rules agree with an independent oracle", () => {
  /**
   * The oracle works on whole-day numbers from the independent calendar, not on the strings and helpers
   * the code uses: sentSince within [1st of month-2, 1st of month+1), sentUntil after sentSince, no later
   * than sentSince + 3 calendar months (clamped to the month's end) and no later than the 1st of next month.
   */
  function oracleAccepts(since: number, until: number, now: Date): boolean {
    const month = monthIndexOfDays(daysOfInstant(now));
    const windowStart = firstDayOfMonthIndex(month - 2);
    const windowEnd = firstDayOfMonthIndex(month + 1);
    return (
      since >= windowStart &&
      since < windowEnd &&
      until > since &&
      until <= addCalendarMonths(since, 3) &&
      until <= windowEnd
    );
  }

  const MIN_DAY = daysFromCivil({ year: 1, month: 6, day: 1 });
  const MAX_DAY = daysFromCivil({ year: 9999, month: 6, day: 1 });

  it("accepts a date pair exactly when the oracle does", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_DAY, max: MAX_DAY }),
        fc.integer({ min: 0, max: MS_PER_DAY - 1 }),
        fc.integer({ min: -100, max: 40 }),
        fc.integer({ min: -3, max: 100 }),
        (nowDay, msOfDay, sinceOffset, length) => {
          const now = new Date(nowDay * MS_PER_DAY + msOfDay);
          const since = nowDay + sinceOffset;
          const until = since + length;
          const violations = interval(formatDays(since), formatDays(until), now);
          expect(violations.length === 0).toBe(oracleAccepts(since, until, now));
          for (const v of violations) expect([SINCE, UNTIL]).toContain(v.property);
          if (violations.length === 0) accepted += 1;
        }
      ),
      { numRuns: 1000 }
    );
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(950);
  });

  it("agrees on the exact edges around the window and the 3-month limit", () => {
    const edges = fc
      .tuple(
        fc.integer({ min: MIN_DAY, max: MAX_DAY }),
        fc.constantFrom(-2, 1),
        fc.integer({ min: -1, max: 1 }),
        fc.integer({ min: -1, max: 1 }),
        fc.constantFrom("3-months", "window-end")
      )
      .map(([nowDay, monthOffset, sinceNudge, untilNudge, limit]) => {
        const month = monthIndexOfDays(nowDay);
        const since =
          firstDayOfMonthIndex(month + (monthOffset === -2 ? -2 : 0)) + sinceNudge + (monthOffset === 1 ? 27 : 0);
        const end = limit === "3-months" ? addCalendarMonths(since, 3) : firstDayOfMonthIndex(month + 1);
        return { now: new Date(nowDay * MS_PER_DAY), since, until: end + untilNudge };
      });
    fc.assert(
      fc.property(edges, ({ now, since, until }) => {
        expect(interval(formatDays(since), formatDays(until), now).length === 0).toBe(oracleAccepts(since, until, now));
      }),
      { numRuns: 500 }
    );
  });
});
