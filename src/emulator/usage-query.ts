/**
 * Answers a validated billing query from the ledger: the `response` and `metadata` of a SUCCESS
 * `BillingUsageResult`. Pure: the clock comes in as `now`.
 *
 * Periods:
 * - `metadata.clientRequestedPeriod` is the interval as sent;
 * - `response.requestedPeriod` is it aligned to the granularity (MONTH widens to whole months) and, with
 *   `includeUnfinalizedData: false`, trimmed to the finalized months (possibly empty);
 * - `metadata.billingPeriods` lists every month of the aligned interval with `volumeFinalized` by the
 *   calendar rule (final from the 5th of the following month, 00:00 UTC) — trimmed-away months included,
 *   so the caller sees why they are missing.
 *
 * Rows group the visible ledger records by the effective dimensions (auto-added defaults first, then
 * `aggregateBy` in order) plus UNIT_TYPE, UNIT_PRICE and CURRENCY. QUANTITY is the sum of the records'
 * quantities; TOTAL_PER_UNIT is the sum of the records' unrounded amounts (quantity × unit price), rounded
 * half-up to 2 decimals once per row, after summing (Infobip's example shows 0.0089 × 450 = 4.005 as 4.01).
 * So for the same period, the sum of QUANTITY × UNIT_PRICE over the rows is the same whichever way the rows
 * are grouped (up to floating-point noise), and the sum of TOTAL_PER_UNIT differs between groupings by at
 * most 0.005 per row of the finer grouping (each row's rounding error).
 *
 * Row order (undocumented by Infobip): by time bucket, then by the dimension values in column order, then
 * unit, unit price and currency.
 *
 * Filters match the stream's dimension values exactly; an empty filter list means "no filter"; N/A never
 * matches a filter. Account keys outside the caller's visibility match nothing.
 */
import {
  UNIT_TYPES,
  alignToGranularity,
  billingPeriodsFor,
  formatApiDateTime,
  granularityOf,
  includesUnfinalizedData,
  predictColumns,
  toDateTimeInterval,
  trimToFinalized,
  effectiveDimensions,
  firstDayOf,
  isoDateToUtc,
  type AggregateDataResponse,
  type BillingUsageDataFilter,
  type BillingUsageMetadata,
  type BillingUsageQuery,
  type DateInterval,
  type RawCell,
  type RawRow,
} from "../billing";
import { DAY_MS, dayNumberOfIsoDate, monthOfDay, type Ledger, type LedgerDimension } from "./ledger";
import { CURRENCIES } from "./reference-data";

// Built-ins held in module constants: inside a vm context (jest's test environment) every global
// lookup goes through the context's interceptor and the per-row work runs far slower without these.
const { sign, round, abs } = Math;
const toNumber = Number;

/** Rounds half away from zero at `decimals`, robust to binary noise (4.005 → 4.01, not 4.00). */
export function roundHalfUp(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = toNumber((value * scale).toPrecision(15));
  return (sign(scaled) * round(abs(scaled))) / scale;
}

/** QUANTITY: sums of whole units stay whole; sums of decimals lose their binary noise. */
function cleanQuantity(value: number): number {
  return roundHalfUp(value, 6);
}

interface FilterSpec {
  readonly dimension: LedgerDimension;
  readonly values: readonly string[];
}

/** The filters as (dimension, allowed values); platforms are handled apart (pairs). */
function filterSpecs(filterBy: BillingUsageDataFilter): FilterSpec[] {
  const specs: FilterSpec[] = [];
  const add = (dimension: LedgerDimension, values: readonly (string | number)[] | undefined): void => {
    if (values !== undefined && values.length > 0) specs.push({ dimension, values: values.map(String) });
  };
  add("ACCOUNT_KEY", filterBy.accountKeys);
  add("CATEGORY_CODE", filterBy.categories);
  add("SUBCATEGORY_CODE", filterBy.subCategories);
  add("COUNTRY_CODE", filterBy.countryCodes);
  add("DIRECTION", filterBy.directions);
  add("TRAFFIC_TYPE", filterBy.trafficTypes);
  add("SENDER", filterBy.senders);
  add("SENDER_TYPE", filterBy.senderTypes);
  add("CAMPAIGN_REFERENCE", filterBy.campaignReferenceIds);
  add("CAMPAIGN_ID", filterBy.campaignIds);
  add("TEMPLATE_ID", filterBy.templateIds);
  return specs;
}

/** 1 for each stream the caller may see and the filters keep. */
export function streamMask(ledger: Ledger, filterBy: BillingUsageDataFilter, accounts: readonly number[]): Uint8Array {
  const { streams, values } = ledger;
  const mask = new Uint8Array(streams.count);
  const visibleAccounts = new Set(accounts);
  const specs = filterSpecs(filterBy).map((spec) => {
    const table = values[spec.dimension];
    // Index 0 is N/A, which never matches a filter.
    const allowed = new Set(spec.values.map((v) => table.indexOf(v)).filter((index) => index > 0));
    return { column: streams.dims[spec.dimension], allowed };
  });
  const applications = values.APPLICATION_ID;
  const entities = values.ENTITY_ID;
  const platforms = (filterBy.platforms ?? []).map((p) => ({
    application: p.applicationId === undefined ? -1 : applications.indexOf(p.applicationId),
    entity: p.entityId === undefined ? undefined : entities.indexOf(p.entityId),
  }));
  for (let s = 0; s < streams.count; s++) {
    if (!visibleAccounts.has(streams.account[s] ?? -1)) continue;
    if (!specs.every(({ column, allowed }) => allowed.has(column[s] ?? 0))) continue;
    if (platforms.length > 0) {
      const application = streams.dims.APPLICATION_ID[s] ?? 0;
      const entity = streams.dims.ENTITY_ID[s] ?? 0;
      const matches = platforms.some(
        (p) => application > 0 && p.application === application && (p.entity === undefined || p.entity === entity)
      );
      if (!matches) continue;
    }
    mask[s] = 1;
  }
  return mask;
}

export interface AggregateInput {
  readonly aggregateBy: BillingUsageQuery["aggregateBy"];
  readonly filterBy: BillingUsageDataFilter;
  /** The effective period (already aligned/trimmed); may be empty. */
  readonly period: DateInterval;
  readonly accounts: readonly number[];
  readonly now: Date;
}

/** Groups the visible records of the period into result rows. */
export function aggregate(ledger: Ledger, input: AggregateInput): Pick<AggregateDataResponse, "columns" | "rows"> {
  const columns = predictColumns(input.aggregateBy);
  const dimensions = effectiveDimensions(input.aggregateBy);
  const granularity = granularityOf(input.aggregateBy);
  const timeColumn = dimensions.findIndex((d) => d === "DAY" || d === "MONTH");
  const groupedDims = dimensions.filter((d): d is LedgerDimension => d !== "DAY" && d !== "MONTH");
  const { streams, values } = ledger;
  const mask = streamMask(ledger, input.filterBy, input.accounts);

  // Static groups: one per distinct (grouped dimension values, unit, unit price, currency), over each
  // visible stream at its list price (variant 0) and at its discounted price (variant 1). Each group keeps
  // a row template in column order; a row is a copy with the time bucket, quantity and total filled in.
  const width = columns.length;
  const quantityColumn = width - 3;
  const totalColumn = width - 2;
  const groupOf = new Int32Array(streams.count * 2).fill(-1);
  const groupKeys = new Map<string, number>();
  const templates: RawRow[] = [];
  const groupPrices: number[] = [];
  for (let s = 0; s < streams.count; s++) {
    if (mask[s] !== 1) continue;
    for (let variant = 0; variant < 2; variant++) {
      const price = (variant === 0 ? streams.price[s] : streams.discountedPrice[s]) ?? 0;
      const unitIndex = streams.unit[s] ?? 0;
      const currencyIndex = streams.currency[s] ?? 0;
      const key = `${groupedDims.map((d) => streams.dims[d][s]).join(",")}|${unitIndex}|${price}|${currencyIndex}`;
      let group = groupKeys.get(key);
      if (group === undefined) {
        group = templates.length;
        groupKeys.set(key, group);
        const cells: RawCell[] = groupedDims.map((d) => values[d][streams.dims[d][s] ?? 0] ?? "N/A");
        if (timeColumn >= 0) cells.splice(timeColumn, 0, "");
        templates.push([...cells, UNIT_TYPES[unitIndex] ?? "message", price, 0, 0, CURRENCIES[currencyIndex] ?? "USD"]);
        groupPrices.push(price);
      }
      groupOf[s * 2 + variant] = group;
    }
  }
  const groupCount = templates.length;
  const rank = rankGroups(templates, timeColumn);

  const rows: RawRow[] = [];
  const quantity = new Float64Array(groupCount);
  const amount = new Float64Array(groupCount);
  const touched: number[] = [];
  const isTouched = new Uint8Array(groupCount);
  const flush = (bucketLabel: string | undefined): void => {
    touched.sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0));
    for (const group of touched) {
      const row = (templates[group] ?? []).slice();
      if (timeColumn >= 0) row[timeColumn] = bucketLabel ?? "N/A";
      row[quantityColumn] = cleanQuantity(quantity[group] ?? 0);
      row[totalColumn] = roundHalfUp(amount[group] ?? 0, 2);
      rows.push(row);
      quantity[group] = 0;
      amount[group] = 0;
      isTouched[group] = 0;
    }
    touched.length = 0;
  };

  const firstDay = dayNumberOfIsoDate(input.period.sentSince);
  const endDay = dayNumberOfIsoDate(input.period.sentUntil);
  let bucket: string | undefined;
  for (let day = firstDay; day < endDay; day++) {
    const label =
      granularity === "DAY"
        ? formatApiDateTime(new Date(day * DAY_MS))
        : granularity === "MONTH"
          ? formatApiDateTime(isoDateToUtc(firstDayOf(monthOfDay(day))))
          : undefined;
    if (label !== bucket) {
      flush(bucket);
      bucket = label;
    }
    ledger.forEachVisibleRecord(day, input.now, (s, q, discounted) => {
      const group = groupOf[s * 2 + (discounted ? 1 : 0)] ?? -1;
      if (group < 0) return;
      if (isTouched[group] === 0) {
        isTouched[group] = 1;
        touched.push(group);
      }
      quantity[group] = (quantity[group] ?? 0) + q;
      amount[group] = (amount[group] ?? 0) + q * (groupPrices[group] ?? 0);
    });
  }
  flush(bucket);
  return { columns, rows };
}

/** A rank per group, by its cells in column order (the time cell aside; numbers ascending). */
function rankGroups(groupValues: readonly RawCell[][], skipColumn: number): Int32Array {
  const order = groupValues.map((_, index) => index);
  const compareCells = (a: RawCell | undefined, b: RawCell | undefined): number => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  order.sort((a, b) => {
    const left = groupValues[a] ?? [];
    const right = groupValues[b] ?? [];
    for (let i = 0; i < left.length; i++) {
      if (i === skipColumn) continue;
      const c = compareCells(left[i], right[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  const rank = new Int32Array(groupValues.length);
  order.forEach((group, position) => {
    rank[group] = position;
  });
  return rank;
}

export interface UsageAnswer {
  readonly response: AggregateDataResponse;
  readonly metadata: BillingUsageMetadata;
}

/** The whole SUCCESS answer to a validated query, for a caller who sees `accounts`, at `now`. */
export function answerQuery(
  ledger: Ledger,
  query: BillingUsageQuery,
  accounts: readonly number[],
  now: Date
): UsageAnswer {
  const client = query.filterBy.dateInterval;
  const aligned = alignToGranularity(client, granularityOf(query.aggregateBy));
  const period = includesUnfinalizedData(query) ? aligned : trimToFinalized(aligned, now);
  const { columns, rows } = aggregate(ledger, {
    aggregateBy: query.aggregateBy,
    filterBy: query.filterBy,
    period,
    accounts,
    now,
  });
  return {
    response: { requestedPeriod: toDateTimeInterval(period), totalRows: rows.length, columns, rows },
    metadata: { clientRequestedPeriod: toDateTimeInterval(client), billingPeriods: billingPeriodsFor(aligned, now) },
  };
}
