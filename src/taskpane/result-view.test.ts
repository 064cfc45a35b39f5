import { predictColumns, type QueryDefinition, type RawRow } from "../billing";
import { compareSnapshots } from "../excel/changes";
import { computeReconciliationTotals } from "../excel/reconciliation-plan";
import { headersOf, totalsByCurrency } from "../excel/shape";
import type { FetchedResult } from "./query-runner";
import { displayCell, previewRows, rowStatuses, shapeFetched, shapeInputOf, snapshotOf } from "./result-view";

const definition: QueryDefinition = {
  version: 1,
  period: { preset: "retention-window" },
  aggregateBy: ["MONTH", "COUNTRY_NAME"],
  filters: {},
  includeUnfinalizedData: true,
};

function result(rows: RawRow[], marchFinal: boolean): FetchedResult {
  return {
    queryId: "q1",
    requestId: "req-1",
    definition,
    columns: predictColumns(definition.aggregateBy),
    rows,
    metadata: {
      clientRequestedPeriod: { sentSince: "2026-02-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      billingPeriods: [
        { month: "2026-02", volumeFinalized: true },
        { month: "2026-03", volumeFinalized: marchFinal },
      ],
    },
    retrievedAt: new Date("2026-03-20T08:00:00Z"),
  };
}

/** A row of Acme's SMS to Germany in `month`, as the API sends it (MONTH then COUNTRY_NAME). */
const monthRow =
  (month: string) =>
  (total: number, currency = "EUR"): RawRow => [
    "Acme",
    "SMS",
    `${month}-01T00:00:00.000+0000`,
    "Germany",
    "message",
    0.01,
    total * 100,
    total,
    currency,
  ];
const feb = monthRow("2026-02");
const mar = monthRow("2026-03");

describe("result view for the browser preview", () => {
  it("has the Excel table's headers, Billing month and Period status last, dates as text", () => {
    const shape = shapeFetched(result([feb(10), mar(5)], false));
    expect(headersOf(shape)).toEqual([
      "Account",
      "Category code",
      "Month",
      "Country",
      "Unit",
      "Unit price",
      "Quantity",
      "Total",
      "Currency",
      "Billing month",
      "Period status",
    ]);
    expect(previewRows(shape)[1]).toEqual([
      "Acme",
      "SMS",
      "2026-03",
      "Germany",
      "message",
      0.01,
      500,
      5,
      "EUR",
      "2026-03",
      "Provisional",
    ]);
    expect(rowStatuses(shape)).toEqual(["Final", "Provisional"]);
    expect(displayCell(0.0075, "unit-price")).toBe("0.0075");
    expect(displayCell(1234567.5, "total")).toBe("1,234,567.5");
  });

  it("falls back to the asked period aligned to the granularity when the relay passes no requestedPeriod", () => {
    const input = shapeInputOf(result([], true));
    expect(input.requestedPeriod).toEqual({
      sentSince: "2026-02-01T00:00:00.000+0000",
      sentUntil: "2026-04-01T00:00:00.000+0000",
    });
    expect(input.requestId).toBe("req-1");
  });

  it("totals per currency never add currencies together", () => {
    const shape = shapeFetched(result([feb(10), mar(5), mar(7, "USD")], false));
    expect(totalsByCurrency(shape).map((t) => [t.currency, t.total])).toEqual([
      ["EUR", 15],
      ["USD", 7],
    ]);
  });

  it("reconciliation totals by billing month × currency (× account) come from the same rows", () => {
    const r = result([feb(10), mar(5), mar(2.5), mar(7, "USD")], false);
    const totals = computeReconciliationTotals(snapshotOf(r));
    expect(totals.map((t) => [t.billingMonth, t.currency, t.account, t.periodStatus, t.billingTotal])).toEqual([
      ["2026-02", "EUR", "Acme", "Final", 10],
      ["2026-03", "EUR", "Acme", "Provisional", 7.5],
      ["2026-03", "USD", "Acme", "Provisional", 7],
    ]);
  });

  it("a refresh that moves a provisional month and finalizes it is summarized", () => {
    const before = result([feb(10), mar(5)], false);
    const after = result([feb(10), mar(6.25)], true);
    const changes = compareSnapshots(snapshotOf(before), snapshotOf(after));
    expect(changes.hasChanges).toBe(true);
    expect(changes.becameFinal.map((m) => m.month)).toEqual(["2026-03"]);
    expect(changes.summary.join("\n")).toMatch(/2026-03 EUR total moved from 5\.00 to 6\.25/);
  });
});
