import fc from "fast-check";
import {
  BILLING_TABLE_COLUMNS,
  accountColumn,
  billingColumnIndexes,
  billingMonthStatus,
  billingPeriodsOf,
  cellNumber,
  cellText,
  fromMicros,
  headerLabels,
  isBlankRow,
  missingColumn,
  monthsOfLabel,
  periodStatusOf,
  toMicros,
} from "./billing-table";
import { shapeResult } from "./shape";

const SEPT_FINAL = [
  { month: "2026-09", volumeFinalized: true },
  { month: "2026-10", volumeFinalized: false },
];

describe("billing table labels", () => {
  it("are the headers the writer writes", () => {
    const shape = shapeResult({
      requestId: "r",
      columns: [
        { columnName: "ACCOUNT_NAME", columnDataType: "STRING" },
        { columnName: "UNIT_PRICE", columnDataType: "NUMBER" },
        { columnName: "QUANTITY", columnDataType: "NUMBER" },
        { columnName: "TOTAL_PER_UNIT", columnDataType: "NUMBER" },
        { columnName: "CURRENCY", columnDataType: "STRING" },
      ],
      pages: [],
      requestedPeriod: { sentSince: "2026-10-01T00:00:00.000+0000", sentUntil: "2026-11-01T00:00:00.000+0000" },
      billingPeriods: SEPT_FINAL,
      retrievedAt: new Date("2026-10-20T00:00:00Z"),
      includeUnfinalizedData: true,
    });
    const c = BILLING_TABLE_COLUMNS;
    expect(shape.columns.map((column) => column.header)).toEqual([
      c.account,
      c.unitPrice,
      c.quantity,
      c.total,
      c.currency,
      c.billingMonth,
      c.periodStatus,
    ]);
  });
});

describe("reading cells", () => {
  it("reads header labels and recognizes the blank row of an empty table", () => {
    expect(headerLabels([["Total", 2026, true]])).toEqual(["Total", "2026", "true"]);
    expect(headerLabels([])).toEqual([]);
    expect(isBlankRow(["", null, ""])).toBe(true);
    expect(isBlankRow(["", 0])).toBe(false);
  });

  it("gives a cell's text, status and number", () => {
    expect([cellText(null), cellText(undefined), cellText(5), cellText(" a "), cellText(false)]).toEqual([
      "",
      "",
      "5",
      " a ",
      "false",
    ]);
    expect(cellText(new Date(Date.UTC(2026, 9, 1)))).toBe("2026-10-01T00:00:00.000Z");
    expect([
      periodStatusOf("Final"),
      periodStatusOf("Provisional"),
      periodStatusOf("final"),
      periodStatusOf(1),
    ]).toEqual(["Final", "Provisional", undefined, undefined]);
    expect([
      cellNumber(1.5),
      cellNumber(" 2.25 "),
      cellNumber(""),
      cellNumber("n/a"),
      cellNumber(NaN),
      cellNumber(true),
    ]).toEqual([1.5, 2.25, null, null, null, null]);
  });
});

describe("finding columns", () => {
  const header = ["Account key", "Account", "Total", "Currency", "Billing month", "Period status"];

  it("finds the billing columns by their exact labels, -1 for a missing one", () => {
    expect(billingColumnIndexes(header)).toEqual({
      total: 2,
      currency: 3,
      billingMonth: 4,
      quantity: -1,
      unitPrice: -1,
      periodStatus: 5,
    });
    expect(billingColumnIndexes(["total"]).total).toBe(-1);
    expect(missingColumn(header, ["Total", "Quantity", "Unit price"])).toBe("Quantity");
    expect(missingColumn(header, ["Total", "Currency"])).toBeUndefined();
  });

  it("tells accounts apart by Account, else by Account key", () => {
    expect(accountColumn(header)).toEqual({ label: "Account", index: 1 });
    expect(accountColumn(["Account key", "Total"])).toEqual({ label: "Account key", index: 0 });
    expect(accountColumn(["Total"])).toBeUndefined();
  });
});

describe("amounts in micro-units", () => {
  it("adds amounts exactly to the millionth", () => {
    expect(fromMicros(toMicros(0.1) + toMicros(0.2))).toBe(0.3);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 50 }), (micros) => {
        const sum = micros.reduce((a, b) => a + b, 0);
        expect(
          micros
            .map(fromMicros)
            .map(toMicros)
            .reduce((a, b) => a + b, 0)
        ).toBe(sum);
      })
    );
  });
});

describe("billing months", () => {
  it("names the months of a label written with an en dash or a hyphen", () => {
    expect(monthsOfLabel("2026-11 - 2027-01")).toEqual(["2026-11", "2026-12", "2027-01"]);
    expect(monthsOfLabel("2026-03 – 2026-01")).toEqual([]);
    expect(monthsOfLabel("2026-13")).toEqual([]);
  });

  it("takes a month's status from billingPeriods when they list all its months", () => {
    expect(billingMonthStatus("2026-09", SEPT_FINAL, ["Provisional"])).toBe("Final");
    expect(billingMonthStatus("2026-10", SEPT_FINAL, ["Final"])).toBe("Provisional");
    expect(billingMonthStatus("2026-09 – 2026-10", SEPT_FINAL, ["Final"])).toBe("Provisional");
  });

  it("otherwise from its rows' Period status: Final only when there are some and all say Final", () => {
    expect(billingMonthStatus("2026-08", SEPT_FINAL, ["Final", "Final"])).toBe("Final");
    expect(billingMonthStatus("2026-08 – 2026-09", SEPT_FINAL, ["Final", "Provisional"])).toBe("Provisional");
    expect(billingMonthStatus("2026-09", undefined, ["Final"])).toBe("Final");
    expect(billingMonthStatus("2026-09", undefined, [])).toBe("Provisional");
    expect(billingMonthStatus("2026-09", undefined, [undefined])).toBe("Provisional");
  });

  it("gives billingPeriods back from the statuses a table's provenance keeps", () => {
    expect(
      billingPeriodsOf([
        { month: "2026-09", status: "Final" },
        { month: "2026-10", status: "Provisional" },
      ])
    ).toEqual(SEPT_FINAL);
  });
});
