import { CATEGORIES, UNIT_TYPES } from "../billing";
import { DAY_MS, Ledger, MAX_LATE_LAG_DAYS, dayNumberOfIsoDate, monthOfDay } from "./ledger";

const ledger = new Ledger(1);

describe("Ledger", () => {
  test("is deterministic per seed, whatever order days are generated in", () => {
    const other = new Ledger(1);
    const day = dayNumberOfIsoDate("2026-03-10");
    other.traffic(day + 5);
    expect(other.traffic(day)).toEqual(ledger.traffic(day));
    expect(new Ledger(2).accounts.map((a) => a.key)).not.toEqual(ledger.accounts.map((a) => a.key));
  });

  test("has a parent with 2-3 sub-accounts, each with a 32-hex key and a currency", () => {
    const [parent, ...subs] = ledger.accounts;
    expect(parent?.parent).toBeUndefined();
    expect(subs.length).toBeGreaterThanOrEqual(2);
    expect(subs.length).toBeLessThanOrEqual(3);
    for (const sub of subs) expect(sub.parent).toBe(0);
    for (const account of ledger.accounts) expect(account.key).toMatch(/^[0-9A-F]{32}$/);
    expect(new Set(ledger.accounts.map((a) => a.currency))).toEqual(new Set(["USD", "EUR", "GBP"]));
    expect(ledger.hierarchyOf(0)).toEqual(ledger.accounts.map((a) => a.index));
    expect(ledger.hierarchyOf(1)).toEqual([1]);
  });

  test("streams cover every category and unit, with compact typed columns", () => {
    const { streams } = ledger;
    expect(new Set(streams.category)).toEqual(new Set(CATEGORIES.map((_, i) => i)));
    expect(new Set(streams.unit)).toEqual(new Set(UNIT_TYPES.map((_, i) => i)));
    expect(streams.dims.COUNTRY_NAME).toBeInstanceOf(Uint16Array);
    for (const values of Object.values(ledger.values)) expect(values[0]).toBe("N/A");
  });

  test("a day's traffic is typed arrays of stream ids and positive quantities; late records lag 1-4 days", () => {
    const traffic = ledger.traffic(dayNumberOfIsoDate("2026-02-17"));
    expect(traffic.streams).toBeInstanceOf(Uint32Array);
    expect(traffic.streams.length).toBeGreaterThan(ledger.streams.count / 2);
    expect(Array.from(traffic.quantities).every((q) => q > 0)).toBe(true);
    expect(traffic.lateStreams.length).toBeGreaterThan(0);
    expect(new Set(traffic.lateLagDays)).toEqual(new Set(Array.from({ length: MAX_LATE_LAG_DAYS }, (_, i) => i + 1)));
  });

  test("nothing is visible after now; the current day shows its elapsed share", () => {
    const day = dayNumberOfIsoDate("2026-03-15");
    const sum = (now: Date) => {
      let total = 0;
      ledger.forEachVisibleRecord(day, now, (_s, q) => (total += q));
      return total;
    };
    expect(sum(new Date(day * DAY_MS))).toBe(0);
    const half = sum(new Date(day * DAY_MS + DAY_MS / 2));
    const whole = sum(new Date((day + 1) * DAY_MS));
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(whole);
    const full = Array.from(ledger.traffic(day).quantities).reduce((a, b) => a + b, 0);
    expect(whole).toBeCloseTo(full, 6);
  });

  test("a month stops changing at the 5th of the next month and is discounted from the 3rd", () => {
    const monthTotal = (now: string) => {
      let quantity = 0;
      let discounted = 0;
      for (let day = dayNumberOfIsoDate("2026-03-01"); day < dayNumberOfIsoDate("2026-04-01"); day++) {
        ledger.forEachVisibleRecord(day, new Date(now), (_s, q, d) => {
          quantity += q;
          if (d) discounted += 1;
        });
      }
      return { quantity, discounted };
    };
    const instants = [
      "2026-04-01T00:00:00Z",
      "2026-04-02T00:00:00Z",
      "2026-04-03T00:00:00Z",
      "2026-04-04T00:00:00Z",
      "2026-04-05T00:00:00Z",
    ];
    const seen = instants.map(monthTotal);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.quantity).toBeGreaterThan(seen[i - 1]?.quantity ?? 0);
    expect(seen.map((s) => s.discounted > 0)).toEqual([false, false, true, true, true]);
    expect(monthTotal("2026-05-30T00:00:00Z")).toEqual(seen[4]);
    expect(monthOfDay(dayNumberOfIsoDate("2026-03-31"))).toBe("2026-03");
  });
});
