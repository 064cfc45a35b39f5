/** Callback bodies as Infobip sends them (shape of the OpenAPI examples), of any size. */
import type { BillingUsageResult, RawRow } from "../../../src/billing";

export const RESULT_COLUMNS = [
  { columnName: "CATEGORY_CODE", columnDataType: "STRING" },
  { columnName: "COUNTRY_CODE", columnDataType: "STRING" },
  { columnName: "UNIT_TYPE", columnDataType: "STRING" },
  { columnName: "UNIT_PRICE", columnDataType: "NUMBER" },
  { columnName: "QUANTITY", columnDataType: "NUMBER" },
  { columnName: "TOTAL_PER_UNIT", columnDataType: "NUMBER" },
  { columnName: "CURRENCY", columnDataType: "STRING" },
] as const;

const COUNTRIES = ["US", "DE", "HR", "GB", "FR", "BR", "IN"];

export function resultRow(index: number): RawRow {
  const quantity = (index % 997) + 1;
  const price = 0.0089 + (index % 13) / 1000;
  return [
    index % 5 === 0 ? "WHATSAPP" : "SMS",
    COUNTRIES[index % COUNTRIES.length] ?? "US",
    index % 5 === 0 ? "message" : "message part",
    index % 17 === 0 ? "N/A" : Number(price.toFixed(4)),
    quantity,
    Number((price * quantity).toFixed(2)),
    index % 3 === 0 ? "EUR" : "USD",
  ];
}

export function successResult(requestId: string, rowCount: number): BillingUsageResult {
  const rows = Array.from({ length: rowCount }, (_, i) => resultRow(i));
  return {
    requestId,
    status: "SUCCESS",
    response: {
      requestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      totalRows: rowCount,
      columns: RESULT_COLUMNS.map((c) => ({ ...c })),
      rows,
    },
    metadata: {
      clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      billingPeriods: [{ month: "2026-03", volumeFinalized: true }],
    },
  };
}

export function failedResult(requestId: string, failureMessage: string): BillingUsageResult {
  return { requestId, status: "FAILED", failureMessage };
}
