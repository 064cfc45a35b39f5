/**
 * The query request of `POST /billing/1/usage/query` (OpenAPI `QueryBillingUsageRequest`), as zod schemas.
 *
 * Field-level rules live on the fields (date format, unique items, known enum values, whole campaign IDs
 * within 2^53, platform pairs), so a violation carries the exact property path. Rules that need the clock
 * or compare fields (retention, order and length of the date interval) are in `rules.ts`.
 *
 * Choices where Infobip's material is silent (written down here and in the README):
 * - Unknown properties inside `request`, `filterBy` and `options` are rejected, so a misspelt filter
 *   (`countryCode`) is reported instead of silently widening the query.
 * - `aggregateBy` may hold DAY or MONTH, not both (Infobip does not say what both would mean).
 * - A platform must name its `applicationId`; `entityId` is optional and narrows to one entity of that
 *   application. An entity alone is refused: entity IDs are only meaningful within an application.
 * - `countryCodes` must be two upper-case letters (ISO 3166-1 alpha-2).
 */
import { z } from "zod";
import { IsoDateSchema, lengthRule } from "./atoms";
import { AGGREGATE_DIMENSIONS, CATEGORIES, DIRECTIONS, SUBCATEGORIES } from "./catalog";

/** Adds one issue per repeated item, at the repeat's index, naming where it first appeared. */
function uniqueItems<T>(key: (item: T) => string = (item) => JSON.stringify(item)) {
  return (items: T[], ctx: z.RefinementCtx): void => {
    const firstIndex = new Map<string, number>();
    items.forEach((item, index) => {
      const id = key(item);
      const first = firstIndex.get(id);
      if (first === undefined) firstIndex.set(id, index);
      else
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `is a duplicate of item ${first}; list each value once`,
        });
    });
  };
}

/**
 * Zod skips an array's refinements once one of its items is invalid; list rules also run then (as long as the
 * value is a list), so a user sees an unknown dimension, a duplicate and DAY+MONTH in one answer.
 */
const EVEN_WITH_INVALID_ITEMS = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

const NonEmptyString = z.string().trim().min(1, lengthRule("must not be empty"));

const uniqueStrings = () => z.array(NonEmptyString).superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS);

export const AggregateDimensionSchema = z.enum(AGGREGATE_DIMENSIONS);
export const CategorySchema = z.enum(CATEGORIES);
export const SubcategorySchema = z.enum(SUBCATEGORIES);
export const DirectionSchema = z.enum(DIRECTIONS);

export const DateIntervalSchema = z.strictObject({
  /** First day, inclusive, UTC. */
  sentSince: IsoDateSchema,
  /** Day after the last one, exclusive, UTC. */
  sentUntil: IsoDateSchema,
});
export type DateInterval = z.infer<typeof DateIntervalSchema>;

export const PlatformSchema = z
  .strictObject({
    applicationId: NonEmptyString.optional(),
    entityId: NonEmptyString.optional(),
  })
  .superRefine((platform, ctx) => {
    if (platform.applicationId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["applicationId"],
        message:
          platform.entityId === undefined
            ? "is required: a platform names an application, optionally with one of its entities"
            : "is required with entityId: an entity is only meaningful within its application",
      });
    }
  });
export type Platform = z.infer<typeof PlatformSchema>;

export const CampaignIdSchema = z.number().superRefine((id, ctx) => {
  if (!Number.isInteger(id) || id <= 0) {
    ctx.addIssue({ code: "custom", message: "must be a positive whole number" });
  } else if (!Number.isSafeInteger(id)) {
    ctx.addIssue({
      code: "custom",
      message: `is larger than ${Number.MAX_SAFE_INTEGER} and has lost digits on the way; campaign IDs this large cannot be sent exactly`,
    });
  }
});

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code: two capital letters, such as US or DE");

export const BillingUsageDataFilterSchema = z.strictObject({
  dateInterval: DateIntervalSchema,
  accountKeys: uniqueStrings().optional(),
  categories: z.array(CategorySchema).superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS).optional(),
  subCategories: z.array(SubcategorySchema).superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS).optional(),
  countryCodes: z.array(CountryCodeSchema).superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS).optional(),
  platforms: z
    .array(PlatformSchema)
    .superRefine(uniqueItems<Platform>((p) => `${p.applicationId ?? ""}\u0000${p.entityId ?? ""}`))
    .optional(),
  directions: z.array(DirectionSchema).superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS).optional(),
  trafficTypes: uniqueStrings().optional(),
  senders: uniqueStrings().optional(),
  senderTypes: uniqueStrings().optional(),
  campaignReferenceIds: uniqueStrings().optional(),
  campaignIds: z.array(CampaignIdSchema).superRefine(uniqueItems<number>()).optional(),
  templateIds: uniqueStrings().optional(),
});
export type BillingUsageDataFilter = z.infer<typeof BillingUsageDataFilterSchema>;

export const AggregateBySchema = z
  .array(AggregateDimensionSchema)
  .min(1, lengthRule("must name at least one dimension"))
  .superRefine(uniqueItems<string>(), EVEN_WITH_INVALID_ITEMS)
  .superRefine((dimensions, ctx) => {
    const monthIndex = dimensions.indexOf("MONTH");
    if (dimensions.includes("DAY") && monthIndex >= 0) {
      ctx.addIssue({
        code: "custom",
        path: [monthIndex],
        message: "cannot be combined with DAY: choose one time granularity, DAY or MONTH",
      });
    }
  }, EVEN_WITH_INVALID_ITEMS);

export const BillingUsageQueryOptionsSchema = z.strictObject({
  /** Default true: include the current, not yet finalized billing data. */
  includeUnfinalizedData: z.boolean().optional(),
});
export type BillingUsageQueryOptions = z.infer<typeof BillingUsageQueryOptionsSchema>;

/** `request` inside the body (OpenAPI `QueryBillingUsageApiRequest`): what the task pane composes. */
export const BillingUsageQuerySchema = z.strictObject({
  filterBy: BillingUsageDataFilterSchema,
  aggregateBy: AggregateBySchema,
  options: BillingUsageQueryOptionsSchema.optional(),
});
export type BillingUsageQuery = z.infer<typeof BillingUsageQuerySchema>;

export const CallbackUrlSchema = z
  .string()
  .min(1, lengthRule("must not be empty"))
  .refine(
    (text) => {
      try {
        const url = new URL(text);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    },
    { message: "must be an absolute http or https URL that Infobip can reach" }
  );

/** The whole body of `POST /billing/1/usage/query`. */
export const QueryBillingUsageRequestSchema = z.strictObject({
  callbackUrl: CallbackUrlSchema,
  request: BillingUsageQuerySchema,
});
export type QueryBillingUsageRequest = z.infer<typeof QueryBillingUsageRequestSchema>;

/** The time granularity a query asks for. */
export type Granularity = "DAY" | "MONTH" | "NONE";

export function granularityOf(aggregateBy: readonly string[]): Granularity {
  if (aggregateBy.includes("DAY")) return "DAY";
  if (aggregateBy.includes("MONTH")) return "MONTH";
  return "NONE";
}

/** `options.includeUnfinalizedData`, with the API's default (true) applied. */
export function includesUnfinalizedData(query: Pick<BillingUsageQuery, "options">): boolean {
  return query.options?.includeUnfinalizedData ?? true;
}
