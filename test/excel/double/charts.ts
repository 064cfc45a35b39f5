/**
 * Charts: `worksheet.charts` and a chart's title, legend and series, as Microsoft's reference documents them
 * (https://learn.microsoft.com/javascript/api/excel/excel.chartcollection, …/excel.chart,
 * …/excel.chartseriescollection, …/excel.chartseries, …/excel.charttitle, …/excel.chartlegend; the model in
 * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-charts):
 * - `charts.add(type, sourceData, seriesBy)` (ExcelApi 1.1) makes one series per column (`Columns`) or row
 *   (`Rows`) of the source; `Auto` takes columns when the range has at least as many rows as columns. Excel
 *   also guesses, from text in the first row or column, where series names and category labels are
 *   ("Microsoft Excel attempts to determine the location of the series name from the contents of the first
 *   row or column": https://learn.microsoft.com/office/vba/api/excel.seriescollection.add). That guess is
 *   not specified, so the double does not make it: a source holding text constants is refused
 *   (NotImplemented), and code names and binds its series explicitly;
 * - a chart type outside `Excel.ChartType` is an InvalidArgument;
 * - `series.add(name, index)` (1.7) adds a series that "is not visible until values, x-axis values, or bubble
 *   sizes for it are set"; `setValues` / `setXAxisValues` (1.7) take a Range of one row or one column;
 * - `getDimensionValues` (1.12) gives a dimension's values as text; `getDimensionDataSourceString` /
 *   `getDimensionDataSourceType` (1.15) give the range a dimension reads (`'Sheet'!$D$7:$D$9`, "LocalRange");
 * - `setPosition(startCell, endCell)` (1.1) anchors the chart over cells; `getItem(name)` gives "the first one"
 *   when several charts share a name; deleting a sheet deletes its charts.
 * The double keeps a series' ranges where they were: it does not move them when cells are inserted or deleted.
 */
import { formatA1, parseA1, quoteSheet, type Rect } from "./address";
import { ClientObjectDouble, ClientResultDouble, CollectionDouble, NamedCollectionDouble } from "./client-object";
import type { OperationRecord, RequestContextDouble } from "./context";
import { invalidArgument, officeError } from "./errors";
import { RangeDouble } from "./ranges";
import type { ChartSeriesState, ChartSourceState, ChartState } from "./state/charts";
import { sameName } from "./state/rules";
import type { WorksheetDouble } from "./worksheets";

/** `Excel.ChartType` (the values @types/office-js lists). */
const CHART_TYPES: ReadonlySet<string> = new Set(
  (
    "ColumnClustered ColumnStacked ColumnStacked100 3DColumnClustered 3DColumnStacked 3DColumnStacked100 BarClustered " +
    "BarStacked BarStacked100 3DBarClustered 3DBarStacked 3DBarStacked100 LineStacked LineStacked100 LineMarkers " +
    "LineMarkersStacked LineMarkersStacked100 PieOfPie PieExploded 3DPieExploded BarOfPie XYScatterSmooth " +
    "XYScatterSmoothNoMarkers XYScatterLines XYScatterLinesNoMarkers AreaStacked AreaStacked100 3DAreaStacked " +
    "3DAreaStacked100 DoughnutExploded RadarMarkers RadarFilled Surface SurfaceWireframe SurfaceTopView " +
    "SurfaceTopViewWireframe Bubble Bubble3DEffect StockHLC StockOHLC StockVHLC StockVOHLC CylinderColClustered " +
    "CylinderColStacked CylinderColStacked100 CylinderBarClustered CylinderBarStacked CylinderBarStacked100 CylinderCol " +
    "ConeColClustered ConeColStacked ConeColStacked100 ConeBarClustered ConeBarStacked ConeBarStacked100 ConeCol " +
    "PyramidColClustered PyramidColStacked PyramidColStacked100 PyramidBarClustered PyramidBarStacked " +
    "PyramidBarStacked100 PyramidCol 3DColumn Line 3DLine 3DPie Pie XYScatter 3DArea Area Doughnut Radar Histogram " +
    "Boxwhisker Pareto RegionMap Treemap Waterfall Sunburst Funnel"
  ).split(" ")
);

const DIMENSIONS = ["Categories", "Values", "XValues", "YValues", "BubbleSizes"];

function assertChartType(type: string): void {
  if (!CHART_TYPES.has(type)) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: chart type "${type}".`);
  }
}

/** The series a source range makes, one per column or row, named as Excel names unnamed series. */
function seriesFrom(source: ChartSourceState, seriesBy: string, first: number): ChartSeriesState[] {
  const { rect } = source;
  const byColumns = seriesBy === "Columns" || (seriesBy !== "Rows" && rect.rows >= rect.cols);
  const count = byColumns ? rect.cols : rect.rows;
  return Array.from({ length: count }, (_, i) => ({
    name: `Series${first + i}`,
    values: {
      sheetId: source.sheetId,
      rect: byColumns
        ? { row: rect.row, col: rect.col + i, rows: rect.rows, cols: 1 }
        : { row: rect.row + i, col: rect.col, rows: 1, cols: rect.cols },
    },
  }));
}

export class ChartCollectionDouble extends NamedCollectionDouble<ChartState, ChartDouble> {
  protected readonly entity = "ChartCollection";
  protected readonly itemClass = ChartDouble;

  constructor(
    context: RequestContextDouble,
    path: string,
    private readonly sheet: WorksheetDouble
  ) {
    super(context, path, () => {
      const sheetState = sheet.resolve();
      return context.state.charts.filter((c) => c.sheetId === sheetState.id);
    });
  }

  /** A chart is reached by its name; several charts may share one, and the first is returned. */
  protected matches(chart: ChartState, name: string): boolean {
    return sameName(chart.name, name);
  }

  protected keyOf(chart: ChartState): string {
    return chart.name;
  }

  getItemAt(index: number): ChartDouble {
    return this.itemAt(index, `getItemAt(${index})`);
  }

  add(type: string, sourceData: RangeDouble, seriesBy = "Auto"): ChartDouble {
    let created: ChartState | undefined;
    const path = `${this.path}.add(${JSON.stringify(type)})`;
    this.context.enqueue("charts.add", path, { type, source: sourceData.path, seriesBy }, (record) => {
      assertChartType(type);
      const state = this.context.state;
      const sheet = this.sheet.resolve();
      const source = sourceOf(sourceData, record);
      refuseGuessedLabels(state, source);
      created = {
        id: state.nextId("chart"),
        name: `Chart ${state.charts.length + 1}`,
        sheetId: sheet.id,
        chartType: type,
        title: "",
        titleVisible: false,
        legendVisible: true,
        legendPosition: "Right",
        series: seriesFrom(source, seriesBy, 1),
      };
      state.charts.push(created);
    });
    return new ChartDouble(this.context, path, () => created);
  }
}

/** A RangeDouble argument as a chart source, with its address on the record. */
function sourceOf(range: RangeDouble, record: OperationRecord): ChartSourceState {
  const target = range.resolve();
  record.address = `${quoteSheet(target.sheet.name)}!${formatA1(target.rect)}`;
  return { sheetId: target.sheet.id, rect: target.rect };
}

function refuseGuessedLabels(state: RequestContextDouble["state"], source: ChartSourceState): void {
  const sheet = state.requireSheet(source.sheetId);
  for (let r = 0; r < source.rect.rows; r++) {
    for (let c = 0; c < source.rect.cols; c++) {
      const cell = state.cell(sheet, source.rect.row + r, source.rect.col + c);
      if (cell && cell.formula === undefined && typeof cell.value === "string" && cell.value !== "") {
        throw officeError(
          "NotImplemented",
          "The Excel double does not guess series names or category labels from text in a chart's source; name the series and set their values and x-axis values explicitly."
        );
      }
    }
  }
}

export class ChartDouble extends ClientObjectDouble<ChartState> {
  protected readonly entity = "Chart";
  protected readonly scalarProperties = ["name", "id", "chartType"];

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.setProperty(
      "name",
      value,
      (chart) => {
        if (value.length === 0) throw invalidArgument("A chart name cannot be empty.");
        chart.name = value;
      },
      "chart.name"
    );
  }
  get id(): string {
    return this.get("id");
  }
  get chartType(): string {
    return this.get("chartType");
  }
  set chartType(value: string) {
    this.setProperty(
      "chartType",
      value,
      (chart) => {
        assertChartType(value);
        chart.chartType = value;
      },
      "chart.chartType"
    );
  }

  protected read(name: string, chart: ChartState): unknown {
    switch (name) {
      case "name":
        return chart.name;
      case "id":
        return chart.id;
      case "chartType":
        return chart.chartType;
      default:
        return this.unknownProperty(name);
    }
  }

  protected override navigate(name: string): ClientObjectDouble<unknown> | undefined {
    if (name === "title") return this.title as ClientObjectDouble<unknown>;
    if (name === "legend") return this.legend as ClientObjectDouble<unknown>;
    return undefined;
  }

  get title(): ChartTitleDouble {
    return this.cached("title", () => new ChartTitleDouble(this.context, `${this.path}.title`, () => this.resolve()));
  }

  get legend(): ChartLegendDouble {
    return this.cached(
      "legend",
      () => new ChartLegendDouble(this.context, `${this.path}.legend`, () => this.resolve())
    );
  }

  get series(): ChartSeriesCollectionDouble {
    return this.cached(
      "series",
      () => new ChartSeriesCollectionDouble(this.context, `${this.path}.series`, () => this.resolve().series, this)
    );
  }

  /** `setPosition(startCell, endCell?)`: the chart covers the cells from one to the other. */
  setPosition(startCell: RangeDouble | string, endCell?: RangeDouble | string): void {
    this.command("chart.setPosition", { startCell: label(startCell), endCell: endCell && label(endCell) }, (chart) => {
      const start = this.cellRect(chart, startCell);
      const end = endCell === undefined ? start : this.cellRect(chart, endCell);
      chart.anchor = {
        row: start.row,
        col: start.col,
        rows: Math.max(1, end.row + end.rows - start.row),
        cols: Math.max(1, end.col + end.cols - start.col),
      };
    });
  }

  /** `setData(sourceData, seriesBy)`: the series are made again from the new source. */
  setData(sourceData: RangeDouble, seriesBy = "Auto"): void {
    this.command("chart.setData", { source: sourceData.path, seriesBy }, (chart, record) => {
      const source = sourceOf(sourceData, record);
      refuseGuessedLabels(this.context.state, source);
      chart.series = seriesFrom(source, seriesBy, 1);
    });
  }

  delete(): void {
    this.command("chart.delete", undefined, (chart) => {
      this.context.state.charts = this.context.state.charts.filter((c) => c !== chart);
    });
  }

  private cellRect(chart: ChartState, cell: RangeDouble | string): Rect {
    if (typeof cell !== "string") {
      const target = cell.resolve();
      if (target.sheet.id !== chart.sheetId)
        throw invalidArgument("A chart is positioned over cells of its own sheet.");
      return target.rect;
    }
    const parsed = parseA1(cell);
    const sheet = this.context.state.requireSheet(chart.sheetId);
    if (parsed.sheet !== undefined && !sameName(parsed.sheet, sheet.name)) {
      throw invalidArgument("A chart is positioned over cells of its own sheet.");
    }
    return parsed.rect;
  }
}

function label(cell: RangeDouble | string): string {
  return typeof cell === "string" ? cell : cell.path;
}

export class ChartTitleDouble extends ClientObjectDouble<ChartState> {
  protected readonly entity = "ChartTitle";
  protected readonly scalarProperties = ["text", "visible"];

  get text(): string {
    return this.get("text");
  }
  /** Setting a title's text shows it. */
  set text(value: string) {
    this.setProperty(
      "text",
      value,
      (chart) => {
        chart.title = value;
        chart.titleVisible = true;
      },
      "chartTitle.text"
    );
  }
  get visible(): boolean {
    return this.get("visible");
  }
  set visible(value: boolean) {
    this.setProperty(
      "visible",
      value,
      (chart) => {
        chart.titleVisible = value;
      },
      "chartTitle.visible"
    );
  }

  protected read(name: string, chart: ChartState): unknown {
    if (name === "text") return chart.title;
    if (name === "visible") return chart.titleVisible;
    return this.unknownProperty(name);
  }
}

export class ChartLegendDouble extends ClientObjectDouble<ChartState> {
  protected readonly entity = "ChartLegend";
  protected readonly scalarProperties = ["position", "visible"];

  get position(): string {
    return this.get("position");
  }
  set position(value: string) {
    this.setProperty(
      "position",
      value,
      (chart) => {
        if (!["Invalid", "Top", "Bottom", "Left", "Right", "Corner", "Custom"].includes(value)) {
          throw invalidArgument(
            `The argument is invalid or missing or has an incorrect format: legend position "${value}".`
          );
        }
        chart.legendPosition = value;
      },
      "chartLegend.position"
    );
  }
  get visible(): boolean {
    return this.get("visible");
  }
  set visible(value: boolean) {
    this.setProperty(
      "visible",
      value,
      (chart) => {
        chart.legendVisible = value;
      },
      "chartLegend.visible"
    );
  }

  protected read(name: string, chart: ChartState): unknown {
    if (name === "position") return chart.legendPosition;
    if (name === "visible") return chart.legendVisible;
    return this.unknownProperty(name);
  }
}

export class ChartSeriesCollectionDouble extends CollectionDouble<ChartSeriesState, ChartSeriesDouble> {
  protected readonly entity = "ChartSeriesCollection";
  protected override readonly collectionProperties = ["count"];

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => ChartSeriesState[] | undefined,
    private readonly chart: ChartDouble
  ) {
    super(context, path, locate);
  }

  get count(): number {
    return this.get("count");
  }

  protected wrap(item: ChartSeriesState, index: number): ChartSeriesDouble {
    return new ChartSeriesDouble(this.context, `${this.path}.getItemAt(${index})`, () => item);
  }

  getItemAt(index: number): ChartSeriesDouble {
    return new ChartSeriesDouble(this.context, `${this.path}.getItemAt(${index})`, () => {
      const series = this.chart.resolve().series[index];
      if (!series) throw officeError("ItemNotFound", `The chart has no series at index ${index}.`);
      return series;
    });
  }

  /** `add(name?, index?)` (ExcelApi 1.7): a series with no values yet, at the end or at `index`. */
  add(name?: string, index?: number): ChartSeriesDouble {
    let created: ChartSeriesState | undefined;
    const path = `${this.path}.add(${JSON.stringify(name ?? "")})`;
    this.context.enqueue("chartSeries.add", path, { name, index }, () => {
      const chart = this.chart.resolve();
      if (name !== undefined && name.length > 255) throw invalidArgument("A series name has at most 255 characters.");
      created = { name: name ?? `Series${chart.series.length + 1}` };
      const at = index === undefined ? chart.series.length : index;
      if (at < 0 || at > chart.series.length) throw invalidArgument(`There is no series position ${at}.`);
      chart.series.splice(at, 0, created);
    });
    return new ChartSeriesDouble(this.context, path, () => created);
  }
}

export class ChartSeriesDouble extends ClientObjectDouble<ChartSeriesState> {
  protected readonly entity = "ChartSeries";
  protected readonly scalarProperties = ["name", "chartType"];

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.setProperty(
      "name",
      value,
      (series) => {
        if (value.length > 255) throw invalidArgument("A series name has at most 255 characters.");
        series.name = value;
      },
      "chartSeries.name"
    );
  }
  get chartType(): string {
    return this.get("chartType");
  }
  set chartType(value: string) {
    this.setProperty(
      "chartType",
      value,
      (series) => {
        assertChartType(value);
        series.chartType = value;
      },
      "chartSeries.chartType"
    );
  }

  protected read(name: string, series: ChartSeriesState): unknown {
    if (name === "name") return series.name;
    if (name === "chartType") return series.chartType ?? this.owningChart(series)?.chartType ?? "";
    return this.unknownProperty(name);
  }

  private owningChart(series: ChartSeriesState): ChartState | undefined {
    return this.context.state.charts.find((c) => c.series.includes(series));
  }

  setValues(sourceData: RangeDouble): void {
    this.command("chartSeries.setValues", sourceData.path, (series, record) => {
      series.values = oneLine(sourceOf(sourceData, record));
    });
  }

  setXAxisValues(sourceData: RangeDouble): void {
    this.command("chartSeries.setXAxisValues", sourceData.path, (series, record) => {
      series.xValues = oneLine(sourceOf(sourceData, record));
    });
  }

  delete(): void {
    this.command("chartSeries.delete", undefined, (series) => {
      const chart = this.owningChart(series);
      if (chart) chart.series = chart.series.filter((s) => s !== series);
    });
  }

  get format(): { line: { lineStyle: string; color: string } } {
    const command = this.command.bind(this);
    const line = {
      set lineStyle(value: string) {
        command("chartLineFormat.lineStyle", value, (series) => {
          series.lineStyle = value;
        });
      },
      get lineStyle(): string {
        throw invalidArgument("The double does not load ChartLineFormat properties.");
      },
      set color(value: string) {
        command("chartLineFormat.color", value, (series) => {
          series.lineColor = value;
        });
      },
      get color(): string {
        throw invalidArgument("The double does not load ChartLineFormat properties.");
      },
    };
    return { line };
  }

  /** `getDimensionValues` (ExcelApi 1.12): the values a dimension shows, as text. */
  getDimensionValues(dimension: string): ClientResultDouble<string[]> {
    return this.result("chartSeries.getDimensionValues", (series) => {
      const source = this.dimensionSource(series, dimension);
      if (!source) {
        const count = series.values ? series.values.rect.rows * series.values.rect.cols : 0;
        return Array.from({ length: count }, (_, i) => String(i + 1));
      }
      const state = this.context.state;
      const sheet = state.requireSheet(source.sheetId);
      return state
        .readGrid(sheet, source.rect, (r, c) => state.readValue(sheet, r, c))
        .flat()
        .map(String);
    });
  }

  /** `getDimensionDataSourceString` (ExcelApi 1.15): the range a dimension reads, as an absolute address. */
  getDimensionDataSourceString(dimension: string): ClientResultDouble<string> {
    return this.result("chartSeries.getDimensionDataSourceString", (series) => {
      const source = this.dimensionSource(series, dimension);
      if (!source) return "";
      const sheet = this.context.state.sheetById(source.sheetId);
      if (!sheet) return "#REF!";
      const absolute = formatA1(source.rect).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
      return `${quoteSheet(sheet.name)}!${absolute}`;
    });
  }

  /** `getDimensionDataSourceType` (ExcelApi 1.15): "LocalRange" for a range on a sheet of this workbook. */
  getDimensionDataSourceType(dimension: string): ClientResultDouble<string> {
    return this.result("chartSeries.getDimensionDataSourceType", (series) =>
      this.dimensionSource(series, dimension) ? "LocalRange" : "Unknown"
    );
  }

  private dimensionSource(series: ChartSeriesState, dimension: string): ChartSourceState | undefined {
    if (!DIMENSIONS.includes(dimension)) {
      throw invalidArgument(`The argument is invalid or missing or has an incorrect format: dimension "${dimension}".`);
    }
    if (dimension === "Values" || dimension === "YValues") return series.values;
    if (dimension === "Categories" || dimension === "XValues") return series.xValues;
    return undefined;
  }
}

/** A series reads one row or one column. */
function oneLine(source: ChartSourceState): ChartSourceState {
  if (source.rect.rows > 1 && source.rect.cols > 1) {
    throw invalidArgument(
      "The argument is invalid or missing or has an incorrect format: a series reads one row or one column."
    );
  }
  return source;
}
