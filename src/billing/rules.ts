/**
 * The validation rules of a billing query, one implementation for the task pane, the relay and the
 * emulator. Every failure is a {@link Violation} `{property, violation}` with the dotted JSON path
 * (array items as `aggregateBy[1]`, a key that is not a plain name as `["country code"]`), in plain
 * words, ready for Infobip's `ApiError.violations`. Any input gets violations, never an exception.
 *
 * Date rules (UTC), with the choices made where Infobip is silent:
 * - `sentSince` is inclusive, `sentUntil` exclusive, and `sentSince < sentUntil`.
 * - At most 3 calendar months: `sentUntil` ≤ `sentSince` + 3 months (2026-03-01 → 2026-06-01 is allowed;
 *   a day more is not; month ends clamp, so 2026-01-31 + 3 months = 2026-04-30).
 * - Retention: `sentSince` ≥ the 1st of the month two months before the current one.
 * - `sentUntil` may lie in the future but not beyond the 1st of next month (no data can exist there),
 *   and `sentSince` must not lie beyond the current month.
 */
import { z } from "zod";
import { addMonthsToDate, isIsoDate } from "./atoms";
import type { Violation } from "./errors";
import { nestingProblem } from "./nesting";
import { retentionWindow } from "./periods";
import {
  BillingUsageQuerySchema,
  QueryBillingUsageRequestSchema,
  type BillingUsageQuery,
  type QueryBillingUsageRequest,
} from "./request";

/** A query spans at most this many calendar months. */
export const MAX_RANGE_MONTHS = 3;

export type Validation<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

type PathSegment = PropertyKey;

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/**
 * `["request","aggregateBy",1]` → `request.aggregateBy[1]`. A key that is not a plain name (an unknown
 * property `""` or `"country code"`) is written `["country code"]`, so the path never ends in a bare dot.
 */
export function propertyPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === "number") return `${path}[${segment}]`;
    const key = String(segment);
    if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
    return path === "" ? key : `${path}.${key}`;
  }, "");
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

/** Plain-word messages for zod's own issues; rules with their own message keep it. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : `must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, not ${describeType(issue.input)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `must have at least ${String(issue.minimum)} item(s)` : "must not be empty";
    default:
      return undefined;
  }
};

/** Turns zod's issues into violations under a path prefix; unknown keys become one violation each. */
export function violationsFromZod(error: z.ZodError, prefix: readonly PathSegment[] = []): Violation[] {
  return error.issues.flatMap((issue): Violation[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        property: propertyPath([...path, key]),
        violation: "is not a known property; check its spelling",
      }));
    }
    // A body that is not an object fails at the root, whose path is empty: name it "body".
    return [{ property: propertyPath(path) || "body", violation: issue.message }];
  });
}

function readPath(input: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>(
    (value, key) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined),
    input
  );
}

/**
 * The rules that compare the two dates with each other and with the clock. They run whenever both dates
 * are well-formed, even if other parts of the query are wrong, so the user sees every problem at once.
 */
export function dateIntervalViolations(
  sentSince: unknown,
  sentUntil: unknown,
  now: Date,
  prefix: readonly PathSegment[]
): Violation[] {
  if (typeof sentSince !== "string" || typeof sentUntil !== "string") return [];
  if (!isIsoDate(sentSince) || !isIsoDate(sentUntil)) return [];
  const since = propertyPath([...prefix, "sentSince"]);
  const until = propertyPath([...prefix, "sentUntil"]);
  const window = retentionWindow(now);
  const violations: Violation[] = [];
  if (sentSince < window.sentSince) {
    violations.push({
      property: since,
      violation: `is before ${window.sentSince}: billing data is kept for the current month and the two months before it only`,
    });
  } else if (sentSince >= window.sentUntil) {
    violations.push({
      property: since,
      violation: `is after the current month: no billing data exists from ${window.sentUntil} on yet`,
    });
  }
  if (sentUntil <= sentSince) {
    violations.push({
      property: until,
      violation: "must be after sentSince: sentUntil is exclusive, the day after the last day you want",
    });
  } else if (exceedsMaxRange(sentSince, sentUntil)) {
    violations.push({
      property: until,
      violation: `is more than ${MAX_RANGE_MONTHS} months after sentSince: a query covers at most ${MAX_RANGE_MONTHS} months; split it into several queries`,
    });
  } else if (sentUntil > window.sentUntil) {
    violations.push({
      property: until,
      violation: `is after ${window.sentUntil}, the first day of next month: use ${window.sentUntil} to include the whole current month`,
    });
  }
  return violations;
}

/**
 * Is `sentUntil` more than {@link MAX_RANGE_MONTHS} calendar months after `sentSince`? When that limit
 * lies past 9999-12 no `yyyy-MM-dd` date can exceed it, so the answer is no rather than a thrown
 * RangeError: the validator must answer any user input with violations, never an exception.
 */
function exceedsMaxRange(sentSince: string, sentUntil: string): boolean {
  let limit: string;
  try {
    limit = addMonthsToDate(sentSince, MAX_RANGE_MONTHS);
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
  return sentUntil > limit;
}

function validate<T>(
  schema: z.ZodType<T>,
  input: unknown,
  now: Date,
  prefix: readonly PathSegment[],
  dateIntervalPath: readonly string[]
): Validation<T> {
  // Before any recursive work: a value nested 100,000 deep would overflow the stack in zod or uniqueItems.
  const tooDeep = nestingProblem(input);
  if (tooDeep !== undefined) {
    return {
      ok: false,
      violations: [{ property: propertyPath([...prefix, ...tooDeep.path]) || "body", violation: tooDeep.violation }],
    };
  }
  const parsed = schema.safeParse(input, { error: errorMap });
  const interval = readPath(input, dateIntervalPath);
  const violations = [
    ...(parsed.success ? [] : violationsFromZod(parsed.error, prefix)),
    ...dateIntervalViolations(readPath(interval, ["sentSince"]), readPath(interval, ["sentUntil"]), now, [
      ...prefix,
      ...dateIntervalPath,
    ]),
  ];
  if (violations.length > 0 || !parsed.success) {
    return { ok: false, violations: dedupe(violations) };
  }
  return { ok: true, value: parsed.data };
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.property}\u0000${v.violation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates the `request` part (filters, dimensions, options) — what the task pane composes and the relay
 * receives. `prefix` is the path of the query in the surrounding body (default `request`).
 */
export function validateQuery(
  input: unknown,
  now: Date,
  prefix: readonly PathSegment[] = ["request"]
): Validation<BillingUsageQuery> {
  return validate(BillingUsageQuerySchema, input, now, prefix, ["filterBy", "dateInterval"]);
}

/** Validates a whole `POST /billing/1/usage/query` body (with `callbackUrl`), as Infobip (the emulator) does. */
export function validateQueryRequest(input: unknown, now: Date): Validation<QueryBillingUsageRequest> {
  return validate(QueryBillingUsageRequestSchema, input, now, [], ["request", "filterBy", "dateInterval"]);
}
