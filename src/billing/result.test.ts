import {
  API_ERRORS,
  ApiErrorSchema,
  BillingUsageResultSchema,
  apiError,
  badRequest,
  resultInconsistencies,
  type BillingUsageResult,
} from "./index";

const columns = [
  { columnName: "ACCOUNT_NAME", columnDataType: "STRING" as const },
  { columnName: "QUANTITY", columnDataType: "NUMBER" as const },
];
const period = { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" };

function success(rows: (string | number)[][], totalRows = rows.length): BillingUsageResult {
  return {
    requestId: "R1",
    status: "SUCCESS",
    response: { requestedPeriod: period, totalRows, columns, rows },
    metadata: { clientRequestedPeriod: period, billingPeriods: [{ month: "2026-03", volumeFinalized: false }] },
  };
}

describe("BillingUsageResultSchema", () => {
  it("accepts an empty SUCCESS and a FAILED result", () => {
    expect(BillingUsageResultSchema.parse(success([]))).toEqual(success([]));
    expect(BillingUsageResultSchema.safeParse({ requestId: "R1", status: "FAILED", failureMessage: "x" }).success).toBe(
      true
    );
  });

  it.each([
    ["an unknown status", { requestId: "R1", status: "DONE" }],
    ["an empty requestId", { requestId: "", status: "FAILED" }],
    [
      "a month that is not yyyy-MM",
      {
        ...success([]),
        metadata: { clientRequestedPeriod: period, billingPeriods: [{ month: "2026-3", volumeFinalized: true }] },
      },
    ],
    [
      "an unreadable date-time",
      {
        ...success([]),
        response: { requestedPeriod: { ...period, sentSince: "March" }, totalRows: 0, columns, rows: [] },
      },
    ],
    [
      "an unknown column type",
      {
        ...success([]),
        response: {
          requestedPeriod: period,
          totalRows: 0,
          columns: [{ columnName: "X", columnDataType: "DATE" }],
          rows: [],
        },
      },
    ],
    [
      "a negative totalRows",
      { ...success([]), response: { requestedPeriod: period, totalRows: -1, columns, rows: [] } },
    ],
  ])("refuses %s", (_what, value) => {
    expect(BillingUsageResultSchema.safeParse(value).success).toBe(false);
  });
});

describe("resultInconsistencies", () => {
  it("is empty for a consistent SUCCESS and for FAILED", () => {
    expect(
      resultInconsistencies(
        success([
          ["Account A", 1500],
          ["Account B", "N/A"],
        ])
      )
    ).toEqual([]);
    expect(resultInconsistencies({ requestId: "R1", status: "FAILED", failureMessage: "Could not load data" })).toEqual(
      []
    );
  });

  it("reports a SUCCESS without a response", () => {
    expect(resultInconsistencies({ requestId: "R1", status: "SUCCESS" })).toEqual(["a SUCCESS result has no response"]);
  });

  it("reports the first row whose width differs from the columns", () => {
    expect(resultInconsistencies(success([["Account A", 1], ["Account B"], ["Account C", 1, 2]]))).toEqual([
      "row 1 has 1 values for 2 columns",
    ]);
  });

  it("reports a totalRows that disagrees with the rows", () => {
    expect(resultInconsistencies(success([["Account A", 1]], 2))).toEqual(["totalRows is 2 but 1 rows were delivered"]);
  });
});

describe("error bodies", () => {
  it("every catalogued body is an ApiError", () => {
    for (const body of Object.values(API_ERRORS)) expect(ApiErrorSchema.parse(body)).toEqual(body);
  });

  it("apiError gives a fresh copy, with optional wording", () => {
    const body = apiError("unauthorized", { description: "The API key is not valid." });
    expect(body).toEqual({ ...API_ERRORS.unauthorized, description: "The API key is not valid." });
    body.resources[0] = { name: "changed" };
    expect(API_ERRORS.unauthorized.resources[0]?.name).toBe("API Authentication");
    expect(apiError("internal", { action: "Retry later." }).action).toBe("Retry later.");
  });

  it("badRequest lists the violations, copied", () => {
    const violations = [{ property: "request.aggregateBy", violation: "must name at least one dimension" }];
    const body = badRequest(violations);
    expect(body).toEqual({ ...API_ERRORS.badRequest, violations });
    expect(body.violations[0]).not.toBe(violations[0]);
  });
});
