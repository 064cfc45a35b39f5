/**
 * The cost overview as the browser preview shows it (pure): the overview of a fetched result, shaped as the
 * Excel table would hold it (so the figures are the sheet's), and the words around it — the same titles the
 * sheet's charts carry.
 */
import { toIsoDate, type PeriodStatus } from "../../billing";
import {
  computeOverview,
  defaultDimension,
  monthLabel,
  overviewDimensions,
  type DailyOverview,
  type Overview,
} from "../../excel/overview-model";
import { headersOf } from "../../excel/shape";
import type { FetchedResult } from "../query-runner";
import { shapeFetched, snapshotOf } from "../result-view";

export function monthlyTitle(currency: string, dimension: string): string {
  return `Monthly cost in ${currency} by ${dimension}`;
}

export function dailyTitle(currency: string, daily: Pick<DailyOverview, "month" | "status">): string {
  return `Daily cost in ${currency}, ${monthLabel(daily.month, daily.status)}`;
}

/**
 * A month on the preview chart's axis: `2026-11`, or `2026-11 (prov.)` while it can still change. Shorter than the
 * sheet's `2026-11 (provisional)` so that at the pane's 320 px the last column's label is not cut at the edge; the
 * axis wraps it at the space into two short lines.
 */
export function axisMonthLabel(billingMonth: string, status: PeriodStatus): string {
  return status === "Provisional" ? `${billingMonth} (prov.)` : billingMonth;
}

/**
 * The top of a value axis with `ticks` equal steps that read as round figures (1, 2, 2.5 or 5 times a power of ten):
 * 0, 100k, 200k, 300k, 400k rather than 0, 87.45k, 174.89k… which is what the chart library draws from the largest
 * value alone. Never below `max`, so no bar is cut; 0 or less gives 1, so an empty month still has an axis.
 */
export function niceAxisTop(max: number, ticks = 4): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const rawStep = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate * ticks >= max) ?? 10 * power;
  return step * ticks;
}

/** An axis figure as few characters as a narrow pane needs: `950`, `12.5k`, `350k`, `1.2M`. */
export function compactFigure(value: number): string {
  const magnitude = Math.abs(value);
  const [divisor, suffix] =
    magnitude >= 1e9 ? [1e9, "B"] : magnitude >= 1e6 ? [1e6, "M"] : magnitude >= 1e3 ? [1e3, "k"] : [1, ""];
  const scaled = value / divisor;
  return `${scaled.toLocaleString("en-US", { maximumFractionDigits: Math.abs(scaled) < 10 ? 2 : 1 })}${suffix}`;
}

/** `+21.9%`, `-100.0%`, "new", or "" when both months had nothing. */
export function formatChange(ratio: number | null | "new"): string {
  if (ratio === null) return "";
  if (ratio === "new") return "new";
  const percent = (ratio * 100).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return ratio > 0 ? `+${percent}%` : `${percent}%`;
}

/** The columns a preview's overview can be split by, and its default. */
export function overviewChoices(result: FetchedResult): { columns: string[]; preferred: string | undefined } {
  const header = headersOf(shapeFetched(result));
  const preferred = defaultDimension(header);
  const columns = overviewDimensions(header);
  return { columns, preferred };
}

/** The overview of a result as of the day it was retrieved; undefined when the result cannot have one. */
export function overviewOf(
  result: FetchedResult,
  options: { dimension?: string; forecastByDimension?: boolean } = {}
): Overview | undefined {
  try {
    return computeOverview(snapshotOf(result), {
      asOf: toIsoDate(result.retrievedAt),
      ...(options.dimension ? { dimension: options.dimension } : {}),
      ...(options.forecastByDimension ? { forecastByDimension: true } : {}),
    });
  } catch {
    return undefined;
  }
}
