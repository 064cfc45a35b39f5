import {
  createBillingPivot,
  isSourceOf,
  refreshPivotTablesOn,
  unsupportedPivotMessage,
  type HostRequirements,
} from "../../src/excel/pivot";
import { BILLING_HEADER, billingRow, seedBillingTable } from "./billing-fixture";
import { createExcelDouble, type ExcelDouble } from "./excel-double";

/**
 * The double as an Excel that supports ExcelApi up to 1.`minor`: its own requirement sets answer the code's
 * checks, and it refuses the members above that level (ApiNotFound) as such an Excel would.
 */
function host(double: ExcelDouble, minor: number): HostRequirements {
  double.requirements.level = `1.${minor}`;
  return double.requirements;
}

const ROWS = [
  billingRow("Acme", "DE", 10, "EUR", "2026-09", "Final"),
  billingRow("Acme", "US", 2, "USD", "2026-10"),
  billingRow("Beta", "FR", 5, "EUR", "2026-10"),
];

async function seeded(): Promise<ExcelDouble> {
  const double = createExcelDouble();
  await seedBillingTable(double, "Costs", BILLING_HEADER, ROWS);
  return double;
}

describe("host versions", () => {
  it("reads ExcelApi 1.12 as newer than 1.8 and older than 1.15", () => {
    const double = createExcelDouble();
    expect(host(double, 12).isSetSupported("ExcelApi", "1.8")).toBe(true);
    expect(host(double, 12).isSetSupported("ExcelApi", "1.12")).toBe(true);
    expect(host(double, 12).isSetSupported("ExcelApi", "1.15")).toBe(false);
  });
});

describe("createBillingPivot", () => {
  it("builds rows from the picked dimensions, Billing month as columns, sums of Total and Quantity, filtered to one currency", async () => {
    const double = await seeded();
    const outcome = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Account", "Country"] },
      host(double, 15)
    );

    expect(outcome).toEqual({
      created: true,
      pivotName: "Costs_Pivot",
      sheetName: "Pivot Costs",
      currencyMode: "filter",
      currency: "EUR",
      currencies: ["EUR", "USD"],
      notes: [
        "Showing EUR only, so amounts in different currencies are never added up; pick another currency in the Currency filter (one at a time): EUR, USD.",
      ],
    });
    const [pivot] = double.state.pivotTables;
    expect(double.inspect.pivotTables()).toEqual([
      {
        name: "Costs_Pivot",
        sheet: "Pivot Costs",
        source: "Costs",
        refreshCount: 0,
        rows: ["Account", "Country"],
        columns: ["Billing month"],
        data: ["Sum:Total", "Sum:Quantity"],
        filters: ["Currency"],
      },
    ]);
    expect(pivot?.manualFilters).toEqual({ Currency: ["EUR"] });
    expect(pivot?.dataHierarchies[0]?.numberFormat).toBe("#,##0.00");
    expect(pivot?.showColumnGrandTotals).toBeUndefined();
    expect(double.inspect.activeSheet()).toBe("Pivot Costs");
  });

  it("makes Connection a filter of a table over several connections, or a row when the user picks it", async () => {
    const double = createExcelDouble();
    const header = ["Connection", ...BILLING_HEADER];
    await seedBillingTable(double, "Costs", header, [
      ["eu", ...ROWS[0]!],
      ["us", ...ROWS[2]!],
    ]);
    const filtered = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Account"] },
      host(double, 15)
    );
    expect(double.inspect.pivotTables()[0]).toMatchObject({ rows: ["Account"], filters: ["Currency", "Connection"] });
    expect(filtered.created && filtered.notes[0]).toMatch(/^It adds up every connection; pick one or several/);

    await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Connection", "Account"] },
      host(double, 15)
    );
    expect(double.inspect.pivotTables()[1]).toMatchObject({ rows: ["Connection", "Account"], filters: ["Currency"] });
  });

  it("shows the currency asked for, and says so when the table has none of it", async () => {
    const double = await seeded();
    const usd = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: [], currency: "USD" },
      host(double, 12)
    );
    expect(usd.created && usd.currency).toBe("USD");
    expect(double.state.pivotTables[0]?.manualFilters).toEqual({ Currency: ["USD"] });

    const gbp = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: [], currency: "GBP" },
      host(double, 12)
    );
    expect(gbp).toMatchObject({
      created: true,
      pivotName: "Costs_Pivot2",
      sheetName: "Pivot Costs (2)",
      currency: "EUR",
    });
    expect(gbp.created && gbp.notes[0]).toBe("Table Costs has no GBP rows; showing EUR instead.");
  });

  it("makes Currency the outermost row, without a grand total across currencies, where the host cannot filter", async () => {
    const double = await seeded();
    const outcome = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Country"] },
      host(double, 11)
    );
    expect(outcome).toMatchObject({
      created: true,
      currencyMode: "outer-row",
      currency: undefined,
      currencies: ["EUR", "USD"],
    });
    expect(outcome.created && outcome.notes).toEqual([
      "This version of Excel cannot filter a PivotTable from an add-in, so Currency is the outermost row: every currency has its own rows and subtotals, and there is no grand total across currencies.",
    ]);
    const [pivot] = double.state.pivotTables;
    expect(pivot?.rowHierarchies).toEqual(["Currency", "Country"]);
    expect(pivot?.filterHierarchies).toEqual([]);
    expect(pivot?.manualFilters).toBeUndefined();
    expect(pivot?.showColumnGrandTotals).toBe(false);
  });

  it("moves Currency outermost when the user picks it as a row", async () => {
    const double = await seeded();
    await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Account", "Currency"] },
      host(double, 15)
    );
    expect(double.state.pivotTables[0]?.rowHierarchies).toEqual(["Currency", "Account"]);
    expect(double.state.pivotTables[0]?.filterHierarchies).toEqual([]);
  });

  it("says plainly that the host cannot create PivotTables, and creates nothing", async () => {
    const double = await seeded();
    const syncsBefore = double.syncs.length;
    const outcome = await createBillingPivot(
      double.newContext(),
      { tableName: "Costs", rowFields: ["Account"] },
      host(double, 7)
    );
    expect(outcome).toEqual({
      created: false,
      message:
        "This version of Excel does not support creating PivotTables from add-ins; use Insert > PivotTable on table Costs.",
    });
    expect(unsupportedPivotMessage("Costs")).toBe(outcome.created ? "" : outcome.message);
    expect(double.syncs.length).toBe(syncsBefore);
    expect(double.inspect.sheetNames()).toEqual(["Sheet1", "Billing"]);
  });

  it("refuses fields that are not dimensions of the table, naming them", async () => {
    const double = await seeded();
    const create = (rowFields: string[]) =>
      createBillingPivot(double.newContext(), { tableName: "Costs", rowFields }, host(double, 15));
    await expect(create(["Sender"])).rejects.toThrow('Table Costs has no column "Sender" to use as rows.');
    await expect(create(["Total"])).rejects.toThrow(
      '"Total" cannot be a row of the PivotTable: it is a value, not a dimension.'
    );
    await expect(create(["Billing month"])).rejects.toThrow("billing months are its columns");
    await expect(
      createBillingPivot(double.newContext(), { tableName: "Nope", rowFields: [] }, host(double, 15))
    ).rejects.toThrow("There is no table named Nope in this workbook.");
    expect(double.state.pivotTables).toEqual([]);
  });
});

describe("refreshPivotTablesOn", () => {
  async function twoPivots(): Promise<ExcelDouble> {
    const double = await seeded();
    await seedBillingTable(double, "Other", BILLING_HEADER, ROWS, "Other data");
    await createBillingPivot(double.newContext(), { tableName: "Costs", rowFields: ["Account"] }, host(double, 15));
    await createBillingPivot(double.newContext(), { tableName: "Other", rowFields: ["Account"] }, host(double, 15));
    // A PivotTable the user made over the table's range rather than the table.
    const context = double.newContext();
    context.workbook.worksheets.getItem("Sheet1").pivotTables.add("ByRange", "Billing!A1:J4", "A1");
    await context.sync();
    return double;
  }
  const counts = (double: ExcelDouble) =>
    Object.fromEntries(double.inspect.pivotTables().map((p) => [p.name, p.refreshCount]));

  it("refreshes only the PivotTables whose source is the table (by data source, ExcelApi 1.15)", async () => {
    const double = await twoPivots();
    const result = await refreshPivotTablesOn(double.newContext(), "Costs", host(double, 15));
    expect(result).toEqual({ refreshed: ["Costs_Pivot", "ByRange"], scope: "table" });
    expect(counts(double)).toEqual({ Costs_Pivot: 1, Other_Pivot: 0, ByRange: 1 });
  });

  it("refreshes every PivotTable where the host cannot tell their sources", async () => {
    const double = await twoPivots();
    const result = await refreshPivotTablesOn(double.newContext(), "Costs", host(double, 14));
    expect(result).toEqual({ refreshed: ["Costs_Pivot", "Other_Pivot", "ByRange"], scope: "workbook" });
    expect(counts(double)).toEqual({ Costs_Pivot: 1, Other_Pivot: 1, ByRange: 1 });
  });

  it("does nothing for a table that is gone", async () => {
    const double = await twoPivots();
    await expect(refreshPivotTablesOn(double.newContext(), "Gone", host(double, 15))).resolves.toEqual({
      refreshed: [],
      scope: "table",
    });
    expect(counts(double)).toEqual({ Costs_Pivot: 0, Other_Pivot: 0, ByRange: 0 });
  });

  it("recognizes a table source with a sheet or workbook prefix, and a range source by its address", () => {
    expect(isSourceOf("LocalTable", "Costs", "costs", "Billing!A1:J4")).toBe(true);
    expect(isSourceOf("LocalTable", "[Book1.xlsx]Billing!Costs", "Costs", "Billing!A1:J4")).toBe(true);
    expect(isSourceOf("LocalTable", "Costs2", "Costs", "Billing!A1:J4")).toBe(false);
    expect(isSourceOf("LocalRange", "'My data'!$A$1:$J$4", "Costs", "'My data'!A1:J4")).toBe(true);
    expect(isSourceOf("LocalRange", "Billing!A1:J5", "Costs", "Billing!A1:J4")).toBe(false);
    expect(isSourceOf("Unknown", "Costs", "Costs", "Billing!A1:J4")).toBe(false);
  });
});
