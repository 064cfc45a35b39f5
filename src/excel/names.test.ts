import { validateTableName } from "../../test/excel/double";
import {
  defaultTitle,
  isValidSheetName,
  isValidTableName,
  sheetNameBase,
  uniqueSheetName,
  uniqueTableName,
} from "./names";

describe("table names", () => {
  it.each([
    ["Billing_Day_Country_1", true],
    ["_x", true],
    ["\\x", true],
    ["Données.2026", true],
    ["A1", false],
    ["XFD1048576", false],
    ["R1C1", false],
    ["rc", false],
    ["C", false],
    ["1abc", false],
    ["has space", false],
    ["a-b", false],
    ["", false],
    ["x".repeat(256), false],
  ])("%p valid: %p (the same verdict as the strict double's Excel rules)", (name, valid) => {
    expect(isValidTableName(name)).toBe(valid);
    if (valid) expect(() => validateTableName(name)).not.toThrow();
    else expect(() => validateTableName(name)).toThrow();
  });

  it("are Billing_<label>_<n>, valid, stable for the same workbook and unique against existing names", () => {
    const first = uniqueTableName("Day × Country", []);
    expect(first).toBe("Billing_Day_Country_1");
    expect(uniqueTableName("Day × Country", [])).toBe(first);
    expect(uniqueTableName("Day × Country", ["billing_day_country_1"])).toBe("Billing_Day_Country_2");
    for (const label of ["Coûts €/mois — Q1", "123 start", "A1", "   ", "<R&D>", "x".repeat(400)]) {
      const name = uniqueTableName(label, ["Billing_1"]);
      expect(isValidTableName(name)).toBe(true);
      expect(name).not.toBe("Billing_1");
    }
  });
});

describe("sheet names", () => {
  it.each(["Day × Country", "a/b\\c[d]:e*f?g", "'quoted'", "History", "", "x".repeat(40)])(
    "%p becomes a valid sheet name",
    (text) => {
      expect(isValidSheetName(sheetNameBase(text))).toBe(true);
    }
  );

  it("are unique, within 31 characters, cut at a word", () => {
    expect(uniqueSheetName("Costs", ["costs", "Costs (2)"])).toBe("Costs (3)");
    const long = "Day × Country × Network × Sender × Campaign";
    const name = uniqueSheetName(long, []);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).toBe("Day × Country × Network");
    const again = uniqueSheetName(long, [name]);
    expect(again.length).toBeLessThanOrEqual(31);
    expect(again.endsWith("(2)")).toBe(true);
  });

  it("default to the dimensions when no label is given", () => {
    expect(defaultTitle(undefined, ["Day", "Country"])).toBe("Day × Country");
    expect(defaultTitle("  Q1 costs ", ["Day"])).toBe("Q1 costs");
    expect(defaultTitle(undefined, [])).toBe("usage");
  });
});
