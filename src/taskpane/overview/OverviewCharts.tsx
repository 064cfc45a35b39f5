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
import { makeStyles, tokens } from "@fluentui/react-components";
import { isoDateToUtc } from "../../billing";
import { valueLabel, type CurrencyOverview } from "../../excel/overview-model";
import { formatMoney } from "../result-view";
import { dailyTitle, monthlyTitle } from "./overview-view";

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
});

export interface OverviewChartsProps {
  overview: CurrencyOverview;
  dimension: string;
}

export default function OverviewCharts({ overview, dimension }: OverviewChartsProps): React.JSX.Element {
  const styles = useStyles();
  const { currency } = overview;
  const stacks: VerticalStackedChartProps[] = overview.months.map((month) => ({
    xAxisPoint: month.label,
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
  const daily = overview.daily;
  let lines: ChartProps | undefined;
  if (daily) {
    const cost = daily.days.filter((d) => d.cost !== null);
    const forecast = daily.forecast;
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
  return (
    <>
      <figure className={styles.figure} role="group" aria-label={`Chart: ${monthly}`}>
        <ResponsiveContainer height={320} minWidth={280}>
          <VerticalStackedBarChart
            data={stacks}
            chartTitle={monthly}
            hideLabels
            barWidth="auto"
            maxBarWidth={40}
            margins={{ left: 52, right: 24 }}
            wrapXAxisLables
            enabledLegendsWrapLines
          />
        </ResponsiveContainer>
        <figcaption className={styles.caption}>{monthly}: the table below has the figures.</figcaption>
      </figure>
      {lines ? (
        <figure className={styles.figure} role="group" aria-label={`Chart: ${lines.chartTitle ?? ""}`}>
          <ResponsiveContainer height={320} minWidth={280}>
            <LineChart data={lines} useUTC enabledLegendsWrapLines margins={{ left: 52, right: 24 }} />
          </ResponsiveContainer>
          <figcaption className={styles.caption}>
            {lines.chartTitle}: complete days, then the forecast run rate (dashed). The table below has the figures.
          </figcaption>
        </figure>
      ) : null}
    </>
  );
}
