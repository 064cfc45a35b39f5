/**
 * A fetched result as people read it (pure), built on the table writer's shape (`src/excel/shape.ts`) so the
 * browser preview, the CSV and the Excel table have the same headers and values: the shaped table (Billing
 * month and Period status after the data), totals per currency, billing periods with their status, the
 * provenance, and snapshots for the change summary and the reconciliation totals.
 */
import {
  alignToGranularity,
  granularityOf,
  toDateInterval,
  toDateTimeInterval,
  toQuery,
  type DateInterval,
  type PeriodStatus,
} from "../billing";
import { PERIOD_STATUS_HEADER } from "../excel/billing-table";
import type { TableSnapshot } from "../excel/changes";
import {
  columnIndexByHeader,
  headersOf,
  shapeConnections,
  shapeResult,
  toPreviewRow,
  type BillingResultInput,
  type ColumnKind,
  type PreviewCell,
  type TableShape,
} from "../excel/shape";
import type { FetchedResult } from "./query-runner";

/** The period Infobip used: `requestedPeriod` when passed on, else the asked-for period aligned to the granularity. */
export function effectivePeriod(result: FetchedResult): DateInterval {
  if (result.requestedPeriod) return toDateInterval(result.requestedPeriod);
  return alignToGranularity(askedPeriod(result), granularityOf(result.definition.aggregateBy));
}

/** The period asked for: Infobip's echo when present, else what the pane sent, else the definition at retrieval. */
export function askedPeriod(result: FetchedResult): DateInterval {
  if (result.metadata) return toDateInterval(result.metadata.clientRequestedPeriod);
  return result.sentPeriod ?? toQuery(result.definition, result.retrievedAt).filterBy.dateInterval;
}

/** The table writer's input for a fetched result. */
export function shapeInputOf(result: FetchedResult): BillingResultInput {
  return {
    requestId: result.requestId ?? result.queryId,
    columns: result.columns,
    pages: [result.rows],
    requestedPeriod: toDateTimeInterval(effectivePeriod(result)),
    clientRequestedPeriod: toDateTimeInterval(askedPeriod(result)),
    billingPeriods: result.metadata?.billingPeriods ?? [],
    retrievedAt: result.retrievedAt,
    includeUnfinalizedData: result.definition.includeUnfinalizedData,
  };
}

/** Shapes already made, per fetched result (a result is never changed once fetched). */
const shapes = new WeakMap<FetchedResult, TableShape>();

/**
 * The result shaped exactly as the Excel table would hold it. Made once per result: the preview, its overview and
 * the change summary all ask for it (with a Connection column over named connections), and shaping 125k rows takes a noticeable part of a second in the browser.
 * Treat it as read-only.
 */
export function shapeFetched(result: FetchedResult): TableShape {
  let shape = shapes.get(result);
  if (shape === undefined) {
    shape = shapeUncached(result);
    shapes.set(result, shape);
  }
  return shape;
}

function shapeUncached(result: FetchedResult): TableShape {
  if (!result.parts) return shapeResult(shapeInputOf(result));
  return shapeConnections(
    result.parts.map((part) => ({
      connection: part.connection,
      input: shapeInputOf({
        ...result,
        queryId: part.queryId,
        rows: part.rows,
        ...(part.requestId ? { requestId: part.requestId } : { requestId: undefined }),
        metadata: part.metadata,
        requestedPeriod: part.requestedPeriod,
        sentPeriod: part.sentPeriod,
      }),
    })),
    (result.missing ?? []).map((m) => ({ name: m.connection, reason: m.reason }))
  );
}

/** Each row's Period status, for marking provisional rows. */
export function rowStatuses(shape: TableShape): PeriodStatus[] {
  const at = columnIndexByHeader(shape, PERIOD_STATUS_HEADER);
  return shape.rows.map((row) => (row[at] === "Final" ? "Final" : "Provisional"));
}

/** Right-aligned, number-formatted kinds. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === "unit-price" || kind === "quantity" || kind === "total" || kind === "number";
}

/** A preview cell as text: amounts unrounded (0.0075 stays 0.0075), with thousands separators. */
export function displayCell(cell: PreviewCell, kind: ColumnKind): string {
  if (typeof cell === "number") {
    return isNumericKind(kind) ? cell.toLocaleString("en-US", { maximumFractionDigits: 10 }) : String(cell);
  }
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return cell;
}

/** `1,234.56`: at least two decimals, more when the amount has them. */
export function formatMoney(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

/** All rows as the preview and the CSV show them (dates as text). */
export function previewRows(shape: TableShape): PreviewCell[][] {
  return shape.rows.map((row) => toPreviewRow(row, shape.columns));
}

/** A snapshot for `compareSnapshots` and `computeReconciliationTotals` (src/excel): headers, rows, periods. */
export function snapshotOf(result: FetchedResult, shape: TableShape = shapeFetched(result)): TableSnapshot {
  return {
    header: headersOf(shape),
    // The shape's own rows, not a copy: nothing that reads a snapshot changes it, and a copy of 125k rows
    // cost the browser preview as much again as the shaping.
    rows: shape.rows,
    // Over connections each month's status comes from the rows (each its own connection's), as in the workbook.
    billingPeriods: result.parts ? [] : (result.metadata?.billingPeriods ?? []),
  };
}
