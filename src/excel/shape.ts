/**
 * From a Billing Usage result to the shape of an Excel table: friendly, unique headers; typed cells that
 * Excel stores as they are meant (dates as serials, numbers as numbers, "N/A" as an empty cell, IDs as
 * text); and two period-status columns after the data, "Billing month" and "Period status" (Final /
 * Provisional), from the row's DAY/MONTH value (or the requested period) and `metadata.billingPeriods`.
 *
 * Pure: no Office, no I/O. The table writer, the browser preview and the reconciliation sheet all read the
 * same shape, and find columns by the header names of `billing-table.ts`.
 */
import {
  columnLabel,
  finalizationDate,
  isIdentifierColumn,
  monthStatus,
  rowPeriod,
  toDateInterval,
  toExcelSerial,
  typeCell,
  type BillingPeriod,
  type BillingUsageResult,
  type ColumnInfo,
  type DateInterval,
  type DateTimeInterval,
  type PeriodStatus,
  type RawCell,
  type RowPeriod,
  type TypedCell,
} from "../billing";
import { BILLING_MONTH_HEADER, BILLING_TABLE_COLUMNS, CONNECTION_HEADER, PERIOD_STATUS_HEADER } from "./billing-table";

/**
 * How a column is stored and formatted:
 * day / month — Excel date serials; unit-price / quantity / total / number — numbers; text / identifier —
 * text (the column is formatted "@" before values are written, so "0044" and "754564654689" stay as typed);
 * boolean — TRUE/FALSE; billing-month / period-status — our text columns.
 */
export type ColumnKind =
  | "day"
  | "month"
  | "date-time"
  | "unit-price"
  | "quantity"
  | "total"
  | "number"
  | "text"
  | "identifier"
  | "boolean"
  | "billing-month"
  | "period-status"
  | "connection";

export interface ShapedColumn {
  /** The header shown in Excel, unique within the table. */
  header: string;
  /** The API column (`columns[].columnName`), or BILLING_MONTH / PERIOD_STATUS for ours. */
  source: string;
  kind: ColumnKind;
}

/** A cell as written to Excel: never null (an empty cell is ""), never a Date (dates are serials). */
export type ExcelCell = string | number | boolean;

export interface BillingPeriodStatus {
  month: string;
  status: PeriodStatus;
  /** The date (yyyy-MM-dd) a provisional month becomes final; also given for final months. */
  finalizationDate: string;
}

export interface Provenance {
  requestId: string;
  /** The period the result covers (the API's `requestedPeriod`, aligned to the granularity), end exclusive. */
  requestedPeriod: DateInterval;
  /** The period the client asked for (`metadata.clientRequestedPeriod`), end exclusive. */
  clientRequestedPeriod: DateInterval;
  /** ISO 8601 UTC instant the result was retrieved. */
  retrievedAt: string;
  includeUnfinalizedData: boolean;
  billingPeriods: BillingPeriodStatus[];
  rowCount: number;
  /**
   * A table over named connections: each connection's own request and month statuses (one data centre may have
   * finalized a month another has not). `billingPeriods` above then holds a month as Final only when every
   * connection that has it says so; the Period status column is each row's own connection's.
   */
  connections?: ConnectionProvenance[];
  /** Connections of the query whose rows are NOT in the table (the user chose to write the others), and why. */
  missingConnections?: MissingConnectionNote[];
}

export interface ConnectionProvenance {
  name: string;
  requestId: string;
  requestedPeriod: DateInterval;
  billingPeriods: BillingPeriodStatus[];
  rowCount: number;
}

export interface MissingConnectionNote {
  name: string;
  reason: string;
}

export interface TableShape {
  columns: ShapedColumn[];
  rows: ExcelCell[][];
  provenance: Provenance;
  /** Rows whose Period status is Provisional. */
  provisionalRowCount: number;
  /** The query's dimensions as labels (for names and titles), e.g. ["Day", "Country"]. */
  dimensionLabels: string[];
}

/** What the shaper needs from a result: the callback's parts plus what the pane knows about the query. */
export interface BillingResultInput {
  requestId: string;
  columns: readonly ColumnInfo[];
  /** Rows as fetched from the relay, page after page (one page is fine). */
  pages: readonly (readonly (readonly RawCell[])[])[];
  /** `response.requestedPeriod`. */
  requestedPeriod: DateTimeInterval;
  /** `metadata.clientRequestedPeriod`; defaults to the requested period. */
  clientRequestedPeriod?: DateTimeInterval;
  billingPeriods: readonly BillingPeriod[];
  retrievedAt: Date;
  includeUnfinalizedData: boolean;
}

/** The shaper's input from a whole SUCCESS callback (rows in one page). */
export function inputFromResult(
  result: BillingUsageResult,
  retrievedAt: Date,
  includeUnfinalizedData: boolean
): BillingResultInput {
  const response = result.response;
  if (result.status !== "SUCCESS" || !response) {
    throw new Error(
      `Infobip did not return data for request ${result.requestId}: ${result.failureMessage ?? "no response"}`
    );
  }
  const input: BillingResultInput = {
    requestId: result.requestId,
    columns: response.columns,
    pages: [response.rows],
    requestedPeriod: response.requestedPeriod,
    billingPeriods: result.metadata?.billingPeriods ?? [],
    retrievedAt,
    includeUnfinalizedData,
  };
  if (result.metadata) input.clientRequestedPeriod = result.metadata.clientRequestedPeriod;
  return input;
}

/** Dimensions Infobip prepends when no account / category dimension is chosen (see `effectiveDimensions`). */
const AUTO_ADDED: readonly string[] = ["ACCOUNT_NAME", "CATEGORY_CODE"];

const METRIC_KINDS: Readonly<Record<string, ColumnKind>> = {
  UNIT_PRICE: "unit-price",
  QUANTITY: "quantity",
  TOTAL_PER_UNIT: "total",
};

export function columnKind(column: ColumnInfo): ColumnKind {
  if (column.columnName === "DAY") return "day";
  if (column.columnName === "MONTH") return "month";
  const metric = METRIC_KINDS[column.columnName];
  if (metric) return metric;
  if (isIdentifierColumn(column.columnName)) return "identifier";
  switch (column.columnDataType) {
    case "DATE_TIME":
      return "date-time";
    case "NUMBER":
    case "INTEGER":
      return "number";
    case "BOOLEAN":
      return "boolean";
    case "STRING":
      return "text";
  }
}

/**
 * Friendly headers, unique (case-insensitively, as Excel compares table headers). Our two period columns
 * keep their exact names; an API column whose label collides gets its API name added, then a number.
 */
export function uniqueHeaders(columns: readonly ColumnInfo[]): string[] {
  const taken = new Set([
    BILLING_MONTH_HEADER.toLowerCase(),
    PERIOD_STATUS_HEADER.toLowerCase(),
    CONNECTION_HEADER.toLowerCase(),
  ]);
  return columns.map((column) => {
    const label = columnLabel(column.columnName);
    let header = label;
    if (taken.has(header.toLowerCase()))
      header = label === column.columnName ? `${label} (API)` : `${label} (${column.columnName})`;
    for (let n = 2; taken.has(header.toLowerCase()); n++) header = `${label} ${n}`;
    taken.add(header.toLowerCase());
    return header;
  });
}

export function shapeColumns(columns: readonly ColumnInfo[]): ShapedColumn[] {
  const headers = uniqueHeaders(columns);
  return [
    ...columns.map((column, index) => ({
      header: headers[index] ?? column.columnName,
      source: column.columnName,
      kind: columnKind(column),
    })),
    { header: BILLING_MONTH_HEADER, source: "BILLING_MONTH", kind: "billing-month" as const },
    { header: PERIOD_STATUS_HEADER, source: "PERIOD_STATUS", kind: "period-status" as const },
  ];
}

/** One typed cell as Excel should receive it. */
function toExcelCell(value: TypedCell): ExcelCell {
  if (value === null) return "";
  if (value instanceof Date) return toExcelSerial(value);
  return value;
}

function periodStatuses(billingPeriods: readonly BillingPeriod[]): BillingPeriodStatus[] {
  return [...billingPeriods]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((period) => ({
      month: period.month,
      status: monthStatus(billingPeriods, period.month),
      finalizationDate: finalizationDate(period.month),
    }));
}

/** The result as a table shape (see the file comment). */
export function shapeResult(input: BillingResultInput): TableShape {
  const columns = shapeColumns(input.columns);
  const width = input.columns.length;
  const timeIndex = input.columns.findIndex((c) => c.columnName === "DAY" || c.columnName === "MONTH");
  const requestedPeriod = toDateInterval(input.requestedPeriod);
  const periodCache = new Map<string, RowPeriod>();
  const periodOf = (timeValue: RawCell | undefined): RowPeriod => {
    const key = typeof timeValue === "string" ? timeValue : "";
    let period = periodCache.get(key);
    if (!period) {
      period = rowPeriod(key === "" ? undefined : key, requestedPeriod, input.billingPeriods);
      periodCache.set(key, period);
    }
    return period;
  };

  // A date column holds a few distinct days among 100k rows: each text is read once (parsing it was most of the
  // shaping's time for 125k rows in the browser preview).
  const dateCells = input.columns.map((column) =>
    column.columnDataType === "DATE_TIME" ? new Map<string, ExcelCell>() : undefined
  );
  const rows: ExcelCell[][] = [];
  let provisional = 0;
  for (const page of input.pages) {
    for (const raw of page) {
      if (raw.length !== width) {
        throw new Error(
          `Row ${rows.length + 1} of request ${input.requestId} has ${raw.length} values for ${width} columns.`
        );
      }
      const cells: ExcelCell[] = new Array<ExcelCell>(width);
      for (let index = 0; index < width; index++) {
        const value = raw[index] as RawCell;
        const column = input.columns[index] as ColumnInfo;
        const dates = dateCells[index];
        if (dates !== undefined && typeof value === "string") {
          let cell = dates.get(value);
          if (cell === undefined) {
            cell = toExcelCell(typeCell(value, column));
            dates.set(value, cell);
          }
          cells[index] = cell;
        } else {
          cells[index] = toExcelCell(typeCell(value, column));
        }
      }
      const period = periodOf(timeIndex >= 0 ? raw[timeIndex] : undefined);
      if (period.status === "Provisional") provisional += 1;
      cells.push(period.billingMonth, period.status);
      rows.push(cells);
    }
  }

  // For titles and names: the dimensions, without the Account / Category code columns Infobip adds by itself.
  const dimensions = input.columns
    .map((c) => c.columnName)
    .filter((name) => !(name in METRIC_KINDS) && !["UNIT_TYPE", "CURRENCY"].includes(name));
  const chosen = dimensions.filter((name) => !AUTO_ADDED.includes(name));
  const dimensionLabels = (chosen.length > 0 ? chosen : dimensions).map((name) => columnLabel(name));

  return {
    columns,
    rows,
    provisionalRowCount: provisional,
    dimensionLabels,
    provenance: {
      requestId: input.requestId,
      requestedPeriod,
      clientRequestedPeriod: toDateInterval(input.clientRequestedPeriod ?? input.requestedPeriod),
      retrievedAt: input.retrievedAt.toISOString(),
      includeUnfinalizedData: input.includeUnfinalizedData,
      billingPeriods: periodStatuses(input.billingPeriods),
      rowCount: rows.length,
    },
  };
}

/** One connection's result, for {@link shapeConnections}. */
export interface ConnectionInput {
  connection: string;
  input: BillingResultInput;
}

/**
 * Several connections' results of one query as ONE table: a Connection column first (the outermost split, as an
 * invoice is per account), then each connection's rows shaped on their own (so each row's Period status is its own
 * connection's month status). Every input must have the same columns in the same order (the runner aligns them).
 * `missing` names connections of the query whose rows are not in the table.
 */
export function shapeConnections(
  parts: readonly ConnectionInput[],
  missing: readonly MissingConnectionNote[] = []
): TableShape {
  const first = parts[0];
  if (!first) throw new Error("A table over connections needs at least one connection's result.");
  const shapes = parts.map((part) => {
    const same =
      part.input.columns.length === first.input.columns.length &&
      part.input.columns.every((c, i) => c.columnName === first.input.columns[i]?.columnName);
    if (!same)
      throw new Error(`The result of connection ${part.connection} has other columns than ${first.connection}'s.`);
    return { name: part.connection, shape: shapeResult(part.input) };
  });
  const base = shapes[0]?.shape as TableShape;
  const rows: ExcelCell[][] = [];
  for (const { name, shape } of shapes) for (const row of shape.rows) rows.push([name, ...row]);
  const periods = (pick: (p: Provenance) => DateInterval): DateInterval => {
    const all = shapes.map((s) => pick(s.shape.provenance));
    return {
      sentSince: all.map((p) => p.sentSince).reduce((a, b) => (b < a ? b : a)),
      sentUntil: all.map((p) => p.sentUntil).reduce((a, b) => (b > a ? b : a)),
    };
  };
  const months = new Map<string, BillingPeriodStatus>();
  for (const { shape } of shapes) {
    for (const period of shape.provenance.billingPeriods) {
      const known = months.get(period.month);
      if (!known || period.status === "Provisional") months.set(period.month, period);
    }
  }
  return {
    columns: [{ header: CONNECTION_HEADER, source: "CONNECTION", kind: "connection" }, ...base.columns],
    rows,
    provisionalRowCount: shapes.reduce((sum, s) => sum + s.shape.provisionalRowCount, 0),
    dimensionLabels: base.dimensionLabels,
    provenance: {
      requestId: shapes.map((s) => `${s.name}: ${s.shape.provenance.requestId}`).join("; "),
      requestedPeriod: periods((p) => p.requestedPeriod),
      clientRequestedPeriod: periods((p) => p.clientRequestedPeriod),
      retrievedAt: base.provenance.retrievedAt,
      includeUnfinalizedData: base.provenance.includeUnfinalizedData,
      billingPeriods: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
      rowCount: rows.length,
      connections: shapes.map(({ name, shape }) => ({
        name,
        requestId: shape.provenance.requestId,
        requestedPeriod: shape.provenance.requestedPeriod,
        billingPeriods: shape.provenance.billingPeriods,
        rowCount: shape.provenance.rowCount,
      })),
      ...(missing.length > 0 ? { missingConnections: [...missing] } : {}),
    },
  };
}

export function headersOf(shape: Pick<TableShape, "columns">): string[] {
  return shape.columns.map((c) => c.header);
}

/** The index of a column by its header (case-insensitive, as Excel matches), or -1. */
export function columnIndexByHeader(shape: Pick<TableShape, "columns">, header: string): number {
  return shape.columns.findIndex((c) => c.header.toLowerCase() === header.toLowerCase());
}

// ------------------------------------------------------------------ preview (browser, no Excel)

/** A preview cell: dates as `yyyy-mm-dd` / `yyyy-mm` text, numbers as numbers, empty as "". */
export type PreviewCell = string | number | boolean;

export interface PreviewTable {
  headers: string[];
  kinds: ColumnKind[];
  rows: PreviewCell[][];
  /** Rows in the whole result (the preview may show fewer). */
  totalRows: number;
}

function serialToIso(serial: number): string {
  return new Date(Math.round((serial - 25_569) * 86_400_000)).toISOString();
}

/** One shaped row as the preview grid shows it. */
export function toPreviewRow(row: readonly ExcelCell[], columns: readonly ShapedColumn[]): PreviewCell[] {
  return row.map((cell, index) => {
    const kind = columns[index]?.kind;
    if (typeof cell !== "number") return cell;
    if (kind === "day") return serialToIso(cell).slice(0, 10);
    if (kind === "month") return serialToIso(cell).slice(0, 7);
    if (kind === "date-time") return serialToIso(cell).slice(0, 19).replace("T", " ");
    return cell;
  });
}

/** The same headers and values as the Excel table, for the browser preview (first `limit` rows). */
export function previewTable(shape: TableShape, limit = 200): PreviewTable {
  return {
    headers: headersOf(shape),
    kinds: shape.columns.map((c) => c.kind),
    rows: shape.rows.slice(0, limit).map((row) => toPreviewRow(row, shape.columns)),
    totalRows: shape.rows.length,
  };
}

export interface CurrencyTotal {
  currency: string;
  total: number;
  rows: number;
  provisionalRows: number;
}

/**
 * Totals of the Total column per currency (never summed across currencies), in currency order. Sums are
 * rounded to 1e-9 to keep binary floating-point noise out of displays; Excel's own SUM is the reference.
 */
export function totalsByCurrency(shape: TableShape): CurrencyTotal[] {
  const totalIndex = columnIndexByHeader(shape, BILLING_TABLE_COLUMNS.total);
  const currencyIndex = columnIndexByHeader(shape, BILLING_TABLE_COLUMNS.currency);
  const statusIndex = columnIndexByHeader(shape, PERIOD_STATUS_HEADER);
  if (totalIndex < 0 || currencyIndex < 0) return [];
  const byCurrency = new Map<string, CurrencyTotal>();
  for (const row of shape.rows) {
    const currency = String(row[currencyIndex] ?? "");
    const entry = byCurrency.get(currency) ?? { currency, total: 0, rows: 0, provisionalRows: 0 };
    const total = row[totalIndex];
    if (typeof total === "number") entry.total += total;
    entry.rows += 1;
    if (row[statusIndex] === "Provisional") entry.provisionalRows += 1;
    byCurrency.set(currency, entry);
  }
  return [...byCurrency.values()]
    .map((entry) => ({ ...entry, total: Math.round(entry.total * 1e9) / 1e9 }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
