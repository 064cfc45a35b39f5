import fc from "fast-check";
import {
  FINALIZATION_DAY,
  PERIOD_PRESETS,
  PERIOD_PRESET_LABELS,
  alignToGranularity,
  billingPeriodsFor,
  finalizationDate,
  finalizationInstant,
  isMonthFinalAt,
  monthStatus,
  monthsCovered,
  resolvePreset,
  retentionWindow,
  rowPeriod,
  toDateInterval,
  toDateTimeInterval,
  trimToFinalized,
  type BillingPeriod,
  type DateInterval,
} from "./index";
import {
  MS_PER_DAY,
  civilFromDays,
  daysFromCivil,
  firstDayOfMonthIndex,
  formatDays,
  monthIndexOfDays,
} from "./test-support/civil-calendar";

const at = (iso: string): Date => new Date(iso);

describe("finalization: the 5th of the next month, 00:00 UTC", () => {
  it.each([
    ["2026-03", "2026-04-05"],
    ["2026-01", "2026-02-05"],
    ["2026-12", "2027-01-05"],
    ["2024-02", "2024-03-05"],
  ])("%s finalizes on %s", (month, date) => {
    expect(finalizationDate(month)).toBe(date);
    expect(finalizationInstant(month).toISOString()).toBe(`${date}T00:00:00.000Z`);
  });

  it("is not final at 23:59:59.999 on the 4th and final at 00:00 on the 5th", () => {
    expect(isMonthFinalAt("2026-03", at("2026-04-04T23:59:59.999Z"))).toBe(false);
    expect(isMonthFinalAt("2026-03", at("2026-04-05T00:00:00.000Z"))).toBe(true);
    expect(isMonthFinalAt("2026-12", at("2027-01-04T23:59:59.999Z"))).toBe(false);
    expect(isMonthFinalAt("2026-12", at("2027-01-05T00:00:00.000Z"))).toBe(true);
  });

  it("is never final during the month itself", () => {
    expect(isMonthFinalAt("2026-03", at("2026-03-31T23:59:59.999Z"))).toBe(false);
    expect(isMonthFinalAt("2026-04", at("2026-03-20T00:00:00.000Z"))).toBe(false);
  });

  it("property: a month is final exactly from day 5 of the following month", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_900 * 12, max: 2_200 * 12 }),
        fc.integer({ min: -40 * MS_PER_DAY, max: 70 * MS_PER_DAY }),
        (index, shift) => {
          const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
          const finalFrom = (firstDayOfMonthIndex(index + 1) + FINALIZATION_DAY - 1) * MS_PER_DAY;
          const now = new Date(finalFrom + shift);
          expect(isMonthFinalAt(month, now)).toBe(shift >= 0);
        }
      )
    );
  });
});

describe("monthsCovered", () => {
  it.each<[DateInterval, string[]]>([
    [{ sentSince: "2026-03-01", sentUntil: "2026-04-01" }, ["2026-03"]],
    [{ sentSince: "2026-03-01", sentUntil: "2026-04-02" }, ["2026-03", "2026-04"]],
    [{ sentSince: "2026-03-31", sentUntil: "2026-04-01" }, ["2026-03"]],
    [{ sentSince: "2025-11-15", sentUntil: "2026-02-01" }, ["2025-11", "2025-12", "2026-01"]],
    [{ sentSince: "2026-03-01", sentUntil: "2026-03-01" }, []],
    [{ sentSince: "2026-04-01", sentUntil: "2026-03-01" }, []],
    [{ sentSince: "9999-11-20", sentUntil: "9999-12-31" }, ["9999-11", "9999-12"]],
  ])("%j covers %j", (interval, months) => {
    expect(monthsCovered(interval)).toEqual(months);
  });

  it("property: consecutive months from the first day's to the last day's", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: daysFromCivil({ year: 1, month: 1, day: 1 }),
          max: daysFromCivil({ year: 9998, month: 1, day: 1 }),
        }),
        fc.integer({ min: 1, max: 400 }),
        (since, length) => {
          const months = monthsCovered({ sentSince: formatDays(since), sentUntil: formatDays(since + length) });
          const first = monthIndexOfDays(since);
          const last = monthIndexOfDays(since + length - 1);
          expect(months).toHaveLength(last - first + 1);
          months.forEach((month, i) => {
            const { year, month: number } = civilFromDays(firstDayOfMonthIndex(first + i));
            expect(month).toBe(`${String(year).padStart(4, "0")}-${String(number).padStart(2, "0")}`);
          });
        }
      )
    );
  });
});

describe("billingPeriodsFor and monthStatus", () => {
  const q1 = { sentSince: "2026-01-10", sentUntil: "2026-04-01" };

  it("marks each covered month by the calendar rule at that time", () => {
    expect(billingPeriodsFor(q1, at("2026-03-04T12:00:00Z"))).toEqual([
      { month: "2026-01", volumeFinalized: true },
      { month: "2026-02", volumeFinalized: false },
      { month: "2026-03", volumeFinalized: false },
    ]);
    expect(billingPeriodsFor(q1, at("2026-03-05T00:00:00Z"))).toEqual([
      { month: "2026-01", volumeFinalized: true },
      { month: "2026-02", volumeFinalized: true },
      { month: "2026-03", volumeFinalized: false },
    ]);
  });

  it("reads Final or Provisional from the metadata; a month not listed is Provisional", () => {
    const periods: BillingPeriod[] = [
      { month: "2026-01", volumeFinalized: true },
      { month: "2026-02", volumeFinalized: false },
    ];
    expect(monthStatus(periods, "2026-01")).toBe("Final");
    expect(monthStatus(periods, "2026-02")).toBe("Provisional");
    expect(monthStatus(periods, "2026-03")).toBe("Provisional");
    expect(monthStatus([], "2026-01")).toBe("Provisional");
  });
});

describe("alignToGranularity", () => {
  it("widens a MONTH query to whole months and leaves DAY and no time dimension alone", () => {
    const interval = { sentSince: "2026-03-10", sentUntil: "2026-04-02" };
    expect(alignToGranularity(interval, "MONTH")).toEqual({ sentSince: "2026-03-01", sentUntil: "2026-05-01" });
    expect(alignToGranularity(interval, "DAY")).toEqual(interval);
    expect(alignToGranularity(interval, "NONE")).toEqual(interval);
    expect(alignToGranularity({ sentSince: "2026-03-01", sentUntil: "2026-04-01" }, "MONTH")).toEqual({
      sentSince: "2026-03-01",
      sentUntil: "2026-04-01",
    });
    expect(alignToGranularity({ sentSince: "2026-12-31", sentUntil: "2027-01-01" }, "MONTH")).toEqual({
      sentSince: "2026-12-01",
      sentUntil: "2027-01-01",
    });
  });

  it("property: MONTH alignment covers the interval with the same months, starting and ending on a 1st", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: daysFromCivil({ year: 1900, month: 1, day: 1 }),
          max: daysFromCivil({ year: 2200, month: 1, day: 1 }),
        }),
        fc.integer({ min: 1, max: 120 }),
        (since, length) => {
          const interval = { sentSince: formatDays(since), sentUntil: formatDays(since + length) };
          const aligned = alignToGranularity(interval, "MONTH");
          expect(aligned.sentSince.endsWith("-01")).toBe(true);
          expect(aligned.sentUntil.endsWith("-01")).toBe(true);
          expect(aligned.sentSince <= interval.sentSince).toBe(true);
          expect(aligned.sentUntil >= interval.sentUntil).toBe(true);
          expect(monthsCovered(aligned)).toEqual(monthsCovered(interval));
          expect(alignToGranularity(aligned, "MONTH")).toEqual(aligned);
        }
      )
    );
  });
});

describe("trimToFinalized", () => {
  const q1 = { sentSince: "2026-01-10", sentUntil: "2026-04-01" };

  it("ends the interval at the first provisional month", () => {
    expect(trimToFinalized(q1, at("2026-03-05T00:00:00Z"))).toEqual({
      sentSince: "2026-01-10",
      sentUntil: "2026-03-01",
    });
    expect(trimToFinalized(q1, at("2026-03-04T23:59:59.999Z"))).toEqual({
      sentSince: "2026-01-10",
      sentUntil: "2026-02-01",
    });
  });

  it("keeps an interval that is all final", () => {
    expect(trimToFinalized(q1, at("2026-04-05T00:00:00Z"))).toEqual(q1);
  });

  it("gives an empty interval when nothing is final yet", () => {
    expect(trimToFinalized(q1, at("2026-02-04T00:00:00Z"))).toEqual({
      sentSince: "2026-01-10",
      sentUntil: "2026-01-10",
    });
    expect(trimToFinalized({ sentSince: "2026-03-01", sentUntil: "2026-04-01" }, at("2026-04-03T00:00:00Z"))).toEqual({
      sentSince: "2026-03-01",
      sentUntil: "2026-03-01",
    });
  });

  it("property: the trimmed interval is a prefix whose months are all final, and the next month is not", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: daysFromCivil({ year: 2000, month: 1, day: 1 }),
          max: daysFromCivil({ year: 2100, month: 1, day: 1 }),
        }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: -20, max: 140 }),
        (since, length, nowOffset) => {
          const interval = { sentSince: formatDays(since), sentUntil: formatDays(since + length) };
          const now = new Date((since + nowOffset) * MS_PER_DAY);
          const trimmed = trimToFinalized(interval, now);
          expect(trimmed.sentSince).toBe(interval.sentSince);
          expect(trimmed.sentUntil >= trimmed.sentSince && trimmed.sentUntil <= interval.sentUntil).toBe(true);
          for (const month of monthsCovered(trimmed)) expect(isMonthFinalAt(month, now)).toBe(true);
          if (trimmed.sentUntil < interval.sentUntil) {
            expect(isMonthFinalAt(trimmed.sentUntil.slice(0, 7), now)).toBe(false);
          }
        }
      )
    );
  });
});

describe("date-time intervals", () => {
  it("writes and reads the API's date-time interval", () => {
    const interval = { sentSince: "2026-03-01", sentUntil: "2026-04-01" };
    expect(toDateTimeInterval(interval)).toEqual({
      sentSince: "2026-03-01T00:00:00.000+0000",
      sentUntil: "2026-04-01T00:00:00.000+0000",
    });
    expect(toDateInterval(toDateTimeInterval(interval))).toEqual(interval);
    expect(toDateInterval({ sentSince: "2023-04-01T00:00:00Z", sentUntil: "2023-05-01T00:00:00+00:00" })).toEqual({
      sentSince: "2023-04-01",
      sentUntil: "2023-05-01",
    });
  });

  it("throws on text that is not a date-time", () => {
    expect(() => toDateInterval({ sentSince: "2026-03-01", sentUntil: "2026-04-01T00:00:00Z" })).toThrow(RangeError);
  });
});

describe("rowPeriod", () => {
  const march = { sentSince: "2026-03-01", sentUntil: "2026-04-01" };
  const q1 = { sentSince: "2026-01-01", sentUntil: "2026-04-01" };
  const periods: BillingPeriod[] = [
    { month: "2026-01", volumeFinalized: true },
    { month: "2026-02", volumeFinalized: true },
    { month: "2026-03", volumeFinalized: false },
  ];

  it.each([
    ["2026-01-15T00:00:00.000+0000", { billingMonth: "2026-01", status: "Final" }],
    ["2026-03-31T00:00:00.000+0000", { billingMonth: "2026-03", status: "Provisional" }],
    ["2026-02-01T00:00:00Z", { billingMonth: "2026-02", status: "Final" }],
    ["2026-02-28", { billingMonth: "2026-02", status: "Final" }],
    ["2026-03-01T00:30:00.000+0100", { billingMonth: "2026-02", status: "Final" }],
  ])("takes the month of the DAY/MONTH value %s", (value, expected) => {
    expect(rowPeriod(value, q1, periods)).toEqual(expected);
  });

  it("a month that the metadata does not list is Provisional", () => {
    expect(rowPeriod("2026-04-02T00:00:00.000+0000", q1, periods)).toEqual({
      billingMonth: "2026-04",
      status: "Provisional",
    });
  });

  it("without a time dimension, uses the requested period", () => {
    expect(rowPeriod(undefined, march, [{ month: "2026-03", volumeFinalized: true }])).toEqual({
      billingMonth: "2026-03",
      status: "Final",
    });
    expect(rowPeriod(undefined, { sentSince: "2026-01-01", sentUntil: "2026-03-01" }, periods)).toEqual({
      billingMonth: "2026-01 – 2026-02",
      status: "Final",
    });
  });

  it("a row that spans any provisional month is Provisional", () => {
    expect(rowPeriod(undefined, q1, periods)).toEqual({ billingMonth: "2026-01 – 2026-03", status: "Provisional" });
    expect(rowPeriod(undefined, q1, [{ month: "2026-01", volumeFinalized: true }])).toEqual({
      billingMonth: "2026-01 – 2026-03",
      status: "Provisional",
    });
  });

  it("falls back to the requested period when the time value cannot be read", () => {
    expect(rowPeriod("N/A", march, periods)).toEqual({ billingMonth: "2026-03", status: "Provisional" });
  });

  it("is Provisional with no month for an empty period", () => {
    expect(rowPeriod(undefined, { sentSince: "2026-03-01", sentUntil: "2026-03-01" }, periods)).toEqual({
      billingMonth: "",
      status: "Provisional",
    });
  });
});

describe("retentionWindow", () => {
  it.each([
    ["2026-04-10T12:00:00Z", { sentSince: "2026-02-01", sentUntil: "2026-05-01" }],
    ["2026-01-15T00:00:00Z", { sentSince: "2025-11-01", sentUntil: "2026-02-01" }],
    ["2026-02-01T00:00:00Z", { sentSince: "2025-12-01", sentUntil: "2026-03-01" }],
    ["2026-12-31T23:59:59.999Z", { sentSince: "2026-10-01", sentUntil: "2027-01-01" }],
  ])("at %s is %j", (now, window) => {
    expect(retentionWindow(at(now))).toEqual(window);
  });

  it("property: three whole months ending with the current one", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: daysFromCivil({ year: 1, month: 3, day: 1 }),
          max: daysFromCivil({ year: 9999, month: 11, day: 30 }),
        }),
        fc.integer({ min: 0, max: MS_PER_DAY - 1 }),
        (day, ms) => {
          const month = monthIndexOfDays(day);
          expect(retentionWindow(new Date(day * MS_PER_DAY + ms))).toEqual({
            sentSince: formatDays(firstDayOfMonthIndex(month - 2)),
            sentUntil: formatDays(firstDayOfMonthIndex(month + 1)),
          });
        }
      )
    );
  });
});

describe("presets", () => {
  it("has a label for every preset", () => {
    expect(Object.keys(PERIOD_PRESET_LABELS).sort()).toEqual([...PERIOD_PRESETS].sort());
  });

  it.each([
    ["this-month", "2026-04-10T12:00:00Z", { sentSince: "2026-04-01", sentUntil: "2026-05-01" }],
    ["this-month", "2026-12-31T23:59:59.999Z", { sentSince: "2026-12-01", sentUntil: "2027-01-01" }],
    ["month-to-date", "2026-04-10T12:00:00Z", { sentSince: "2026-04-01", sentUntil: "2026-04-11" }],
    ["month-to-date", "2026-04-01T00:00:00Z", { sentSince: "2026-04-01", sentUntil: "2026-04-02" }],
    ["month-to-date", "2026-04-30T23:59:59.999Z", { sentSince: "2026-04-01", sentUntil: "2026-05-01" }],
    ["month-to-date", "2026-12-31T08:00:00Z", { sentSince: "2026-12-01", sentUntil: "2027-01-01" }],
    ["month-to-date", "2024-02-29T08:00:00Z", { sentSince: "2024-02-01", sentUntil: "2024-03-01" }],
    ["last-month", "2026-04-10T12:00:00Z", { sentSince: "2026-03-01", sentUntil: "2026-04-01" }],
    ["last-month", "2026-01-01T00:00:00Z", { sentSince: "2025-12-01", sentUntil: "2026-01-01" }],
    ["retention-window", "2026-04-10T12:00:00Z", { sentSince: "2026-02-01", sentUntil: "2026-05-01" }],
    ["retention-window", "2026-02-14T12:00:00Z", { sentSince: "2025-12-01", sentUntil: "2026-03-01" }],
  ] as const)("%s at %s is %j", (preset, now, expected) => {
    expect(resolvePreset(preset, at(now))).toEqual(expected);
  });

  it("custom returns its dates unchanged, a copy, and needs them", () => {
    const custom = { sentSince: "2026-03-05", sentUntil: "2026-03-20" };
    const resolved = resolvePreset("custom", at("2026-04-10T00:00:00Z"), custom);
    expect(resolved).toEqual(custom);
    expect(resolved).not.toBe(custom);
    expect(() => resolvePreset("custom", at("2026-04-10T00:00:00Z"))).toThrow(RangeError);
  });
});
