/**
 * What the API answers: the 201 `{requestId}` and the callback `BillingUsageResult` that Infobip POSTs
 * once to the `callbackUrl` (SUCCESS with `response` and `metadata`, or FAILED with `failureMessage`).
 */
import { z } from "zod";
import { ApiDateTimeSchema, lengthRule, YearMonthSchema } from "./atoms";

/** 201 answer of `POST /billing/1/usage/query`. */
export const QueryAggregateDataResponseSchema = z.object({ requestId: z.string().min(1, lengthRule()) });
export type QueryAggregateDataResponse = z.infer<typeof QueryAggregateDataResponseSchema>;

export const COLUMN_DATA_TYPES = ["STRING", "INTEGER", "NUMBER", "BOOLEAN", "DATE_TIME"] as const;
export const ColumnDataTypeSchema = z.enum(COLUMN_DATA_TYPES);
export type ColumnDataType = z.infer<typeof ColumnDataTypeSchema>;

export const ColumnInfoSchema = z.object({
  columnName: z.string().min(1, lengthRule()),
  columnDataType: ColumnDataTypeSchema,
});
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>;

/** A raw cell as delivered: strings (including "N/A"), numbers, booleans. */
export const RawCellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type RawCell = z.infer<typeof RawCellSchema>;
export type RawRow = RawCell[];

export const DateTimeIntervalSchema = z.object({
  sentSince: ApiDateTimeSchema,
  sentUntil: ApiDateTimeSchema,
});
export type DateTimeInterval = z.infer<typeof DateTimeIntervalSchema>;

export const AggregateDataResponseSchema = z.object({
  requestedPeriod: DateTimeIntervalSchema,
  totalRows: z.number().int().nonnegative(),
  columns: z.array(ColumnInfoSchema),
  rows: z.array(z.array(RawCellSchema)),
});
export type AggregateDataResponse = z.infer<typeof AggregateDataResponseSchema>;

export const BillingPeriodSchema = z.object({
  month: YearMonthSchema,
  volumeFinalized: z.boolean(),
});
export type BillingPeriod = z.infer<typeof BillingPeriodSchema>;

export const BillingUsageMetadataSchema = z.object({
  clientRequestedPeriod: DateTimeIntervalSchema,
  billingPeriods: z.array(BillingPeriodSchema),
});
export type BillingUsageMetadata = z.infer<typeof BillingUsageMetadataSchema>;

export const BillingUsageResultSchema = z.object({
  requestId: z.string().min(1, lengthRule()),
  status: z.enum(["SUCCESS", "FAILED"]),
  response: AggregateDataResponseSchema.optional(),
  failureMessage: z.string().optional(),
  metadata: BillingUsageMetadataSchema.optional(),
});
export type BillingUsageResult = z.infer<typeof BillingUsageResultSchema>;

/**
 * Problems that the schema alone does not catch but that make a SUCCESS result unusable: no `response`,
 * a row whose width differs from the columns, a `totalRows` that disagrees with the rows. Empty when fine.
 */
export function resultInconsistencies(result: BillingUsageResult): string[] {
  if (result.status === "FAILED") return [];
  const response = result.response;
  if (!response) return ["a SUCCESS result has no response"];
  const problems: string[] = [];
  const width = response.columns.length;
  const badRow = response.rows.findIndex((row) => row.length !== width);
  if (badRow >= 0) {
    problems.push(`row ${badRow} has ${response.rows[badRow]?.length ?? 0} values for ${width} columns`);
  }
  if (response.totalRows !== response.rows.length) {
    problems.push(`totalRows is ${response.totalRows} but ${response.rows.length} rows were delivered`);
  }
  return problems;
}
