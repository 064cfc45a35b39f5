import { predictColumns, type RawCell } from "../billing";
import {
  NUMBER_FORMATS,
  columnNumberFormat,
  isTextKind,
  numberFormatsFor,
  periodStatusIndex,
  provisionalRule,
  quantityFormat,
} from "./formats";
import {
  provenanceCells,
  EMPTY_RESULT_NOTE,
  PROVENANCE_ROW_COUNT,
  TABLE_HEADER_ROW_INDEX,
  MAX_TABLE_DATA_ROWS,
} from "./layout";
import { shapeResult, type ColumnKind } from "./shape";

/** Decimal places a format shows at most (digits after the point). */
function maxDecimals(format: string): number {
  const decimals = /\.([0#]+)/.exec(format)?.[1];
  return decimals?.length ?? 0;
}

describe("number formats", () => {
  it.each<[ColumnKind, string]>([
    ["day", "yyyy-mm-dd"],
    ["month", "yyyy-mm"],
    ["total", "#,##0.00"],
    ["text", "@"],
    ["identifier", "@"],
    ["billing-month", "@"],
    ["period-status", "@"],
    ["number", "General"],
    ["boolean", "General"],
  ])("%s → %s", (kind, format) => {
    expect(columnNumberFormat(kind, () => [])).toBe(format);
  });

  it("give unit prices enough decimals for 0.0075 and totals exactly two", () => {
    expect(maxDecimals(NUMBER_FORMATS.unitPrice)).toBeGreaterThanOrEqual(String(0.0075).split(".")[1]?.length ?? 0);
    expect(maxDecimals(NUMBER_FORMATS.unitPrice)).toBeGreaterThanOrEqual(6);
    expect(maxDecimals(NUMBER_FORMATS.total)).toBe(2);
  });

  it("show whole quantities without a decimal point, fractional ones with decimals", () => {
    expect(quantityFormat([1, 200, 3000])).toBe("#,##0");
    expect(quantityFormat([1, 2.5])).toBe("#,##0.0###");
    expect(quantityFormat(["", 4])).toBe("#,##0");
  });

  it("are one per column of a shape, text columns '@'", () => {
    const row: RawCell[] = [
      "A",
      "SMS",
      "2026-03-02T00:00:00.000+0000",
      "754564654689",
      "message",
      0.0075,
      1.5,
      0.01,
      "EUR",
    ];
    const shape = shapeResult({
      requestId: "r",
      columns: predictColumns(["DAY", "CAMPAIGN_ID"]),
      pages: [[row]],
      requestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      billingPeriods: [],
      retrievedAt: new Date("2026-03-03T00:00:00Z"),
      includeUnfinalizedData: true,
    });
    const formats = numberFormatsFor(shape);
    expect(formats).toEqual([
      "@",
      "@",
      "yyyy-mm-dd",
      "@",
      "@",
      NUMBER_FORMATS.unitPrice,
      "#,##0.0###",
      "#,##0.00",
      "@",
      "@",
      "@",
    ]);
    shape.columns.forEach((column, index) => expect(formats[index] === "@").toBe(isTextKind(column.kind)));
    expect(periodStatusIndex(shape.columns)).toBe(10);
  });
});

describe("provisional marking", () => {
  it("is a formula on the Period status column, column fixed, row relative to the first data row", () => {
    expect(provisionalRule(12, 10)).toEqual({
      formula: '=$M11="Provisional"',
      fillColor: "#FFF2CC",
      fontColor: "#7F6000",
      italic: true,
    });
    expect(provisionalRule(27, 0).formula).toBe('=$AB1="Provisional"');
  });
});

describe("provenance layout", () => {
  const provenance = {
    requestId: "req-7",
    requestedPeriod: { sentSince: "2026-03-01", sentUntil: "2026-04-01" },
    clientRequestedPeriod: { sentSince: "2026-03-03", sentUntil: "2026-03-10" },
    retrievedAt: "2026-03-20T09:31:05.123Z",
    includeUnfinalizedData: false,
    billingPeriods: [{ month: "2026-03", status: "Provisional" as const, finalizationDate: "2026-04-05" }],
    rowCount: 12345,
  };

  it("is a fixed block of text rows above the table, with one blank row before the header", () => {
    const cells = provenanceCells(provenance, "Day × Country");
    expect(cells).toHaveLength(PROVENANCE_ROW_COUNT);
    expect(TABLE_HEADER_ROW_INDEX).toBe(PROVENANCE_ROW_COUNT + 1);
    expect(MAX_TABLE_DATA_ROWS).toBe(1_048_576 - TABLE_HEADER_ROW_INDEX - 1);
    expect(cells).toEqual([
      ["Billing usage — Day × Country", ""],
      ["Requested period", "2026-03-01 to 2026-03-31"],
      ["Client-requested period", "2026-03-03 to 2026-03-09"],
      ["Retrieved at (UTC)", "2026-03-20 09:31:05"],
      ["Request ID", "req-7"],
      ["Provisional data included", "No"],
      ["Billing periods", "2026-03 Provisional (final on 2026-04-05)"],
      ["Rows", "12,345"],
    ]);
    expect(provenanceCells({ ...provenance, rowCount: 0 }, "x")[7]).toEqual(["Rows", EMPTY_RESULT_NOTE]);
  });
});
