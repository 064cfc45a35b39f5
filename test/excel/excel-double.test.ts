/**
 * The double's own contract: the strictness other tests rely on. These tests read properties before loading
 * them on purpose, to see the double refuse, so the Office lint rules that forbid exactly that are off here.
 */
/* eslint-disable office-addins/call-sync-before-read, office-addins/load-object-before-read, office-addins/call-sync-after-load */
import { calculatingDouble } from "./billing-fixture";
import { createExcelDouble } from "./excel-double";

describe("Excel double", () => {
  it("throws PropertyNotLoaded for a property read before load and sync", async () => {
    const excel = createExcelDouble();
    const range = excel.context.workbook.worksheets.getItem("Sheet1").getRange("A1:B2");
    expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    range.load("values");
    expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    await excel.context.sync();
    expect(range.values).toEqual([
      ["", ""],
      ["", ""],
    ]);
    expect(() => range.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
  });

  it("resolves isNullObject only after a sync", async () => {
    const excel = createExcelDouble();
    const missing = excel.context.workbook.tables.getItemOrNullObject("Nope");
    expect(() => missing.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    await excel.context.sync();
    expect(missing.isNullObject).toBe(true);
  });

  it("rejects a write whose shape differs from the range, and broadcasts a 1×1 array", async () => {
    const excel = createExcelDouble();
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.getRange("A1:B2").values = [[1, 2, 3]];
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    sheet.getRange("A1:B2").numberFormat = [["0.00"]];
    await excel.context.sync();
    expect(excel.inspect.numberFormats("Sheet1", "A1:B2")).toEqual([
      ["0.00", "0.00"],
      ["0.00", "0.00"],
    ]);
  });

  it("rejects a request over the payload limit whole, applying nothing", async () => {
    const excel = createExcelDouble({ payloadLimitBytes: 1000 });
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.getRange("A1").values = [["first"]];
    sheet.getRange("A2:A101").values = Array.from({ length: 100 }, () => ["xxxxxxxxxx"]);
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    expect(excel.inspect.values("Sheet1", "A1")).toEqual([[""]]);
    expect(excel.syncs[0]).toMatchObject({ error: "RequestPayloadSizeLimitExceeded" });
    expect(excel.syncs[0]?.payloadBytes).toBeGreaterThan(1000);
  });

  it("converts typed input like Excel unless the cell is text-formatted", async () => {
    const excel = createExcelDouble();
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.getRange("A1:D1").values = [["0044", "754564654689", "2026-03-01", "=1+1"]];
    sheet.getRange("A2:D2").numberFormat = [["@"]];
    sheet.getRange("A2:C2").values = [["0044", "754564654689", "2026-03-01"]];
    await excel.context.sync();
    expect(excel.inspect.values("Sheet1", "A1:C1")).toEqual([[44, 754564654689, 46082]]);
    expect(excel.inspect.formulas("Sheet1", "D1")).toEqual([["=1+1"]]);
    expect(excel.inspect.values("Sheet1", "A2:C2")).toEqual([["0044", "754564654689", "2026-03-01"]]);
  });

  it("runs text that starts like a formula as a formula even in a text cell, unless it starts with an apostrophe", async () => {
    const excel = createExcelDouble();
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.getRange("A1:E2").numberFormat = [["@"]];
    sheet.getRange("A1:E1").values = [["=SPRING", "+385911234567", "-N/A-", "@sender", "'quoted"]];
    sheet.getRange("A2:E2").values = [["'=SPRING", "'+385911234567", "'-N/A-", "'@sender", "''quoted"]];
    sheet.getRange("F1:G1").values = [["-5", "+44"]];
    await excel.context.sync();
    expect(excel.inspect.formulas("Sheet1", "A1:D1")).toEqual([["=SPRING", "=+385911234567", "=-N/A-", "=@sender"]]);
    expect(excel.inspect.values("Sheet1", "E1")).toEqual([["quoted"]]);
    expect(excel.inspect.values("Sheet1", "A2:E2")).toEqual([
      ["=SPRING", "+385911234567", "-N/A-", "@sender", "'quoted"],
    ]);
    expect(excel.inspect.values("Sheet1", "F1:G1")).toEqual([[-5, 44]]);
  });

  it("refuses text longer than a cell holds, and counts dates in the workbook's date system", async () => {
    const excel = createExcelDouble({ dateSystem: 1904 });
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.getRange("A1").values = [["2000-01-01"]];
    await excel.context.sync();
    expect(excel.inspect.values("Sheet1", "A1")).toEqual([[35064]]);
    expect(excel.inspect.dateOf(35064)).toBe("2000-01-01");
    sheet.getRange("A2").values = [["x".repeat(32_768)]];
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    sheet.getRange("A2").values = [["x".repeat(32_767)]];
    await excel.context.sync();
  });

  it("leaves a cell unchanged for null and empties it for an empty string", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedValues("Sheet1", "A1:B1", [["keep", "drop"]]);
    excel.context.workbook.worksheets.getItem("Sheet1").getRange("A1:B1").values = [[null, ""]];
    await excel.context.sync();
    expect(excel.inspect.values("Sheet1", "A1:B1")).toEqual([["keep", ""]]);
  });

  it.each(["A1", "R1C1", "r", "1abc", "has space", "XFD1048576", "a-b", ""])(
    "refuses the table name %p",
    async (name) => {
      const excel = createExcelDouble();
      const table = excel.context.workbook.worksheets.getItem("Sheet1").tables.add("A1:B3", true);
      table.name = name;
      await expect(excel.context.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    }
  );

  it("keeps table names unique and rewrites references on rename, #REF! on delete", async () => {
    const excel = createExcelDouble();
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    excel.inspect.seedValues("Sheet1", "A1:B3", [
      ["Item", "Total"],
      ["a", 1],
      ["b", 2],
    ]);
    const first = sheet.tables.add("A1:B3", true);
    first.name = "Costs";
    sheet.getRange("E1").formulas = [["=SUM(Costs[Total])"]];
    const second = sheet.tables.add("G1:H3", true);
    second.name = "costs";
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "ItemAlreadyExists" });
    const ctx = excel.newContext();
    ctx.workbook.tables.getItem("Costs").name = "Billing_1";
    await ctx.sync();
    expect(excel.inspect.formulas("Sheet1", "E1")).toEqual([["=SUM(Billing_1[Total])"]]);
    ctx.workbook.tables.getItem("Billing_1").delete();
    await ctx.sync();
    expect(excel.inspect.brokenFormulas()).toEqual({ "Sheet1!E1": "=SUM(#REF!)" });
  });

  it("resizes a table in place and fills calculated columns into new rows", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedValues("Sheet1", "A1:C3", [
      ["Item", "Total", "Double"],
      ["a", 1, "=[@Total]*2"],
      ["b", 2, "=[@Total]*2"],
    ]);
    const table = excel.context.workbook.worksheets.getItem("Sheet1").tables.add("A1:C3", true);
    table.name = "T";
    await excel.context.sync();
    excel.context.workbook.tables.getItem("T").resize("A1:C5");
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "UncheckedRequirement" });
    expect(excel.requirements.isSetSupported("ExcelApi", "1.13")).toBe(true);
    excel.context.workbook.tables.getItem("T").resize("A1:C5");
    await excel.context.sync();
    expect(excel.inspect.table("T")).toMatchObject({
      address: "Sheet1!A1:C5",
      dataRowCount: 4,
      calculatedColumns: { Double: "=[@Total]*2" },
    });
    expect(excel.inspect.formulas("Sheet1", "C5")).toEqual([["=[@Total]*2"]]);
  });

  it("stores custom XML parts by namespace and returns their XML after a sync", async () => {
    const excel = createExcelDouble();
    const ctx = excel.context;
    ctx.workbook.customXmlParts.add('<state xmlns="urn:test:v1"><![CDATA[{"a":1}]]></state>');
    await ctx.sync();
    const scoped = ctx.workbook.customXmlParts.getByNamespace("urn:test:v1");
    const part = scoped.getOnlyItemOrNullObject();
    const count = scoped.getCount();
    await ctx.sync();
    const xml = part.getXml();
    expect(() => xml.value).toThrow(expect.objectContaining({ code: "ValueNotLoaded" }));
    await ctx.sync();
    expect(count.value).toBe(1);
    expect(xml.value).toContain('{"a":1}');
    ctx.workbook.customXmlParts.add("not xml");
    await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("records each sync's operations, bytes and suspended calculation", async () => {
    const excel = createExcelDouble();
    await excel.run(async (ctx) => {
      ctx.application.suspendApiCalculationUntilNextSync();
      ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B1").values = [["x", 1]];
    });
    expect(excel.syncs).toHaveLength(1);
    expect(excel.syncs[0]).toMatchObject({ calculationSuspended: true });
    expect(excel.syncs[0]?.operations.map((op) => op.kind)).toEqual(["suspendCalculation", "values"]);
    expect(excel.syncs[0]?.operations[1]).toMatchObject({ address: "Sheet1!A1:B1", rows: 1, columns: 2 });
  });

  it("reaches items of every named collection by name without case, failing at sync for a missing one", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedValues("Sheet1", "A1:B3", [
      ["Item", "Total"],
      ["a", 1],
      ["b", 2],
    ]);
    const setup = excel.newContext();
    setup.workbook.worksheets.getItem("Sheet1").tables.add("A1:B3", true).name = "Costs";
    setup.workbook.names.add("Costs_Tolerance", setup.workbook.worksheets.getItem("Sheet1").getRange("D1"));
    await setup.sync();

    const ctx = excel.newContext();
    const found = [
      ctx.workbook.worksheets.getItem("SHEET1").load("name"),
      ctx.workbook.tables.getItem("costs").load("name"),
      ctx.workbook.names.getItem("costs_tolerance").load("name"),
      ctx.workbook.tables.getItem("Costs").columns.getItem("TOTAL").load("name"),
    ];
    await ctx.sync();
    expect(found.map((item) => item.name)).toEqual(["Sheet1", "Costs", "Costs_Tolerance", "Total"]);

    const missing = [
      () => ctx.workbook.worksheets.getItem("Nope").load("name"),
      () => ctx.workbook.tables.getItem("Nope").load("name"),
      () => ctx.workbook.names.getItem("Nope").load("name"),
      () => ctx.workbook.pivotTables.getItem("Nope").load("name"),
      () => ctx.workbook.customXmlParts.getItem("Nope").load("id"),
      () => ctx.workbook.tables.getItem("Costs").columns.getItem("Nope").load("name"),
      () => ctx.workbook.worksheets.getItem("Sheet1").getRange("A1").conditionalFormats.getItem("Nope").load("id"),
    ];
    for (const reach of missing) {
      reach();
      await expect(ctx.sync()).rejects.toMatchObject({ code: "ItemNotFound" });
    }
    const nulls = [
      ctx.workbook.worksheets.getItemOrNullObject("Nope"),
      ctx.workbook.names.getItemOrNullObject("Nope"),
      ctx.workbook.pivotTables.getItemOrNullObject("Nope"),
      ctx.workbook.tables.getItem("Costs").columns.getItemOrNullObject("Nope"),
    ];
    await ctx.sync();
    expect(nulls.map((item) => item.isNullObject)).toEqual([true, true, true, true]);
  });

  it("looks a collection's members up again at every sync, so a reused collection sees earlier changes", async () => {
    const excel = createExcelDouble();
    const ctx = excel.context;
    const sheets = ctx.workbook.worksheets;
    sheets.add("Costs");
    await ctx.sync();
    sheets.getItem("Costs").delete();
    await ctx.sync();
    sheets.load("items/name");
    await ctx.sync();
    expect(sheets.items.map((s) => s.name)).toEqual(["Sheet1"]);
    sheets.getItem("Costs").load("name");
    await expect(ctx.sync()).rejects.toMatchObject({ code: "ItemNotFound" });
  });

  it("finds a table through range.getTables only among the tables that range touches", async () => {
    const excel = createExcelDouble();
    excel.requirements.isSetSupported("ExcelApi", "1.9");
    const sheet = excel.context.workbook.worksheets.getItem("Sheet1");
    sheet.tables.add("A1:B3", true).name = "Left";
    sheet.tables.add("E1:F3", true).name = "Right";
    await excel.context.sync();
    const touching = sheet.getRange("A1").getTables(false);
    const right = touching.getItemOrNullObject("Right");
    const left = touching.getItemOrNullObject("Left");
    await excel.context.sync();
    expect([left.isNullObject, right.isNullObject]).toEqual([false, true]);
  });
});

describe("Excel double: issue 10's strictness", () => {
  it("keeps tables and defined names in one namespace, both ways", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedName("Costs", "Sheet1", "D1");
    const ctx = excel.newContext();
    ctx.workbook.worksheets.getItem("Sheet1").tables.add("A1:B3", true).name = "Costs";
    await expect(ctx.sync()).rejects.toMatchObject({ code: "ItemAlreadyExists" });
    const other = excel.newContext();
    other.workbook.worksheets.getItem("Sheet1").tables.add("A5:B7", true).name = "Fees";
    await other.sync();
    other.workbook.names.add("Fees", other.workbook.worksheets.getItem("Sheet1").getRange("E1"));
    await expect(other.sync()).rejects.toMatchObject({ code: "ItemAlreadyExists" });
  });

  it("computes DATE in a named formula by the workbook's date system", async () => {
    for (const [dateSystem, serial] of [
      [1900, 36526],
      [1904, 35064],
    ] as const) {
      const excel = createExcelDouble({ dateSystem });
      const ctx = excel.newContext();
      const probe = ctx.workbook.names.add("Probe", "=DATE(2000,1,1)").load("value, type");
      probe.delete();
      await ctx.sync();
      expect([probe.value, probe.type]).toEqual([serial, "Double"]);
      expect(excel.inspect.names()).toEqual({});
    }
  });

  it("fails a chosen sync whole, or part-way with the operations before the failure applied", async () => {
    const excel = createExcelDouble();
    const sheet = () => excel.context.workbook.worksheets.getItem("Sheet1");
    excel.failSync({ at: 2 });
    sheet().getRange("A1").values = [[1]];
    await excel.context.sync();
    sheet().getRange("A2").values = [[2]];
    await expect(excel.context.sync()).rejects.toMatchObject({
      code: "GeneralException",
      message: "An internal error has occurred.",
    });
    excel.failSync({ at: 1, afterOperations: 1, code: "ServiceNotAvailable" });
    sheet().getRange("A3").values = [[3]];
    sheet().getRange("A4").values = [[4]];
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "ServiceNotAvailable" });
    expect(excel.inspect.values("Sheet1", "A1:A4")).toEqual([[1], [""], [3], [""]]);
  });

  it("refuses a response over the limit", async () => {
    const excel = createExcelDouble({ payloadLimitBytes: 2_000 });
    excel.inspect.seedValues(
      "Sheet1",
      "A1:A300",
      Array.from({ length: 300 }, () => ["xxxxxxxxxx"])
    );
    excel.context.workbook.worksheets.getItem("Sheet1").getRange("A1:A300").load("values");
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
    expect(excel.syncs[0]?.responseBytes).toBeGreaterThan(2_000);
  });

  it("moves formats, conditional formats, merged areas and names with shifted cells, and refuses to split them", async () => {
    const excel = createExcelDouble();
    const sheet = excel.state.sheetByName("Sheet1")!;
    excel.inspect.seedValues("Sheet1", "A5", [["note"]]);
    excel.inspect.seedName("Note", "Sheet1", "A5");
    const cf = excel.inspect.seedConditionalFormat("Sheet1", "A5:B6", { formula: "=TRUE" });
    excel.inspect.seedMerge("Sheet1", "A8:B8");
    excel.state.applyStyle(sheet, { row: 4, col: 0, rows: 1, cols: 1 }, { bold: true });
    excel.state.insertCells(sheet, { row: 2, col: 0, rows: 2, cols: 2 }, "Down");
    expect(excel.inspect.values("Sheet1", "A7")).toEqual([["note"]]);
    expect(excel.inspect.style("Sheet1", "A7").bold).toBe(true);
    expect(excel.inspect.names()).toEqual({ Note: "Sheet1!A7" });
    expect(excel.inspect.conditionalFormats("Sheet1")).toEqual([
      expect.objectContaining({ id: cf, address: "Sheet1!A7:B8" }),
    ]);
    expect(sheet.merges).toEqual([{ row: 9, col: 0, rows: 1, cols: 2 }]);
    // A merged area across the edge of the shifted columns, a spill across it, a PivotTable in their way.
    expect(() => excel.state.insertCells(sheet, { row: 0, col: 0, rows: 1, cols: 1 }, "Down")).toThrow(
      expect.objectContaining({ code: "InsertDeleteConflict" })
    );
    excel.inspect.seedSheet("Other");
    excel.inspect.seedSpill("Other", "C5:E9");
    const other = excel.state.sheetByName("Other")!;
    expect(() => excel.state.deleteCells(other, { row: 0, col: 0, rows: 1, cols: 4 }, "Up")).toThrow(
      expect.objectContaining({ code: "InsertDeleteConflict", message: expect.stringMatching(/part of an array/) })
    );
    excel.state.insertCells(other, { row: 0, col: 0, rows: 1, cols: 6 }, "Down");
    expect(other.spills).toEqual([{ row: 5, col: 2, rows: 5, cols: 3 }]);
  });

  it("keeps formula results stale in manual calculation until the workbook is calculated", async () => {
    const excel = calculatingDouble();
    excel.inspect.seedValues("Sheet1", "A1:B2", [
      ["Item", "Total"],
      ["a", 1],
    ]);
    const ctx = excel.newContext();
    ctx.workbook.worksheets.getItem("Sheet1").tables.add("A1:B2", true).name = "T";
    ctx.workbook.worksheets.getItem("Sheet1").getRange("D1").formulas = [["=SUM(T[Total])"]];
    ctx.application.calculationMode = "Manual";
    excel.requirements.isSetSupported("ExcelApi", "1.8");
    await ctx.sync();
    ctx.workbook.worksheets.getItem("Sheet1").getRange("B2").values = [[5]];
    const mode = ctx.application.load("calculationMode");
    await ctx.sync();
    expect(mode.calculationMode).toBe("Manual");
    expect(excel.inspect.values("Sheet1", "D1")).toEqual([[1]]);
    ctx.application.calculate("Recalculate");
    await ctx.sync();
    expect(excel.inspect.values("Sheet1", "D1")).toEqual([[5]]);
  });

  it("copies values across sheets without reading them as input, and keeps a workbook's last visible sheet", async () => {
    const excel = createExcelDouble();
    excel.requirements.isSetSupported("ExcelApi", "1.9");
    const ctx = excel.newContext();
    const staging = ctx.workbook.worksheets.add("Staging");
    staging.getRange("A1:B1").numberFormat = [["@"]];
    staging.getRange("A1:B1").values = [["0044", "'=SPRING"]];
    staging.visibility = "Hidden";
    ctx.workbook.worksheets.getItem("Sheet1").getRange("C3").copyFrom("Staging!A1:B1", "Values");
    await ctx.sync();
    expect(excel.inspect.values("Sheet1", "C3:D3")).toEqual([["0044", "=SPRING"]]);
    expect(excel.inspect.formulas("Sheet1", "C3:D3")).toEqual([["0044", "=SPRING"]]);
    expect(excel.inspect.sheetVisibility()).toEqual({ Sheet1: "Visible", Staging: "Hidden" });
    ctx.workbook.worksheets.getItem("Sheet1").visibility = "Hidden";
    await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidOperation" });
  });
});
