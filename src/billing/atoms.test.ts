import fc from "fast-check";
import {
  addDays,
  addMonths,
  addMonthsToDate,
  firstDayOf,
  formatApiDateTime,
  fromExcelSerial,
  isIsoDate,
  isYearMonth,
  isoDateToUtc,
  monthOf,
  parseApiDateTime,
  toExcelSerial,
  toIsoDate,
} from "./index";
import {
  MS_PER_DAY,
  addCalendarMonths,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatCivil,
  formatDays,
} from "./test-support/civil-calendar";

/** Day numbers (since 1970-01-01) of 0001-01-01 and 9999-12-31: the years a `yyyy` field can write. */
const FIRST_DAY = daysFromCivil({ year: 1, month: 1, day: 1 });
const LAST_DAY = daysFromCivil({ year: 9999, month: 12, day: 31 });
const anyDay = fc.integer({ min: FIRST_DAY, max: LAST_DAY });
const anyInstant = fc
  .tuple(anyDay, fc.integer({ min: 0, max: MS_PER_DAY - 1 }))
  .map(([day, ms]) => new Date(day * MS_PER_DAY + ms));

describe("the independent test calendar", () => {
  it.each([
    ["1970-01-01", 0],
    ["2000-01-01", 10_957],
    ["2000-03-01", 11_017],
    ["1969-12-31", -1],
  ])("puts %s at day %i", (text, day) => {
    expect(formatDays(day)).toBe(text);
  });

  it("round-trips day numbers", () => {
    fc.assert(fc.property(anyDay, (day) => daysFromCivil(civilFromDays(day)) === day));
  });
});

describe("isIsoDate", () => {
  it.each(["2026-03-01", "2024-02-29", "2000-02-29", "0001-01-01", "0050-06-15", "9999-12-31"])(
    "accepts %s",
    (text) => {
      expect(isIsoDate(text)).toBe(true);
    }
  );

  it.each([
    "2026-02-29",
    "1900-02-29",
    "2026-02-30",
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-3-1",
    "26-03-01",
    "2026/03/01",
    "2026-03-01T00:00:00Z",
    " 2026-03-01",
    "",
  ])("refuses %j", (text) => {
    expect(isIsoDate(text)).toBe(false);
  });

  it("agrees with the independent calendar on every day of years 1..9999", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => isIsoDate(formatCivil({ year, month, day })) === day <= daysInMonth(year, month)
      )
    );
  });
});

describe("isYearMonth", () => {
  it.each(["2026-01", "2026-12", "0001-03"])("accepts %s", (text) => expect(isYearMonth(text)).toBe(true));
  it.each(["2026-00", "2026-13", "2026-1", "2026-03-01", "202603"])("refuses %s", (text) =>
    expect(isYearMonth(text)).toBe(false)
  );
});

describe("parseApiDateTime", () => {
  it.each([
    ["2026-03-01T00:00:00.000+0000", "2026-03-01T00:00:00.000Z"],
    ["2023-04-01T00:00:00Z", "2023-04-01T00:00:00.000Z"],
    ["2026-03-01T00:00:00+00:00", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01T12:34", "2026-03-01T12:34:00.000Z"],
    ["2026-03-01T12:34:56.7Z", "2026-03-01T12:34:56.700Z"],
    ["2026-03-01T12:34:56.123456789Z", "2026-03-01T12:34:56.123Z"],
    ["2026-03-01T01:30:00.000+0130", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01T00:00:00.000+0130", "2026-02-28T22:30:00.000Z"],
    ["2026-02-28T22:30:00.000-0130", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01T05:45:00+05:45", "2026-03-01T00:00:00.000Z"],
    ["2026-12-31T23:00:00-01:00", "2027-01-01T00:00:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseApiDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "garbage",
    "2026-03-01",
    "2026-03-01 00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-03-01T24:00:00Z",
    "2026-03-01T23:60:00Z",
    "2026-03-01T23:59:60Z",
    "2026-03-01T00:00:00.000+000",
    "2026-03-01T00:00:00.000+2400",
    "2026-03-01T00:00:00.000+0060",
    "2026-03-01T00:00:00.000 +0000",
    "2026-03-01T00:00:00.Z",
    "2026-03-01T00:00:00.000+0000Z",
  ])("refuses %j with undefined", (text) => {
    expect(parseApiDateTime(text)).toBeUndefined();
  });

  it("never returns an Invalid Date, whatever the text", () => {
    const dateLike = fc
      .array(fc.constantFrom(..."0123456789-:T.Z+ "), { maxLength: 32 })
      .map((chars) => chars.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), dateLike), (text) => {
        const parsed = parseApiDateTime(text);
        return parsed === undefined || !Number.isNaN(parsed.getTime());
      })
    );
  });

  it("round-trips formatApiDateTime for any instant of years 1..9999", () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const text = formatApiDateTime(instant);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
        expect(parseApiDateTime(text)?.getTime()).toBe(instant.getTime());
      })
    );
  });

  it("reads an instant written with any whole-minute offset as the same instant", () => {
    fc.assert(
      fc.property(
        anyInstant.filter((d) => d.getUTCFullYear() > 1 && d.getUTCFullYear() < 9999),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.boolean(),
        (instant, offsetMinutes, withColon) => {
          const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const abs = Math.abs(offsetMinutes);
          const hours = String(Math.floor(abs / 60)).padStart(2, "0");
          const minutes = String(abs % 60).padStart(2, "0");
          const offset = `${offsetMinutes < 0 ? "-" : "+"}${hours}${withColon ? ":" : ""}${minutes}`;
          expect(parseApiDateTime(`${local}${offset}`)?.getTime()).toBe(instant.getTime());
        }
      )
    );
  });
});

describe("day and month arithmetic", () => {
  it("addDays moves by whole days, as the independent calendar counts them", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY + 1000, max: LAST_DAY - 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        (day, count) => {
          expect(addDays(formatDays(day), count)).toBe(formatDays(day + count));
        }
      )
    );
  });

  it("addMonths moves by calendar months across years, both ways", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-03", -14)).toBe("2025-01");
    expect(addMonths("2026-03", 0)).toBe("2026-03");
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 9999 * 12 - 13 }), fc.integer({ min: -12, max: 12 }), (index, count) => {
        const month = `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
        const moved = addMonths(month, count);
        expect(addMonths(moved, -count)).toBe(month);
        const [year, monthNumber] = moved.split("-").map(Number) as [number, number];
        expect(year * 12 + monthNumber - 1).toBe(index + count);
      })
    );
  });

  it("addMonths throws, rather than writing a broken month, outside years 0000..9999", () => {
    expect(() => addMonths("0000-01", -1)).toThrow(RangeError);
    expect(() => addMonths("9999-12", 1)).toThrow(RangeError);
    expect(() => addMonths("2026-3", 1)).toThrow(RangeError);
  });

  it.each([
    ["2026-01-31", 1, "2026-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2026-01-31", 3, "2026-04-30"],
    ["2026-03-31", -1, "2026-02-28"],
    ["2026-11-30", 3, "2027-02-28"],
    ["2026-03-01", 3, "2026-06-01"],
    ["0000-03-31", -1, "0000-02-29"],
  ])("addMonthsToDate(%s, %i) is %s", (date, count, expected) => {
    expect(addMonthsToDate(date, count)).toBe(expected);
  });

  it("addMonthsToDate keeps the day when the target month has it and clamps to its last day otherwise", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY + 400, max: LAST_DAY - 400 }),
        fc.integer({ min: -12, max: 12 }),
        (day, count) => {
          const result = addMonthsToDate(formatDays(day), count);
          expect(result).toBe(formatDays(addCalendarMonths(day, count)));
          expect(isIsoDate(result)).toBe(true);
          const original = civilFromDays(day);
          const moved = Number(result.slice(8, 10));
          expect(moved).toBeLessThanOrEqual(original.day);
          if (moved < original.day) {
            expect(moved).toBe(daysInMonth(Number(result.slice(0, 4)), Number(result.slice(5, 7))));
          }
        }
      )
    );
  });

  it("monthOf, firstDayOf, toIsoDate and isoDateToUtc agree", () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const date = toIsoDate(instant);
        expect(date).toBe(formatDays(Math.floor(instant.getTime() / MS_PER_DAY)));
        expect(monthOf(instant)).toBe(date.slice(0, 7));
        expect(monthOf(date)).toBe(date.slice(0, 7));
        expect(isoDateToUtc(date).getTime()).toBe(Math.floor(instant.getTime() / MS_PER_DAY) * MS_PER_DAY);
        expect(firstDayOf(monthOf(date))).toBe(`${date.slice(0, 7)}-01`);
      })
    );
  });

  it("throws on malformed input instead of returning nonsense", () => {
    expect(() => isoDateToUtc("2026-02-30")).toThrow(RangeError);
    expect(() => firstDayOf("2026-13")).toThrow(RangeError);
    expect(() => addDays("2026-3-1", 1)).toThrow(RangeError);
  });
});

describe("Excel serial dates (1900 date system)", () => {
  /**
   * Anchors from ECMA-376 Part 4 / MS-XLS, not from our code: serial 1 is 1900-01-01, 59 is 1900-02-28,
   * 60 is Excel's phantom 1900-02-29, 61 is 1900-03-01, 2,958,465 is 9999-12-31; the 1904 system puts
   * 2006-02-01 at 37,287 and is 1,462 days behind the 1900 system. 2026-03-01 is derived from that last
   * anchor by counting days with the independent calendar.
   */
  const days2006 = daysFromCivil({ year: 2006, month: 2, day: 1 });
  const serial20060201 = 37_287 + 1_462;
  const serialByDayCount = (civil: { year: number; month: number; day: number }): number =>
    serial20060201 + daysFromCivil(civil) - days2006;

  it.each([
    ["1900-01-01", 1],
    ["1900-02-28", 59],
    ["1900-03-01", 61],
    ["1970-01-01", 25_569],
    ["2006-02-01", serial20060201],
    ["2026-03-01", serialByDayCount({ year: 2026, month: 3, day: 1 })],
    ["9999-12-31", 2_958_465],
  ])("%s is serial %i", (date, serial) => {
    expect(toExcelSerial(isoDateToUtc(date))).toBe(serial);
  });

  it("2026-03-01 is 46082 (the anchor the workbook tests rely on)", () => {
    expect(serialByDayCount({ year: 2026, month: 3, day: 1 })).toBe(46_082);
    expect(toExcelSerial(isoDateToUtc("2026-03-01"))).toBe(46_082);
  });

  it("adds the time of day as a fraction", () => {
    expect(toExcelSerial(new Date("2026-03-01T12:00:00.000Z"))).toBe(46_082.5);
    expect(toExcelSerial(new Date("2026-03-01T06:00:00.000Z"))).toBe(46_082.25);
  });

  it("reads serials back, skipping the phantom 1900-02-29", () => {
    expect(fromExcelSerial(1).toISOString()).toBe("1900-01-01T00:00:00.000Z");
    expect(fromExcelSerial(59).toISOString()).toBe("1900-02-28T00:00:00.000Z");
    expect(fromExcelSerial(61).toISOString()).toBe("1900-03-01T00:00:00.000Z");
    expect(fromExcelSerial(46_082.5).toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });

  it("round-trips every millisecond instant from 1900-01-01 to 9999-12-31", () => {
    const from1900 = daysFromCivil({ year: 1900, month: 1, day: 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: from1900, max: LAST_DAY }),
        fc.integer({ min: 0, max: MS_PER_DAY - 1 }),
        (day, ms) => {
          const instant = new Date(day * MS_PER_DAY + ms);
          expect(fromExcelSerial(toExcelSerial(instant)).getTime()).toBe(instant.getTime());
        }
      )
    );
  });

  it("counts one serial per day from 1900-03-01 on, as the independent calendar does", () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil({ year: 1900, month: 3, day: 1 }), max: LAST_DAY }), (day) => {
        expect(toExcelSerial(new Date(day * MS_PER_DAY))).toBe(serialByDayCount(civilFromDays(day)));
      })
    );
  });
});
