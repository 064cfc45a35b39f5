/**
 * The cost overview in the browser preview: per currency (never added across currencies), the monthly cost
 * by service category (or the column the user picks), what moved against the previous month, the month-end
 * forecast with its method, and the daily cost — as charts (loaded on demand, see OverviewCharts) and as real
 * Fluent tables with the same numbers, for screen readers and the keyboard. The figures are those of the
 * Excel overview sheet: the same model (src/excel/overview-model.ts) computes them.
 */
import * as React from "react";
import {
  Badge,
  Checkbox,
  Field,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { monthLabel, valueLabel, type CurrencyOverview } from "../../excel/overview-model";
import type { FetchedResult } from "../query-runner";
import { formatMoney } from "../result-view";
import { dailyTitle, formatChange, monthlyTitle, overviewChoices, overviewOf } from "./overview-view";

const OverviewCharts = React.lazy(() => import(/* webpackChunkName: "overview-charts" */ "./OverviewCharts"));

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  subheading: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  scroller: {
    overflow: "auto",
    maxWidth: "100%",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  tall: { maxHeight: "40vh" },
  grid: { tableLayout: "auto", width: "max-content", minWidth: "100%" },
  cell: { whiteSpace: "nowrap" },
  number: { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" },
  numberHeader: { "& .fui-TableHeaderCell__button": { justifyContent: "flex-end" } },
  muted: { color: tokens.colorNeutralForeground2 },
});

function Scroll({
  label,
  tall,
  children,
}: {
  label: string;
  tall?: boolean;
  children: React.ReactNode;
}): React.JSX.Element {
  const styles = useStyles();
  // A region that scrolls sideways at 320 px: focusable, so the keyboard can scroll it too.
  return (
    <div className={mergeClasses(styles.scroller, tall && styles.tall)} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** Charts that cannot be drawn leave the tables (the same figures) in place, and say so. */
class ChartsBoundary extends React.Component<{ children: React.ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): React.ReactNode {
    return this.state.failed ? (
      <Text size={200}>The charts could not be drawn here; the tables below have the same figures.</Text>
    ) : (
      this.props.children
    );
  }
}

function MonthlyTable({ overview, dimension }: { overview: CurrencyOverview; dimension: string }): React.JSX.Element {
  const styles = useStyles();
  const title = monthlyTitle(overview.currency, dimension);
  return (
    <Scroll label={`${title} (table)`}>
      <Table size="extra-small" className={styles.grid} aria-label={title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.cell}>Billing month</TableHeaderCell>
            {overview.values.map((value) => (
              <TableHeaderCell key={value} className={`${styles.cell} ${styles.numberHeader}`}>
                {valueLabel(value)}
              </TableHeaderCell>
            ))}
            <TableHeaderCell className={styles.numberHeader}>Month total</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {overview.months.map((month) => (
            <TableRow key={month.billingMonth}>
              <TableCell className={styles.cell}>{month.label}</TableCell>
              {month.byValue.map((amount, j) => (
                <TableCell key={overview.values[j] ?? j} className={styles.number}>
                  {formatMoney(amount)}
                </TableCell>
              ))}
              <TableCell className={styles.number}>{formatMoney(month.total)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Scroll>
  );
}

function MovedTable({
  overview,
  dimension,
}: {
  overview: CurrencyOverview;
  dimension: string;
}): React.JSX.Element | null {
  const styles = useStyles();
  const moved = overview.moved;
  if (!moved) return null;
  const latest = monthLabel(moved.latest.billingMonth, moved.latest.status);
  const previous = monthLabel(moved.previous.billingMonth, moved.previous.status);
  const title = `What moved in ${overview.currency}: ${latest} against ${previous}`;
  return (
    <Scroll label={`${title} (table)`}>
      <Table size="extra-small" className={styles.grid} aria-label={title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.cell}>{dimension}</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>{previous}</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>{latest}</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>Change</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>Change %</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {moved.rows.map((row) => (
            <TableRow key={row.value}>
              <TableCell className={styles.cell}>{valueLabel(row.value)}</TableCell>
              <TableCell className={styles.number}>{formatMoney(row.previous)}</TableCell>
              <TableCell className={styles.number}>{formatMoney(row.latest)}</TableCell>
              <TableCell className={styles.number}>
                {row.change > 0 ? "+" : ""}
                {formatMoney(row.change)}
              </TableCell>
              <TableCell className={styles.number}>{formatChange(row.changeRatio)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Scroll>
  );
}

function ForecastBlock({
  overview,
  dimension,
}: {
  overview: CurrencyOverview;
  dimension: string;
}): React.JSX.Element | null {
  const styles = useStyles();
  const daily = overview.daily;
  if (!daily) return null;
  const forecast = daily.forecast;
  const title = `Month-end forecast in ${overview.currency}, ${daily.month}`;
  if (forecast.kind === "none") {
    return (
      <Text>
        <strong>No forecast for {daily.month}:</strong> {forecast.reason}
      </Text>
    );
  }
  const rows: [string, string][] = [
    ["Month to date (complete days)", formatMoney(forecast.monthToDate)],
    ["Run rate per day", formatMoney(forecast.runRate)],
    ["Remaining days", String(forecast.remainingDays)],
    ["Month-end forecast", formatMoney(forecast.forecast)],
    ["Forecast low", formatMoney(forecast.low)],
    ["Forecast high", formatMoney(forecast.high)],
  ];
  return (
    <>
      <Table size="extra-small" aria-label={title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>
              Forecast{" "}
              <Badge appearance="tint" color="brand" size="small">
                forecast
              </Badge>
            </TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>{overview.currency}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell>{label}</TableCell>
              <TableCell className={styles.number}>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text size={200} className={styles.muted}>
        Method: {forecast.method}
      </Text>
      {daily.byValue ? (
        <Scroll label={`Month-end forecast by ${dimension} in ${overview.currency} (table)`}>
          <Table
            size="extra-small"
            className={styles.grid}
            aria-label={`Month-end forecast by ${dimension} in ${overview.currency}`}
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{dimension}</TableHeaderCell>
                <TableHeaderCell className={styles.numberHeader}>Forecast</TableHeaderCell>
                <TableHeaderCell className={styles.numberHeader}>Low</TableHeaderCell>
                <TableHeaderCell className={styles.numberHeader}>High</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {daily.byValue.map(({ value, forecast: f }) => (
                <TableRow key={value}>
                  <TableCell className={styles.cell}>{valueLabel(value)}</TableCell>
                  <TableCell className={styles.number}>
                    {f.kind === "forecast" ? formatMoney(f.forecast) : "—"}
                  </TableCell>
                  <TableCell className={styles.number}>{f.kind === "forecast" ? formatMoney(f.low) : "—"}</TableCell>
                  <TableCell className={styles.number}>{f.kind === "forecast" ? formatMoney(f.high) : "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Scroll>
      ) : null}
    </>
  );
}

function DailyTable({ overview }: { overview: CurrencyOverview }): React.JSX.Element | null {
  const styles = useStyles();
  const daily = overview.daily;
  if (!daily) return null;
  const title = dailyTitle(overview.currency, daily);
  const rate = daily.forecast.kind === "forecast" ? daily.forecast.runRate : undefined;
  return (
    <Scroll label={`${title} (table)`} tall>
      <Table size="extra-small" className={styles.grid} aria-label={title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Day</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>Cost (complete days)</TableHeaderCell>
            <TableHeaderCell className={styles.numberHeader}>Forecast run rate</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {daily.days.map((day) => (
            <TableRow key={day.day}>
              <TableCell className={styles.cell}>{day.day}</TableCell>
              <TableCell className={styles.number}>{day.cost === null ? "" : formatMoney(day.cost)}</TableCell>
              <TableCell className={styles.number}>
                {day.cost === null && rate !== undefined ? formatMoney(rate) : ""}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Scroll>
  );
}

export function OverviewSection({ result }: { result: FetchedResult }): React.JSX.Element | null {
  const styles = useStyles();
  // Worked out once the preview above has painted: for 125k rows the overview takes about a third of a second,
  // which the preview's rows and totals need not wait for (measured in Chromium, bench/pane.ts).
  const [readyFor, setReadyFor] = React.useState<FetchedResult | undefined>(undefined);
  React.useEffect(() => {
    const timer = setTimeout(() => setReadyFor(result), 0);
    return () => clearTimeout(timer);
  }, [result]);
  const ready = readyFor === result;
  const choices = React.useMemo(() => overviewChoices(result), [result]);
  const [dimension, setDimension] = React.useState<string | undefined>(undefined);
  const [byValue, setByValue] = React.useState(false);
  const chosen = dimension !== undefined && choices.columns.includes(dimension) ? dimension : choices.preferred;
  const overview = React.useMemo(
    () => (ready && chosen ? overviewOf(result, { dimension: chosen, forecastByDimension: byValue }) : undefined),
    [ready, result, chosen, byValue]
  );
  if (!overview || !chosen || overview.currencies.length === 0) return null;
  return (
    <section className={styles.root} aria-labelledby="overview-heading">
      <h2 id="overview-heading" className={styles.heading}>
        Cost overview
      </h2>
      <Text size={200} className={styles.muted}>
        In Excel, Create overview puts these on a sheet beside the table, as native charts over live formulas. Amounts
        in different currencies are never added together.
      </Text>
      <Field label="Split costs by">
        <Select value={chosen} onChange={(_, data) => setDimension(data.value)}>
          {choices.columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      </Field>
      {overview.currencies.some((c) => c.daily) ? (
        <Checkbox
          label={`Also forecast each ${chosen}`}
          checked={byValue}
          onChange={(_, data) => setByValue(data.checked === true)}
        />
      ) : null}
      {overview.noDailyReason ? <Text size={200}>{overview.noDailyReason}</Text> : null}
      {overview.currencies.map((currency) => (
        <section key={currency.currency} className={styles.root} aria-label={`Cost overview in ${currency.currency}`}>
          <h3 className={styles.subheading}>{currency.currency}</h3>
          <ChartsBoundary>
            <React.Suspense fallback={<Spinner size="tiny" label="Loading the charts…" />}>
              <OverviewCharts overview={currency} dimension={chosen} />
            </React.Suspense>
          </ChartsBoundary>
          <MonthlyTable overview={currency} dimension={chosen} />
          <MovedTable overview={currency} dimension={chosen} />
          <ForecastBlock overview={currency} dimension={chosen} />
          <DailyTable overview={currency} />
        </section>
      ))}
    </section>
  );
}
