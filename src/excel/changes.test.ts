import fc from "fast-check";
import { BILLING_HEADER } from "../../test/excel/billing-fixture";
import { monthsOfLabel, type SnapshotCell } from "./billing-table";
import { compareSnapshots, formatAmount, TableSnapshotSchema, type TableSnapshot } from "./changes";

type Status = "Final" | "Provisional";
function row(
  account: string,
  country: string,
  quantity: number,
  total: number,
  currency: string,
  month: string,
  status: Status
): SnapshotCell[] {
  return [
    account,
    "SMS",
    country,
    "message",
    quantity === 0 ? null : total / quantity,
    quantity,
    total,
    currency,
    month,
    status,
  ];
}

const OCTOBER_OPEN = [
  { month: "2026-09", volumeFinalized: true },
  { month: "2026-10", volumeFinalized: false },
  { month: "2026-11", volumeFinalized: false },
];
const OCTOBER_CLOSED = [
  { month: "2026-09", volumeFinalized: true },
  { month: "2026-10", volumeFinalized: true },
  { month: "2026-11", volumeFinalized: false },
];

function snapshot(rows: SnapshotCell[][], billingPeriods = OCTOBER_OPEN): TableSnapshot {
  return { header: BILLING_HEADER, rows, billingPeriods };
}

describe("compareSnapshots", () => {
  const previous = snapshot([
    row("Acme", "DE", 100, 10, "EUR", "2026-09", "Final"),
    row("Acme", "DE", 200, 20, "EUR", "2026-10", "Provisional"),
    row("Acme", "FR", 50, 5, "EUR", "2026-10", "Provisional"),
    row("Acme", "US", 1000, 1234.56, "USD", "2026-11", "Provisional"),
    row("Acme", "CA", 10, 1, "USD", "2026-11", "Provisional"),
  ]);

  it("reports rows added, removed and changed in a provisional month, with the totals per currency", () => {
    const next = snapshot([
      row("Acme", "DE", 100, 10, "EUR", "2026-09", "Final"),
      row("Acme", "DE", 200, 20, "EUR", "2026-10", "Provisional"),
      row("Acme", "FR", 50, 5, "EUR", "2026-10", "Provisional"),
      row("Acme", "US", 1050, 1300.2, "USD", "2026-11", "Provisional"),
      row("Acme", "MX", 3, 1, "USD", "2026-11", "Provisional"),
    ]);
    const changes = compareSnapshots(previous, next);

    const november = changes.provisionalMonths.find((m) => m.billingMonth === "2026-11");
    expect(november?.changed.map((r) => r.dimensions["Country"])).toEqual(["US"]);
    expect(november?.changed[0]?.before?.total).toBe(1234.56);
    expect(november?.changed[0]?.after?.total).toBe(1300.2);
    expect(november?.added.map((r) => r.dimensions["Country"])).toEqual(["MX"]);
    expect(november?.removed.map((r) => r.dimensions["Country"])).toEqual(["CA"]);
    expect(november?.totals).toEqual([
      { currency: "USD", before: 1235.56, after: 1301.2, delta: 65.64, added: 1, removed: 1, changed: 1 },
    ]);
    const october = changes.provisionalMonths.find((m) => m.billingMonth === "2026-10");
    expect(october?.changed).toEqual([]);
    expect(october?.totals[0]?.delta).toBe(0);
    expect(changes.becameFinal).toEqual([]);
    expect(changes.hasChanges).toBe(true);
    expect(changes.summary).toEqual([
      "2026-11 USD total moved from 1,235.56 to 1,301.20 (+65.64), 1 row added, 1 row removed, 1 row changed.",
    ]);
  });

  it("does not compare months that were already Final", () => {
    const changes = compareSnapshots(previous, previous);
    expect(changes.provisionalMonths.map((m) => m.billingMonth)).toEqual(["2026-10", "2026-11"]);
    expect(changes.changedFinalMonths).toEqual([]);
  });

  it("names the months that became Final, with the day their invoice closed", () => {
    const next = snapshot(
      previous.rows.map((r) => (r[8] === "2026-10" ? [...r.slice(0, 9), "Final"] : r)),
      OCTOBER_CLOSED
    );
    const changes = compareSnapshots(previous, next);
    expect(changes.becameFinal).toEqual([{ month: "2026-10", finalizedOn: "2026-11-05" }]);
    expect(changes.summary).toEqual(["2026-10 is now Final (invoice month closed on 2026-11-05)."]);
    expect(changes.hasChanges).toBe(true);
  });

  it("falls back on the rows' Period status when billingPeriods do not list the month", () => {
    const before = { ...previous, billingPeriods: [] };
    const next = {
      ...previous,
      rows: previous.rows.map((r) => (r[8] === "2026-10" ? [...r.slice(0, 9), "Final"] : r)),
      billingPeriods: [],
    };
    expect(compareSnapshots(before, next).becameFinal.map((m) => m.month)).toEqual(["2026-10"]);
  });

  it("warns when a Final month changed anyway, and names Final months that left the period", () => {
    const next = snapshot([row("Acme", "DE", 100, 11, "EUR", "2026-09", "Final"), ...previous.rows.slice(1)]);
    const changes = compareSnapshots(previous, next);
    expect(changes.changedFinalMonths.map((m) => m.billingMonth)).toEqual(["2026-09"]);
    expect(changes.summary[0]).toMatch(/^2026-09 was already Final but 1 row differs from the previous refresh/);

    const moved = compareSnapshots(previous, snapshot(previous.rows.slice(1)));
    expect(moved.leftPeriod).toEqual(["2026-09"]);
    expect(moved.summary).toEqual(["2026-09 is no longer in the table's period."]);
  });

  it("reports a month that is new since the previous refresh", () => {
    const next = snapshot([...previous.rows, row("Acme", "DE", 4, 2, "EUR", "2026-12", "Provisional")]);
    const changes = compareSnapshots(previous, next);
    expect(changes.summary).toEqual(["2026-12 is new since the previous refresh: 1 row, total EUR 2.00."]);
  });

  it("adds up rows that share a key and keys rows by every dimension column", () => {
    const doubled = snapshot([
      row("Acme", "DE", 1, 1, "EUR", "2026-10", "Provisional"),
      row("Acme", "DE", 2, 2, "EUR", "2026-10", "Provisional"),
    ]);
    const single = snapshot([row("Acme", "DE", 3, 3, "EUR", "2026-10", "Provisional")]);
    const changes = compareSnapshots(doubled, single);
    expect(changes.provisionalMonths[0]?.changed).toEqual([]);
    expect(changes.summary).toEqual(["Nothing changed since the previous refresh."]);

    const otherAccount = snapshot([row("Beta", "DE", 3, 3, "EUR", "2026-10", "Provisional")]);
    const moved = compareSnapshots(single, otherAccount).provisionalMonths[0];
    expect([moved?.added.length, moved?.removed.length, moved?.changed.length]).toEqual([1, 1, 0]);
  });

  it("refuses a table without the columns it needs, naming the column", () => {
    const noMonth = { header: BILLING_HEADER.slice(0, 8), rows: [], billingPeriods: [] };
    expect(() => compareSnapshots(noMonth, noMonth)).toThrow('the previous table has no "Billing month" column');
  });

  it("accepts a snapshot read back from storage only when it has the documented shape", () => {
    expect(TableSnapshotSchema.safeParse(previous).success).toBe(true);
    expect(TableSnapshotSchema.safeParse({ header: BILLING_HEADER, rows: [[{}]], billingPeriods: [] }).success).toBe(
      false
    );
  });
});

describe("helpers", () => {
  it("formats amounts with thousands separators and the decimals they have", () => {
    expect(formatAmount(1234.5)).toBe("1,234.50");
    expect(formatAmount(1234567.0075)).toBe("1,234,567.0075");
    expect(formatAmount(-0.1)).toBe("-0.10");
    expect(formatAmount(0)).toBe("0.00");
  });

  it("lists the months of a Billing month label", () => {
    expect(monthsOfLabel("2026-03")).toEqual(["2026-03"]);
    expect(monthsOfLabel("2025-11 – 2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsOfLabel("not a month")).toEqual([]);
  });
});

describe("compareSnapshots properties", () => {
  const months = ["2026-09", "2026-10", "2026-11"];
  const rowArb = fc.record({
    account: fc.constantFrom("Acme", "Beta"),
    country: fc.constantFrom("DE", "FR", "US"),
    currency: fc.constantFrom("EUR", "USD"),
    month: fc.constantFrom(...months),
    quantity: fc.integer({ min: 0, max: 100_000 }),
    cents: fc.integer({ min: 0, max: 100_000_000 }),
  });
  const rowsArb = fc.array(rowArb, { maxLength: 40 });
  const periodsArb = fc.tuple(fc.boolean(), fc.boolean()).map(([sept, oct]) => [
    { month: "2026-09", volumeFinalized: sept || oct },
    { month: "2026-10", volumeFinalized: oct },
    { month: "2026-11", volumeFinalized: false },
  ]);
  type Rows = typeof rowsArb extends fc.Arbitrary<infer T> ? T : never;
  const toSnapshot = (rows: Rows, billingPeriods: TableSnapshot["billingPeriods"]): TableSnapshot =>
    snapshot(
      rows.map((r) => {
        const final = billingPeriods.find((p) => p.month === r.month)?.volumeFinalized ?? false;
        return row(
          r.account,
          r.country,
          r.quantity,
          r.cents / 100,
          r.currency,
          r.month,
          final ? "Final" : "Provisional"
        );
      }),
      billingPeriods
    );

  it("finds no change between a table and itself", () => {
    fc.assert(
      fc.property(rowsArb, periodsArb, (rows, periods) => {
        const same = toSnapshot(rows, periods);
        const changes = compareSnapshots(same, structuredClone(same));
        expect(changes.hasChanges).toBe(false);
        expect(changes.summary).toEqual(["Nothing changed since the previous refresh."]);
        for (const month of changes.provisionalMonths) {
          expect([month.added, month.removed, month.changed]).toEqual([[], [], []]);
          for (const total of month.totals) expect(total.delta).toBe(0);
        }
      })
    );
  });

  it("has per-month deltas that add up to the change of each currency's total over the months compared", () => {
    fc.assert(
      fc.property(rowsArb, rowsArb, periodsArb, (beforeRows, afterRows, periods) => {
        const previousPeriods = periods.map((p) => (p.month === "2026-11" ? p : { ...p, volumeFinalized: false }));
        const changes = compareSnapshots(toSnapshot(beforeRows, previousPeriods), toSnapshot(afterRows, periods));
        const compared = new Set(changes.provisionalMonths.map((m) => m.billingMonth));
        for (const currency of ["EUR", "USD"]) {
          const centsIn = (rows: typeof beforeRows) =>
            rows.filter((r) => r.currency === currency && compared.has(r.month)).reduce((sum, r) => sum + r.cents, 0);
          const deltaCents = changes.provisionalMonths
            .flatMap((m) => m.totals)
            .filter((t) => t.currency === currency)
            .reduce((sum, t) => sum + Math.round(t.delta * 100), 0);
          expect(deltaCents).toBe(centsIn(afterRows) - centsIn(beforeRows));
          for (const total of changes.provisionalMonths.flatMap((m) => m.totals)) {
            expect(Math.round(total.delta * 100)).toBe(Math.round(total.after * 100) - Math.round(total.before * 100));
          }
        }
      })
    );
  });
});
