import type { BillingUsageQuery } from "../billing";
import { endingToday, refusesFutureEnd } from "./future-end";

const NOW = new Date("2026-03-15T23:30:00Z");

function query(sentSince: string, sentUntil: string): BillingUsageQuery {
  return { filterBy: { dateInterval: { sentSince, sentUntil }, countryCodes: ["DE"] }, aggregateBy: ["DAY"] };
}

const ON_END = [{ property: "request.filterBy.dateInterval.sentUntil", violation: "must not be in the future" }];

describe("refusesFutureEnd", () => {
  it("is a violation on sentUntil while sentUntil lies after today (UTC)", () => {
    expect(refusesFutureEnd(ON_END, query("2026-03-01", "2026-04-01"), NOW)).toBe(true);
    // Tomorrow is after today: "month to date" includes today, so it ends tomorrow.
    expect(refusesFutureEnd(ON_END, query("2026-03-01", "2026-03-16"), NOW)).toBe(true);
    // Infobip's path may or may not start at the body's `request`.
    expect(
      refusesFutureEnd(
        [{ property: "filterBy.dateInterval.sentUntil", violation: "x" }],
        query("2026-03-01", "2026-04-01"),
        NOW
      )
    ).toBe(true);
  });

  it("is not an end of today or earlier, nor a violation on another field", () => {
    expect(refusesFutureEnd(ON_END, query("2026-03-01", "2026-03-15"), NOW)).toBe(false);
    expect(refusesFutureEnd(ON_END, query("2026-02-01", "2026-03-01"), NOW)).toBe(false);
    const onStart = [{ property: "request.filterBy.dateInterval.sentSince", violation: "is too early" }];
    expect(refusesFutureEnd(onStart, query("2026-03-01", "2026-04-01"), NOW)).toBe(false);
    expect(refusesFutureEnd([], query("2026-03-01", "2026-04-01"), NOW)).toBe(false);
  });
});

describe("endingToday", () => {
  it("moves only the end, to today's date: exclusive, so the data runs to the end of yesterday", () => {
    const moved = endingToday(query("2026-01-01", "2026-04-01"), NOW);
    expect(moved?.query).toEqual({
      filterBy: { dateInterval: { sentSince: "2026-01-01", sentUntil: "2026-03-15" }, countryCodes: ["DE"] },
      aggregateBy: ["DAY"],
    });
    expect(moved?.moved).toEqual({
      asked: { sentSince: "2026-01-01", sentUntil: "2026-04-01" },
      sent: { sentSince: "2026-01-01", sentUntil: "2026-03-15" },
    });
  });

  it("has nothing to offer when the period starts today or later", () => {
    expect(endingToday(query("2026-03-15", "2026-03-16"), NOW)).toBeUndefined();
    expect(endingToday(query("2026-03-20", "2026-04-01"), NOW)).toBeUndefined();
  });

  it("keeps the query within the rules, or offers nothing", () => {
    // A start before the retention window fails the rules whatever the end: nothing to send instead.
    expect(endingToday(query("2025-12-01", "2026-04-01"), NOW)).toBeUndefined();
  });
});
