/**
 * The predicted layout of a result: which columns a query returns and in which order, as Infobip's
 * examples show it. When no account dimension is chosen ACCOUNT_NAME is prepended, when no category
 * dimension is chosen CATEGORY_CODE is prepended (in that order when both are), then the `aggregateBy`
 * dimensions in the order given, then the five metric columns.
 *
 * Infobip does not document the data type of DAY and MONTH cells; we predict DATE_TIME with values like
 * `2026-03-01T00:00:00.000+0000` (the first day for MONTH), as the Metrics API does for its time buckets.
 * Consumers still map cells by `columns[].columnName`, never by predicted position.
 */
import { METRIC_COLUMNS, type AggregateDimension, type MetricColumn } from "./catalog";
import type { ColumnDataType, ColumnInfo } from "./result";

const METRIC_TYPES: Readonly<Record<MetricColumn, ColumnDataType>> = {
  UNIT_TYPE: "STRING",
  UNIT_PRICE: "NUMBER",
  QUANTITY: "NUMBER",
  TOTAL_PER_UNIT: "NUMBER",
  CURRENCY: "STRING",
};

/** The dimensions a result is grouped by: the auto-added defaults first, then `aggregateBy` in order. */
export function effectiveDimensions(aggregateBy: readonly AggregateDimension[]): AggregateDimension[] {
  const added: AggregateDimension[] = [];
  if (!aggregateBy.includes("ACCOUNT_NAME") && !aggregateBy.includes("ACCOUNT_KEY")) added.push("ACCOUNT_NAME");
  if (!aggregateBy.includes("CATEGORY_CODE") && !aggregateBy.includes("CATEGORY_NAME")) added.push("CATEGORY_CODE");
  return [...added, ...aggregateBy];
}

/** The auto-added dimensions for a choice of `aggregateBy` (shown in the composer). */
export function autoAddedDimensions(aggregateBy: readonly AggregateDimension[]): AggregateDimension[] {
  const effective = effectiveDimensions(aggregateBy);
  return effective.slice(0, effective.length - aggregateBy.length);
}

export function dimensionDataType(dimension: AggregateDimension): ColumnDataType {
  return dimension === "DAY" || dimension === "MONTH" ? "DATE_TIME" : "STRING";
}

/** The columns (`columns[]`) a query with this `aggregateBy` returns. */
export function predictColumns(aggregateBy: readonly AggregateDimension[]): ColumnInfo[] {
  return [
    ...effectiveDimensions(aggregateBy).map((d) => ({ columnName: d, columnDataType: dimensionDataType(d) })),
    ...METRIC_COLUMNS.map((m) => ({ columnName: m, columnDataType: METRIC_TYPES[m] })),
  ];
}
