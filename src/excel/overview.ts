/**
 * "Create overview" for a billing table, and keeping it in step after a refresh in place: a thin shell over
 * the pure model and plan (`overview-model.ts`, `overview-plan.ts`).
 *
 * Creating reads only what the layout needs — the table's header and its key columns (Currency, Billing
 * month, Period status, the chosen dimension) in large row blocks — and writes the whole sheet in one
 * request with calculation suspended: live SUMIFS over the table, never amounts pulled through the add-in,
 * so a 100,000-row table takes four syncs (bench/excel.ts prints them). The charts are native
 * (`ColumnStacked` per currency, `Line` for the daily cost), each series bound to the sheet's formula cells
 * with `setValues` / `setXAxisValues`: a refresh in place moves the numbers and the charts by itself.
 *
 * After a refresh (`updateOverview`), the layout on the sheet is read back and compared with the table's
 * keys: when nothing new came, nothing is written; when months, values or currencies came (or went, or the
 * retrieval day moved the forecast on), the sheet's cells are written again and the charts keep their place
 * and formatting while their series are re-bound, added or removed; the notes say what changed.
 *
 * The sheet is found again through a defined name (`<table>_Overview`, on its A1), which follows renames.
 * Requirement sets: everything here is ExcelApi 1.7 or lower (charts.add 1.1, series.add / setValues /
 * setXAxisValues / line style 1.7, getItemOrNullObject 1.4, conditional formats 1.6); a host below 1.7 gets
 * a plain message and nothing is written.
 */
import { toIsoDate, type IsoDate } from "../billing";
import { BILLING_TABLE_COLUMNS, headerLabels } from "./billing-table";
import { uniqueSheetName } from "./names";
import { defaultDimension, overviewKeys, type OverviewKeys } from "./overview-model";
import {
  compareOverviews,
  planOverview,
  readOverviewSheet,
  type CellRect,
  type ChartPlan,
  type OverviewLayout,
  type OverviewPlan,
} from "./overview-plan";
import { officeRequirements, type HostRequirements } from "./pivot";
import { readTableColumns } from "./table-snapshot";

/** Key rows read per request: three short text columns (~30 bytes a row) keep a block near 1.5 MB, far below 5 MB. */
export const OVERVIEW_READ_BLOCK_ROWS = 50_000;

/** Names of the charts we make (`EUR monthly`, `EUR daily`): others on the sheet are the user's. */
const OUR_CHART = /^\S+ (monthly|daily)$/;

export interface OverviewRequest {
  tableName: string;
  /** The column to split costs by (default Category code); an update keeps the sheet's own. */
  dimension?: string;
  /** Forecast each value of the dimension too. */
  forecastByDimension?: boolean;
  /** When the table's data was retrieved (ISO instant): its UTC day is the first incomplete day. */
  retrievedAt?: string;
  /** The clock, when `retrievedAt` is unknown. */
  now?: Date;
}

export interface OverviewResult {
  sheetName: string;
  /** True when the sheet was created now. */
  created: boolean;
  /** True when cells were written (always on create; on update only when the layout changed). */
  written: boolean;
  currencies: string[];
  charts: number;
  /** Plain-words lines for the pane (what grew, why there is no forecast). */
  notes: string[];
}

/** Thrown with a message to show as it is (a missing table, an old Excel, a column that is not there). */
export class OverviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OverviewError";
  }
}

/** The defined name on an overview's A1. */
export function overviewName(tableName: string): string {
  return `${tableName.slice(0, 240)}_Overview`;
}

/**
 * The running host's requirement sets; outside Office (the tests' Excel double, the bench) there is no
 * `Office` global, and the double has every API the overview uses.
 */
function hostRequirements(): HostRequirements {
  return typeof Office === "undefined" ? { isSetSupported: () => true } : officeRequirements();
}

/** The message for a host without ExcelApi 1.7, or undefined when it has it. */
export function overviewUnsupported(host: HostRequirements = hostRequirements()): string | undefined {
  return host.isSetSupported("ExcelApi", "1.7")
    ? undefined
    : "This version of Excel cannot build charts from an add-in (it needs Excel 2016 or later, Microsoft 365 or Excel on the web). Use Insert > Chart on the billing table instead.";
}

/** Creates the overview sheet of a table, or brings the existing one up to date (and shows it). */
export async function createOverview(
  context: Excel.RequestContext,
  request: OverviewRequest,
  host: HostRequirements = hostRequirements()
): Promise<OverviewResult> {
  const result = await run(context, request, host, true);
  if (!result) throw new OverviewError(`Could not build the overview of table ${request.tableName}.`);
  return result;
}

/** After a refresh in place: grows the table's overview when it needs to; null when the table has none. */
export async function updateOverview(
  context: Excel.RequestContext,
  request: Omit<OverviewRequest, "dimension" | "forecastByDimension">,
  host: HostRequirements = hostRequirements()
): Promise<OverviewResult | null> {
  return run(context, request, host, false);
}

function asOfDay(request: OverviewRequest): IsoDate {
  const instant = request.retrievedAt ? new Date(request.retrievedAt) : (request.now ?? new Date());
  return toIsoDate(Number.isNaN(instant.getTime()) ? (request.now ?? new Date()) : instant);
}

async function run(
  context: Excel.RequestContext,
  request: OverviewRequest,
  host: HostRequirements,
  createWhenAbsent: boolean
): Promise<OverviewResult | null> {
  const unsupported = overviewUnsupported(host);
  if (unsupported) {
    if (!createWhenAbsent) return null;
    throw new OverviewError(unsupported);
  }
  const { tableName } = request;
  const workbook = context.workbook;
  const table = workbook.tables.getItem(tableName);
  const headerRange = table.getHeaderRowRange().load("values");
  const body = table.getDataBodyRange().load("rowIndex,columnIndex,rowCount");
  const name = workbook.names.getItemOrNullObject(overviewName(tableName)).load("name,formula");
  const sheets = workbook.worksheets.load("items/name");
  try {
    await context.sync();
  } catch (error) {
    if ((error as { code?: unknown }).code === "ItemNotFound") {
      throw new OverviewError(
        `There is no table named ${tableName} in this workbook any more (it was renamed or deleted).`
      );
    }
    throw error;
  }
  const live = !name.isNullObject && !name.formula.includes("#REF!");
  if (!live && !createWhenAbsent) return null;

  let existing: { sheet: Excel.Worksheet; used: Excel.Range; charts: Excel.ChartCollection } | undefined;
  if (live) {
    const sheet = name.getRange().worksheet.load("name");
    existing = {
      sheet,
      used: sheet.getUsedRange(true).load("values,rowIndex,columnIndex"),
      charts: sheet.charts.load("items/name"),
    };
    await context.sync();
  }

  const header = headerLabels(headerRange.values);
  const before: OverviewLayout | undefined =
    existing && existing.used.rowIndex === 0 && existing.used.columnIndex === 0
      ? readOverviewSheet(existing.used.values)
      : undefined;
  const dimension = request.dimension ?? before?.dimension ?? defaultDimension(header) ?? "";
  const forecastByDimension = request.forecastByDimension ?? before?.forecastByDimension ?? false;
  const keys = await readKeys(context, { table, body, header, dimension, tableName });
  const asOf = asOfDay(request);
  const plan = planOverview({ tableName, keys, asOf, forecastByDimension });

  if (!existing) {
    const sheetName = uniqueSheetName(
      `Overview ${tableName}`,
      sheets.items.map((s) => s.name)
    );
    context.application.suspendApiCalculationUntilNextSync();
    // A name left behind by a deleted overview sheet (it now refers to #REF!) is replaced.
    if (!name.isNullObject) name.delete();
    const sheet = workbook.worksheets.add(sheetName);
    writeCells(sheet, plan);
    for (const chart of plan.charts) addChart(sheet, chart);
    workbook.names.add(overviewName(tableName), sheet.getRange("A1"), `Cost overview of table ${tableName}`);
    sheet.activate();
    await context.sync();
    return resultOf(plan, sheetName, { created: true, written: true, notes: forecastNotes(plan, keys) });
  }

  const sheetName = existing.sheet.name;
  const changes = before ? compareOverviews(before, plan.layout) : { changed: true, notes: [] };
  const userAsked = createWhenAbsent && (request.dimension !== undefined || request.forecastByDimension !== undefined);
  if (!changes.changed && !userAsked) {
    if (createWhenAbsent) {
      existing.sheet.activate();
      await context.sync();
    }
    return resultOf(plan, sheetName, { created: false, written: false, notes: [] });
  }
  // Our charts' series, to re-bind them in place.
  const ours = existing.charts.items.filter((c) => OUR_CHART.test(c.name));
  const seriesCounts = ours.map((chart) => ({ name: chart.name, series: chart.series.load("count") }));
  await context.sync();

  context.application.suspendApiCalculationUntilNextSync();
  const sheet = existing.sheet;
  const previous = before
    ? planOverview({
        tableName,
        keys: { ...keys, dimension: before.dimension, currencies: before.currencies },
        asOf: before.asOf,
        forecastByDimension: before.forecastByDimension,
      })
    : undefined;
  const clearRows = Math.max(previous?.extent.rows ?? 0, plan.extent.rows);
  const clearCols = Math.max(previous?.extent.cols ?? 0, plan.extent.cols);
  sheet.getRangeByIndexes(0, 0, clearRows, clearCols).clear("All");
  writeCells(sheet, plan);
  const counts = new Map(seriesCounts.map((c) => [c.name, c.series.count]));
  for (const chart of plan.charts) {
    const count = counts.get(chart.name);
    if (count === undefined) addChart(sheet, chart);
    else rebindChart(sheet, chart, count);
  }
  for (const chart of ours) {
    if (!plan.charts.some((c) => c.name === chart.name)) chart.delete();
  }
  if (createWhenAbsent) sheet.activate();
  await context.sync();
  return resultOf(plan, sheetName, {
    created: false,
    written: true,
    notes: [...changes.notes, ...forecastNotes(plan, keys)],
  });
}

async function readKeys(
  context: Excel.RequestContext,
  {
    table,
    body,
    header,
    dimension,
    tableName,
  }: { table: Excel.Table; body: Excel.Range; header: string[]; dimension: string; tableName: string }
): Promise<OverviewKeys> {
  const c = BILLING_TABLE_COLUMNS;
  // Checks the columns (and words the refusal) before anything is read.
  try {
    overviewKeys({ header, rows: [] }, dimension, `Table ${tableName}`);
  } catch (error) {
    throw new OverviewError(error instanceof Error ? error.message : String(error));
  }
  const labels = [c.currency, c.billingMonth, dimension, ...(header.includes(c.periodStatus) ? [c.periodStatus] : [])];
  const cells = await readTableColumns(context, {
    sheet: table.worksheet,
    body,
    header,
    labels,
    blockRows: OVERVIEW_READ_BLOCK_ROWS,
  });
  // The amounts are Excel's to add up: Total is there for the column check only, and Day for its presence.
  const extra = [c.total, ...(header.includes(c.day) ? [c.day] : [])];
  return overviewKeys(
    { header: [...labels, ...extra], rows: cells.map((row) => [...row, ...extra.map(() => null)]) },
    dimension,
    `Table ${tableName}`
  );
}

function writeCells(sheet: Excel.Worksheet, plan: OverviewPlan): void {
  for (const write of plan.writes) {
    const rows = write.cells.length;
    const cols = write.cells[0]?.length ?? 0;
    if (rows === 0 || cols === 0) continue;
    const range = sheet.getRangeByIndexes(write.row, write.col, rows, cols);
    // Text formats go before the text, so "2026-11" stays text; every other format is one assignment.
    if (write.numberFormat !== undefined) range.numberFormat = [[write.numberFormat]];
    range.formulas = write.cells;
    if (write.bold) range.format.font.bold = true;
    if (write.italic) range.format.font.italic = true;
  }
  for (const rule of plan.rules) {
    const format = rectRange(sheet, rule.range).conditionalFormats.add("Custom");
    format.custom.rule.formula = rule.formula;
    format.custom.format.fill.color = rule.fill;
  }
  sheet.getRangeByIndexes(0, 0, 1, 1).format.columnWidth = 140;
  if (plan.extent.cols > 1) sheet.getRangeByIndexes(0, 1, 1, plan.extent.cols - 1).format.columnWidth = 80;
}

function rectRange(sheet: Excel.Worksheet, rect: CellRect): Excel.Range {
  return sheet.getRangeByIndexes(rect.row, rect.col, rect.rows, rect.cols);
}

function position(sheet: Excel.Worksheet, chart: Excel.Chart, plan: ChartPlan): void {
  const { row, col, rows, cols } = plan.anchor;
  chart.setPosition(sheet.getCell(row, col), sheet.getCell(row + rows - 1, col + cols - 1));
}

/** A new chart: made over the first series' values (numbers only, so Excel guesses no labels), then every series named and bound. */
function addChart(sheet: Excel.Worksheet, plan: ChartPlan): void {
  const [first, ...rest] = plan.series;
  if (!first) return;
  const chart = sheet.charts.add(plan.type, rectRange(sheet, first.values), "Columns");
  chart.name = plan.name;
  chart.title.text = plan.title;
  chart.legend.position = "Bottom";
  position(sheet, chart, plan);
  const series = chart.series.getItemAt(0);
  series.name = first.name;
  series.setXAxisValues(rectRange(sheet, first.xValues));
  for (const next of rest) bindSeries(sheet, chart.series.add(next.name), next);
}

function bindSeries(sheet: Excel.Worksheet, series: Excel.ChartSeries, plan: ChartPlan["series"][number]): void {
  series.setValues(rectRange(sheet, plan.values));
  series.setXAxisValues(rectRange(sheet, plan.xValues));
  if (plan.dashed) series.format.line.lineStyle = "Dash";
}

/** An existing chart of ours: same object (the user's formatting stays), series re-bound, added or removed. */
function rebindChart(sheet: Excel.Worksheet, plan: ChartPlan, count: number): void {
  const chart = sheet.charts.getItem(plan.name);
  chart.title.text = plan.title;
  position(sheet, chart, plan);
  plan.series.forEach((wanted, index) => {
    if (index < count) {
      const series = chart.series.getItemAt(index);
      series.name = wanted.name;
      bindSeries(sheet, series, wanted);
    } else {
      bindSeries(sheet, chart.series.add(wanted.name), wanted);
    }
  });
  for (let index = count - 1; index >= plan.series.length; index--) chart.series.getItemAt(index).delete();
}

function resultOf(
  plan: OverviewPlan,
  sheetName: string,
  done: Pick<OverviewResult, "created" | "written" | "notes">
): OverviewResult {
  return {
    sheetName,
    ...done,
    currencies: plan.layout.currencies.map((c) => c.currency),
    charts: plan.charts.length,
  };
}

/** Why a currency has no forecast, when it has none. */
function forecastNotes(plan: OverviewPlan, keys: OverviewKeys): string[] {
  if (!keys.hasDay) return [];
  return plan.layout.currencies.flatMap((currency) => {
    const latest = currency.months[currency.months.length - 1];
    if (!latest || currency.dailyMonth === undefined) return [];
    return latest.status === "Final"
      ? [`${currency.currency}: ${latest.billingMonth} is Final, so there is no forecast.`]
      : plan.layout.asOf <= `${latest.billingMonth}-01`
        ? [`${currency.currency}: no day of ${latest.billingMonth} is complete yet, so there is no forecast.`]
        : [];
  });
}
