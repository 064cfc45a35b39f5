import {
  AGGREGATE_DIMENSIONS,
  DIMENSIONS,
  METRICS,
  columnLabel,
  predictColumns,
  toExcelSerial,
  type BillingUsageResult,
  type ColumnInfo,
  type RawCell,
} from "../billing";
import { BILLING_MONTH_HEADER, BILLING_TABLE_COLUMNS, PERIOD_STATUS_HEADER } from "./billing-table";
import {
  headersOf,
  inputFromResult,
  previewTable,
  shapeResult,
  totalsByCurrency,
  uniqueHeaders,
  type BillingResultInput,
} from "./shape";

const at = (date: string): string => `${date}T00:00:00.000+0000`;

function input(
  columns: ColumnInfo[],
  rows: RawCell[][],
  overrides: Partial<BillingResultInput> = {}
): BillingResultInput {
  return {
    requestId: "req-1",
    columns,
    pages: [rows],
    requestedPeriod: { sentSince: at("2026-02-01"), sentUntil: at("2026-04-01") },
    billingPeriods: [
      { month: "2026-02", volumeFinalized: true },
      { month: "2026-03", volumeFinalized: false },
    ],
    retrievedAt: new Date("2026-03-20T09:31:05Z"),
    includeUnfinalizedData: true,
    ...overrides,
  };
}

describe("headers", () => {
  it("are the catalog's friendly names, then Billing month and Period status", () => {
    const shape = shapeResult(input(predictColumns(["DAY", "COUNTRY_NAME"]), []));
    expect(headersOf(shape)).toEqual([
      "Account",
      "Category code",
      "Day",
      "Country",
      ...METRICS.map((m) => m.label),
      BILLING_MONTH_HEADER,
      PERIOD_STATUS_HEADER,
    ]);
    expect(BILLING_TABLE_COLUMNS).toMatchObject({
      unit: "Unit",
      unitPrice: "Unit price",
      quantity: "Quantity",
      total: "Total",
      currency: "Currency",
    });
  });

  it("are unique even when an API column's label collides with another or with ours", () => {
    const columns: ColumnInfo[] = [
      { columnName: "COUNTRY_NAME", columnDataType: "STRING" },
      { columnName: "Country", columnDataType: "STRING" },
      { columnName: "Billing month", columnDataType: "STRING" },
      { columnName: "country", columnDataType: "STRING" },
    ];
    const headers = uniqueHeaders(columns);
    expect(headers).toEqual(["Country", "Country (API)", "Billing month (API)", "country 2"]);
    expect(new Set(headersOf(shapeResult(input(columns, []))).map((h) => h.toLowerCase())).size).toBe(6);
  });
});

describe.each(DIMENSIONS.map((d) => [d.code, d.valueKind] as const))("dimension %s (%s)", (code, valueKind) => {
  it("keeps its label and stores its values as their kind", () => {
    const columns = predictColumns([code]);
    const index = columns.findIndex((c) => c.columnName === code);
    const raw: RawCell = valueKind === "date" ? at("2026-03-01") : "0044";
    const row = columns.map((c, i): RawCell => (i === index ? raw : c.columnDataType === "NUMBER" ? 1 : "x"));
    const shape = shapeResult(input(columns, [row]));
    expect(shape.columns[index]?.header).toBe(columnLabel(code));
    const cell = shape.rows[0]?.[index];
    if (valueKind === "date") expect(cell).toBe(toExcelSerial(new Date("2026-03-01T00:00:00Z")));
    else expect(cell).toBe("0044");
  });
});

describe("typed cells", () => {
  const columns = predictColumns(["DAY", "CAMPAIGN_ID", "SENDER"]);
  const row: RawCell[] = [
    "Main",
    "SMS",
    at("2026-03-02"),
    754564654689,
    "+385911234567",
    "N/A",
    "N/A",
    "12.5",
    0.09,
    "EUR",
  ];

  it("are serials for dates, numbers for metrics, empty for N/A, text for IDs and senders", () => {
    const shape = shapeResult(input(columns, [row]));
    expect(shape.rows[0]).toEqual([
      "Main",
      "SMS",
      toExcelSerial(new Date("2026-03-02T00:00:00Z")),
      "754564654689",
      "+385911234567",
      "",
      "",
      12.5,
      0.09,
      "EUR",
      "2026-03",
      "Provisional",
    ]);
    expect(shape.columns.map((c) => c.kind)).toEqual([
      "text",
      "text",
      "day",
      "identifier",
      "text",
      "text",
      "unit-price",
      "quantity",
      "total",
      "text",
      "billing-month",
      "period-status",
    ]);
  });

  it("refuses a row whose width differs from the columns", () => {
    expect(() => shapeResult(input(columns, [row.slice(1)]))).toThrow(/has 9 values for 10 columns/);
  });
});

describe("period status columns", () => {
  it("follow each row's day and metadata.billingPeriods", () => {
    const columns = predictColumns(["DAY"]);
    const rows = ["2026-02-28", "2026-03-01", "2026-04-01"].map((day): RawCell[] => [
      "A",
      "SMS",
      at(day),
      "message",
      1,
      1,
      1,
      "EUR",
    ]);
    const shape = shapeResult(input(columns, rows));
    expect(shape.rows.map((r) => r.slice(-2))).toEqual([
      ["2026-02", "Final"],
      ["2026-03", "Provisional"],
      ["2026-04", "Provisional"],
    ]);
    expect(shape.provisionalRowCount).toBe(2);
  });

  it("use the requested period's months when there is no time dimension", () => {
    const columns = predictColumns(["COUNTRY_NAME"]);
    const row: RawCell[] = ["A", "SMS", "Germany", "message", 1, 1, 1, "EUR"];
    const spanning = shapeResult(input(columns, [row]));
    expect(spanning.rows[0]?.slice(-2)).toEqual(["2026-02 – 2026-03", "Provisional"]);
    const final = shapeResult(
      input(columns, [row], { requestedPeriod: { sentSince: at("2026-02-01"), sentUntil: at("2026-03-01") } })
    );
    expect(final.rows[0]?.slice(-2)).toEqual(["2026-02", "Final"]);
  });

  it("are listed in the provenance with the date a provisional month finalizes", () => {
    const shape = shapeResult(input(predictColumns(["MONTH"]), []));
    expect(shape.provenance).toMatchObject({
      requestId: "req-1",
      requestedPeriod: { sentSince: "2026-02-01", sentUntil: "2026-04-01" },
      clientRequestedPeriod: { sentSince: "2026-02-01", sentUntil: "2026-04-01" },
      retrievedAt: "2026-03-20T09:31:05.000Z",
      includeUnfinalizedData: true,
      rowCount: 0,
      billingPeriods: [
        { month: "2026-02", status: "Final", finalizationDate: "2026-03-05" },
        { month: "2026-03", status: "Provisional", finalizationDate: "2026-04-05" },
      ],
    });
  });
});

describe("inputFromResult", () => {
  const result: BillingUsageResult = {
    requestId: "r-9",
    status: "SUCCESS",
    response: {
      requestedPeriod: { sentSince: at("2026-03-01"), sentUntil: at("2026-04-01") },
      totalRows: 1,
      columns: predictColumns(["MONTH"]),
      rows: [["A", "SMS", at("2026-03-01"), "message", 0.0075, 100, 0.75, "EUR"]],
    },
    metadata: {
      clientRequestedPeriod: { sentSince: at("2026-03-05"), sentUntil: at("2026-03-20") },
      billingPeriods: [{ month: "2026-03", volumeFinalized: false }],
    },
  };

  it("takes the callback's parts", () => {
    const shape = shapeResult(inputFromResult(result, new Date("2026-03-21T00:00:00Z"), true));
    expect(shape.provenance.clientRequestedPeriod).toEqual({ sentSince: "2026-03-05", sentUntil: "2026-03-20" });
    expect(shape.rows[0]?.slice(2)).toEqual([
      toExcelSerial(new Date("2026-03-01T00:00:00Z")),
      "message",
      0.0075,
      100,
      0.75,
      "EUR",
      "2026-03",
      "Provisional",
    ]);
  });

  it("refuses a FAILED result in plain words", () => {
    expect(() =>
      inputFromResult({ requestId: "r-0", status: "FAILED", failureMessage: "quota" }, new Date(), false)
    ).toThrow("Infobip did not return data for request r-0: quota");
  });
});

describe("preview", () => {
  it("shows the same headers and values, with dates as text", () => {
    const columns = predictColumns(["DAY"]);
    const rows: RawCell[][] = [
      ["A", "SMS", at("2026-03-02"), "message", 0.0075, 2, 0.02, "EUR"],
      ["A", "SMS", at("2026-03-03"), "message", 0.0075, 2, 0.02, "EUR"],
    ];
    const shape = shapeResult(input(columns, rows));
    const preview = previewTable(shape, 1);
    expect(preview.headers).toEqual(headersOf(shape));
    expect(preview.totalRows).toBe(2);
    expect(preview.rows).toEqual([
      ["A", "SMS", "2026-03-02", "message", 0.0075, 2, 0.02, "EUR", "2026-03", "Provisional"],
    ]);
    const monthly = previewTable(
      shapeResult(input(predictColumns(["MONTH"]), [["A", "SMS", at("2026-03-01"), "m", 1, 1, 1, "EUR"]]))
    );
    expect(monthly.rows[0]?.[2]).toBe("2026-03");
  });

  it("totals per currency, never across currencies", () => {
    const columns = predictColumns(["DAY"]);
    const rows: RawCell[][] = [
      ["A", "SMS", at("2026-02-02"), "message", 0.1, 1, 0.1, "EUR"],
      ["A", "SMS", at("2026-03-02"), "message", 0.2, 1, 0.2, "EUR"],
      ["A", "SMS", at("2026-03-02"), "message", 5, 1, 5, "USD"],
      ["A", "SMS", at("2026-03-02"), "message", "N/A", "N/A", "N/A", "USD"],
    ];
    expect(totalsByCurrency(shapeResult(input(columns, rows)))).toEqual([
      { currency: "EUR", total: 0.3, rows: 2, provisionalRows: 1 },
      { currency: "USD", total: 5, rows: 2, provisionalRows: 2 },
    ]);
  });
});

it("covers every aggregate dimension in the catalog", () => {
  expect(DIMENSIONS.map((d) => d.code).sort()).toEqual([...AGGREGATE_DIMENSIONS].sort());
});
