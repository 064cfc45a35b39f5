/**
 * The composer's state and rules, pure: what the user has typed and ticked, how it becomes a saved
 * `QueryDefinition` and an API query, and every problem mapped to the field that caused it, in plain
 * words. The React form only renders this state and calls these functions.
 *
 * The rules are those of `src/billing` (`validateQuery`), run before anything is sent; problems that only
 * the form can have (a campaign ID that would lose digits, a half-typed date) are caught before that.
 */
import {
  AGGREGATE_DIMENSIONS,
  CATEGORIES,
  DIRECTIONS,
  FILTERS,
  SUBCATEGORIES,
  addDays,
  alignToGranularity,
  autoAddedDimensions,
  columnLabel,
  finalizationDate,
  isIsoDate,
  isMonthFinalAt,
  monthsCovered,
  parseCampaignId,
  parseListText,
  parsePlatform,
  predictColumns,
  resolvePreset,
  retentionWindow,
  toQuery,
  validateQuery,
  type AggregateDimension,
  type BillingUsageQuery,
  type Category,
  type DateInterval,
  type Direction,
  type FilterKey,
  type Granularity,
  type PeriodChoice,
  type PeriodPreset,
  type QueryDefinition,
  type QueryFilters,
  type Subcategory,
  type Violation,
} from "../billing";
import { MAX_LABEL_LENGTH } from "../relay-api";

/** Filters typed as text, one value per line (or pasted with commas, semicolons or tabs). */
export const TEXT_FILTER_KEYS = [
  "accountKeys",
  "countryCodes",
  "trafficTypes",
  "senderTypes",
  "senders",
  "campaignReferenceIds",
  "campaignIds",
  "templateIds",
  "platforms",
] as const satisfies readonly FilterKey[];
export type TextFilterKey = (typeof TEXT_FILTER_KEYS)[number];

/** Filters chosen from a closed list (checkbox groups with display names). */
export const CHOICE_FILTER_KEYS = ["categories", "subCategories", "directions"] as const satisfies readonly FilterKey[];
export type ChoiceFilterKey = (typeof CHOICE_FILTER_KEYS)[number];

/** Where the result goes: a new sheet, or an existing billing table whose rows are replaced in place. */
export type Destination = { kind: "new-sheet" } | { kind: "replace"; tableName: string };

export interface ComposerState {
  preset: PeriodPreset;
  /** Custom dates as typed (`yyyy-mm-dd` from a date input, or anything while typing). */
  customSince: string;
  customUntil: string;
  granularity: Granularity;
  /** The non-time dimensions ticked, in catalog order. */
  dimensions: AggregateDimension[];
  textFilters: Record<TextFilterKey, string>;
  categories: Category[];
  subCategories: Subcategory[];
  directions: Direction[];
  includeUnfinalizedData: boolean;
  destination: Destination;
  label: string;
  /**
   * The relay's Infobip connections to run on, when it has several (one query each, ONE table with a Connection
   * column); undefined for a relay with one connection, whose queries name none.
   */
  connections?: string[];
}

/** Every place the form can show a problem. `form` is for what belongs to no single field. */
export type ComposerField =
  | "period"
  | "from"
  | "to"
  | "granularity"
  | "dimensions"
  | FilterKey
  | "includeUnfinalizedData"
  | "destination"
  | "label"
  | "connections"
  | "form";

/** Messages per field, in plain words, ready to show under the field. */
export type FieldErrors = Partial<Record<ComposerField, string[]>>;

export type ComposerResult =
  | { ok: true; definition: QueryDefinition; query: BillingUsageQuery; destination: Destination }
  | { ok: false; errors: FieldErrors };

const TIME_DIMENSIONS: readonly AggregateDimension[] = ["DAY", "MONTH"];
/** The relay's limit, checked here so the form says so beside the field. */
export { MAX_LABEL_LENGTH };

export function emptyTextFilters(): Record<TextFilterKey, string> {
  return Object.fromEntries(TEXT_FILTER_KEYS.map((key) => [key, ""])) as Record<TextFilterKey, string>;
}

/** A fresh form: last month (final data, the usual month-end question), by month, every filter empty. */
export function initialComposerState(): ComposerState {
  return {
    preset: "last-month",
    customSince: "",
    customUntil: "",
    granularity: "MONTH",
    dimensions: [],
    textFilters: emptyTextFilters(),
    categories: [],
    subCategories: [],
    directions: [],
    includeUnfinalizedData: true,
    destination: { kind: "new-sheet" },
    label: "",
  };
}

/** `aggregateBy` for a state: the time granularity first (DAY or MONTH, or none), then the ticked dimensions. */
export function aggregateByOf(state: Pick<ComposerState, "granularity" | "dimensions">): AggregateDimension[] {
  const time: AggregateDimension[] = state.granularity === "NONE" ? [] : [state.granularity];
  const rest = AGGREGATE_DIMENSIONS.filter((d) => !TIME_DIMENSIONS.includes(d) && state.dimensions.includes(d));
  return [...time, ...rest];
}

/**
 * The connections a composer offers for a relay's list: the ones still listed of those already chosen; at first
 * (nothing chosen yet) every connection with an API key — a finance user wants the company's total, and a connection
 * without a key could only fail — or every connection when none has a key yet (the run then names each missing key).
 * Undefined for a relay with one connection.
 */
export function connectionChoice(
  chosen: readonly string[] | undefined,
  names: readonly string[],
  hasKey: (name: string) => boolean
): string[] | undefined {
  if (names.length === 0) return undefined;
  if (chosen) return names.filter((name) => chosen.includes(name));
  const withKey = names.filter(hasKey);
  return withKey.length > 0 ? withKey : [...names];
}

/** Ticks or unticks one dimension, keeping catalog order and never holding DAY or MONTH (that is granularity). */
export function toggleDimension(state: ComposerState, dimension: AggregateDimension, on: boolean): ComposerState {
  if (TIME_DIMENSIONS.includes(dimension)) return { ...state, granularity: on ? (dimension as Granularity) : "NONE" };
  const chosen = new Set(state.dimensions);
  if (on) chosen.add(dimension);
  else chosen.delete(dimension);
  return { ...state, dimensions: AGGREGATE_DIMENSIONS.filter((d) => chosen.has(d)) };
}

/** Ticks or unticks one value of a checkbox-group filter, keeping the catalog's order. */
export function toggleChoice<K extends ChoiceFilterKey>(
  state: ComposerState,
  key: K,
  value: ComposerState[K][number],
  on: boolean
): ComposerState {
  const order: readonly string[] =
    key === "categories" ? CATEGORIES : key === "subCategories" ? SUBCATEGORIES : DIRECTIONS;
  const chosen = new Set<string>(state[key]);
  if (on) chosen.add(value);
  else chosen.delete(value);
  return { ...state, [key]: order.filter((v) => chosen.has(v)) };
}

/** Adds one value (a suggestion picked from a list) to a text filter, unless it is already there. */
export function appendToTextFilter(state: ComposerState, key: TextFilterKey, value: string): ComposerState {
  const trimmed = value.trim();
  if (!trimmed) return state;
  const current = parseListText(state.textFilters[key]);
  if (current.includes(trimmed)) return state;
  return { ...state, textFilters: { ...state.textFilters, [key]: [...current, trimmed].join("\n") } };
}

/** The period as the definition keeps it: a preset by name, custom dates as typed. */
export function periodChoiceOf(state: Pick<ComposerState, "preset" | "customSince" | "customUntil">): PeriodChoice {
  return state.preset === "custom"
    ? { preset: "custom", sentSince: state.customSince.trim(), sentUntil: state.customUntil.trim() }
    : { preset: state.preset };
}

/** The interval the state means at `now`, or undefined while custom dates are incomplete. */
export function resolvedInterval(state: ComposerState, now: Date): DateInterval | undefined {
  if (state.preset !== "custom") return resolvePreset(state.preset, now);
  const since = state.customSince.trim();
  const until = state.customUntil.trim();
  return isIsoDate(since) && isIsoDate(until) ? { sentSince: since, sentUntil: until } : undefined;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** `2026-03` → `March 2026`. */
export function monthName(month: string): string {
  const index = Number(month.slice(5, 7)) - 1;
  return `${MONTH_NAMES[index] ?? month} ${month.slice(0, 4)}`;
}

/** `2026-04-05` → `5 April 2026` (words, so nobody reads 04/05 the wrong way round). */
export function longDate(date: string): string {
  const index = Number(date.slice(5, 7)) - 1;
  return `${Number(date.slice(8, 10))} ${MONTH_NAMES[index] ?? ""} ${date.slice(0, 4)}`;
}

export interface PeriodInfo {
  /** The dates the query will ask for (undefined while custom dates are incomplete). */
  interval?: DateInterval;
  /** The last day included, for people who think in inclusive ranges. */
  lastDay?: string;
  /** The interval Infobip will actually use with MONTH granularity, when it is wider. */
  alignedInterval?: DateInterval;
  /** The queryable window (current month and the two before). */
  retention: DateInterval;
  /** One line per provisional month in the interval: "Data for March 2026 is provisional until 5 April 2026." */
  provisionalNotes: string[];
  /** Said when provisional months are in the interval but the user chose final data only. */
  excludedNote?: string;
}

/** What to show beside the period: the dates, the retention window, and which months are still provisional. */
export function periodInfo(state: ComposerState, now: Date): PeriodInfo {
  const retention = retentionWindow(now);
  const interval = resolvedInterval(state, now);
  if (!interval || interval.sentUntil <= interval.sentSince)
    return { retention, provisionalNotes: [], ...(interval ? { interval } : {}) };
  const provisional = monthsCovered(interval).filter((month) => !isMonthFinalAt(month, now));
  const aligned = alignToGranularity(interval, state.granularity);
  const widened = aligned.sentSince !== interval.sentSince || aligned.sentUntil !== interval.sentUntil;
  return {
    interval,
    lastDay: addDays(interval.sentUntil, -1),
    ...(widened ? { alignedInterval: aligned } : {}),
    retention,
    provisionalNotes: provisional.map(
      (month) => `Data for ${monthName(month)} is provisional until ${longDate(finalizationDate(month))}.`
    ),
    ...(provisional.length > 0 && !state.includeUnfinalizedData
      ? {
          excludedNote:
            "Provisional months will be left out, because \u201cInclude provisional data\u201d is off: Infobip returns final data only.",
        }
      : {}),
  };
}

/** The columns the table will have, friendly names, with the auto-added ones flagged. */
export function predictedHeaders(state: ComposerState): { label: string; autoAdded: boolean }[] {
  const aggregateBy = aggregateByOf(state);
  const added = new Set<string>(autoAddedDimensions(aggregateBy));
  return [
    ...predictColumns(aggregateBy).map((c) => ({
      label: columnLabel(c.columnName),
      autoAdded: added.has(c.columnName),
    })),
    { label: "Billing month", autoAdded: false },
    { label: "Period status", autoAdded: false },
  ];
}

/** Values of a text filter as the API takes them (country codes upper-cased: "de" is meant as "DE"). */
function listValues(state: ComposerState, key: TextFilterKey): string[] {
  const values = parseListText(state.textFilters[key]);
  return key === "countryCodes" ? [...new Set(values.map((v) => v.toUpperCase()))] : values;
}

interface FiltersOutcome {
  filters: QueryFilters;
  errors: FieldErrors;
}

/** Turns the form's filters into the API's lists; campaign IDs that cannot be sent exactly are errors here. */
function filtersOf(state: ComposerState): FiltersOutcome {
  const errors: FieldErrors = {};
  const filters: QueryFilters = {};
  for (const key of TEXT_FILTER_KEYS) {
    const values = listValues(state, key);
    if (values.length === 0) continue;
    if (key === "campaignIds") {
      const ids: number[] = [];
      const problems: string[] = [];
      for (const value of values) {
        const parsed = parseCampaignId(value);
        if (parsed.ok) ids.push(parsed.value);
        else problems.push(sentence(parsed.reason));
      }
      if (problems.length > 0) errors.campaignIds = problems;
      else filters.campaignIds = [...new Set(ids)];
    } else if (key === "platforms") {
      filters.platforms = values.map(parsePlatform);
    } else {
      filters[key] = values;
    }
  }
  if (state.categories.length > 0) filters.categories = [...state.categories];
  if (state.subCategories.length > 0) filters.subCategories = [...state.subCategories];
  if (state.directions.length > 0) filters.directions = [...state.directions];
  return { filters, errors };
}

/** The saved definition a state means (no validation beyond what is needed to build it). */
export function toDefinition(state: ComposerState): { definition: QueryDefinition; errors: FieldErrors } {
  const { filters, errors } = filtersOf(state);
  const label = state.label.trim();
  return {
    definition: {
      version: 1,
      ...(label ? { label } : {}),
      period: periodChoiceOf(state),
      aggregateBy: aggregateByOf(state),
      filters,
      includeUnfinalizedData: state.includeUnfinalizedData,
      ...(state.connections && state.connections.length > 0 ? { connections: [...state.connections] } : {}),
    },
    errors,
  };
}

/** A state that shows a saved definition (to refresh or edit a table's query). */
export function fromDefinition(
  definition: QueryDefinition,
  destination: Destination = { kind: "new-sheet" }
): ComposerState {
  const textFilters = emptyTextFilters();
  const f = definition.filters;
  for (const key of TEXT_FILTER_KEYS) {
    if (key === "platforms") {
      textFilters.platforms = (f.platforms ?? [])
        .map((p) => (p.entityId ? `${p.applicationId ?? ""}:${p.entityId}` : (p.applicationId ?? "")))
        .join("\n");
    } else if (key === "campaignIds") {
      textFilters.campaignIds = (f.campaignIds ?? []).map(String).join("\n");
    } else {
      textFilters[key] = (f[key] ?? []).join("\n");
    }
  }
  const granularity: Granularity = definition.aggregateBy.includes("DAY")
    ? "DAY"
    : definition.aggregateBy.includes("MONTH")
      ? "MONTH"
      : "NONE";
  return {
    preset: definition.period.preset,
    customSince: definition.period.preset === "custom" ? definition.period.sentSince : "",
    customUntil: definition.period.preset === "custom" ? definition.period.sentUntil : "",
    granularity,
    dimensions: definition.aggregateBy.filter((d) => !TIME_DIMENSIONS.includes(d)),
    textFilters,
    categories: [...(f.categories ?? [])],
    subCategories: [...(f.subCategories ?? [])],
    directions: [...(f.directions ?? [])],
    includeUnfinalizedData: definition.includeUnfinalizedData,
    destination,
    label: definition.label ?? "",
    ...(definition.connections ? { connections: [...definition.connections] } : {}),
  };
}

/** Capitalizes and ends a message with a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The API's dates as the form labels them ("From (inclusive)", "To (exclusive)"): every message that names one,
 * beside a field or in a refresh report, uses these words.
 */
export const DATE_FIELD_WORDS = { sentSince: "the From date", sentUntil: "the To date" } as const;

/** A message with the API's names for the dates replaced by {@link DATE_FIELD_WORDS}. */
export function plainDateWords(text: string): string {
  return text
    .replace(/\bsentSince\b/g, DATE_FIELD_WORDS.sentSince)
    .replace(/\bsentUntil\b/g, DATE_FIELD_WORDS.sentUntil);
}

const FILTER_KEY_SET = new Set<string>(FILTERS.map((f) => f.key));

/**
 * The field a violation belongs to, from its property path (`request.filterBy.dateInterval.sentUntil`,
 * `request.filterBy.countryCodes[2]`, `request.aggregateBy[0]`), and the item index when it names one.
 */
export function fieldForProperty(property: string, preset: PeriodPreset): { field: ComposerField; index?: number } {
  const path = property.replace(/^request\./, "");
  const dates = /^filterBy\.dateInterval(?:\.(sentSince|sentUntil))?/.exec(path);
  if (dates) {
    if (preset !== "custom") return { field: "period" };
    return { field: dates[1] === "sentUntil" ? "to" : "from" };
  }
  const filter = /^filterBy\.([A-Za-z]+)(?:\[(\d+)\])?/.exec(path);
  if (filter?.[1] && FILTER_KEY_SET.has(filter[1])) {
    return { field: filter[1] as FilterKey, ...(filter[2] !== undefined ? { index: Number(filter[2]) } : {}) };
  }
  if (path.startsWith("aggregateBy")) return { field: "dimensions" };
  if (path.startsWith("options")) return { field: "includeUnfinalizedData" };
  return { field: "form" };
}

/** The value the user typed for item `index` of a filter, to name it in the message. */
function itemText(definition: QueryDefinition, field: ComposerField, index: number | undefined): string | undefined {
  if (index === undefined || !FILTER_KEY_SET.has(field)) return undefined;
  const values: unknown = definition.filters[field as FilterKey];
  if (!Array.isArray(values)) return undefined;
  const item: unknown = values[index];
  if (item === undefined) return undefined;
  if (typeof item === "object" && item !== null) {
    const platform = item as { applicationId?: string; entityId?: string };
    return [platform.applicationId ?? "", platform.entityId ?? ""].filter((part, i) => i === 0 || part).join(":");
  }
  return String(item);
}

/** One violation in plain words, for the field it is shown beside. */
export function describeViolation(violation: Violation, field: ComposerField, item: string | undefined): string {
  let text = plainDateWords(violation.violation);
  if (field === "dimensions" && /at least (1|one)\b/.test(text)) {
    return "Choose a granularity (Day or Month) or at least one column, so the result has something to group by.";
  }
  if (field === "platforms" && /applicationId/.test(violation.property)) {
    text = "needs an application ID, written application:entity (or the application alone)";
  }
  if (item !== undefined) return sentence(`\u201c${item}\u201d ${text}`);
  if (field === "form") return sentence(`${violation.property}: ${text}`);
  return sentence(text);
}

/** Adds one message to a field, once. */
function addError(errors: FieldErrors, field: ComposerField, message: string): void {
  const list = errors[field] ?? [];
  if (!list.includes(message)) list.push(message);
  errors[field] = list;
}

/** Maps violations (from `validateQuery` or a relay 400) to their fields, in plain words. */
export function mapViolations(violations: readonly Violation[], definition: QueryDefinition): FieldErrors {
  const errors: FieldErrors = {};
  for (const violation of violations) {
    const { field, index } = fieldForProperty(violation.property, definition.period.preset);
    addError(errors, field, describeViolation(violation, field, itemText(definition, field, index)));
  }
  return errors;
}

function mergeErrors(...sets: FieldErrors[]): FieldErrors {
  const merged: FieldErrors = {};
  for (const set of sets) {
    for (const [field, messages] of Object.entries(set) as [ComposerField, string[]][]) {
      for (const message of messages) addError(merged, field, message);
    }
  }
  return merged;
}

function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((list) => list !== undefined && list.length > 0);
}

/** Problems with the custom dates as typed, before any rule can look at them. */
function customDateErrors(state: ComposerState): FieldErrors {
  if (state.preset !== "custom") return {};
  const errors: FieldErrors = {};
  const check = (text: string, field: "from" | "to") => {
    const trimmed = text.trim();
    if (trimmed === "") addError(errors, field, "Enter a date, for example 2026-03-01.");
    else if (!isIsoDate(trimmed))
      addError(errors, field, `\u201c${trimmed}\u201d is not a date: write it as yyyy-mm-dd, for example 2026-03-01.`);
  };
  check(state.customSince, "from");
  check(state.customUntil, "to");
  return errors;
}

function destinationErrors(state: ComposerState): FieldErrors {
  const errors: FieldErrors = {};
  if (state.destination.kind === "replace" && state.destination.tableName.trim() === "") {
    addError(errors, "destination", "Choose the billing table whose rows this query replaces.");
  }
  if (state.connections && state.connections.length === 0) {
    addError(errors, "connections", "Choose at least one connection to run the query on.");
  }
  if (state.label.trim().length > MAX_LABEL_LENGTH) {
    addError(errors, "label", `Keep the label to ${MAX_LABEL_LENGTH} characters or fewer.`);
  }
  return errors;
}

/**
 * Everything the form checks before sending: the form's own problems, then `src/billing`'s rules on the
 * query the state means at `now`. Either the definition and query to send, or the errors per field.
 */
export function validateComposer(state: ComposerState, now: Date): ComposerResult {
  const { definition, errors: filterErrors } = toDefinition(state);
  const dateErrors = customDateErrors(state);
  // With half-typed dates, check the rest against a valid stand-in period so every other problem shows too.
  const checkable: QueryDefinition = hasErrors(dateErrors)
    ? { ...definition, period: { preset: "last-month" } }
    : definition;
  const query = toQuery(checkable, now);
  const validation = validateQuery(query, now);
  const ruleErrors = validation.ok ? {} : mapViolations(validation.violations, definition);
  const errors = mergeErrors(dateErrors, filterErrors, ruleErrors, destinationErrors(state));
  if (hasErrors(errors) || !validation.ok) return { ok: false, errors };
  return { ok: true, definition, query: validation.value, destination: state.destination };
}

/** The fields in the order the form shows them, for focusing the first field with a problem. */
export const FIELD_ORDER: readonly ComposerField[] = [
  "form",
  "period",
  "from",
  "to",
  "granularity",
  "dimensions",
  ...FILTERS.map((f) => f.key),
  "connections",
  "includeUnfinalizedData",
  "destination",
  "label",
];

export function firstErrorField(errors: FieldErrors): ComposerField | undefined {
  return FIELD_ORDER.find((field) => (errors[field]?.length ?? 0) > 0);
}
