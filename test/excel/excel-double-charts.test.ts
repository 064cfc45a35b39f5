/**
 * The double's charts (test/excel/double/charts.ts) behave as Microsoft's reference documents them, and
 * are as strict as the rest of the double: what later tests rely on when they check an overview's charts.
 * ClientResult values are read after their sync, which the Office lint rules cannot follow here.
 */
/* eslint-disable office-addins/call-sync-before-read, office-addins/load-object-before-read */
import { calculatingDouble } from "./billing-fixture";
import { createExcelDouble } from "./excel-double";

describe("Excel double: charts", () => {
  it("makes one series per column of a numeric source, named Series1…, with no category labels", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedValues("Sheet1", "A1:B3", [
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const context = excel.newContext();
    const sheet = context.workbook.worksheets.getItem("Sheet1");
    const chart = sheet.charts.add("ColumnStacked", sheet.getRange("A1:B3"), "Columns");
    const series = chart.series.load("items/name");
    chart.load("name,chartType");
    await context.sync();
    expect(chart.chartType).toBe("ColumnStacked");
    expect(series.items.map((s) => s.name)).toEqual(["Series1", "Series2"]);
    const source = chart.series.getItemAt(1).getDimensionDataSourceString("Values");
    const categories = chart.series.getItemAt(1).getDimensionValues("Categories");
    await context.sync();
    expect(source.value).toBe("Sheet1!$B$1:$B$3");
    expect(categories.value).toEqual(["1", "2", "3"]);
  });

  it("refuses an unknown chart type, a source whose text Excel would guess labels from, and a 2-D series range", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedValues("Sheet1", "A1:B2", [
      ["Month", "SMS"],
      [1, 2],
    ]);
    const sheet = () => excel.context.workbook.worksheets.getItem("Sheet1");
    sheet().charts.add("Columnar" as Excel.ChartType, sheet().getRange("A2:B2"));
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    sheet().charts.add("Line", sheet().getRange("A1:B2"));
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "NotImplemented" });
    const chart = sheet().charts.add("Line", sheet().getRange("A2:A2"));
    chart.series.getItemAt(0).setValues(sheet().getRange("A1:B2"));
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("binds explicit series to ranges whose formulas it reads live, and reports their data source", async () => {
    const excel = calculatingDouble();
    excel.inspect.seedValues("Sheet1", "A1:B2", [
      ["Oct", "=C1*2"],
      ["Nov", "=C2*2"],
    ]);
    excel.inspect.seedValues("Sheet1", "C1:C2", [[1], [2]]);
    const context = excel.newContext();
    const sheet = context.workbook.worksheets.getItem("Sheet1");
    const chart = sheet.charts.add("Line", sheet.getRange("B1:B2"), "Columns");
    chart.name = "EUR daily";
    chart.title.text = "Daily cost";
    chart.setPosition("E1", "L16");
    const first = chart.series.getItemAt(0);
    first.name = "Cost";
    first.setXAxisValues(sheet.getRange("A1:A2"));
    const added = chart.series.add("Forecast");
    await context.sync();
    const hidden = added.getDimensionValues("Values");
    added.setValues(sheet.getRange("C1:C2"));
    added.format.line.lineStyle = "Dash";
    const values = first.getDimensionValues("Values");
    const categories = first.getDimensionValues("Categories");
    const type = first.getDimensionDataSourceType("Values");
    await context.sync();
    expect(hidden.value).toEqual([]);
    expect([values.value, categories.value, type.value]).toEqual([["2", "4"], ["Oct", "Nov"], "LocalRange"]);

    excel.inspect.seedValues("Sheet1", "C1", [[5]]);
    const again = excel.newContext().workbook.worksheets.getItem("Sheet1").charts.getItem("EUR daily");
    const live = again.series.getItemAt(0).getDimensionValues("Values");
    const title = again.title.load("text");
    await again.context.sync();
    expect(live.value).toEqual(["10", "4"]);
    expect(title.text).toBe("Daily cost");
    expect(excel.state.charts[0]).toMatchObject({
      anchor: { row: 0, col: 4, rows: 16, cols: 8 },
      series: [{ name: "Cost" }, { name: "Forecast", lineStyle: "Dash" }],
    });
  });

  it("finds a chart by name (the first of several), deletes series and charts, and deletes charts with their sheet", async () => {
    const excel = createExcelDouble();
    excel.inspect.seedSheet("Overview");
    excel.inspect.seedValues("Overview", "A1:B1", [[1, 2]]);
    const context = excel.newContext();
    const sheet = context.workbook.worksheets.getItem("Overview");
    for (const name of ["EUR monthly", "EUR monthly"])
      sheet.charts.add("ColumnStacked", sheet.getRange("A1:B1"), "Rows").name = name;
    await context.sync();
    const found = sheet.charts.getItem("eur monthly").load("id");
    const missing = sheet.charts.getItemOrNullObject("USD monthly");
    await context.sync();
    expect(found.id).toBe(excel.state.charts[0]?.id);
    expect(missing.isNullObject).toBe(true);
    found.delete();
    await context.sync();
    expect(excel.state.charts).toHaveLength(1);
    sheet.delete();
    await context.sync();
    expect(excel.state.charts).toEqual([]);
  });
});
