/**
 * Small shared pieces of the Billing Usage contract, defined once and imported by every other schema.
 *
 * Dates in the API are UTC calendar dates written `yyyy-MM-dd`; billing months are `yyyy-MM`.
 * Date-times in callbacks come as `2026-03-01T00:00:00.000+0000` (offset without a colon), which is
 * not what `Date.parse` accepts everywhere (Safari/WKWebView on Mac refuses it), so they are parsed
 * here with an explicit pattern.
 */
import { z } from "zod";

/**
 * Options for every `.min`/`.max`/`.length` on text or lists of unknown input. zod 4 runs its length checks on
 * any value that has a `length` property, even after the type check failed, and compares that property as it
 * is: `{"length":{"toString":0}}` (valid JSON) then throws "Cannot convert object to primitive value", a 500
 * instead of a violation. Run only on real text and lists, the type check has already reported anything else.
 */
export function lengthRule(error?: string): {
  error?: string;
  when: (payload: { value: unknown }) => boolean;
} {
  const when = (payload: { value: unknown }): boolean =>
    typeof payload.value === "string" || Array.isArray(payload.value);
  return error === undefined ? { when } : { error, when };
}

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
/** `yyyy-MM-ddTHH:mm[:ss[.SSS]]` followed by `Z`, `+0000`, `+00:00` (or no offset, read as UTC). */
const API_DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

const MS_PER_DAY = 86_400_000;

/**
 * `Date.UTC` with the year taken literally: `Date.UTC` reads years 0–99 as 1900–1999, which would make
 * 0050-06-15 a day of 1950 (and 0000-02-29, a real proleptic leap day, invalid).
 */
function utcMillis(
  year: number,
  monthIndex: number,
  day: number,
  hours = 0,
  minutes = 0,
  seconds = 0,
  millis = 0
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hours, minutes, seconds, millis);
  return date.getTime();
}

/** True when `text` is `yyyy-MM-dd` and names a real calendar day (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(utcMillis(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True when `text` is `yyyy-MM` with a month from 01 to 12. */
export function isYearMonth(text: string): boolean {
  const match = YEAR_MONTH_PATTERN.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** A UTC calendar date, `yyyy-MM-dd`. */
export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: "must be a date written yyyy-MM-dd (UTC), for example 2026-03-01" });
export type IsoDate = z.infer<typeof IsoDateSchema>;

/** A billing month, `yyyy-MM`. */
export const YearMonthSchema = z
  .string()
  .refine(isYearMonth, { message: "must be a month written yyyy-MM, for example 2026-03" });
export type YearMonth = z.infer<typeof YearMonthSchema>;

/**
 * Parses the API's date-times (`2026-03-01T00:00:00.000+0000`, `2023-04-01T00:00:00Z`, `…+00:00`) to a
 * `Date`. Returns `undefined` for anything else, never an Invalid Date.
 */
export function parseApiDateTime(text: string): Date | undefined {
  const match = API_DATE_TIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  if (!isIsoDate(`${y}-${mo}-${d}`) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    return undefined;
  }
  const utc = utcMillis(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), millis);
  let offsetMinutes = 0;
  if (offset && offset !== "Z") {
    const digits = offset.replace(":", "");
    const sign = digits.startsWith("-") ? -1 : 1;
    const [offsetHours, offsetMins] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    // An offset is at most ±23:59 (RFC 3339 time-numoffset); +2400 or +0060 is not a time zone.
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  const instant = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** A date-time as the API writes it in callbacks; any of the accepted spellings. */
export const ApiDateTimeSchema = z.string().refine((text) => parseApiDateTime(text) !== undefined, {
  message: "must be a date-time such as 2026-03-01T00:00:00.000+0000",
});

/** Writes a `Date` the way Infobip's callbacks do: `2026-03-01T00:00:00.000+0000`. */
export function formatApiDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

/** The UTC calendar date of `date`, `yyyy-MM-dd`. */
export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of an ISO date. The caller has checked the text with {@link isIsoDate}. */
export function isoDateToUtc(date: IsoDate): Date {
  if (!isIsoDate(date)) throw new RangeError(`not a yyyy-MM-dd date: ${date}`);
  return new Date(`${date}T00:00:00.000Z`);
}

/** Adds whole days to an ISO date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return toIsoDate(new Date(isoDateToUtc(date).getTime() + days * MS_PER_DAY));
}

/** The billing month (`yyyy-MM`) an ISO date or a `Date` falls in, in UTC. */
export function monthOf(date: IsoDate | Date): YearMonth {
  return (typeof date === "string" ? date : toIsoDate(date)).slice(0, 7);
}

/** The first day of a month, `yyyy-MM-01`. */
export function firstDayOf(month: YearMonth): IsoDate {
  if (!isYearMonth(month)) throw new RangeError(`not a yyyy-MM month: ${month}`);
  return `${month}-01`;
}

/** The month `count` months after `month` (negative counts go back); throws outside years 0000–9999. */
export function addMonths(month: YearMonth, count: number): YearMonth {
  if (!isYearMonth(month)) throw new RangeError(`not a yyyy-MM month: ${month}`);
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + count;
  const resultYear = Math.floor(index / 12);
  if (!Number.isInteger(index) || resultYear < 0 || resultYear > 9999) {
    throw new RangeError(`${month} + ${count} months is not a month a yyyy-MM date can name`);
  }
  return `${String(resultYear).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Adds calendar months to a date, clamping to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonthsToDate(date: IsoDate, count: number): IsoDate {
  const month = addMonths(monthOf(date), count);
  const day = Number(date.slice(8, 10));
  const lastDay = new Date(utcMillis(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(Math.min(day, lastDay)).padStart(2, "0")}`;
}

/** Days from 1899-12-30 (the OLE Automation epoch) to 1970-01-01. */
const OLE_DAYS_AT_UNIX_EPOCH = 25_569;
/** Excel's serial for 1900-03-01, the first day from which serials are plain day counts from 1899-12-30. */
const FIRST_SERIAL_AFTER_PHANTOM_DAY = 61;

/**
 * Excel's serial date for a UTC instant in the 1900 date system, with the fraction for the time of day
 * (2026-03-01 → 46082, 2026-03-01T12:00Z → 46082.5).
 *
 * From 1900-03-01 on this is the day count from 1899-12-30. Before it, Excel counts a 1900-02-29 that
 * never existed (serial 60, kept from Lotus 1-2-3), so 1900-01-01 is serial 1 and 1900-02-28 is 59: the
 * serial is one less than the plain day count, which is what Excel shows and what ECMA-376 specifies.
 */
export function toExcelSerial(date: Date): number {
  const oleDays = date.getTime() / MS_PER_DAY + OLE_DAYS_AT_UNIX_EPOCH;
  return oleDays < FIRST_SERIAL_AFTER_PHANTOM_DAY ? oleDays - 1 : oleDays;
}

/**
 * The inverse of {@link toExcelSerial}. Serials in [60, 61), Excel's phantom 1900-02-29, read as
 * 1900-03-01 00:00, the first real instant after it.
 */
export function fromExcelSerial(serial: number): Date {
  const phantomDay = FIRST_SERIAL_AFTER_PHANTOM_DAY - 1;
  const oleDays =
    serial < phantomDay
      ? serial + 1
      : serial < FIRST_SERIAL_AFTER_PHANTOM_DAY
        ? FIRST_SERIAL_AFTER_PHANTOM_DAY
        : serial;
  return new Date(Math.round((oleDays - OLE_DAYS_AT_UNIX_EPOCH) * MS_PER_DAY));
}

/** An ISO 4217 currency code as it appears in the CURRENCY column. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 currency code");
