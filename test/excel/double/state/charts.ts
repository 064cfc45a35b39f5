/** The charts of the double's workbook: what `worksheet.charts` and its series act on. */
import type { Rect } from "../address";

/** A range a series reads, by sheet id (Excel keeps the reference as the sheet is renamed). */
export interface ChartSourceState {
  sheetId: string;
  rect: Rect;
}

export interface ChartSeriesState {
  name: string;
  /** `setValues`: the series' values (y values). Unset until given: such a series is not drawn. */
  values?: ChartSourceState;
  /** `setXAxisValues`: the category (x-axis) values; unset, Excel numbers the points 1, 2, 3… */
  xValues?: ChartSourceState;
  /** A series' own type (a combination chart); undefined: the chart's type. */
  chartType?: string;
  lineStyle?: string;
  lineColor?: string;
}

export interface ChartState {
  id: string;
  name: string;
  sheetId: string;
  chartType: string;
  title: string;
  titleVisible: boolean;
  legendVisible: boolean;
  legendPosition: string;
  /** `setPosition`: the cells the chart covers, or undefined where Excel placed it itself. */
  anchor?: Rect;
  series: ChartSeriesState[];
}
