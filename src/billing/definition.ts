/**
 * A saved query definition: what the user chose in the composer, kept with the workbook so that a table
 * can be refreshed later. The period is kept as chosen: a preset ("last month") is re-evaluated at each
 * refresh against the clock, a custom range stays fixed.
 */
import { z } from "zod";
import { DateIntervalSchema, AggregateBySchema, BillingUsageDataFilterSchema, type BillingUsageQuery } from "./request";
import { RELATIVE_PERIOD_PRESETS, resolvePreset } from "./periods";

export const PeriodChoiceSchema = z.discriminatedUnion("preset", [
  z.object({ preset: z.enum(RELATIVE_PERIOD_PRESETS) }),
  z.object({ preset: z.literal("custom"), sentSince: z.string(), sentUntil: z.string() }),
]);
export type PeriodChoice = z.infer<typeof PeriodChoiceSchema>;

export const QueryFiltersSchema = BillingUsageDataFilterSchema.omit({ dateInterval: true });
export type QueryFilters = z.infer<typeof QueryFiltersSchema>;

export const QueryDefinitionSchema = z.object({
  version: z.literal(1),
  label: z.string().optional(),
  period: PeriodChoiceSchema,
  aggregateBy: AggregateBySchema,
  filters: QueryFiltersSchema,
  includeUnfinalizedData: z.boolean(),
  /**
   * The relay's Infobip connections (accounts or data centres) the query runs on, one query each, written as one
   * table with a Connection column; absent: the relay's default connection alone and no Connection column (a relay
   * with one connection, and every table written before connections existed).
   */
  connections: z.array(z.string().min(1)).min(1).max(16).optional(),
});
export type QueryDefinition = z.infer<typeof QueryDefinitionSchema>;

/** The API query a definition means at `now` (presets resolved against the clock). */
export function toQuery(definition: QueryDefinition, now: Date): BillingUsageQuery {
  const period = definition.period;
  const dateInterval =
    period.preset === "custom"
      ? DateIntervalSchema.parse({ sentSince: period.sentSince, sentUntil: period.sentUntil })
      : resolvePreset(period.preset, now);
  const filters = Object.fromEntries(
    Object.entries(definition.filters).filter(([, values]) => Array.isArray(values) && values.length > 0)
  );
  return {
    filterBy: { dateInterval, ...filters },
    aggregateBy: [...definition.aggregateBy],
    options: { includeUnfinalizedData: definition.includeUnfinalizedData },
  };
}

/** Splits a pasted list (lines, commas, semicolons or tabs) into trimmed, non-empty, de-duplicated values. */
export function parseListText(text: string): string[] {
  const values = text
    .split(/[\n\r,;\t]+/)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return [...new Set(values)];
}

/**
 * A campaign ID typed or pasted as text, to the number the API takes — or the reason it cannot be sent:
 * IDs above 2^53 would silently lose digits as JSON numbers.
 */
export function parseCampaignId(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, reason: `"${trimmed}" is not a whole number` };
  if (BigInt(trimmed) > BigInt(Number.MAX_SAFE_INTEGER)) {
    return {
      ok: false,
      reason: `${trimmed} is larger than ${Number.MAX_SAFE_INTEGER} and cannot be sent without losing digits`,
    };
  }
  const value = Number(trimmed);
  return value > 0 ? { ok: true, value } : { ok: false, reason: "campaign IDs are positive" };
}

/** A platform typed as `application:entity` (or `application` alone). */
export function parsePlatform(text: string): { applicationId: string; entityId?: string } {
  const [applicationId = "", ...rest] = text.split(":");
  const entityId = rest.join(":").trim();
  return entityId ? { applicationId: applicationId.trim(), entityId } : { applicationId: applicationId.trim() };
}
