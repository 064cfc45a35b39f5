/**
 * Static reference data the synthetic ledger is drawn from: destination countries with their mobile
 * networks (operator name, MCC+MNC, dialling prefix) and indicative list prices per channel, the
 * exchange rates used to bill sub-accounts in EUR and GBP, and the shape of each billing category
 * (unit, traffic types, which dimensions apply). Prices are plausible, not Infobip's price list.
 */
import type { Category, Direction, DocumentedTrafficType, UnitType } from "../billing";

export interface NetworkInfo {
  readonly name: string;
  /** MCC+MNC, as the NORM_NET_CODE column shows it. */
  readonly code: string;
}

export interface CountryInfo {
  /** ISO 3166-1 alpha-2. */
  readonly code: string;
  readonly name: string;
  /** International dialling code, digits only. */
  readonly prefix: string;
  readonly networks: readonly NetworkInfo[];
  /** SMS list price per message part, USD. */
  readonly smsUsd: number;
  /** WhatsApp marketing template price per message, USD (utility and authentication derive from it). */
  readonly whatsappMarketingUsd: number;
  /** Alphanumeric sender IDs are not allowed in the US and Canada: numeric senders only there. */
  readonly alphanumericAllowed: boolean;
}

const net = (name: string, code: string): NetworkInfo => ({ name, code });

export const COUNTRIES: readonly CountryInfo[] = [
  {
    code: "US",
    name: "United States",
    prefix: "1",
    networks: [
      net("T-Mobile USA", "310260"),
      net("AT&T Mobility", "310410"),
      net("Verizon Wireless", "311480"),
      net("US Cellular", "311580"),
    ],
    smsUsd: 0.0075,
    whatsappMarketingUsd: 0.025,
    alphanumericAllowed: false,
  },
  {
    code: "CA",
    name: "Canada",
    prefix: "1",
    networks: [net("Rogers Wireless", "302720"), net("Bell Mobility", "302610"), net("Telus Mobility", "302220")],
    smsUsd: 0.0079,
    whatsappMarketingUsd: 0.025,
    alphanumericAllowed: false,
  },
  {
    code: "MX",
    name: "Mexico",
    prefix: "52",
    networks: [net("Telcel", "334020"), net("AT&T Mexico", "334050"), net("Movistar Mexico", "334030")],
    smsUsd: 0.042,
    whatsappMarketingUsd: 0.0305,
    alphanumericAllowed: true,
  },
  {
    code: "BR",
    name: "Brazil",
    prefix: "55",
    networks: [net("Vivo", "72406"), net("Claro Brasil", "72405"), net("TIM Brasil", "72402")],
    smsUsd: 0.0195,
    whatsappMarketingUsd: 0.0625,
    alphanumericAllowed: true,
  },
  {
    code: "AR",
    name: "Argentina",
    prefix: "54",
    networks: [net("Personal", "722340"), net("Claro Argentina", "722310"), net("Movistar Argentina", "72207")],
    smsUsd: 0.056,
    whatsappMarketingUsd: 0.0618,
    alphanumericAllowed: true,
  },
  {
    code: "GB",
    name: "United Kingdom",
    prefix: "44",
    networks: [net("EE", "23430"), net("Vodafone UK", "23415"), net("O2 UK", "23410"), net("Three UK", "23420")],
    smsUsd: 0.0395,
    whatsappMarketingUsd: 0.0529,
    alphanumericAllowed: true,
  },
  {
    code: "DE",
    name: "Germany",
    prefix: "49",
    networks: [net("Telekom Deutschland", "26201"), net("Vodafone Germany", "26202"), net("O2 Germany", "26203")],
    smsUsd: 0.0845,
    whatsappMarketingUsd: 0.1365,
    alphanumericAllowed: true,
  },
  {
    code: "FR",
    name: "France",
    prefix: "33",
    networks: [
      net("Orange France", "20801"),
      net("SFR", "20810"),
      net("Bouygues Telecom", "20820"),
      net("Free Mobile", "20815"),
    ],
    smsUsd: 0.069,
    whatsappMarketingUsd: 0.0859,
    alphanumericAllowed: true,
  },
  {
    code: "ES",
    name: "Spain",
    prefix: "34",
    networks: [net("Movistar", "21407"), net("Vodafone Spain", "21401"), net("Orange Spain", "21403")],
    smsUsd: 0.07,
    whatsappMarketingUsd: 0.0615,
    alphanumericAllowed: true,
  },
  {
    code: "IT",
    name: "Italy",
    prefix: "39",
    networks: [
      net("TIM", "22201"),
      net("Vodafone Italy", "22210"),
      net("WindTre", "22288"),
      net("Iliad Italy", "22250"),
    ],
    smsUsd: 0.073,
    whatsappMarketingUsd: 0.0691,
    alphanumericAllowed: true,
  },
  {
    code: "NL",
    name: "Netherlands",
    prefix: "31",
    networks: [net("KPN", "20408"), net("VodafoneZiggo", "20404"), net("Odido", "20416")],
    smsUsd: 0.089,
    whatsappMarketingUsd: 0.1597,
    alphanumericAllowed: true,
  },
  {
    code: "PL",
    name: "Poland",
    prefix: "48",
    networks: [
      net("Plus", "26001"),
      net("T-Mobile Poland", "26002"),
      net("Orange Polska", "26003"),
      net("Play", "26006"),
    ],
    smsUsd: 0.0335,
    whatsappMarketingUsd: 0.0732,
    alphanumericAllowed: true,
  },
  {
    code: "HR",
    name: "Croatia",
    prefix: "385",
    networks: [net("Hrvatski Telekom", "21901"), net("Telemach Hrvatska", "21902"), net("A1 Hrvatska", "21910")],
    smsUsd: 0.066,
    whatsappMarketingUsd: 0.0732,
    alphanumericAllowed: true,
  },
  {
    code: "RS",
    name: "Serbia",
    prefix: "381",
    networks: [net("Yettel Serbia", "22001"), net("mts", "22003"), net("A1 Serbia", "22005")],
    smsUsd: 0.064,
    whatsappMarketingUsd: 0.0732,
    alphanumericAllowed: true,
  },
  {
    code: "IN",
    name: "India",
    prefix: "91",
    networks: [net("Jio", "405857"), net("Bharti Airtel", "40410"), net("Vodafone Idea", "40420")],
    smsUsd: 0.0023,
    whatsappMarketingUsd: 0.0107,
    alphanumericAllowed: true,
  },
  {
    code: "ID",
    name: "Indonesia",
    prefix: "62",
    networks: [net("Telkomsel", "51010"), net("Indosat Ooredoo", "51001"), net("XL Axiata", "51011")],
    smsUsd: 0.295,
    whatsappMarketingUsd: 0.0411,
    alphanumericAllowed: true,
  },
  {
    code: "PH",
    name: "Philippines",
    prefix: "63",
    networks: [net("Globe Telecom", "51502"), net("Smart Communications", "51503"), net("DITO", "51566")],
    smsUsd: 0.019,
    whatsappMarketingUsd: 0.0368,
    alphanumericAllowed: true,
  },
  {
    code: "NG",
    name: "Nigeria",
    prefix: "234",
    networks: [net("MTN Nigeria", "62130"), net("Airtel Nigeria", "62120"), net("Glo Mobile", "62150")],
    smsUsd: 0.033,
    whatsappMarketingUsd: 0.0516,
    alphanumericAllowed: true,
  },
  {
    code: "ZA",
    name: "South Africa",
    prefix: "27",
    networks: [net("Vodacom", "65501"), net("MTN South Africa", "65510"), net("Cell C", "65507")],
    smsUsd: 0.017,
    whatsappMarketingUsd: 0.0379,
    alphanumericAllowed: true,
  },
  {
    code: "KE",
    name: "Kenya",
    prefix: "254",
    networks: [net("Safaricom", "63902"), net("Airtel Kenya", "63903")],
    smsUsd: 0.019,
    whatsappMarketingUsd: 0.0198,
    alphanumericAllowed: true,
  },
  {
    code: "EG",
    name: "Egypt",
    prefix: "20",
    networks: [net("Vodafone Egypt", "60202"), net("Orange Egypt", "60201"), net("Etisalat Egypt", "60203")],
    smsUsd: 0.077,
    whatsappMarketingUsd: 0.1073,
    alphanumericAllowed: true,
  },
  {
    code: "AE",
    name: "United Arab Emirates",
    prefix: "971",
    networks: [net("e& (Etisalat)", "42402"), net("du", "42403")],
    smsUsd: 0.035,
    whatsappMarketingUsd: 0.0384,
    alphanumericAllowed: true,
  },
  {
    code: "SA",
    name: "Saudi Arabia",
    prefix: "966",
    networks: [net("STC", "42001"), net("Mobily", "42003"), net("Zain KSA", "42004")],
    smsUsd: 0.03,
    whatsappMarketingUsd: 0.0455,
    alphanumericAllowed: true,
  },
  {
    code: "TR",
    name: "Turkey",
    prefix: "90",
    networks: [net("Turkcell", "28601"), net("Vodafone Turkey", "28602"), net("Turk Telekom", "28603")],
    smsUsd: 0.0095,
    whatsappMarketingUsd: 0.0109,
    alphanumericAllowed: true,
  },
  {
    code: "AU",
    name: "Australia",
    prefix: "61",
    networks: [net("Telstra", "50501"), net("Optus", "50502"), net("Vodafone Australia", "50503")],
    smsUsd: 0.035,
    whatsappMarketingUsd: 0.0586,
    alphanumericAllowed: true,
  },
];

/** Billing currencies and the fixed rates (from USD) the emulator prices sub-accounts with. */
export const CURRENCIES = ["USD", "EUR", "GBP"] as const;
export type Currency = (typeof CURRENCIES)[number];
export const USD_RATE: Readonly<Record<Currency, number>> = { USD: 1, EUR: 0.92, GBP: 0.79 };

/** US carrier pass-through fees per message part (SMS) or message (MMS), USD, by MCC+MNC. */
export const US_OPERATOR_FEES_USD: Readonly<Record<string, { sms: number; mms: number }>> = {
  "310260": { sms: 0.003, mms: 0.005 },
  "310410": { sms: 0.002, mms: 0.0035 },
  "311480": { sms: 0.003, mms: 0.0052 },
  "311580": { sms: 0.0025, mms: 0.004 },
};

/**
 * One kind of billed traffic inside a category.
 *
 * Traffic types are only those Infobip's billing examples show (the catalog's `TRAFFIC_TYPE_SUGGESTIONS`):
 * A2P for SMS and MMS and their operator fees, RICH for RCS messages, MARKETING, UTILITY and FREE_FORM for
 * WhatsApp. Where Infobip documents no value (inbound SMS, RCS conversations, e-mail, Viber, Apple Messages
 * for Business, AgentOS, AI) the emulator reports N/A rather than invent one that a filter would then match
 * here and not at Infobip. The README's list of differences says so.
 */
export interface TrafficKind {
  /** TRAFFIC_TYPE value, or undefined where Infobip documents none for this traffic (N/A). */
  readonly trafficType?: DocumentedTrafficType;
  /** DIRECTION value, or undefined where direction does not apply (lookups, validation: N/A). */
  readonly direction?: Direction;
  readonly unit: UnitType;
  /** Multiplies the category's base price for this kind. */
  readonly priceFactor: number;
  /** Typical daily billed units of one stream, before randomness. */
  readonly dailyVolume: number;
  /** WhatsApp template traffic carries a TEMPLATE_ID. */
  readonly templated?: boolean;
  readonly subCategory?: "VIBER_BM" | "VIBER_BOTS";
}

/** How a category is billed and which dimensions make sense for it (the others are N/A). */
export interface CategoryShape {
  readonly category: Category;
  readonly kinds: readonly TrafficKind[];
  /** Destination country (and prefix) applies. */
  readonly perCountry: boolean;
  /** Mobile network (name, MCC+MNC) applies. */
  readonly perNetwork: boolean;
  /** Which sender list of the account the traffic goes out from; undefined: SENDER/SENDER_TYPE are N/A. */
  readonly senders?: "sms" | "mms" | "rcs" | "whatsapp" | "viber" | "email" | "push" | "apple";
  /** Countries the category is limited to (operator fees, carrier lookup). */
  readonly onlyCountries?: readonly string[];
  /** Price in USD when it does not depend on the country (or the factor base for per-country ones). */
  readonly baseUsd: number;
  /** Campaigns (Broadcast/Flow IDs, API references) make sense for messaging categories only. */
  readonly campaigns: boolean;
}

export const CATEGORY_SHAPES: readonly CategoryShape[] = [
  {
    category: "SMS",
    kinds: [
      { trafficType: "A2P", direction: "OUTBOUND", unit: "message part", priceFactor: 1, dailyVolume: 900 },
      { direction: "INBOUND", unit: "message part", priceFactor: 0.15, dailyVolume: 60 },
    ],
    perCountry: true,
    perNetwork: true,
    senders: "sms",
    baseUsd: 0,
    campaigns: true,
  },
  {
    category: "SMS_OPERATOR_FEE",
    kinds: [{ trafficType: "A2P", direction: "OUTBOUND", unit: "message part", priceFactor: 1, dailyVolume: 900 }],
    perCountry: true,
    perNetwork: true,
    senders: "sms",
    onlyCountries: ["US"],
    baseUsd: 0,
    campaigns: true,
  },
  {
    category: "MMS",
    kinds: [{ trafficType: "A2P", direction: "OUTBOUND", unit: "message", priceFactor: 1, dailyVolume: 120 }],
    perCountry: true,
    perNetwork: true,
    senders: "mms",
    onlyCountries: ["US", "CA"],
    baseUsd: 0.0205,
    campaigns: true,
  },
  {
    category: "MMS_OPERATOR_FEE",
    kinds: [{ trafficType: "A2P", direction: "OUTBOUND", unit: "message", priceFactor: 1, dailyVolume: 120 }],
    perCountry: true,
    perNetwork: true,
    senders: "mms",
    onlyCountries: ["US"],
    baseUsd: 0,
    campaigns: true,
  },
  {
    category: "EMAIL",
    kinds: [{ direction: "OUTBOUND", unit: "message", priceFactor: 1, dailyVolume: 13000 }],
    perCountry: false,
    perNetwork: false,
    senders: "email",
    baseUsd: 0.00085,
    campaigns: true,
  },
  {
    category: "RCS",
    kinds: [
      { trafficType: "RICH", direction: "OUTBOUND", unit: "message", priceFactor: 0.75, dailyVolume: 650 },
      // A2P conversations, billed per session (Infobip's overview: RCS is charged per conversation session).
      { direction: "OUTBOUND", unit: "session", priceFactor: 1.9, dailyVolume: 40 },
    ],
    perCountry: true,
    perNetwork: true,
    senders: "rcs",
    onlyCountries: ["US", "MX", "BR", "GB", "DE", "FR", "ES", "IT", "IN"],
    baseUsd: 0.0244,
    campaigns: true,
  },
  {
    category: "WHATSAPP",
    kinds: [
      {
        trafficType: "MARKETING",
        direction: "OUTBOUND",
        unit: "message",
        priceFactor: 1,
        dailyVolume: 500,
        templated: true,
      },
      {
        trafficType: "UTILITY",
        direction: "OUTBOUND",
        unit: "message",
        priceFactor: 0.3,
        dailyVolume: 700,
        templated: true,
      },
      // Free-form messages (no template) in the customer service window, and those received.
      { trafficType: "FREE_FORM", direction: "OUTBOUND", unit: "message", priceFactor: 0, dailyVolume: 600 },
      { trafficType: "FREE_FORM", direction: "INBOUND", unit: "message", priceFactor: 0, dailyVolume: 800 },
    ],
    perCountry: true,
    perNetwork: false,
    senders: "whatsapp",
    baseUsd: 0,
    campaigns: true,
  },
  {
    category: "VIBER",
    kinds: [
      { direction: "OUTBOUND", unit: "message", priceFactor: 0.87, dailyVolume: 700, subCategory: "VIBER_BM" },
      { direction: "OUTBOUND", unit: "session", priceFactor: 0.55, dailyVolume: 90, subCategory: "VIBER_BOTS" },
    ],
    perCountry: true,
    perNetwork: false,
    senders: "viber",
    onlyCountries: ["HR", "RS", "PL", "DE", "GB", "EG", "PH", "IN"],
    baseUsd: 0.0276,
    campaigns: true,
  },
  {
    category: "APPLE_MB",
    kinds: [{ direction: "OUTBOUND", unit: "session", priceFactor: 1, dailyVolume: 35 }],
    perCountry: false,
    perNetwork: false,
    senders: "apple",
    baseUsd: 0.0105,
    campaigns: false,
  },
  {
    category: "MOBILE_PUSH",
    kinds: [{ direction: "OUTBOUND", unit: "monthly active user", priceFactor: 1, dailyVolume: 180 }],
    perCountry: false,
    perNetwork: false,
    senders: "push",
    baseUsd: 0.0195,
    campaigns: true,
  },
  {
    category: "NUMBER_LOOKUP",
    kinds: [{ unit: "message", priceFactor: 1, dailyVolume: 250 }],
    perCountry: true,
    perNetwork: true,
    baseUsd: 0.0045,
    campaigns: false,
  },
  {
    category: "CARRIER_LOOKUP",
    kinds: [{ unit: "message", priceFactor: 1, dailyVolume: 180 }],
    perCountry: true,
    perNetwork: true,
    onlyCountries: ["US", "CA"],
    baseUsd: 0.0039,
    campaigns: false,
  },
  {
    category: "EMAIL_VALIDATION",
    kinds: [{ unit: "message", priceFactor: 1, dailyVolume: 700 }],
    perCountry: false,
    perNetwork: false,
    baseUsd: 0.0041,
    campaigns: false,
  },
  {
    category: "AGENTOS",
    kinds: [
      { direction: "INBOUND", unit: "minute", priceFactor: 1, dailyVolume: 95 },
      { direction: "OUTBOUND", unit: "minute", priceFactor: 1.15, dailyVolume: 40 },
    ],
    perCountry: false,
    perNetwork: false,
    baseUsd: 0.0348,
    campaigns: false,
  },
  {
    category: "AI",
    kinds: [{ unit: "session", priceFactor: 1, dailyVolume: 220 }],
    perCountry: false,
    perNetwork: false,
    baseUsd: 0.0185,
    campaigns: false,
  },
];

/** The traffic types whose messages carry a TEMPLATE_ID (WhatsApp template messages). */
export const TEMPLATED_TRAFFIC_TYPES: readonly DocumentedTrafficType[] = CATEGORY_SHAPES.flatMap((shape) =>
  shape.kinds.flatMap((kind) => (kind.templated && kind.trafficType ? [kind.trafficType] : []))
);

/** WhatsApp free-form messages, sent in the service window or received, carry only Infobip's platform fee. */
export const WHATSAPP_PLATFORM_FEE_USD: Readonly<Record<Direction, number>> = { OUTBOUND: 0.005, INBOUND: 0.001 };
