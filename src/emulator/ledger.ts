/**
 * The emulator's synthetic billing ledger: what a real Infobip customer's billed usage looks like, built
 * deterministically from a seed. Pure: no clock of its own (every visibility question takes `now`), no I/O.
 *
 * Shape, chosen for speed and small memory:
 * - A static **stream table**: every combination of account, user, category/subcategory, direction, traffic
 *   type, sender, country, network, campaign, template, CPaaS X pair, unit, unit price and currency that
 *   carries traffic. Each dimension value is a small integer into a per-dimension table of strings
 *   (index 0 is always "N/A", used where a dimension does not apply to the channel).
 * - **Per-day traffic**, generated on demand and cached: typed arrays of (stream id, billed quantity) for
 *   one UTC day, plus that day's *late records* (extra quantity that reaches billing 1–4 days later).
 *
 * How the ledger moves with the clock, so that provisional months behave as Infobip describes:
 * - Nothing is visible after `now`: the current day shows the share of its traffic already elapsed.
 * - Late records of day D with lag L become visible at D + 1 + L days (00:00 UTC). L ≤ 4, so every late
 *   record of a month has arrived by the 5th of the following month, when the month finalizes.
 * - Retroactive volume discount: from the 3rd of the following month, each account's biggest category of
 *   the month (by spend) is re-priced at a discounted unit price (3–6 %, per account) — all its records of
 *   that month, so the month's totals drop and its rows move to the new UNIT_PRICE.
 * - From the 5th of the following month (00:00 UTC) nothing about a month changes any more.
 */
import {
  AGGREGATE_DIMENSIONS,
  CATEGORIES,
  CATEGORY_NAMES,
  NOT_APPLICABLE,
  SUBCATEGORY_INFO,
  UNIT_TYPES,
  addMonths,
  firstDayOf,
  isoDateToUtc,
  type AggregateDimension,
  type Category,
  type UnitType,
  type YearMonth,
} from "../billing";
import { SeededRandom, hash32, unit } from "./random";
import {
  CATEGORY_SHAPES,
  COUNTRIES,
  CURRENCIES,
  TEMPLATED_TRAFFIC_TYPES,
  USD_RATE,
  US_OPERATOR_FEES_USD,
  WHATSAPP_PLATFORM_FEE_USD,
  type CategoryShape,
  type CountryInfo,
  type Currency,
  type NetworkInfo,
  type TrafficKind,
} from "./reference-data";

// Built-ins held in module constants: inside a vm context (jest's test environment) every global
// lookup goes through the context's interceptor and the per-day loops run ~100x slower without these.
const { floor, round, max, min, sin, exp, PI } = Math;

export const DAY_MS = 86_400_000;
/** Late records arrive 1 to this many days after the day after their traffic day. */
export const MAX_LATE_LAG_DAYS = 4;
/** Days after a month's end from which its volume discount is billed (the 3rd of the next month). */
export const DISCOUNT_RECOGNIZED_AFTER_DAYS = 2;
/** Share of a day's streams that also get a late record. */
const LATE_RECORD_SHARE = 0.03;
/** The per-day cache is dropped when it holds more days than this (a clock moved far, many times). */
const MAX_CACHED_DAYS = 800;

/** The dimensions a ledger stream has a value for (DAY and MONTH come from the record's day). */
export type LedgerDimension = Exclude<AggregateDimension, "DAY" | "MONTH">;
export const LEDGER_DIMENSIONS = AGGREGATE_DIMENSIONS.filter((d): d is LedgerDimension => d !== "DAY" && d !== "MONTH");

export interface LedgerAccount {
  readonly index: number;
  /** 32 upper-case hex characters, like Infobip's hashed account keys. */
  readonly key: string;
  readonly name: string;
  /** Index of the parent account; undefined for the top of the hierarchy. */
  readonly parent: number | undefined;
  readonly currency: Currency;
  /** The retroactive volume discount this account earns on its biggest category of a month. */
  readonly volumeDiscountRate: number;
}

/** The stream table, one entry per index (struct of arrays). */
export interface StreamTable {
  readonly count: number;
  /** For each dimension, the stream's value index into {@link Ledger.values}. */
  readonly dims: Readonly<Record<LedgerDimension, Uint16Array>>;
  readonly account: Uint8Array;
  /** Index into CATEGORIES. */
  readonly category: Uint8Array;
  /** Index into UNIT_TYPES. */
  readonly unit: Uint8Array;
  /** Index into CURRENCIES. */
  readonly currency: Uint8Array;
  readonly price: Float64Array;
  /** The unit price once the account's retroactive volume discount applies. */
  readonly discountedPrice: Float64Array;
  /** Typical billed units per day. */
  readonly dailyVolume: Float64Array;
  /** Probability that the stream has traffic on a given day. */
  readonly activity: Float64Array;
  /** Campaign streams come in bursts: few days, many units. */
  readonly bursty: Uint8Array;
  /** Quantity decimals: 1 for minutes, 0 for countable units. */
  readonly decimals: Uint8Array;
}

/** One UTC day of traffic, before visibility rules. */
export interface DayTraffic {
  /** Days since 1970-01-01 (UTC). */
  readonly day: number;
  readonly streams: Uint32Array;
  readonly quantities: Float64Array;
  readonly lateStreams: Uint32Array;
  readonly lateQuantities: Float64Array;
  /** 1..MAX_LATE_LAG_DAYS: visible from `day + 1 + lag` days. */
  readonly lateLagDays: Uint8Array;
}

/** Calls `visit(stream, quantity, discounted)` for each record visible at `now`. */
export type RecordVisitor = (stream: number, quantity: number, discounted: boolean) => void;

export function dayNumberOf(instant: Date | number): number {
  return floor((typeof instant === "number" ? instant : instant.getTime()) / DAY_MS);
}

export function dayNumberOfIsoDate(date: string): number {
  return dayNumberOf(isoDateToUtc(date));
}

/** The billing month (`yyyy-MM`) of a day number. */
export function monthOfDay(day: number): YearMonth {
  return new Date(day * DAY_MS).toISOString().slice(0, 7);
}

/** The first day number of the month after `month`. */
function dayAfterMonth(month: YearMonth): number {
  return dayNumberOfIsoDate(firstDayOf(addMonths(month, 1)));
}

class ValueTable {
  readonly values: string[] = [NOT_APPLICABLE];
  private readonly index = new Map<string, number>([[NOT_APPLICABLE, 0]]);

  intern(value: string | undefined): number {
    if (value === undefined) return 0;
    let found = this.index.get(value);
    if (found === undefined) {
      found = this.values.length;
      this.values.push(value);
      this.index.set(value, found);
    }
    return found;
  }
}

type SenderKind = NonNullable<CategoryShape["senders"]>;

interface Sender {
  readonly id: string;
  readonly type: string | undefined;
  /** Countries this sender may send to; undefined: any. */
  readonly countries?: readonly string[];
  /** Can receive inbound (two-way) traffic. */
  readonly twoWay?: boolean;
}

interface Platform {
  readonly applicationId: string;
  readonly entityId: string;
}

interface AccountProfile {
  readonly name: string;
  readonly parent: number | undefined;
  readonly currency: Currency;
  readonly categories: readonly Category[];
  /** Countries always served, plus `extraCountries` drawn from the rest by the seed. */
  readonly countries: readonly string[];
  readonly extraCountries: number;
  readonly brands: readonly string[];
  readonly users: readonly string[];
  readonly emailDomain: string;
  readonly applications: readonly string[];
  readonly campaignReferences: readonly string[];
  /** Categories billed in another currency than the account's (Infobip's own example mixes USD and EUR). */
  readonly currencyOverrides?: Partial<Record<Category, Currency>>;
  /** Makes this account's traffic bigger or smaller. */
  readonly volumeScale: number;
}

const ACCOUNT_PROFILES: readonly AccountProfile[] = [
  {
    name: "Northwind Holdings",
    parent: undefined,
    currency: "USD",
    categories: CATEGORIES,
    countries: ["US", "CA", "MX", "BR", "GB", "DE", "IN", "NG"],
    extraCountries: 8,
    brands: ["Northwind", "NWAlerts", "NWVerify", "NWPromo", "NWInfo"],
    users: ["ana.kovac", "api-integration", "marketing.ops"],
    emailDomain: "northwind.example",
    applications: ["northwind-shop", "northwind-care"],
    campaignReferences: ["summer-sale", "bf2026", "welcome-flow", "otp-login", "cart-reminder"],
    currencyOverrides: { RCS: "EUR" },
    volumeScale: 1.6,
  },
  {
    name: "Northwind Retail EU",
    parent: 0,
    currency: "EUR",
    categories: ["SMS", "RCS", "WHATSAPP", "VIBER", "EMAIL", "MOBILE_PUSH", "NUMBER_LOOKUP", "EMAIL_VALIDATION", "AI"],
    countries: ["DE", "FR", "ES", "IT", "NL", "PL", "HR", "RS"],
    extraCountries: 4,
    brands: ["NWRetail", "NWShopEU", "NWDeals", "NWClub"],
    users: ["lukas.weber", "eu-shop-api"],
    emailDomain: "retail.northwind.example",
    applications: ["retail-eu-web", "retail-eu-app"],
    campaignReferences: ["spring-eu", "loyalty-club", "back-in-stock"],
    volumeScale: 1,
  },
  {
    name: "Northwind Logistics UK",
    parent: 0,
    currency: "GBP",
    categories: [
      "SMS",
      "SMS_OPERATOR_FEE",
      "MMS",
      "MMS_OPERATOR_FEE",
      "WHATSAPP",
      "EMAIL",
      "NUMBER_LOOKUP",
      "CARRIER_LOOKUP",
      "AGENTOS",
    ],
    countries: ["GB", "US", "CA", "AU"],
    extraCountries: 6,
    brands: ["NWTrack", "NWLogistic", "NWDeliver"],
    users: ["oliver.smith", "dispatch-api"],
    emailDomain: "logistics.northwind.example",
    applications: ["tracking-portal"],
    campaignReferences: ["delivery-updates", "returns-q1"],
    volumeScale: 0.9,
  },
  {
    name: "Northwind Support Desk",
    parent: 0,
    currency: "USD",
    categories: ["SMS", "WHATSAPP", "VIBER", "APPLE_MB", "AGENTOS", "AI", "EMAIL", "RCS"],
    countries: ["US", "GB", "IN", "PH", "ZA"],
    extraCountries: 5,
    brands: ["NWSupport", "NWHelp", "NWCare"],
    users: ["maya.patel", "helpdesk-bot"],
    emailDomain: "support.northwind.example",
    applications: ["support-desk"],
    campaignReferences: ["csat-survey", "renewal-reminder"],
    volumeScale: 0.8,
  },
];

const ENTITY_NAMES = ["store-berlin", "store-london", "store-madrid", "tier-1", "tier-2", "partner-a", "partner-b"];
const COUNTRY_WEIGHT: Readonly<Record<string, number>> = {
  US: 2.2,
  IN: 2.5,
  BR: 1.8,
  ID: 1.4,
  GB: 1.5,
  DE: 1.3,
  MX: 1.2,
};

/** A stream before packing into typed arrays. */
interface StreamDraft {
  account: number;
  category: Category;
  unit: UnitType;
  currency: Currency;
  priceUsd: number;
  dailyVolume: number;
  bursty: boolean;
  values: Partial<Record<LedgerDimension, string>>;
}

/** Rounds a unit price the way price lists print it: 4 decimals, or 5 below a cent. */
export function roundUnitPrice(price: number): number {
  const decimals = price < 0.01 ? 5 : 4;
  return Number(price.toFixed(decimals));
}

function priceIn(currency: Currency, priceUsd: number): number {
  return roundUnitPrice(priceUsd * USD_RATE[currency]);
}

function kindPriceUsd(
  shape: CategoryShape,
  kind: TrafficKind,
  country: CountryInfo | undefined,
  network: NetworkInfo | undefined
): number {
  // Operators price slightly differently within a country; deterministic per MCC+MNC.
  const networkFactor = network ? 0.96 + (hash32(Number(network.code)) % 9) / 100 : 1;
  switch (shape.category) {
    case "SMS":
      return (country?.smsUsd ?? 0.01) * kind.priceFactor * networkFactor;
    case "SMS_OPERATOR_FEE":
      return network ? (US_OPERATOR_FEES_USD[network.code]?.sms ?? 0.003) : 0.003;
    case "MMS_OPERATOR_FEE":
      return network ? (US_OPERATOR_FEES_USD[network.code]?.mms ?? 0.005) : 0.005;
    case "WHATSAPP":
      if (kind.trafficType === "FREE_FORM") return WHATSAPP_PLATFORM_FEE_USD[kind.direction ?? "INBOUND"];
      return (country?.whatsappMarketingUsd ?? 0.03) * kind.priceFactor;
    default: {
      const countryFactor = country ? 0.7 + (country.smsUsd > 0.05 ? 0.6 : 0.3) : 1;
      return shape.baseUsd * kind.priceFactor * countryFactor * networkFactor;
    }
  }
}

/** The static part of the ledger: accounts, senders, campaigns, templates and the stream table. */
function buildStreams(seed: number): {
  accounts: LedgerAccount[];
  drafts: StreamDraft[];
} {
  const random = new SeededRandom(seed);
  const accounts: LedgerAccount[] = ACCOUNT_PROFILES.map((profile, index) => ({
    index,
    key: random.hex(32),
    name: profile.name,
    parent: profile.parent,
    currency: profile.currency,
    volumeDiscountRate: 0.03 + random.int(0, 3) / 100,
  }));
  const drafts: StreamDraft[] = [];
  const countryByCode = new Map(COUNTRIES.map((c) => [c.code, c]));

  ACCOUNT_PROFILES.forEach((profile, accountIndex) => {
    const account = accounts[accountIndex];
    if (!account) return;
    const others = COUNTRIES.map((c) => c.code).filter((code) => !profile.countries.includes(code));
    const countryCodes = [...profile.countries, ...random.sample(others, profile.extraCountries)];
    const countries = countryCodes
      .map((code) => countryByCode.get(code))
      .filter((c): c is CountryInfo => c !== undefined);

    // Campaign IDs (Broadcast/Flow communication IDs): some below 2^32, some far above, all ≤ 2^53.
    const campaignIds = [9, 10, 11, 12, 14, 15].map((length) => random.digits(length));
    const templates = new Map<string | undefined, string[]>(
      TEMPLATED_TRAFFIC_TYPES.map((type) => [type, [random.digits(16), random.digits(16)]])
    );
    const platforms: Platform[] = profile.applications.flatMap((applicationId) =>
      random.sample(ENTITY_NAMES, random.int(1, 3)).map((entityId) => ({ applicationId, entityId }))
    );
    const senders = buildSenders(random, profile, countries);

    for (const category of profile.categories) {
      const shape = CATEGORY_SHAPES.find((s) => s.category === category);
      if (!shape) continue;
      let shapeCountries: (CountryInfo | undefined)[] = [undefined];
      if (shape.perCountry) {
        const allowed = shape.onlyCountries
          ? countries.filter((c) => shape.onlyCountries?.includes(c.code))
          : countries;
        shapeCountries = allowed.length > 0 ? allowed : [countryByCode.get(shape.onlyCountries?.[0] ?? "US")];
      }
      const currency = profile.currencyOverrides?.[category] ?? profile.currency;
      for (const country of shapeCountries) {
        const networks: (NetworkInfo | undefined)[] = shape.perNetwork && country ? [...country.networks] : [undefined];
        for (const network of networks) {
          for (const kind of shape.kinds) {
            const kindSenders = sendersFor(shape.senders, senders, country, kind);
            for (const sender of kindSenders) {
              const templateIds = kind.templated ? (templates.get(kind.trafficType) ?? []) : [undefined];
              for (const templateId of templateIds) {
                const base: StreamDraft = {
                  account: accountIndex,
                  category,
                  unit: kind.unit,
                  currency,
                  priceUsd: kindPriceUsd(shape, kind, country, network),
                  dailyVolume:
                    (kind.dailyVolume *
                      profile.volumeScale *
                      (country ? (COUNTRY_WEIGHT[country.code] ?? 1) : 1) *
                      exp((random.next() - 0.5) * 3)) /
                    (networks.length > 1 ? networks.length / 2 : 1),
                  bursty: false,
                  values: {
                    ACCOUNT_NAME: account.name,
                    ACCOUNT_KEY: account.key,
                    USER_NAME: random.pick(profile.users),
                    CATEGORY_CODE: category,
                    CATEGORY_NAME: CATEGORY_NAMES[category],
                    SUBCATEGORY_CODE: kind.subCategory,
                    SUBCATEGORY_NAME: kind.subCategory ? SUBCATEGORY_INFO[kind.subCategory].name : undefined,
                    DIRECTION: kind.direction,
                    TRAFFIC_TYPE: kind.trafficType,
                    SENDER: sender?.id,
                    SENDER_TYPE: sender?.type,
                    NETWORK_NAME: network?.name,
                    NORM_NET_CODE: network?.code,
                    COUNTRY_NAME: country?.name,
                    COUNTRY_CODE: country?.code,
                    COUNTRY_PREFIX: country?.prefix,
                    TEMPLATE_ID: templateId,
                  },
                };
                // Attribution of the everyday traffic: plain API traffic, API traffic with a campaign
                // reference, or traffic of a CPaaS X application/entity.
                const attribution = random.next();
                const platform = random.pick(platforms);
                if (shape.campaigns && kind.direction === "OUTBOUND" && attribution < 0.3) {
                  base.values.CAMPAIGN_REFERENCE = random.pick(profile.campaignReferences);
                }
                if (attribution >= 0.3 && attribution < 0.55) {
                  base.values.APPLICATION_ID = platform.applicationId;
                  base.values.ENTITY_ID = platform.entityId;
                }
                drafts.push(base);
                // Broadcast / Flow campaigns: a bursty second stream with a campaign ID.
                if (shape.campaigns && kind.direction === "OUTBOUND" && random.chance(0.35)) {
                  drafts.push({
                    ...base,
                    bursty: true,
                    dailyVolume: base.dailyVolume * 0.8,
                    values: {
                      ...base.values,
                      CAMPAIGN_REFERENCE: undefined,
                      APPLICATION_ID: undefined,
                      ENTITY_ID: undefined,
                      USER_NAME: random.pick(profile.users),
                      CAMPAIGN_ID: random.pick(campaignIds),
                    },
                  });
                }
              }
            }
          }
        }
      }
    }
  });
  return { accounts, drafts };
}

function buildSenders(
  random: SeededRandom,
  profile: AccountProfile,
  countries: readonly CountryInfo[]
): Map<SenderKind, Sender[]> {
  const northAmerica = countries.filter((c) => !c.alphanumericAllowed).map((c) => c.code);
  const elsewhere = countries.filter((c) => c.alphanumericAllowed).map((c) => c.code);
  const longNumbers: Sender[] = countries.map((c) => ({
    id: `${c.prefix}${random.digits(c.prefix === "1" ? 10 : 12 - c.prefix.length)}`,
    type: "VIRTUAL_LONG_NUMBER",
    countries: [c.code],
    twoWay: true,
  }));
  const sms: Sender[] = [
    ...profile.brands.map((brand) => ({ id: brand, type: "ALPHANUMERIC", countries: elsewhere })),
    ...longNumbers,
    { id: random.digits(5), type: "SHORT_CODE", countries: northAmerica },
    { id: `1888${random.digits(7)}`, type: "TOLL_FREE_NUMBER", countries: northAmerica },
    {
      id: `1${random.pick(["202", "415", "646", "312"])}${random.digits(7)}`,
      type: "LONG_CODE_TEN_DLC",
      countries: ["US"],
    },
  ];
  const firstBrand = profile.brands[0] ?? "Northwind";
  return new Map<SenderKind, Sender[]>([
    ["sms", sms],
    ["mms", sms.filter((s) => s.type !== "ALPHANUMERIC" && s.type !== "VIRTUAL_LONG_NUMBER")],
    ["rcs", [{ id: `${firstBrand} RCS Agent`, type: "ALPHANUMERIC" }]],
    [
      "whatsapp",
      [
        { id: `44${random.digits(10)}`, type: "VIRTUAL_LONG_NUMBER" },
        { id: `1${random.digits(10)}`, type: "VIRTUAL_LONG_NUMBER" },
      ],
    ],
    ["viber", [{ id: firstBrand, type: "ALPHANUMERIC" }]],
    [
      "email",
      [
        { id: `notifications@${profile.emailDomain}`, type: "DOMAIN" },
        { id: `news@${profile.emailDomain}`, type: "DOMAIN" },
      ],
    ],
    ["push", [{ id: `com.${firstBrand.toLowerCase()}.app`, type: undefined }]],
    ["apple", [{ id: `${firstBrand.toLowerCase()}-business-chat`, type: undefined }]],
  ]);
}

function sendersFor(
  kind: SenderKind | undefined,
  senders: Map<SenderKind, Sender[]>,
  country: CountryInfo | undefined,
  traffic: TrafficKind
): (Sender | undefined)[] {
  if (kind === undefined) return [undefined];
  const candidates = (senders.get(kind) ?? []).filter(
    (s) => country === undefined || s.countries === undefined || s.countries.includes(country.code)
  );
  const usable = traffic.direction === "INBOUND" && kind === "sms" ? candidates.filter((s) => s.twoWay) : candidates;
  // WhatsApp and e-mail senders split traffic only a little: one sender per traffic kind and country.
  if (kind === "whatsapp" || kind === "email") return usable.slice(0, 1 + (traffic.templated ? 1 : 0));
  return usable.length > 0 ? usable : [undefined];
}

/** A record with one entry per ledger dimension. */
function perDimension<T>(make: (dimension: LedgerDimension) => T): Record<LedgerDimension, T> {
  return Object.fromEntries(LEDGER_DIMENSIONS.map((d) => [d, make(d)] as const)) as Record<LedgerDimension, T>;
}

function pack(drafts: readonly StreamDraft[], accounts: readonly LedgerAccount[]) {
  const count = drafts.length;
  const tables = perDimension(() => new ValueTable());
  const dims = perDimension(() => new Uint16Array(count));
  const streams: StreamTable = {
    count,
    dims,
    account: new Uint8Array(count),
    category: new Uint8Array(count),
    unit: new Uint8Array(count),
    currency: new Uint8Array(count),
    price: new Float64Array(count),
    discountedPrice: new Float64Array(count),
    dailyVolume: new Float64Array(count),
    activity: new Float64Array(count),
    bursty: new Uint8Array(count),
    decimals: new Uint8Array(count),
  };
  drafts.forEach((draft, index) => {
    for (const dimension of LEDGER_DIMENSIONS)
      dims[dimension][index] = tables[dimension].intern(draft.values[dimension]);
    const price = priceIn(draft.currency, draft.priceUsd);
    const discountRate = accounts[draft.account]?.volumeDiscountRate ?? 0;
    streams.account[index] = draft.account;
    streams.category[index] = CATEGORIES.indexOf(draft.category);
    streams.unit[index] = UNIT_TYPES.indexOf(draft.unit);
    streams.currency[index] = CURRENCIES.indexOf(draft.currency);
    streams.price[index] = price;
    streams.discountedPrice[index] = Number((price * (1 - discountRate)).toFixed(6));
    streams.dailyVolume[index] = draft.dailyVolume;
    streams.activity[index] = 0.72 + 0.28 * unit(index, 0xac7);
    streams.bursty[index] = draft.bursty ? 1 : 0;
    streams.decimals[index] = draft.unit === "minute" ? 1 : 0;
  });
  const values = perDimension((d): readonly string[] => tables[d].values);
  return { streams, values };
}

function roundDown(quantity: number, decimals: number): number {
  const scale = decimals === 0 ? 1 : 10 ** decimals;
  return floor(quantity * scale + 1e-9) / scale;
}

function roundNearest(quantity: number, decimals: number): number {
  const scale = decimals === 0 ? 1 : 10 ** decimals;
  return round(quantity * scale) / scale;
}

export class Ledger {
  readonly seed: number;
  readonly accounts: readonly LedgerAccount[];
  readonly streams: StreamTable;
  /** For each dimension, its value strings; index 0 is "N/A". */
  readonly values: Readonly<Record<LedgerDimension, readonly string[]>>;
  private readonly days = new Map<number, DayTraffic>();
  private readonly discounts = new Map<YearMonth, Uint8Array>();

  constructor(seed: number) {
    this.seed = seed;
    const { accounts, drafts } = buildStreams(seed);
    const { streams, values } = pack(drafts, accounts);
    this.accounts = accounts;
    this.streams = streams;
    this.values = values;
  }

  /** All accounts at or below `account` in the hierarchy. */
  hierarchyOf(account: number): number[] {
    const below = (index: number): number[] => [
      index,
      ...this.accounts.filter((a) => a.parent === index).flatMap((a) => below(a.index)),
    ];
    return below(account);
  }

  /** One day's traffic (all of it, before visibility rules), generated once and cached. */
  traffic(day: number): DayTraffic {
    const cached = this.days.get(day);
    if (cached) return cached;
    if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
    const generated = this.generateDay(day);
    this.days.set(day, generated);
    return generated;
  }

  private generateDay(day: number): DayTraffic {
    const { streams } = this;
    const seed = this.seed;
    const weekday = new Date(day * DAY_MS).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const season = 1 + 0.12 * sin((2 * PI * day) / 365.25) + 0.04 * sin((2 * PI * day) / 30.4);
    const dayOfMonth = new Date(day * DAY_MS).getUTCDate();
    const ids: number[] = [];
    const quantities: number[] = [];
    const lateIds: number[] = [];
    const lateQuantities: number[] = [];
    const lateLags: number[] = [];
    const mauUnit = UNIT_TYPES.indexOf("monthly active user");
    for (let s = 0; s < streams.count; s++) {
      const active = unit(seed, s, day, 1);
      const bursty = streams.bursty[s] === 1;
      if (active >= (bursty ? 0.22 : (streams.activity[s] ?? 0))) continue;
      let volume = (streams.dailyVolume[s] ?? 0) * season * (0.55 + 0.9 * unit(seed, s, day, 2));
      if (weekend) volume *= 0.62;
      if (bursty) volume *= 4;
      // Monthly active users are billed when first seen in the month: most at its start.
      if (streams.unit[s] === mauUnit) volume *= max(0.15, 2.2 - dayOfMonth / 12);
      const decimals = streams.decimals[s] ?? 0;
      const quantity = roundNearest(volume, decimals);
      if (quantity <= 0) continue;
      ids.push(s);
      quantities.push(quantity);
      if (unit(seed, s, day, 3) < LATE_RECORD_SHARE) {
        const late = max(
          decimals === 0 ? 1 : 0.1,
          roundNearest(quantity * (0.03 + 0.07 * unit(seed, s, day, 4)), decimals)
        );
        lateIds.push(s);
        lateQuantities.push(late);
        // Lags cycle through 1..MAX so every day has records arriving on each of the next days.
        lateLags.push(1 + ((lateIds.length - 1) % MAX_LATE_LAG_DAYS));
      }
    }
    return {
      day,
      streams: Uint32Array.from(ids),
      quantities: Float64Array.from(quantities),
      lateStreams: Uint32Array.from(lateIds),
      lateQuantities: Float64Array.from(lateQuantities),
      lateLagDays: Uint8Array.from(lateLags),
    };
  }

  /**
   * For a month, which (account, category) pairs earn the retroactive volume discount: each account's
   * biggest category of the month by list-price spend. Indexed `account * CATEGORIES.length + category`.
   */
  discountedPairs(month: YearMonth): Uint8Array {
    const cached = this.discounts.get(month);
    if (cached) return cached;
    const spend = new Float64Array(this.accounts.length * CATEGORIES.length);
    const first = dayNumberOfIsoDate(firstDayOf(month));
    const end = dayAfterMonth(month);
    for (let day = first; day < end; day++) {
      const traffic = this.traffic(day);
      for (let i = 0; i < traffic.streams.length; i++) {
        const s = traffic.streams[i] ?? 0;
        const pair = (this.streams.account[s] ?? 0) * CATEGORIES.length + (this.streams.category[s] ?? 0);
        spend[pair] = (spend[pair] ?? 0) + (traffic.quantities[i] ?? 0) * (this.streams.price[s] ?? 0);
      }
    }
    const pairs = new Uint8Array(spend.length);
    for (let account = 0; account < this.accounts.length; account++) {
      let best = -1;
      let bestSpend = 0;
      for (let category = 0; category < CATEGORIES.length; category++) {
        const value = spend[account * CATEGORIES.length + category] ?? 0;
        if (value > bestSpend) {
          bestSpend = value;
          best = category;
        }
      }
      if (best >= 0) pairs[account * CATEGORIES.length + best] = 1;
    }
    this.discounts.set(month, pairs);
    return pairs;
  }

  /** Is the month's volume discount billed at `now`? (From the 3rd of the following month, UTC.) */
  discountRecognized(month: YearMonth, now: Date): boolean {
    return now.getTime() >= (dayAfterMonth(month) + DISCOUNT_RECOGNIZED_AFTER_DAYS) * DAY_MS;
  }

  /**
   * Visits every record of `day` that is billed at `now`: the day's traffic (the elapsed share of it for
   * the current day, nothing for a future day), its late records that have arrived, with the volume
   * discount flag where it applies.
   */
  forEachVisibleRecord(day: number, now: Date, visit: RecordVisitor): void {
    const nowMs = now.getTime();
    const dayStart = day * DAY_MS;
    if (dayStart >= nowMs) return;
    const traffic = this.traffic(day);
    const month = monthOfDay(day);
    const discounted = this.discountRecognized(month, now) ? this.discountedPairs(month) : undefined;
    const elapsed = min(1, (nowMs - dayStart) / DAY_MS);
    const { account, category, decimals } = this.streams;
    const isDiscounted = (s: number): boolean =>
      discounted !== undefined && discounted[(account[s] ?? 0) * CATEGORIES.length + (category[s] ?? 0)] === 1;
    for (let i = 0; i < traffic.streams.length; i++) {
      const s = traffic.streams[i] ?? 0;
      const full = traffic.quantities[i] ?? 0;
      const quantity = elapsed < 1 ? roundDown(full * elapsed, decimals[s] ?? 0) : full;
      if (quantity > 0) visit(s, quantity, isDiscounted(s));
    }
    for (let i = 0; i < traffic.lateStreams.length; i++) {
      const arrival = dayStart + (1 + (traffic.lateLagDays[i] ?? 0)) * DAY_MS;
      if (arrival > nowMs) continue;
      const s = traffic.lateStreams[i] ?? 0;
      visit(s, traffic.lateQuantities[i] ?? 0, isDiscounted(s));
    }
  }
}
