/**
 * The catalog of the Billing Usage API: aggregation dimensions (grouped as Infobip's docs group them,
 * with the friendly column names the workbook shows), filters, billing categories and subcategories,
 * directions, and the traffic/sender types known from Infobip's examples (suggestions only: the API
 * takes any string there). The composer, the emulator and the table writer are all driven from here.
 */

/** `BillingUsageAggregate`, in the OpenAPI enum's order. */
export const AGGREGATE_DIMENSIONS = [
  "DAY",
  "MONTH",
  "APPLICATION_ID",
  "ENTITY_ID",
  "ACCOUNT_NAME",
  "ACCOUNT_KEY",
  "CATEGORY_CODE",
  "CATEGORY_NAME",
  "SUBCATEGORY_CODE",
  "SUBCATEGORY_NAME",
  "USER_NAME",
  "DIRECTION",
  "TRAFFIC_TYPE",
  "SENDER",
  "SENDER_TYPE",
  "NETWORK_NAME",
  "NORM_NET_CODE",
  "COUNTRY_NAME",
  "COUNTRY_CODE",
  "COUNTRY_PREFIX",
  "CAMPAIGN_ID",
  "CAMPAIGN_REFERENCE",
  "TEMPLATE_ID",
] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];

/** The metric columns every result ends with, in this order. */
export const METRIC_COLUMNS = ["UNIT_TYPE", "UNIT_PRICE", "QUANTITY", "TOTAL_PER_UNIT", "CURRENCY"] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

export const DIMENSION_GROUPS = ["Time", "CPaaS X", "Account", "Service", "Sender", "Geography", "Campaign"] as const;
export type DimensionGroup = (typeof DIMENSION_GROUPS)[number];

/**
 * How a dimension's values are kept in a sheet: `date` becomes an Excel date, `identifier` is kept as
 * text even when it looks like a number (campaign and template IDs exceed Excel's 15 digits), `text` is text.
 */
export type DimensionValueKind = "date" | "identifier" | "text";

export interface DimensionInfo {
  readonly code: AggregateDimension;
  readonly group: DimensionGroup;
  /** The column header shown in Excel. */
  readonly label: string;
  readonly description: string;
  readonly valueKind: DimensionValueKind;
  /** The other half of an auto-added pair (ACCOUNT_NAME/ACCOUNT_KEY, CATEGORY_CODE/CATEGORY_NAME). */
  readonly pairedWith?: AggregateDimension;
  /** Added to the result by Infobip when neither dimension of its pair is chosen. */
  readonly autoAdded?: boolean;
}

export const DIMENSIONS: readonly DimensionInfo[] = [
  { code: "DAY", group: "Time", label: "Day", description: "One row per UTC day.", valueKind: "date" },
  {
    code: "MONTH",
    group: "Time",
    label: "Month",
    description: "One row per calendar month, for period-over-period analysis.",
    valueKind: "date",
  },
  {
    code: "APPLICATION_ID",
    group: "CPaaS X",
    label: "Application ID",
    description: "CPaaS X application identifier.",
    valueKind: "identifier",
  },
  {
    code: "ENTITY_ID",
    group: "CPaaS X",
    label: "Entity ID",
    description: "CPaaS X entity identifier.",
    valueKind: "identifier",
  },
  {
    code: "ACCOUNT_NAME",
    group: "Account",
    label: "Account",
    description: "Infobip account name. Added automatically when no account dimension is chosen.",
    valueKind: "text",
    pairedWith: "ACCOUNT_KEY",
    autoAdded: true,
  },
  {
    code: "ACCOUNT_KEY",
    group: "Account",
    label: "Account key",
    description: "Hashed account identifier, for matching accounts in other systems.",
    valueKind: "identifier",
    pairedWith: "ACCOUNT_NAME",
  },
  {
    code: "USER_NAME",
    group: "Account",
    label: "User",
    description: "The user who started the traffic.",
    valueKind: "text",
  },
  {
    code: "CATEGORY_CODE",
    group: "Service",
    label: "Category code",
    description:
      "Channel or service code, such as SMS or WHATSAPP. Added automatically when no category dimension is chosen.",
    valueKind: "text",
    pairedWith: "CATEGORY_NAME",
    autoAdded: true,
  },
  {
    code: "CATEGORY_NAME",
    group: "Service",
    label: "Category",
    description: "Channel or service name.",
    valueKind: "text",
    pairedWith: "CATEGORY_CODE",
  },
  {
    code: "SUBCATEGORY_CODE",
    group: "Service",
    label: "Subcategory code",
    description: "Service variant code (Viber only today: VIBER_BM, VIBER_BOTS).",
    valueKind: "text",
  },
  {
    code: "SUBCATEGORY_NAME",
    group: "Service",
    label: "Subcategory",
    description: "Service variant name (Viber only today).",
    valueKind: "text",
  },
  {
    code: "DIRECTION",
    group: "Service",
    label: "Direction",
    description: "Outbound (sent to the end user) or inbound (received from the end user).",
    valueKind: "text",
  },
  {
    code: "TRAFFIC_TYPE",
    group: "Service",
    label: "Traffic type",
    description: "Classification specific to each channel, such as MARKETING or A2P.",
    valueKind: "text",
  },
  { code: "SENDER", group: "Sender", label: "Sender", description: "Sender ID, number or domain.", valueKind: "text" },
  {
    code: "SENDER_TYPE",
    group: "Sender",
    label: "Sender type",
    description: "Kind of sender, such as alphanumeric, short code or virtual long number.",
    valueKind: "text",
  },
  {
    code: "NETWORK_NAME",
    group: "Geography",
    label: "Network",
    description: "Mobile operator name.",
    valueKind: "text",
  },
  {
    code: "NORM_NET_CODE",
    group: "Geography",
    label: "Network code (MCC+MNC)",
    description: "Mobile country code and network code of the operator.",
    valueKind: "identifier",
  },
  {
    code: "COUNTRY_NAME",
    group: "Geography",
    label: "Country",
    description: "Destination country.",
    valueKind: "text",
  },
  {
    code: "COUNTRY_CODE",
    group: "Geography",
    label: "Country code",
    description: "ISO 3166-1 alpha-2 country code.",
    valueKind: "text",
  },
  {
    code: "COUNTRY_PREFIX",
    group: "Geography",
    label: "Country prefix",
    description: "International dialling code.",
    valueKind: "identifier",
  },
  {
    code: "CAMPAIGN_ID",
    group: "Campaign",
    label: "Campaign ID",
    description: "Broadcast or Moments/Flow communication ID.",
    valueKind: "identifier",
  },
  {
    code: "CAMPAIGN_REFERENCE",
    group: "Campaign",
    label: "Campaign reference",
    description: "The campaignReferenceId set on traffic sent through Infobip APIs.",
    valueKind: "text",
  },
  {
    code: "TEMPLATE_ID",
    group: "Campaign",
    label: "Template ID",
    description: "WhatsApp template ID.",
    valueKind: "identifier",
  },
];

export interface MetricInfo {
  readonly code: MetricColumn;
  readonly label: string;
  readonly description: string;
}

export const METRICS: readonly MetricInfo[] = [
  { code: "UNIT_TYPE", label: "Unit", description: "What is billed: message, message part, session, minute…" },
  { code: "UNIT_PRICE", label: "Unit price", description: "Price of one unit, in the row's currency." },
  { code: "QUANTITY", label: "Quantity", description: "Billed units; may be a decimal." },
  { code: "TOTAL_PER_UNIT", label: "Total", description: "Charge for the row, as Infobip rounds it." },
  { code: "CURRENCY", label: "Currency", description: "ISO 4217 billing currency of the row." },
];

const DIMENSION_BY_CODE = new Map<string, DimensionInfo>(DIMENSIONS.map((d) => [d.code, d]));
const METRIC_BY_CODE = new Map<string, MetricInfo>(METRICS.map((m) => [m.code, m]));

export function isAggregateDimension(code: string): code is AggregateDimension {
  return DIMENSION_BY_CODE.has(code);
}

export function dimensionInfo(code: AggregateDimension): DimensionInfo {
  const info = DIMENSION_BY_CODE.get(code);
  if (!info) throw new RangeError(`unknown dimension ${code}`);
  return info;
}

/** The friendly header for a result column; an unknown column keeps its API name, so nothing is dropped. */
export function columnLabel(columnName: string): string {
  return DIMENSION_BY_CODE.get(columnName)?.label ?? METRIC_BY_CODE.get(columnName)?.label ?? columnName;
}

export function dimensionsInGroup(group: DimensionGroup): DimensionInfo[] {
  return DIMENSIONS.filter((d) => d.group === group);
}

/** Billing categories (`categories` filter and CATEGORY_CODE values), in the OpenAPI enum's order. */
export const CATEGORIES = [
  "SMS",
  "SMS_OPERATOR_FEE",
  "MMS",
  "MMS_OPERATOR_FEE",
  "EMAIL",
  "RCS",
  "WHATSAPP",
  "VIBER",
  "APPLE_MB",
  "MOBILE_PUSH",
  "NUMBER_LOOKUP",
  "CARRIER_LOOKUP",
  "EMAIL_VALIDATION",
  "AGENTOS",
  "AI",
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Display names from Infobip's billing data reference. APPLE_MB and AI are not in that reference: their
 * names here are our choice (the Metrics API calls APPLE_MB "Apple Messages for Business").
 */
export const CATEGORY_NAMES: Readonly<Record<Category, string>> = {
  SMS: "SMS",
  SMS_OPERATOR_FEE: "SMS - Operator Fee",
  MMS: "MMS",
  MMS_OPERATOR_FEE: "MMS - Operator Fee",
  EMAIL: "Email",
  RCS: "RCS",
  WHATSAPP: "WhatsApp",
  VIBER: "Viber",
  APPLE_MB: "Apple Messages for Business",
  MOBILE_PUSH: "Mobile Push",
  NUMBER_LOOKUP: "Number Lookup",
  CARRIER_LOOKUP: "Carrier Lookup",
  EMAIL_VALIDATION: "Email Validation",
  AGENTOS: "AgentOS",
  AI: "AI",
};

export const SUBCATEGORIES = ["VIBER_BM", "VIBER_BOTS"] as const;
export type Subcategory = (typeof SUBCATEGORIES)[number];

export const SUBCATEGORY_INFO: Readonly<
  Record<Subcategory, { category: Category; name: string; description: string }>
> = {
  VIBER_BM: { category: "VIBER", name: "Viber BM", description: "Viber Business Messages" },
  VIBER_BOTS: { category: "VIBER", name: "Viber Bots", description: "Viber Bots" },
};

export const DIRECTIONS = ["OUTBOUND", "INBOUND"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const DIRECTION_NAMES: Readonly<Record<Direction, string>> = {
  OUTBOUND: "Outbound (sent to the end user)",
  INBOUND: "Inbound (received from the end user)",
};

/**
 * The traffic types Infobip's Billing Usage documents use: the examples of its OpenAPI (the `trafficTypes`
 * filter example `UTILITY`, `FREE_FORM`; the result rows `A2P` for SMS, `MARKETING` for WhatsApp, `RICH` for
 * RCS — reference §2.6). Suggestions, not an enum: the API takes any string, and its full list lives on the
 * Metrics API page it links to. A filter on a value Infobip does not use silently returns fewer rows, so
 * nothing is suggested without a source. Left out on purpose: the older Metrics list's names
 * (`MARKETING_CONVERSATION`, `BASIC_TRANSACTION_BASED_MESSAGE`…), which the billing examples do not use.
 */
export const TRAFFIC_TYPE_SUGGESTIONS = ["A2P", "MARKETING", "UTILITY", "FREE_FORM", "RICH"] as const;
/** A traffic type Infobip's billing examples show (see {@link TRAFFIC_TYPE_SUGGESTIONS}). */
export type DocumentedTrafficType = (typeof TRAFFIC_TYPE_SUGGESTIONS)[number];

/** Sender types from Infobip's filter example and the Metrics API list: suggestions, not an enum. */
export const SENDER_TYPE_SUGGESTIONS: readonly string[] = [
  "ALPHANUMERIC",
  "NUMERIC",
  "SHORT_CODE",
  "VIRTUAL_LONG_NUMBER",
  "TOLL_FREE_NUMBER",
  "TEXT_ENABLED_LANDLINE",
  "LONG_CODE_TEN_DLC",
  "DOMAIN",
];

/** Units Infobip bills in (billing data reference, "Cost fields"). */
export const UNIT_TYPES = ["message", "message part", "session", "minute", "monthly active user"] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** The filters of `request.filterBy`, besides the required `dateInterval`. */
export const FILTER_KEYS = [
  "accountKeys",
  "categories",
  "subCategories",
  "countryCodes",
  "platforms",
  "directions",
  "trafficTypes",
  "senders",
  "senderTypes",
  "campaignReferenceIds",
  "campaignIds",
  "templateIds",
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface FilterInfo {
  readonly key: FilterKey;
  readonly label: string;
  readonly description: string;
  /** The dimension whose values this filter narrows (for platforms, APPLICATION_ID and ENTITY_ID). */
  readonly dimension: AggregateDimension;
}

export const FILTERS: readonly FilterInfo[] = [
  {
    key: "accountKeys",
    label: "Account keys",
    description: "Only these accounts. Leave empty for the whole account hierarchy.",
    dimension: "ACCOUNT_KEY",
  },
  { key: "categories", label: "Categories", description: "Channels or services.", dimension: "CATEGORY_CODE" },
  {
    key: "subCategories",
    label: "Subcategories",
    description: "Service variants (Viber only today).",
    dimension: "SUBCATEGORY_CODE",
  },
  {
    key: "countryCodes",
    label: "Countries",
    description: "ISO 3166-1 alpha-2 codes, such as US, DE, IN.",
    dimension: "COUNTRY_CODE",
  },
  {
    key: "platforms",
    label: "Applications and entities",
    description: "CPaaS X application/entity pairs, one per line as application:entity.",
    dimension: "APPLICATION_ID",
  },
  { key: "directions", label: "Directions", description: "Outbound, inbound or both.", dimension: "DIRECTION" },
  {
    key: "trafficTypes",
    label: "Traffic types",
    description: "Channel-specific traffic types, such as MARKETING or A2P.",
    dimension: "TRAFFIC_TYPE",
  },
  { key: "senders", label: "Senders", description: "Sender IDs, numbers or email domains.", dimension: "SENDER" },
  {
    key: "senderTypes",
    label: "Sender types",
    description: "Such as ALPHANUMERIC, SHORT_CODE, VIRTUAL_LONG_NUMBER.",
    dimension: "SENDER_TYPE",
  },
  {
    key: "campaignReferenceIds",
    label: "Campaign references",
    description: "campaignReferenceId values set on API traffic.",
    dimension: "CAMPAIGN_REFERENCE",
  },
  {
    key: "campaignIds",
    label: "Campaign IDs",
    description: "Broadcast or Moments/Flow communication IDs (whole numbers).",
    dimension: "CAMPAIGN_ID",
  },
  { key: "templateIds", label: "Template IDs", description: "WhatsApp template IDs.", dimension: "TEMPLATE_ID" },
];
