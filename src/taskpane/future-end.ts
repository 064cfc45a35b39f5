/**
 * A period that ends after today, refused (pure). Infobip's docs neither allow nor forbid a `sentUntil` in the
 * future, and the pane sends one for "This month", "Month to date" and "Whole 3-month window". If Infobip ever
 * answers 400 with a violation on `sentUntil` while the end lies after today, the runner moves the end back to
 * today, runs the query again and says so, instead of failing.
 *
 * "Today" means `sentUntil` = today's date (UTC), which is exclusive: the result covers up to the end of
 * yesterday. It is the latest end that is not in the future — tomorrow (today included) is an instant still to
 * come, which is what was refused — and today's usage is still being counted anyway.
 */
import { toIsoDate, validateQuery, type BillingUsageQuery, type DateInterval, type Violation } from "../billing";

/** The period asked for, and the one sent instead (its end moved back to today). */
export interface PeriodEndMoved {
  asked: DateInterval;
  sent: DateInterval;
}

/**
 * Whether a 400's violations refuse the query's end while that end lies after today. Infobip's property paths
 * are dotted (`request.filterBy.dateInterval.sentUntil`); any path ending in `sentUntil` counts, since no other
 * field has that name.
 */
export function refusesFutureEnd(violations: readonly Violation[], query: BillingUsageQuery, now: Date): boolean {
  return (
    query.filterBy.dateInterval.sentUntil > toIsoDate(now) &&
    violations.some((v) => /(^|\.)sentUntil$/.test(v.property))
  );
}

/**
 * The same query ending today (exclusive), checked with the rules again; undefined when the period has no whole
 * day before today (it starts today, or later), so there is nothing to run instead.
 */
export function endingToday(
  query: BillingUsageQuery,
  now: Date
): { query: BillingUsageQuery; moved: PeriodEndMoved } | undefined {
  const today = toIsoDate(now);
  const asked = query.filterBy.dateInterval;
  if (asked.sentSince >= today) return undefined;
  const sent = { sentSince: asked.sentSince, sentUntil: today };
  const checked = validateQuery({ ...query, filterBy: { ...query.filterBy, dateInterval: sent } }, now);
  return checked.ok ? { query: checked.value, moved: { asked: { ...asked }, sent } } : undefined;
}
