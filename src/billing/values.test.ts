import fc from "fast-check";
import {
  AGGREGATE_DIMENSIONS,
  COLUMN_DATA_TYPES,
  DIMENSIONS,
  NOT_APPLICABLE,
  isIdentifierColumn,
  typeCell,
  typeRow,
  type ColumnDataType,
  type ColumnInfo,
} from "./index";

const column = (columnName: string, columnDataType: ColumnDataType): ColumnInfo => ({ columnName, columnDataType });
const QUANTITY = column("QUANTITY", "NUMBER");

describe("typeCell by columnDataType", () => {
  it.each<[ColumnDataType, unknown, unknown]>([
    ["STRING", "Account A", "Account A"],
    ["STRING", 42, "42"],
    ["STRING", true, "true"],
    ["INTEGER", 1500, 1500],
    ["INTEGER", "1500", 1500],
    ["NUMBER", 0.0075, 0.0075],
    ["NUMBER", "0.0075", 0.0075],
    ["NUMBER", "-4.01", -4.01],
    ["NUMBER", " 11.25 ", 11.25],
    ["NUMBER", "1e-3", 0.001],
    ["NUMBER", ".5", 0.5],
    ["NUMBER", "1,234.50", "1,234.50"],
    ["NUMBER", "about 3", "about 3"],
    ["NUMBER", "", ""],
    ["BOOLEAN", true, true],
    ["BOOLEAN", false, false],
    ["BOOLEAN", "true", true],
    ["BOOLEAN", "false", false],
    ["BOOLEAN", "yes", "yes"],
    ["DATE_TIME", "2026-03-01T00:00:00.000+0000", new Date("2026-03-01T00:00:00.000Z")],
    ["DATE_TIME", "2023-04-01T00:00:00Z", new Date("2023-04-01T00:00:00.000Z")],
    ["DATE_TIME", "2026-03-15", new Date("2026-03-15T00:00:00.000Z")],
    ["DATE_TIME", "yesterday", "yesterday"],
    ["DATE_TIME", 1_772_323_200_000, "1772323200000"],
  ])("%s %j → %j", (type, value, expected) => {
    expect(typeCell(value as string | number | boolean, column("SOME_COLUMN", type))).toEqual(expected);
  });

  it.each(COLUMN_DATA_TYPES)('"N/A", null and a missing cell are empty in a %s column', (type) => {
    expect(typeCell(NOT_APPLICABLE, column("UNIT_PRICE", type))).toBeNull();
    expect(typeCell(null, column("UNIT_PRICE", type))).toBeNull();
    expect(typeCell(undefined, column("UNIT_PRICE", type))).toBeNull();
  });

  it('"N/A" in a NUMBER column is null, never a number', () => {
    expect(typeCell("N/A", QUANTITY)).toBeNull();
  });

  it("keeps numeric text that JavaScript cannot hold as a finite number as text", () => {
    expect(typeCell("1e400", QUANTITY)).toBe("1e400");
    expect(typeCell("-1e400", QUANTITY)).toBe("-1e400");
  });

  it("property: any finite number written as text reads back as that number", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(typeCell(String(value), QUANTITY)).toBe(value === 0 ? 0 : value);
        expect(typeCell(value, QUANTITY)).toBe(value);
      })
    );
  });
});

describe("identifiers stay text", () => {
  it("keeps campaign, template, account and network IDs as text whatever their declared type", () => {
    expect(typeCell(754_564_654_689, column("CAMPAIGN_ID", "NUMBER"))).toBe("754564654689");
    expect(typeCell(754_564_654_689, column("CAMPAIGN_ID", "INTEGER"))).toBe("754564654689");
    expect(typeCell("754564654689", column("CAMPAIGN_ID", "STRING"))).toBe("754564654689");
    expect(typeCell("5653923468715475", column("TEMPLATE_ID", "NUMBER"))).toBe("5653923468715475");
    expect(typeCell("0044", column("COUNTRY_PREFIX", "INTEGER"))).toBe("0044");
    expect(typeCell("21901", column("NORM_NET_CODE", "NUMBER"))).toBe("21901");
    expect(typeCell("565C2852060F94BC771F692C04C055E1", column("ACCOUNT_KEY", "STRING"))).toBe(
      "565C2852060F94BC771F692C04C055E1"
    );
  });

  it('still reads "N/A" in an identifier column as empty', () => {
    expect(typeCell("N/A", column("CAMPAIGN_ID", "STRING"))).toBeNull();
  });

  it("are exactly the catalog's identifier dimensions", () => {
    const identifiers = DIMENSIONS.filter((d) => d.valueKind === "identifier").map((d) => d.code);
    expect(identifiers).toEqual(
      expect.arrayContaining(["CAMPAIGN_ID", "TEMPLATE_ID", "ACCOUNT_KEY", "APPLICATION_ID", "ENTITY_ID"])
    );
    for (const code of AGGREGATE_DIMENSIONS) expect(isIdentifierColumn(code)).toBe(identifiers.includes(code));
    expect(isIdentifierColumn("QUANTITY")).toBe(false);
    expect(isIdentifierColumn("SOMETHING_NEW")).toBe(false);
  });
});

describe("typeRow", () => {
  it("types the simple OpenAPI row and pads a short row with empty cells", () => {
    const columns = [
      column("ACCOUNT_NAME", "STRING"),
      column("DAY", "DATE_TIME"),
      column("CAMPAIGN_ID", "NUMBER"),
      column("UNIT_PRICE", "NUMBER"),
      column("QUANTITY", "NUMBER"),
      column("CURRENCY", "STRING"),
    ];
    expect(
      typeRow(["Account A", "2026-03-02T00:00:00.000+0000", 754_564_654_689, "N/A", 1500, "USD"], columns)
    ).toEqual(["Account A", new Date("2026-03-02T00:00:00.000Z"), "754564654689", null, 1500, "USD"]);
    expect(typeRow(["Account A"], columns.slice(0, 3))).toEqual(["Account A", null, null]);
  });
});
