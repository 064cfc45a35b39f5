/**
 * Result fixtures shaped like the emulator's answers: DAY × COUNTRY × NETWORK × SENDER (Account and
 * Category code auto-added), the five metric columns, "N/A" where a metric does not apply, date-times as
 * Infobip writes them. Deterministic (no randomness), so tests and the bench see the same rows.
 */
import { addDays, predictColumns, type BillingPeriod, type ColumnInfo, type RawCell } from "../../src/billing";
import type { BillingResultInput } from "../../src/excel/shape";

export const FIXTURE_DIMENSIONS = ["DAY", "COUNTRY_NAME", "NETWORK_NAME", "SENDER"] as const;
export const FIXTURE_COLUMNS: ColumnInfo[] = predictColumns([...FIXTURE_DIMENSIONS]);

const COUNTRIES = ["Germany", "France", "India", "United States", "Brazil", "Nigeria", "Indonesia", "Croatia"];
const NETWORKS = ["Telekom", "Vodafone", "Orange", "Airtel", "Jio", "T-Mobile", "Claro", "MTN", "A1"];
const SENDERS = ["InfoSMS", "447860099299", "+385911234567", "0044123", "Shop", "Bank-OTP"];
const CURRENCIES = ["EUR", "USD"];

/** The i-th row of a day-by-day result starting at `firstDay` (yyyy-MM-dd), rowsPerDay rows per day. */
export function fixtureRow(i: number, firstDay: string, rowsPerDay: number): RawCell[] {
  const day = addDays(firstDay, Math.floor(i / rowsPerDay));
  const country = COUNTRIES[i % COUNTRIES.length] ?? "";
  const network = NETWORKS[(i * 7) % NETWORKS.length] ?? "";
  const sender = SENDERS[(i * 5) % SENDERS.length] ?? "";
  const category = i % 11 === 0 ? "WHATSAPP" : "SMS";
  const unitPrice = category === "SMS" ? Math.round((0.0075 + (i % 13) * 0.0001) * 1e6) / 1e6 : 0.0551;
  const quantity = category === "SMS" ? 1 + ((i * 37) % 500) : 0.5 * (1 + (i % 9));
  const total = Math.round(unitPrice * quantity * 100) / 100;
  return [
    i % 17 === 0 ? "Finance sub-account" : "Main account",
    category,
    `${day}T00:00:00.000+0000`,
    country,
    i % 23 === 0 ? "N/A" : network,
    sender,
    category === "SMS" ? "message" : "session",
    unitPrice,
    quantity,
    total,
    CURRENCIES[i % 29 === 0 ? 1 : 0] ?? "EUR",
  ];
}

export interface FixtureOptions {
  rows: number;
  /** Rows per relay page (the relay pages results). */
  pageSize?: number;
  firstDay?: string;
  rowsPerDay?: number;
  billingPeriods?: BillingPeriod[];
  requestedPeriod?: { sentSince: string; sentUntil: string };
  requestId?: string;
}

/** A shaper input with `rows` rows split into relay-like pages. */
export function fixtureInput(options: FixtureOptions): BillingResultInput {
  const firstDay = options.firstDay ?? "2026-02-01";
  const rowsPerDay = options.rowsPerDay ?? Math.max(1, Math.ceil(options.rows / 59));
  const pageSize = options.pageSize ?? 10_000;
  const pages: RawCell[][][] = [];
  for (let start = 0; start < options.rows; start += pageSize) {
    const page: RawCell[][] = [];
    for (let i = start; i < Math.min(options.rows, start + pageSize); i++)
      page.push(fixtureRow(i, firstDay, rowsPerDay));
    pages.push(page);
  }
  const period = options.requestedPeriod ?? { sentSince: "2026-02-01", sentUntil: "2026-04-01" };
  return {
    requestId: options.requestId ?? "req-5f2a9c",
    columns: FIXTURE_COLUMNS,
    pages,
    requestedPeriod: {
      sentSince: `${period.sentSince}T00:00:00.000+0000`,
      sentUntil: `${period.sentUntil}T00:00:00.000+0000`,
    },
    clientRequestedPeriod: {
      sentSince: `${period.sentSince}T00:00:00.000+0000`,
      sentUntil: `${period.sentUntil}T00:00:00.000+0000`,
    },
    billingPeriods: options.billingPeriods ?? [
      { month: "2026-02", volumeFinalized: true },
      { month: "2026-03", volumeFinalized: false },
    ],
    retrievedAt: new Date("2026-03-20T09:31:05.000Z"),
    includeUnfinalizedData: true,
  };
}
