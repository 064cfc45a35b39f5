import { compareSnapshots } from "../../src/excel/changes";
import { readTableSnapshot, SNAPSHOT_BLOCK_CELLS } from "../../src/excel/table-snapshot";
import { BILLING_HEADER, billingRow, replaceBillingRows, seedBillingTable } from "./billing-fixture";
import { createExcelDouble } from "./excel-double";

const PERIODS = [{ month: "2026-10", volumeFinalized: false }];

describe("readTableSnapshot", () => {
  it("reads the billing columns, not the user's columns to the right", async () => {
    const double = createExcelDouble();
    const rows = [billingRow("Acme", "DE", 10, "EUR", "2026-10"), billingRow("Beta", "FR", 2.5, "EUR", "2026-10")];
    await seedBillingTable(double, "Costs", BILLING_HEADER, rows);
    const context = double.newContext();
    context.workbook.tables
      .getItem("Costs")
      .columns.add(undefined, [["With VAT"], ["=[@Total]*1.2"], ["=[@Total]*1.2"]]);
    await context.sync();

    const snapshot = await readTableSnapshot(double.newContext(), "Costs", PERIODS);
    expect(snapshot).toEqual({ header: BILLING_HEADER, rows, billingPeriods: PERIODS });
    await expect(readTableSnapshot(double.newContext(), "Nope")).resolves.toBeUndefined();
  });

  it("gives compareSnapshots a changed row, not a removed and an added one, when Total moves under a user column", async () => {
    const double = createExcelDouble();
    await seedBillingTable(double, "Costs", BILLING_HEADER, [billingRow("Acme", "DE", 10, "EUR", "2026-10")]);
    const context = double.newContext();
    context.workbook.tables.getItem("Costs").columns.add(undefined, [["Note"], ["checked"]]);
    await context.sync();
    const before = await readTableSnapshot(double.newContext(), "Costs", PERIODS);
    await replaceBillingRows(double, "Costs", [billingRow("Acme", "DE", 12, "EUR", "2026-10")]);
    const after = await readTableSnapshot(double.newContext(), "Costs", PERIODS);
    if (!before || !after) throw new Error("no snapshot");
    const month = compareSnapshots(before, after).provisionalMonths[0];
    expect([month?.added.length, month?.removed.length, month?.changed.length]).toEqual([0, 0, 1]);
  });

  it("reads a large table in blocks that each stay far under 5 MB, and skips the blank row of an empty table", async () => {
    const double = createExcelDouble();
    const perBlock = Math.floor(SNAPSHOT_BLOCK_CELLS / BILLING_HEADER.length);
    const many = Array.from({ length: perBlock * 2 + 1 }, (_, i) => billingRow(`A${i}`, "DE", 1, "EUR", "2026-10"));
    await seedBillingTable(double, "Costs", BILLING_HEADER, many);
    const start = double.syncs.length;
    const snapshot = await readTableSnapshot(double.newContext(), "Costs");
    expect(snapshot?.rows).toHaveLength(many.length);
    expect(double.syncs.length - start).toBe(2 + 3);

    await seedBillingTable(double, "Empty", BILLING_HEADER, [], "Other");
    expect((await readTableSnapshot(double.newContext(), "Empty"))?.rows).toEqual([]);
  });
});
