/**
 * The overview's charts in the browser preview, drawn with Fluent UI's v9 charts (`@fluentui/react-charts`):
 * the monthly cost as a stacked column chart and the latest month's daily cost as a line with the forecast
 * run rate dashed. Loaded on demand (its own bundle chunk: the charts and d3 are most of its size), so the
 * pane starts as fast as before; the same numbers are in the accessible tables beside (OverviewSection).
 *
 * Each chart is a group named after what it shows, every point has an aria-label with its figure, and the
 * charts follow the pane's width (ResponsiveContainer), down to 320 px. Legends wrap onto more lines rather
 * than folding into Fluent's overflow menu, which threw ("reading 'props'") at the pane's width.
 */
import * as React from "react";
import {
  getNextColor,
  LineChart,
  ResponsiveContainer,
  VerticalStackedBarChart,
  type ChartProps,
  type VerticalStackedChartProps,
} from "@fluentui/react-charts";
import { makeStyles, Text, tokens } from "@fluentui/react-components";
import { isoDateToUtc } from "../../billing";
import { valueLabel, type CurrencyOverview } from "../../excel/overview-model";
import { formatMoney } from "../result-view";
import { axisMonthLabel, compactFigure, dailyTitle, monthlyTitle, niceAxisTop } from "./overview-view";

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
});

/** Ticks on the value axes: 0 and four round steps (see {@link niceAxisTop}). */
const VALUE_TICKS = 4;
/**
 * Room for the value axis' labels: wide enough for `1.25M` at the pane's font, so they are never cut at the
 * left edge as the library's default margin cut `349.79k`.
 */
const CHART_MARGINS = { left: 48, right: 32, top: 8 };

export interface OverviewChartsProps {
  overview: CurrencyOverview;
  dimension: string;
}

export default function OverviewCharts({ overview, dimension }: OverviewChartsProps): React.JSX.Element {
  const styles = useStyles();
  const { currency } = overview;
  const stacks: VerticalStackedChartProps[] = overview.months.map((month) => ({
    xAxisPoint: axisMonthLabel(month.billingMonth, month.status),
    chartData: overview.values.map((value, j) => ({
      legend: valueLabel(value),
      // One colour per value in every month, so each value has one legend entry.
      color: getNextColor(j),
      data: month.byValue[j] ?? 0,
      yAxisCalloutData: `${formatMoney(month.byValue[j] ?? 0)} ${currency}`,
      callOutAccessibilityData: {
        ariaLabel: `${month.label}, ${valueLabel(value)}: ${formatMoney(month.byValue[j] ?? 0)} ${currency}`,
      },
    })),
    stackCallOutAccessibilityData: { ariaLabel: `${month.label}: ${formatMoney(month.total)} ${currency} in all` },
  }));
  const monthly = monthlyTitle(currency, dimension);
  const monthlyTop = niceAxisTop(Math.max(0, ...overview.months.map((month) => month.total)), VALUE_TICKS);
  const daily = overview.daily;
  let dailyTop = 1;
  let lines: ChartProps | undefined;
  if (daily) {
    const cost = daily.days.filter((d) => d.cost !== null);
    const forecast = daily.forecast;
    dailyTop = niceAxisTop(
      Math.max(0, ...cost.map((d) => d.cost ?? 0), forecast.kind === "forecast" ? forecast.runRate : 0),
      VALUE_TICKS
    );
    lines = {
      chartTitle: dailyTitle(currency, daily),
      lineChartData: [
        {
          legend: "Cost (complete days)",
          color: getNextColor(0),
          data: cost.map((d) => ({
            x: isoDateToUtc(d.day),
            y: d.cost ?? 0,
            callOutAccessibilityData: { ariaLabel: `${d.day}: ${formatMoney(d.cost ?? 0)} ${currency}` },
          })),
        },
        ...(forecast.kind === "forecast" && forecast.remainingDays > 0
          ? [
              {
                legend: "Forecast run rate",
                color: getNextColor(1),
                lineOptions: { strokeDasharray: "5 3" },
                data: daily.days
                  .filter((d) => d.cost === null)
                  .map((d) => ({
                    x: isoDateToUtc(d.day),
                    y: forecast.runRate,
                    callOutAccessibilityData: {
                      ariaLabel: `${d.day}: forecast ${formatMoney(forecast.runRate)} ${currency} a day`,
                    },
                  })),
              },
            ]
          : []),
      ],
    };
  }
  // Each chart's title is shown above it (the library's own title is only an accessible name), and the caption
  // below says where its figures are, so a reader never takes one chart's caption for the next one's title.
  return (
    <>
      <figure className={styles.figure} role="group" aria-label={`Chart: ${monthly}`}>
        <Text as="h4" weight="semibold" size={300}>
          {monthly}
        </Text>
        <ResponsiveContainer height={320} minWidth={280}>
          <VerticalStackedBarChart
            data={stacks}
            chartTitle={monthly}
            hideLabels
            barWidth="auto"
            maxBarWidth={40}
            margins={CHART_MARGINS}
            yMaxValue={monthlyTop}
            yAxisTickCount={VALUE_TICKS}
            yAxisTickFormat={compactFigure}
            wrapXAxisLables
            enabledLegendsWrapLines
          />
        </ResponsiveContainer>
        <figcaption className={styles.caption}>
          In {currency}; the figures are in the table below the charts.
        </figcaption>
      </figure>
      {lines ? (
        <figure className={styles.figure} role="group" aria-label={`Chart: ${lines.chartTitle ?? ""}`}>
          <Text as="h4" weight="semibold" size={300}>
            {lines.chartTitle}
          </Text>
          <ResponsiveContainer height={320} minWidth={280}>
            <LineChart
              data={lines}
              useUTC
              enabledLegendsWrapLines
              margins={CHART_MARGINS}
              yMaxValue={dailyTop}
              yAxisTickCount={VALUE_TICKS}
              yAxisTickFormat={compactFigure}
            />
          </ResponsiveContainer>
          <figcaption className={styles.caption}>
            In {currency} a day: complete days, then the forecast run rate (dashed). The figures are in the table below.
          </figcaption>
        </figure>
      ) : null}
    </>
  );
}
