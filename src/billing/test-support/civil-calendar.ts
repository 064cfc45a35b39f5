/**
 * An independent proleptic Gregorian calendar for tests: whole-day numbers (days since 1970-01-01)
 * computed with integer arithmetic only (Howard Hinnant's days_from_civil), never with `Date` or with
 * the string helpers under test, so a test can compare the code against a second, differently built
 * implementation of the same rules.
 */

export interface CivilDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date. */
export function daysFromCivil({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The civil date of a day number (the inverse of {@link daysFromCivil}). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** `yyyy-MM-dd` of a civil date (years 0..9999). */
export function formatCivil({ year, month, day }: CivilDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `yyyy-MM-dd` of a day number. */
export function formatDays(days: number): string {
  return formatCivil(civilFromDays(days));
}

/** Month index (year * 12 + month - 1) of a day number. */
export function monthIndexOfDays(days: number): number {
  const { year, month } = civilFromDays(days);
  return year * 12 + month - 1;
}

/** Day number of the first day of a month index. */
export function firstDayOfMonthIndex(index: number): number {
  return daysFromCivil({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
}

/** `count` calendar months after a day number, clamped to the target month's last day. */
export function addCalendarMonths(days: number, count: number): number {
  const { year, month, day } = civilFromDays(days);
  const index = year * 12 + month - 1 + count;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return daysFromCivil({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

export const MS_PER_DAY = 86_400_000;

/** The whole-day number of an instant (UTC). */
export function daysOfInstant(instant: Date): number {
  return Math.floor(instant.getTime() / MS_PER_DAY);
}
