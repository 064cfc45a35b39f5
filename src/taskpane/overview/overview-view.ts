/**
 * The cost overview as the browser preview shows it (pure): the overview of a fetched result, shaped as the
 * Excel table would hold it (so the figures are the sheet's), and the words around it — the same titles the
 * sheet's charts carry.
 */
import { toIsoDate } from "../../billing";
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
