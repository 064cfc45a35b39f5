/**
 * The cost overview sheet, planned without Excel (pure): where each block goes, the live formulas over the
 * billing table (SUMIFS with structured references, from `sumifs.ts`, as the reconciliation writes them),
 * the formats, and the native charts bound to those cells. Planned from the table's keys only
 * (`overview-model.ts`), never from its amounts: Excel computes every number, so a refresh in place moves
 * the figures and the charts without a rebuild.
 *
 * The sheet, top to bottom (one section per currency; amounts are never added across currencies):
 *
 *   Cost overview of table Billing_1
 *   Split by            | Category code
 *   Data retrieved on   | 2026-11-25 | days before it are complete
 *   (a note)
 *
 *   Monthly cost | EUR | by Category code                         ┐ stacked column chart to the right,
 *   Billing month | Period status | Month | SMS | … | Month total   │ one series per value, months as
 *   2026-10 | Final | 2026-10 | =SUMIFS(…) | … | =SUM(…)            │ categories (provisional ones marked)
 *   Change (latest against previous) | … =ROUND(latest−previous,6)  │
 *   Rank (1 = largest increase) | … =RANK.EQ(…)+COUNTIF(…)−1        ┘
 *   What moved | EUR | 2026-11 (provisional) against 2026-10       — sorted live by the rank row (INDEX/MATCH)
 *   Forecast | EUR | 2026-11 | method, month to date, run rate, remaining days, forecast, low, high
 *   Forecast by | EUR | Category code                               (when asked for)
 *   Daily cost | EUR | 2026-11 | Day | Cost | Forecast run rate | per value…  ┐ line chart: complete days,
 *                                                                             ┘ then the run rate (dashed)
 *
 * The layout is a function of the keys, so it can be read back from the sheet ({@link readOverviewSheet})
 * and compared with the table's keys after a refresh: new months, values or currencies make the overview
 * grow ({@link compareOverviews}), and the refresh summary says so.
 */
import { daysOf, forecastMethod, isIsoDate, isoDateToUtc, toExcelSerial, type IsoDate } from "../billing";
import { BILLING_TABLE_COLUMNS } from "./billing-table";
import { NUMBER_FORMATS, TEXT_FORMAT } from "./formats";
import { columnLetters } from "./layout";
import { criterionMode, sumifsFormula, tableColumnRef, type CriterionMode } from "./sumifs";
import {
  NO_DAY_REASON,
  monthLabel,
  valueLabel,
  type CurrencyKeys,
  type OverviewKeys,
  type OverviewMonthKey,
} from "./overview-model";

// ------------------------------------------------------------------ labels (written, and read back)

export const OVERVIEW_LABELS = {
  splitBy: "Split by",
  retrievedOn: "Data retrieved on",
  monthly: "Monthly cost",
  billingMonth: "Billing month",
  periodStatus: "Period status",
  month: "Month",
  monthTotal: "Month total",
  change: "Change (latest month against the one before)",
  rank: "Rank (1 = largest increase)",
  moved: "What moved",
  forecast: "Forecast",
  forecastBy: "Forecast by",
  noForecast: "No forecast",
  daily: "Daily cost",
  day: "Day",
  cost: "Cost (complete days)",
  runRate: "Forecast run rate",
} as const;

export const EMPTY_OVERVIEW_NOTE = "No billed usage in the table yet: a refresh that brings rows fills this sheet in.";

/** Rows and columns a chart covers; blocks with a chart take at least this many rows. */
export const CHART_ROWS = 16;
export const CHART_COLUMNS = 8;
/** The first row of the first currency section (after the title, two facts and a note, one blank row). */
const FIRST_SECTION_ROW = 5;
/** Data-bar colours of the What moved block: an increase in cost, a decrease. */
export const INCREASE_FILL = "#FCE4D6";
export const DECREASE_FILL = "#E2EFDA";

export const PERCENT_FORMAT = "0.0%";

// ------------------------------------------------------------------ plan types

export type PlanCell = string | number;

/** One rectangle of cells: number format first (text "@" before text), then the cells (formulas or values). */
export interface CellWrite {
  row: number;
  col: number;
  /** Formulas (`=…`) and constants; "" leaves a cell empty. */
  cells: PlanCell[][];
  /** One format for every cell of the rectangle. */
  numberFormat?: string;
  bold?: boolean;
  italic?: boolean;
}

export interface CellRect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface ChartSeriesPlan {
  name: string;
  values: CellRect;
  xValues: CellRect;
  /** A forecast series: drawn dashed. */
  dashed?: boolean;
}

export interface ChartPlan {
  /** The chart's name on the sheet (how an update finds it again). */
  name: string;
  type: "ColumnStacked" | "Line";
  title: string;
  /** Cells the chart covers (its top-left and bottom-right cells). */
  anchor: CellRect;
  series: ChartSeriesPlan[];
}

/** A conditional format: a custom rule relative to the first cell of `range`. */
export interface RulePlan {
  range: CellRect;
  formula: string;
  fill: string;
}

export interface OverviewPlan {
  title: string;
  writes: CellWrite[];
  rules: RulePlan[];
  charts: ChartPlan[];
  /** Rows × columns of cells the plan writes from A1 (what a rebuild clears first); the charts sit to its right. */
  extent: { rows: number; cols: number };
  /** The layout's inputs, as {@link readOverviewSheet} reads them back. */
  layout: OverviewLayout;
}

/** What the sheet's layout is a function of. */
export interface OverviewLayout {
  dimension: string;
  asOf: IsoDate;
  forecastByDimension: boolean;
  currencies: CurrencyKeys[];
}

export interface OverviewPlanInput {
  tableName: string;
  keys: OverviewKeys;
  /** The day the data was retrieved (UTC): days before it are complete. */
  asOf: IsoDate;
  forecastByDimension: boolean;
}

// ------------------------------------------------------------------ addresses

/** `$D$7`, `D$7`, `$D7`, `D7` (0-based row and column). */
export function a1(row: number, col: number, absolute: "both" | "row" | "col" | "none" = "both"): string {
  const c = absolute === "both" || absolute === "col" ? "$" : "";
  const r = absolute === "both" || absolute === "row" ? "$" : "";
  return `${c}${columnLetters(col)}${r}${row + 1}`;
}

/** `$D$7:$F$7`. */
export function rangeA1(rect: CellRect): string {
  return `${a1(rect.row, rect.col)}:${a1(rect.row + rect.rows - 1, rect.col + rect.cols - 1)}`;
}

function serialOf(day: IsoDate): number {
  return toExcelSerial(isoDateToUtc(day));
}

// ------------------------------------------------------------------ the plan

interface Section {
  writes: CellWrite[];
  rules: RulePlan[];
  charts: ChartPlan[];
  width: number;
}

/** The overview sheet for a table's keys. */
export function planOverview(input: OverviewPlanInput): OverviewPlan {
  const { tableName, keys, asOf } = input;
  tableColumnRef(tableName, BILLING_TABLE_COLUMNS.total); // refuses an invalid table name before anything is planned
  const title = `Cost overview of table ${tableName}`;
  const writes: CellWrite[] = [
    { row: 0, col: 0, cells: [[title]], bold: true },
    { row: 1, col: 0, cells: [[OVERVIEW_LABELS.splitBy, keys.dimension]], numberFormat: TEXT_FORMAT },
    {
      row: 2,
      col: 0,
      cells: [[OVERVIEW_LABELS.retrievedOn, asOf, "Days before this one are complete; the forecasts use them."]],
      numberFormat: TEXT_FORMAT,
    },
    {
      row: 3,
      col: 0,
      cells: [
        [
          `Every figure here is a live formula over table ${tableName}: refresh the table and they follow. Amounts in different currencies are never added together.`,
        ],
      ],
      italic: true,
    },
  ];
  if (!keys.hasDay) {
    writes.push({ row: 4, col: 0, cells: [["No daily chart", NO_DAY_REASON]], numberFormat: TEXT_FORMAT });
  }
  if (keys.currencies.length === 0) {
    writes.push({ row: FIRST_SECTION_ROW, col: 0, cells: [[EMPTY_OVERVIEW_NOTE]], italic: true });
  }
  const rules: RulePlan[] = [];
  const charts: ChartPlan[] = [];
  const monthMode = criterionMode(keys.currencies.flatMap((c) => c.months.map((m) => m.billingMonth)));
  let row = FIRST_SECTION_ROW;
  let width = 3;
  const sections: Section[] = [];
  for (const currency of keys.currencies) {
    const planner = new SectionPlanner({
      tableName,
      keys,
      asOf,
      currency,
      monthMode,
      byValue: input.forecastByDimension,
    });
    const section = planner.plan(row);
    sections.push(section);
    width = Math.max(width, section.width);
    row = planner.nextRow;
  }
  // Charts sit in one band to the right of the widest block, one blank column away.
  const chartCol = width + 1;
  for (const section of sections) {
    writes.push(...section.writes);
    rules.push(...section.rules);
    for (const chart of section.charts) charts.push({ ...chart, anchor: { ...chart.anchor, col: chartCol } });
  }
  return {
    title,
    writes,
    rules,
    charts,
    extent: { rows: Math.max(row, FIRST_SECTION_ROW + 1), cols: chartCol },
    layout: {
      dimension: keys.dimension,
      asOf,
      forecastByDimension: input.forecastByDimension,
      currencies: keys.currencies,
    },
  };
}

interface SectionInput {
  tableName: string;
  keys: OverviewKeys;
  asOf: IsoDate;
  currency: CurrencyKeys;
  monthMode: CriterionMode;
  byValue: boolean;
}

/** One currency's blocks, top to bottom. */
class SectionPlanner {
  nextRow = 0;
  private readonly writes: CellWrite[] = [];
  private readonly rules: RulePlan[] = [];
  private readonly charts: ChartPlan[] = [];
  private width = 0;
  private readonly c = BILLING_TABLE_COLUMNS;
  private readonly valueMode: CriterionMode;

  constructor(private readonly input: SectionInput) {
    this.valueMode = criterionMode(input.currency.values);
  }

  plan(start: number): Section {
    const monthly = this.monthly(start);
    let row = monthly.next;
    if (monthly.moved) row = this.moved(row, monthly.moved);
    if (this.input.currency.dailyMonth !== undefined && monthly.latest) {
      row = this.daily(row, this.input.currency.dailyMonth, monthly.latest);
    }
    this.nextRow = row;
    return { writes: this.writes, rules: this.rules, charts: this.charts, width: this.width };
  }

  private get cur(): string {
    return this.input.currency.currency;
  }

  private sum(criteria: Parameters<typeof sumifsFormula>[0]["criteria"]): string {
    return sumifsFormula({ table: this.input.tableName, sum: this.c.total, criteria });
  }

  private currencyCriterion() {
    return { column: this.c.currency, equals: { text: this.cur } };
  }

  private valueCriterion(headerRow: number, col: number) {
    return {
      column: this.input.keys.dimension,
      equals: { cell: a1(headerRow, col, "row"), mode: this.valueMode },
    };
  }

  private titleRow(row: number, label: string, third: PlanCell): void {
    this.writes.push({ row, col: 0, cells: [[label, this.cur]], numberFormat: TEXT_FORMAT, bold: true });
    const formula = typeof third === "string" && third.startsWith("=");
    this.writes.push({ row, col: 2, cells: [[third]], bold: true, ...(formula ? {} : { numberFormat: TEXT_FORMAT }) });
  }

  private header(row: number, col: number, labels: PlanCell[]): void {
    this.writes.push({ row, col, cells: [labels], numberFormat: TEXT_FORMAT, bold: true });
    this.width = Math.max(this.width, col + labels.length);
  }

  /** Monthly cost by value, the Change and Rank rows, and the stacked column chart. */
  private monthly(start: number): {
    next: number;
    latest?: { row: number; month: OverviewMonthKey };
    moved?: MovedRefs;
  } {
    const { currency, keys, monthMode } = this.input;
    const values = currency.values;
    const months = currency.months;
    const n = values.length;
    const first = 3;
    const totalCol = first + n;
    const headerRow = start + 1;
    const firstMonthRow = start + 2;
    this.titleRow(start, OVERVIEW_LABELS.monthly, `by ${keys.dimension}`);
    this.header(headerRow, 0, [OVERVIEW_LABELS.billingMonth, OVERVIEW_LABELS.periodStatus, OVERVIEW_LABELS.month]);
    this.header(headerRow, first, values);
    this.header(headerRow, totalCol, [OVERVIEW_LABELS.monthTotal]);
    const valueSpan = (row: number) => `${a1(row, first, "none")}:${a1(row, totalCol - 1, "none")}`;
    months.forEach((month, i) => {
      const row = firstMonthRow + i;
      this.writes.push({ row, col: 0, cells: [[month.billingMonth]], numberFormat: TEXT_FORMAT });
      const status = keys.hasPeriodStatus
        ? `=IF(COUNTIFS(${tableColumnRef(this.input.tableName, this.c.billingMonth)},${a1(row, 0)},` +
          `${tableColumnRef(this.input.tableName, this.c.periodStatus)},"Provisional")>0,"Provisional","Final")`
        : month.status;
      const label = `=${a1(row, 0)}&IF(${a1(row, 1)}="Provisional"," (provisional)","")`;
      this.writes.push({ row, col: 1, cells: [[status, label]] });
      const sums = values.map((_, j) =>
        this.sum([
          { column: this.c.billingMonth, equals: { cell: a1(row, 0), mode: monthMode } },
          this.currencyCriterion(),
          this.valueCriterion(headerRow, first + j),
        ])
      );
      this.writes.push({
        row,
        col: first,
        cells: [[...sums, n > 0 ? `=SUM(${valueSpan(row)})` : 0]],
        numberFormat: NUMBER_FORMATS.total,
      });
    });
    let next = firstMonthRow + months.length;
    let moved: MovedRefs | undefined;
    if (months.length >= 2 && n > 0) {
      const previousRow = next - 2;
      const latestRow = next - 1;
      const changeRow = next;
      const rankRow = next + 1;
      const changes = [...values.map((_, j) => first + j), totalCol].map(
        (col) => `=ROUND(${a1(latestRow, col, "none")}-${a1(previousRow, col, "none")},6)`
      );
      this.writes.push({ row: changeRow, col: 0, cells: [[OVERVIEW_LABELS.change]] });
      this.writes.push({ row: changeRow, col: first, cells: [changes], numberFormat: NUMBER_FORMATS.total });
      const changeRange = `${a1(changeRow, first)}:${a1(changeRow, totalCol - 1)}`;
      const ranks = values.map((_, j) => {
        const cell = a1(changeRow, first + j, "none");
        return `=RANK.EQ(${cell},${changeRange})+COUNTIF(${a1(changeRow, first)}:${cell},${cell})-1`;
      });
      this.writes.push({ row: rankRow, col: 0, cells: [[OVERVIEW_LABELS.rank]] });
      this.writes.push({ row: rankRow, col: first, cells: [ranks], numberFormat: "0" });
      moved = {
        header: { row: headerRow, col: first, rows: 1, cols: n },
        previous: { row: previousRow, col: first, rows: 1, cols: n },
        latest: { row: latestRow, col: first, rows: 1, cols: n },
        change: { row: changeRow, col: first, rows: 1, cols: n },
        rank: { row: rankRow, col: first, rows: 1, cols: n },
        previousLabel: a1(previousRow, 2),
        latestLabel: a1(latestRow, 2),
        count: n,
      };
      next = rankRow + 1;
    }
    if (months.length > 0 && n > 0) {
      this.charts.push({
        name: `${this.cur} monthly`,
        type: "ColumnStacked",
        title: `Monthly cost in ${this.cur} by ${keys.dimension}`,
        anchor: { row: start, col: 0, rows: CHART_ROWS, cols: CHART_COLUMNS },
        series: values.map((value, j) => ({
          name: valueLabel(value),
          values: { row: firstMonthRow, col: first + j, rows: months.length, cols: 1 },
          xValues: { row: firstMonthRow, col: 2, rows: months.length, cols: 1 },
        })),
      });
      next = Math.max(next, start + CHART_ROWS);
    }
    const latestMonth = months[months.length - 1];
    return {
      next: next + 1,
      ...(latestMonth ? { latest: { row: firstMonthRow + months.length - 1, month: latestMonth } } : {}),
      ...(moved ? { moved } : {}),
    };
  }

  /** What moved, sorted live from the largest increase to the largest decrease. */
  private moved(start: number, refs: MovedRefs): number {
    const headerRow = start + 1;
    this.titleRow(start, OVERVIEW_LABELS.moved, `=${refs.latestLabel}&" against "&${refs.previousLabel}`);
    this.header(headerRow, 0, ["Rank", this.input.keys.dimension]);
    this.writes.push({
      row: headerRow,
      col: 2,
      cells: [[`=${refs.previousLabel}`, `=${refs.latestLabel}`]],
      bold: true,
    });
    this.header(headerRow, 4, ["Change", "Change %"]);
    const pick = (rect: CellRect, rankCell: string) =>
      `INDEX(${rangeA1(rect)},MATCH(${rankCell},${rangeA1(refs.rank)},0))`;
    const rows: PlanCell[][] = [];
    for (let k = 1; k <= refs.count; k++) {
      const row = headerRow + k;
      const rank = a1(row, 0);
      rows.push([
        k,
        `=${pick(refs.header, rank)}&""`,
        `=${pick(refs.previous, rank)}`,
        `=${pick(refs.latest, rank)}`,
        `=${pick(refs.change, rank)}`,
        `=IF(${a1(row, 2, "none")}=0,IF(${a1(row, 3, "none")}=0,"","new"),${a1(row, 4, "none")}/${a1(row, 2, "none")})`,
      ]);
    }
    const first = headerRow + 1;
    this.writes.push({ row: first, col: 0, cells: rows.map((r) => r.slice(0, 2)) });
    this.writes.push({ row: first, col: 2, cells: rows.map((r) => r.slice(2, 5)), numberFormat: NUMBER_FORMATS.total });
    this.writes.push({ row: first, col: 5, cells: rows.map((r) => r.slice(5)), numberFormat: PERCENT_FORMAT });
    const changes = { row: first, col: 4, rows: refs.count, cols: 1 };
    const firstChange = a1(first, 4, "col");
    this.rules.push({ range: changes, formula: `=${firstChange}>0`, fill: INCREASE_FILL });
    this.rules.push({ range: changes, formula: `=${firstChange}<0`, fill: DECREASE_FILL });
    this.width = Math.max(this.width, 6);
    return first + refs.count + 1;
  }

  /** The forecast, the forecast by value (when asked for) and the daily cost with its line chart. */
  private daily(start: number, month: string, latest: { row: number; month: OverviewMonthKey }): number {
    const { asOf, currency, byValue } = this.input;
    const days = daysOf(month);
    const complete = days.filter((day) => day < asOf);
    const window = complete.slice(-7);
    const remaining = days.length - complete.length;
    const provisional = latest.month.status === "Provisional";
    const canForecast = provisional && complete.length > 0;
    const values = byValue ? currency.values : [];

    // The daily block's rows come after the forecast blocks; their addresses are needed first.
    const forecastRows = canForecast ? 8 : 2;
    const byValueRows = canForecast && values.length > 0 ? 2 + values.length + 1 : 0;
    const dailyStart = start + forecastRows + 1 + byValueRows;
    const dayHeaderRow = dailyStart + 1;
    const firstDayRow = dailyStart + 2;
    const dayRow = (day: IsoDate) => firstDayRow + days.indexOf(day);
    const columnCells = (col: number, from: IsoDate[]) =>
      from.length === 0
        ? ""
        : `${a1(dayRow(from[0] ?? ""), col, "none")}:${a1(dayRow(from[from.length - 1] ?? ""), col, "none")}`;

    // Forecast
    this.titleRow(start, OVERVIEW_LABELS.forecast, `=${a1(latest.row, 2)}`);
    const rateCell = a1(start + 3, 1);
    if (canForecast) {
      const b = (offset: number) => a1(start + offset, 1, "none");
      const windowCells = columnCells(1, window);
      this.writes.push({
        row: start + 1,
        col: 0,
        cells: [["Method", forecastMethod(window, remaining)]],
        numberFormat: TEXT_FORMAT,
      });
      this.writes.push({
        row: start + 2,
        col: 0,
        cells: [
          ["Month to date (complete days)"],
          ["Run rate per day"],
          ["Remaining days"],
          ["Month-end forecast"],
          ["Forecast low"],
          ["Forecast high"],
        ],
      });
      this.writes.push({
        row: start + 2,
        col: 1,
        cells: [[`=SUM(${columnCells(1, complete)})`], [`=AVERAGE(${windowCells})`]],
        numberFormat: NUMBER_FORMATS.total,
      });
      this.writes.push({ row: start + 4, col: 1, cells: [[remaining]], numberFormat: "0" });
      this.writes.push({
        row: start + 5,
        col: 1,
        cells: [
          [`=${b(2)}+${b(4)}*${b(3)}`],
          [`=${b(2)}+${b(4)}*MIN(${windowCells})`],
          [`=${b(2)}+${b(4)}*MAX(${windowCells})`],
        ],
        numberFormat: NUMBER_FORMATS.total,
      });
    } else {
      this.writes.push({
        row: start + 1,
        col: 0,
        cells: [[OVERVIEW_LABELS.noForecast, noForecastReason(month, provisional)]],
        numberFormat: TEXT_FORMAT,
      });
    }
    const row = start + forecastRows + 1;

    // Forecast by value
    if (byValueRows > 0) {
      const headerRow = row + 1;
      this.titleRow(row, OVERVIEW_LABELS.forecastBy, this.input.keys.dimension);
      this.header(headerRow, 0, [
        this.input.keys.dimension,
        "Month to date (complete days)",
        "Run rate per day",
        "Month-end forecast",
        "Forecast low",
        "Forecast high",
      ]);
      const remainingCell = a1(start + 4, 1);
      values.forEach((value, j) => {
        const r = headerRow + 1 + j;
        const col = 3 + j;
        const windowCells = columnCells(col, window);
        this.writes.push({ row: r, col: 0, cells: [[valueLabel(value)]], numberFormat: TEXT_FORMAT });
        this.writes.push({
          row: r,
          col: 1,
          cells: [
            [
              `=SUM(${columnCells(col, complete)})`,
              `=AVERAGE(${windowCells})`,
              `=${a1(r, 1, "none")}+${remainingCell}*${a1(r, 2, "none")}`,
              `=${a1(r, 1, "none")}+${remainingCell}*MIN(${windowCells})`,
              `=${a1(r, 1, "none")}+${remainingCell}*MAX(${windowCells})`,
            ],
          ],
          numberFormat: NUMBER_FORMATS.total,
        });
      });
      this.width = Math.max(this.width, 6);
    }

    // Daily cost
    this.titleRow(dailyStart, OVERVIEW_LABELS.daily, month);
    this.header(dayHeaderRow, 0, [OVERVIEW_LABELS.day, OVERVIEW_LABELS.cost, OVERVIEW_LABELS.runRate]);
    if (values.length > 0) this.header(dayHeaderRow, 3, values);
    const dayCells = days.map((day) => [serialOf(day)]);
    this.writes.push({ row: firstDayRow, col: 0, cells: dayCells, numberFormat: NUMBER_FORMATS.day });
    const costs = days.map((day) => {
      const r = dayRow(day);
      const dayCriterion = { column: this.c.day, equals: { cell: a1(r, 0) } };
      const total = day < asOf ? this.sum([dayCriterion, this.currencyCriterion()]) : "";
      const run = canForecast && day >= asOf ? `=${rateCell}` : "";
      const perValue = values.map((_, j) =>
        day < asOf ? this.sum([dayCriterion, this.currencyCriterion(), this.valueCriterion(dayHeaderRow, 3 + j)]) : ""
      );
      return [total, run, ...perValue];
    });
    this.writes.push({ row: firstDayRow, col: 1, cells: costs, numberFormat: NUMBER_FORMATS.total });
    const dayRange = (col: number): CellRect => ({ row: firstDayRow, col, rows: days.length, cols: 1 });
    this.charts.push({
      name: `${this.cur} daily`,
      type: "Line",
      title: `Daily cost in ${this.cur}, ${monthLabel(month, latest.month.status)}`,
      anchor: { row: dailyStart, col: 0, rows: CHART_ROWS, cols: CHART_COLUMNS },
      series: [
        { name: OVERVIEW_LABELS.cost, values: dayRange(1), xValues: dayRange(0) },
        ...(canForecast
          ? [{ name: OVERVIEW_LABELS.runRate, values: dayRange(2), xValues: dayRange(0), dashed: true }]
          : []),
      ],
    });
    return Math.max(firstDayRow + days.length, dailyStart + CHART_ROWS) + 1;
  }
}

interface MovedRefs {
  header: CellRect;
  previous: CellRect;
  latest: CellRect;
  change: CellRect;
  rank: CellRect;
  previousLabel: string;
  latestLabel: string;
  count: number;
}

/** Why a daily month has no forecast, in plain words (as `forecastMonthEnd` says it). */
export function noForecastReason(month: string, provisional: boolean): string {
  return provisional
    ? `No day of ${month} is complete yet (a day is complete once it has ended, in UTC): no run rate to forecast from.`
    : `${month} is Final: its total is the invoiced amount, nothing to forecast.`;
}

// ------------------------------------------------------------------ reading the sheet back

/**
 * The layout an overview sheet was written with, read from its cells' values (A1 onwards): the dimension,
 * the retrieval day, and per currency its months (with the status the sheet shows), values and daily month.
 * Undefined when the cells are not an overview's.
 */
export function readOverviewSheet(values: readonly (readonly unknown[])[]): OverviewLayout | undefined {
  const text = (row: number, col: number) => {
    const cell = values[row]?.[col];
    return cell === undefined || cell === null ? "" : String(cell);
  };
  if (text(1, 0) !== OVERVIEW_LABELS.splitBy || text(2, 0) !== OVERVIEW_LABELS.retrievedOn) return undefined;
  const asOf = text(2, 1);
  if (!isIsoDate(asOf)) return undefined;
  const currencies = new Map<string, CurrencyKeys>();
  let forecastByDimension = false;
  for (let row = FIRST_SECTION_ROW; row < values.length; row++) {
    const label = text(row, 0);
    const currency = text(row, 1);
    if (label === OVERVIEW_LABELS.monthly) {
      const header = values[row + 1] ?? [];
      const totalAt = header.findIndex((cell, col) => col >= 3 && cell === OVERVIEW_LABELS.monthTotal);
      const entry: CurrencyKeys = {
        currency,
        months: [],
        values: header.slice(3, totalAt < 0 ? undefined : totalAt).map((cell) => String(cell ?? "")),
      };
      for (let r = row + 2; r < values.length; r++) {
        const month = text(r, 0);
        if (month === "" || month === OVERVIEW_LABELS.change) break;
        entry.months.push({ billingMonth: month, status: text(r, 1) === "Final" ? "Final" : "Provisional" });
      }
      currencies.set(currency, entry);
    } else if (label === OVERVIEW_LABELS.daily) {
      const entry = currencies.get(currency);
      if (entry) entry.dailyMonth = text(row, 2);
    } else if (label === OVERVIEW_LABELS.forecastBy) {
      forecastByDimension = true;
    }
  }
  return { dimension: text(1, 1), asOf, forecastByDimension, currencies: [...currencies.values()] };
}

export interface OverviewChanges {
  /** True when the sheet must be written again (the layout differs). */
  changed: boolean;
  /** Plain-words lines for the refresh summary. */
  notes: string[];
}

/** What differs between the layout on the sheet and the one the table now calls for. */
export function compareOverviews(before: OverviewLayout, after: OverviewLayout): OverviewChanges {
  const notes: string[] = [];
  const listed = (items: readonly string[]) => items.map((i) => (i === "" ? "(blank)" : i)).join(", ");
  const beforeBy = new Map(before.currencies.map((c) => [c.currency, c]));
  const afterBy = new Map(after.currencies.map((c) => [c.currency, c]));
  for (const currency of after.currencies) {
    const old = beforeBy.get(currency.currency);
    if (!old) {
      notes.push(`The overview now has a ${currency.currency} section (new in the table).`);
      continue;
    }
    const newMonths = currency.months.filter((m) => !old.months.some((o) => o.billingMonth === m.billingMonth));
    const newValues = currency.values.filter((v) => !old.values.some((o) => o.toLowerCase() === v.toLowerCase()));
    if (newMonths.length > 0) {
      notes.push(`The overview grew: ${currency.currency} now shows ${listed(newMonths.map((m) => m.billingMonth))}.`);
    }
    if (newValues.length > 0) {
      notes.push(`The overview grew: ${currency.currency} now shows ${after.dimension} ${listed(newValues)}.`);
    }
    const gone = old.values.filter((v) => !currency.values.some((n) => n.toLowerCase() === v.toLowerCase()));
    const goneMonths = old.months.filter((m) => !currency.months.some((n) => n.billingMonth === m.billingMonth));
    if (gone.length > 0 || goneMonths.length > 0) {
      notes.push(
        `The overview no longer shows what left the table in ${currency.currency}: ${listed([...goneMonths.map((m) => m.billingMonth), ...gone])}.`
      );
    }
    for (const month of currency.months) {
      const was = old.months.find((m) => m.billingMonth === month.billingMonth);
      if (was && was.status !== month.status && month.status === "Final") {
        notes.push(`${month.billingMonth} is now Final in the overview (no forecast for it any more).`);
      }
    }
  }
  for (const currency of before.currencies) {
    if (!afterBy.has(currency.currency))
      notes.push(`${currency.currency} is no longer in the table; its section was removed.`);
  }
  const finalNotes = [...new Set(notes)];
  if (before.asOf !== after.asOf && after.currencies.some((c) => c.dailyMonth !== undefined)) {
    finalNotes.push(`The forecast is now as of ${after.asOf} (the day the data was retrieved).`);
  }
  const changed = JSON.stringify(signature(before)) !== JSON.stringify(signature(after));
  return { changed, notes: changed ? finalNotes : [] };
}

function signature(layout: OverviewLayout): unknown {
  return {
    dimension: layout.dimension,
    asOf: layout.asOf,
    forecastByDimension: layout.forecastByDimension,
    currencies: layout.currencies.map((c) => ({
      currency: c.currency,
      months: c.months.map((m) => [m.billingMonth, m.status]),
      values: c.values,
      dailyMonth: c.dailyMonth ?? null,
    })),
  };
}
