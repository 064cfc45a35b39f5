/**
 * Scale: DAY × COUNTRY_NAME × NETWORK_NAME × SENDER over the whole three-month window yields 100k+ rows,
 * delivered in one callback that Infobip's schema accepts and whose totals match a monthly grouping.
 * (How fast is measured by bench/emulator.ts, not asserted here.)
 */
import { resultInconsistencies } from "../../src/billing";
import { build, monthQuery, records, type Harness } from "./helper";
import { infobipSchemas } from "./openapi";

jest.setTimeout(60_000);

let harness: Harness;
beforeAll(async () => {
  harness = await build({ now: new Date("2026-03-31T23:00:00Z") });
});
afterAll(async () => {
  await harness.close();
});

test("a 100k+-row query is generated, delivered whole, schema-valid and consistent with MONTH totals", async () => {
  const big = await harness.query(
    monthQuery(["DAY", "COUNTRY_NAME", "NETWORK_NAME", "SENDER"], "2026-01-01", "2026-04-01")
  );
  expect(big.status).toBe("SUCCESS");
  expect(big.response?.totalRows).toBeGreaterThanOrEqual(100_000);
  expect(resultInconsistencies(big)).toEqual([]);
  const { valid, errors } = infobipSchemas().validate("BillingUsageResult", big);
  expect(errors).toBe("");
  expect(valid).toBe(true);

  const monthly = await harness.query(monthQuery(["MONTH"], "2026-01-01", "2026-04-01"));
  const amountByCurrency = (rows: Record<string, unknown>[]) => {
    const sums = new Map<string, number>();
    for (const r of rows)
      sums.set(String(r.CURRENCY), (sums.get(String(r.CURRENCY)) ?? 0) + Number(r.UNIT_PRICE) * Number(r.QUANTITY));
    return sums;
  };
  const detailed = amountByCurrency(records(big));
  const coarse = amountByCurrency(records(monthly));
  expect([...detailed.keys()].sort()).toEqual([...coarse.keys()].sort());
  for (const [currency, amount] of coarse) expect(detailed.get(currency)).toBeCloseTo(amount, 4);
});
