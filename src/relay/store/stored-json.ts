/** The JSON columns of a stored query (columns, metadata, period), read back the same way by every store. */
import { z } from "zod";
import {
  BillingUsageMetadataSchema,
  ColumnInfoSchema,
  DateTimeIntervalSchema,
  type BillingUsageMetadata,
  type ColumnInfo,
  type DateTimeInterval,
} from "../../billing";

/** Reads JSON the relay itself wrote; a value that no longer fits its schema is dropped rather than trusted. */
export function readJson<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (text === null) return null;
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export interface ResultJsonColumns {
  columns: ColumnInfo[] | null;
  metadata: BillingUsageMetadata | null;
  requestedPeriod: DateTimeInterval | null;
}

export function readResultJson(
  columnsJson: string | null,
  metadataJson: string | null,
  requestedPeriodJson: string | null
): ResultJsonColumns {
  return {
    columns: readJson<ColumnInfo[]>(columnsJson, z.array(ColumnInfoSchema)),
    metadata: readJson<BillingUsageMetadata>(metadataJson, BillingUsageMetadataSchema),
    requestedPeriod: readJson<DateTimeInterval>(requestedPeriodJson, DateTimeIntervalSchema),
  };
}
