/**
 * The data behaves like a real account's billing data: totals agree whichever way a period is grouped,
 * every category, unit and currency appears with N/A where a dimension does not apply, filters narrow,
 * nothing is billed after "now", periods are aligned/trimmed as documented, and provisional months move
 * until the 5th of the next month while final months never change.
 */
import {
  CATEGORIES,
  FILTERS,
  SUBCATEGORY_INFO,
  TRAFFIC_TYPE_SUGGESTIONS,
  UNIT_TYPES,
  predictColumns,
  type AggregateDimension,
  type BillingUsageResult,
} from "../../src/billing";
import { build, column, monthQuery, records, type Harness } from "./helper";

interface Totals {
  /** Σ UNIT_PRICE × QUANTITY per currency (exact up to floating-point noise). */
  amount: Map<string, number>;
  /** Σ TOTAL_PER_UNIT per currency (each row rounded to cents). */
  rounded: Map<string, number>;
  /** Σ QUANTITY per currency and unit. */
  quantity: Map<string, number>;
  rows: number;
}

function totals(result: BillingUsageResult): Totals {
  const sums: Totals = { amount: new Map(), rounded: new Map(), quantity: new Map(), rows: 0 };
  const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
  for (const row of records(result)) {
    const currency = String(row.CURRENCY);
    add(sums.amount, currency, Number(row.UNIT_PRICE) * Number(row.QUANTITY));
    add(sums.rounded, currency, Number(row.TOTAL_PER_UNIT));
    add(sums.quantity, `${currency} ${String(row.UNIT_TYPE)}`, Number(row.QUANTITY));
    sums.rows += 1;
  }
  return sums;
}

// Several tests generate three months of traffic in many groupings: about 4 s each on a quiet machine, more
// when the full suite (Chromium, webpack) shares two cores. How fast is bench/emulator.ts's job, not a timeout's.
jest.setTimeout(30_000);

function expectSameTotals(a: Totals, b: Totals): void {
  expect([...a.amount.keys()].sort()).toEqual([...b.amount.keys()].sort());
  for (const [currency, amount] of a.amount) {
    expect(b.amount.get(currency)).toBeCloseTo(amount, 6);
    // Each row's TOTAL_PER_UNIT is rounded once: the sums may differ by half a cent per row.
    const tolerance = 0.005 * Math.max(a.rows, b.rows) + 1e-6;
    expect(Math.abs((b.rounded.get(currency) ?? 0) - (a.rounded.get(currency) ?? 0))).toBeLessThanOrEqual(tolerance);
  }
  expect([...a.quantity.keys()].sort()).toEqual([...b.quantity.keys()].sort());
  for (const [key, quantity] of a.quantity) expect(b.quantity.get(key)).toBeCloseTo(quantity, 4);
}

describe("in mid-March 2026", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await build();
  });
  afterAll(async () => {
    await harness.close();
  });

  const groupings: AggregateDimension[][] = [
    ["DAY"],
    ["MONTH"],
    ["COUNTRY_NAME"],
    ["CATEGORY_NAME", "SUBCATEGORY_NAME"],
    ["SENDER", "SENDER_TYPE", "TRAFFIC_TYPE"],
    ["ACCOUNT_KEY", "USER_NAME", "DIRECTION"],
    ["CAMPAIGN_ID", "CAMPAIGN_REFERENCE", "TEMPLATE_ID", "APPLICATION_ID", "ENTITY_ID"],
    ["NETWORK_NAME", "NORM_NET_CODE", "COUNTRY_CODE", "COUNTRY_PREFIX"],
  ];

  test("totals per currency agree whichever way the three months are grouped", async () => {
    const results = await Promise.all(
      groupings.map((aggregateBy) => harness.query(monthQuery(aggregateBy, "2026-01-01", "2026-04-01")))
    );
    const [reference, ...others] = results.map(totals);
    if (!reference) throw new Error("no results");
    expect(reference.amount.size).toBeGreaterThanOrEqual(3);
    for (const other of others) expectSameTotals(reference, other);
  });

  test("a month by DAY adds up to the same month by MONTH, row for row", async () => {
    const byDay = await harness.query(monthQuery(["DAY", "CATEGORY_CODE"], "2026-02-01", "2026-03-01"));
    const byMonth = await harness.query(monthQuery(["MONTH", "CATEGORY_CODE"], "2026-02-01", "2026-03-01"));
    const key = (r: Record<string, unknown>) =>
      `${String(r.ACCOUNT_NAME)}|${String(r.CATEGORY_CODE)}|${String(r.UNIT_PRICE)}|${String(r.CURRENCY)}`;
    const daily = new Map<string, number>();
    for (const r of records(byDay)) daily.set(key(r), (daily.get(key(r)) ?? 0) + Number(r.QUANTITY));
    const monthly = records(byMonth);
    expect(monthly.every((r) => r.MONTH === "2026-02-01T00:00:00.000+0000")).toBe(true);
    expect(monthly).toHaveLength(daily.size);
    for (const r of monthly) expect(daily.get(key(r))).toBeCloseTo(Number(r.QUANTITY), 4);
  });

  test("rows follow the documented layout: auto-added columns first, metrics last, typed cells", async () => {
    const simple = await harness.query(monthQuery(["CATEGORY_CODE", "COUNTRY_NAME"]));
    expect(simple.response?.columns.map((c) => c.columnName)).toEqual([
      "ACCOUNT_NAME",
      "CATEGORY_CODE",
      "COUNTRY_NAME",
      "UNIT_TYPE",
      "UNIT_PRICE",
      "QUANTITY",
      "TOTAL_PER_UNIT",
      "CURRENCY",
    ]);
    const daily = await harness.query(monthQuery(["DAY"]));
    expect(daily.response?.columns).toEqual(predictColumns(["DAY"]));
    for (const row of records(daily)) {
      expect(row.DAY).toMatch(/^2026-03-\d{2}T00:00:00\.000\+0000$/);
      expect(typeof row.UNIT_PRICE).toBe("number");
      expect(typeof row.QUANTITY).toBe("number");
      expect(Number(row.QUANTITY)).toBeGreaterThan(0);
      expect(Number(row.TOTAL_PER_UNIT)).toBeCloseTo(Math.round(Number(row.TOTAL_PER_UNIT) * 100) / 100, 9);
    }
  });

  test("nothing is billed after now; the current day shows what has elapsed of it", async () => {
    const before = await harness.query(monthQuery(["DAY"]));
    const days = new Set(column(before, "DAY"));
    expect(days.has("2026-03-15T00:00:00.000+0000")).toBe(true);
    expect([...days].every((d) => String(d) <= "2026-03-15T00:00:00.000+0000")).toBe(true);
    const dayQuantity = (result: BillingUsageResult, day: string) =>
      records(result)
        .filter((r) => r.DAY === day)
        .reduce((sum, r) => sum + Number(r.QUANTITY), 0);
    await harness.admin("PUT", "/_emulator/clock", { advanceDays: 0.25 });
    try {
      const later = await harness.query(monthQuery(["DAY"]));
      expect(dayQuantity(later, "2026-03-15T00:00:00.000+0000")).toBeGreaterThan(
        dayQuantity(before, "2026-03-15T00:00:00.000+0000")
      );
      expect(dayQuantity(later, "2026-03-14T00:00:00.000+0000")).toBe(
        dayQuantity(before, "2026-03-14T00:00:00.000+0000")
      );
    } finally {
      await harness.admin("PUT", "/_emulator/clock", { now: "2026-03-15T12:00:00Z" });
    }
  });

  test("every category, unit and currency appears, with N/A where a dimension does not apply", async () => {
    const result = await harness.query(
      monthQuery([
        "CATEGORY_CODE",
        "SUBCATEGORY_CODE",
        "SUBCATEGORY_NAME",
        "TRAFFIC_TYPE",
        "DIRECTION",
        "SENDER_TYPE",
        "NETWORK_NAME",
        "NORM_NET_CODE",
        "COUNTRY_CODE",
        "COUNTRY_PREFIX",
        "TEMPLATE_ID",
      ])
    );
    const rows = records(result);
    expect(new Set(rows.map((r) => r.CATEGORY_CODE))).toEqual(new Set(CATEGORIES));
    expect(new Set(rows.map((r) => r.UNIT_TYPE))).toEqual(new Set(UNIT_TYPES));
    expect([...new Set(rows.map((r) => r.CURRENCY))]).toEqual(expect.arrayContaining(["USD", "EUR", "GBP"]));
    expect(new Set(rows.map((r) => r.DIRECTION))).toEqual(new Set(["OUTBOUND", "INBOUND", "N/A"]));
    for (const r of rows) {
      if (r.CATEGORY_CODE === "VIBER") {
        expect(["VIBER_BM", "VIBER_BOTS"]).toContain(r.SUBCATEGORY_CODE);
        expect(r.SUBCATEGORY_NAME).toBe(SUBCATEGORY_INFO[r.SUBCATEGORY_CODE as "VIBER_BM"].name);
      } else {
        expect([r.SUBCATEGORY_CODE, r.SUBCATEGORY_NAME]).toEqual(["N/A", "N/A"]);
      }
      if (r.CATEGORY_CODE === "EMAIL" || r.CATEGORY_CODE === "EMAIL_VALIDATION") {
        expect([r.NETWORK_NAME, r.NORM_NET_CODE, r.COUNTRY_CODE, r.COUNTRY_PREFIX]).toEqual([
          "N/A",
          "N/A",
          "N/A",
          "N/A",
        ]);
      }
      if (r.CATEGORY_CODE === "SMS") {
        expect(r.NORM_NET_CODE).toMatch(/^\d{5,6}$/);
        expect(r.COUNTRY_PREFIX).toMatch(/^\d{1,3}$/);
        expect(r.COUNTRY_CODE).toMatch(/^[A-Z]{2}$/);
      }
      if (r.CATEGORY_CODE === "WHATSAPP" && ["MARKETING", "UTILITY"].includes(String(r.TRAFFIC_TYPE))) {
        expect(r.TEMPLATE_ID).toMatch(/^\d{16}$/);
      } else {
        expect(r.TEMPLATE_ID).toBe("N/A");
      }
      if (r.CATEGORY_CODE === "SMS_OPERATOR_FEE" || r.CATEGORY_CODE === "MMS_OPERATOR_FEE")
        expect(r.COUNTRY_CODE).toBe("US");
    }
    const subcategories = new Set(rows.map((r) => r.SUBCATEGORY_CODE));
    expect(subcategories).toEqual(new Set(["VIBER_BM", "VIBER_BOTS", "N/A"]));
  });

  test("TRAFFIC_TYPE holds only the values Infobip's examples show, or N/A; a filter on each finds its rows", async () => {
    const documented: readonly string[] = TRAFFIC_TYPE_SUGGESTIONS;
    const rows = records(await harness.query(monthQuery(["CATEGORY_CODE", "DIRECTION", "TRAFFIC_TYPE"])));
    expect(new Set(rows.map((r) => r.TRAFFIC_TYPE))).toEqual(new Set([...documented, "N/A"]));
    const typeOf = (category: string, direction: string) =>
      new Set(rows.filter((r) => r.CATEGORY_CODE === category && r.DIRECTION === direction).map((r) => r.TRAFFIC_TYPE));
    expect(typeOf("SMS", "OUTBOUND")).toEqual(new Set(["A2P"]));
    expect(typeOf("WHATSAPP", "INBOUND")).toEqual(new Set(["FREE_FORM"]));
    expect(typeOf("EMAIL", "OUTBOUND")).toEqual(new Set(["N/A"]));
    for (const trafficType of documented) {
      const filtered = await harness.query(
        monthQuery(["TRAFFIC_TYPE"], "2026-03-01", "2026-04-01", { trafficTypes: [trafficType] })
      );
      expect(new Set(column(filtered, "TRAFFIC_TYPE"))).toEqual(new Set([trafficType]));
    }
  });

  test("campaign IDs exceed 2^32 yet stay exact (≤ 2^53); references and CPaaS X pairs appear", async () => {
    const result = await harness.query(
      monthQuery(["CAMPAIGN_ID", "CAMPAIGN_REFERENCE", "APPLICATION_ID", "ENTITY_ID"])
    );
    const ids = column(result, "CAMPAIGN_ID")
      .filter((id) => id !== "N/A")
      .map(String);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d*$/);
      expect(Number.isSafeInteger(Number(id))).toBe(true);
    }
    expect(ids.some((id) => Number(id) > 2 ** 32)).toBe(true);
    expect(column(result, "CAMPAIGN_REFERENCE").some((ref) => ref !== "N/A")).toBe(true);
    for (const row of records(result)) expect(row.APPLICATION_ID === "N/A").toBe(row.ENTITY_ID === "N/A");
    expect(column(result, "APPLICATION_ID").some((id) => id !== "N/A")).toBe(true);
  });

  test("unit prices carry realistic decimals", async () => {
    const prices = column(await harness.query(monthQuery(["CATEGORY_CODE", "COUNTRY_CODE"])), "UNIT_PRICE").map(Number);
    expect(prices.every((p) => p > 0 && p < 1)).toBe(true);
    expect(prices.some((p) => p < 0.01)).toBe(true);
    expect(prices.every((p) => Number(p.toFixed(6)) === p)).toBe(true);
  });

  describe.each(FILTERS.map((filter) => [filter.key, filter.dimension] as const))("filter %s", (key, dimension) => {
    test(`keeps only rows whose ${dimension} matches`, async () => {
      const dimensions: AggregateDimension[] = key === "platforms" ? ["APPLICATION_ID", "ENTITY_ID"] : [dimension];
      const all = await harness.query(monthQuery(dimensions));
      const sample = records(all).find((r) => dimensions.every((d) => r[d] !== "N/A"));
      if (!sample) throw new Error(`no ${dimension} value to filter by`);
      const value = sample[dimension];
      const filterValue =
        key === "platforms"
          ? [{ applicationId: sample.APPLICATION_ID, entityId: sample.ENTITY_ID }]
          : key === "campaignIds"
            ? [Number(value)]
            : [value];
      const filtered = await harness.query(monthQuery(dimensions, "2026-03-01", "2026-04-01", { [key]: filterValue }));
      expect(filtered.response?.totalRows).toBeGreaterThan(0);
      for (const row of records(filtered)) for (const d of dimensions) expect(row[d]).toBe(sample[d]);
      expect(filtered.response?.totalRows).toBeLessThanOrEqual(all.response?.totalRows ?? 0);
      const sumOf = (r: BillingUsageResult) => records(r).reduce((s, row) => s + Number(row.QUANTITY), 0);
      expect(sumOf(filtered)).toBeLessThan(sumOf(all));
    });
  });

  test("a platform with an application only matches all of its entities", async () => {
    const all = await harness.query(monthQuery(["APPLICATION_ID", "ENTITY_ID"]));
    const application = String(column(all, "APPLICATION_ID").find((id) => id !== "N/A"));
    const filtered = await harness.query(
      monthQuery(["APPLICATION_ID", "ENTITY_ID"], "2026-03-01", "2026-04-01", {
        platforms: [{ applicationId: application }],
      })
    );
    const expected = new Set(
      records(all)
        .filter((r) => r.APPLICATION_ID === application)
        .map((r) => r.ENTITY_ID)
    );
    expect(new Set(column(filtered, "ENTITY_ID"))).toEqual(expected);
  });

  test("MONTH widens requestedPeriod to whole months; clientRequestedPeriod echoes the request", async () => {
    const monthly = await harness.query(monthQuery(["MONTH"], "2026-02-10", "2026-03-05"));
    expect(monthly.response?.requestedPeriod).toEqual({
      sentSince: "2026-02-01T00:00:00.000+0000",
      sentUntil: "2026-04-01T00:00:00.000+0000",
    });
    expect(monthly.metadata?.clientRequestedPeriod).toEqual({
      sentSince: "2026-02-10T00:00:00.000+0000",
      sentUntil: "2026-03-05T00:00:00.000+0000",
    });
    const daily = await harness.query(monthQuery(["DAY"], "2026-02-10", "2026-03-05"));
    expect(daily.response?.requestedPeriod).toEqual(daily.metadata?.clientRequestedPeriod);
    const days = column(daily, "DAY").map(String);
    expect(days.every((d) => d >= "2026-02-10" && d < "2026-03-05")).toBe(true);
  });

  test("billingPeriods list every covered month; includeUnfinalizedData:false trims to the final ones", async () => {
    const full = await harness.query(monthQuery(["DAY"], "2026-01-01", "2026-04-01"));
    expect(full.metadata?.billingPeriods).toEqual([
      { month: "2026-01", volumeFinalized: true },
      { month: "2026-02", volumeFinalized: true },
      { month: "2026-03", volumeFinalized: false },
    ]);
    const final = await harness.query({
      ...monthQuery(["DAY"], "2026-01-01", "2026-04-01"),
      options: { includeUnfinalizedData: false },
    });
    expect(final.response?.requestedPeriod).toEqual({
      sentSince: "2026-01-01T00:00:00.000+0000",
      sentUntil: "2026-03-01T00:00:00.000+0000",
    });
    expect(final.metadata?.billingPeriods).toEqual(full.metadata?.billingPeriods);
    expect(column(final, "DAY").every((d) => String(d) < "2026-03-01")).toBe(true);
    expect(final.response?.totalRows).toBe(records(full).filter((r) => String(r.DAY) < "2026-03-01").length);
  });

  test("the same seed gives the same data; another seed other accounts", async () => {
    const twin = await build({ seed: 1 });
    const other = await build({ seed: 2 });
    try {
      const request = monthQuery(["ACCOUNT_KEY", "CATEGORY_CODE"]);
      const [a, b, c] = [await harness.query(request), await twin.query(request), await other.query(request)];
      expect(b.response?.rows).toEqual(a.response?.rows);
      expect(new Set(column(c, "ACCOUNT_KEY"))).not.toEqual(new Set(column(a, "ACCOUNT_KEY")));
    } finally {
      await twin.close();
      await other.close();
    }
  });
});

describe("month end: provisional figures move until the 5th, final ones never", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await build({ now: new Date("2026-04-01T12:00:00Z") });
  });
  afterAll(async () => {
    await harness.close();
  });

  const march = () => harness.query(monthQuery(["MONTH", "CATEGORY_CODE"], "2026-03-01", "2026-04-01"));
  const marchFinalOnly = () =>
    harness.query({
      ...monthQuery(["MONTH", "CATEGORY_CODE"], "2026-03-01", "2026-04-01"),
      options: { includeUnfinalizedData: false },
    });
  const february = () => harness.query(monthQuery(["DAY", "COUNTRY_NAME"], "2026-02-01", "2026-03-01"));
  const setClock = async (now: string) => {
    const answer = await harness.admin("PUT", "/_emulator/clock", { now });
    expect(answer.status).toBe(200);
  };
  const quantity = (r: BillingUsageResult) => records(r).reduce((s, row) => s + Number(row.QUANTITY), 0);
  const prices = (r: BillingUsageResult) => new Set(column(r, "UNIT_PRICE"));
  const marchStatus = (r: BillingUsageResult) =>
    r.metadata?.billingPeriods.find((p) => p.month === "2026-03")?.volumeFinalized;

  test("late records, then a retroactive discount, then finalization on the 5th", async () => {
    const februaryAtStart = await february();
    expect(februaryAtStart.metadata?.billingPeriods).toEqual([{ month: "2026-02", volumeFinalized: true }]);

    const first = await march();
    expect(marchStatus(first)).toBe(false);

    await setClock("2026-04-02T12:00:00Z");
    const second = await march();
    expect(quantity(second)).toBeGreaterThan(quantity(first));
    expect(prices(second)).toEqual(prices(first));

    await setClock("2026-04-03T12:00:00Z");
    const third = await march();
    expect(quantity(third)).toBeGreaterThan(quantity(second));
    // The retroactive volume discount re-prices some rows: new unit prices appear, list prices vanish.
    expect(prices(third)).not.toEqual(prices(second));

    await setClock("2026-04-04T23:59:59Z");
    const lastProvisional = await march();
    expect(marchStatus(lastProvisional)).toBe(false);
    const trimmed = await marchFinalOnly();
    expect(trimmed.response?.requestedPeriod).toEqual({
      sentSince: "2026-03-01T00:00:00.000+0000",
      sentUntil: "2026-03-01T00:00:00.000+0000",
    });
    expect(trimmed.response?.totalRows).toBe(0);

    await setClock("2026-04-05T00:00:00Z");
    const finalized = await march();
    expect(marchStatus(finalized)).toBe(true);
    expect(quantity(finalized)).toBeGreaterThan(quantity(lastProvisional));
    const finalOnly = await marchFinalOnly();
    expect(finalOnly.response?.rows).toEqual(finalized.response?.rows);

    for (const later of ["2026-04-20T08:00:00Z", "2026-05-31T23:00:00Z"]) {
      await setClock(later);
      const again = await march();
      expect(marchStatus(again)).toBe(true);
      expect(again.response?.rows).toEqual(finalized.response?.rows);
    }

    await setClock("2026-04-30T12:00:00Z");
    expect((await february()).response?.rows).toEqual(februaryAtStart.response?.rows);
  });

  test("the clock endpoint reports each month's status and when it finalizes", async () => {
    await setClock("2026-04-04T12:00:00Z");
    const { json } = await harness.admin("GET", "/_emulator/clock");
    expect(json).toEqual({
      now: "2026-04-04T12:00:00.000Z",
      mode: "fixed",
      retentionWindow: { sentSince: "2026-02-01", sentUntil: "2026-05-01" },
      months: [
        { month: "2026-02", volumeFinalized: true, finalizesOn: "2026-03-05" },
        { month: "2026-03", volumeFinalized: false, finalizesOn: "2026-04-05" },
        { month: "2026-04", volumeFinalized: false, finalizesOn: "2026-05-05" },
      ],
    });
    const moved = await harness.admin("PUT", "/_emulator/clock", { advanceDays: 1 });
    expect((moved.json as { now: string }).now).toBe("2026-04-05T12:00:00.000Z");
  });

  test.each([
    [{ now: "tomorrow" }, "now"],
    [{ advanceDays: "1" }, "advanceDays"],
    [{ now: "2026-04-05T00:00:00Z", advanceDays: 1 }, "body"],
    [{}, "body"],
  ])("PUT /_emulator/clock %j → 400 naming %s", async (body, property) => {
    const answer = await harness.admin("PUT", "/_emulator/clock", body);
    expect(answer.status).toBe(400);
    expect((answer.json as { violations: { property: string }[] }).violations.map((v) => v.property)).toContain(
      property
    );
  });
});
