/**
 * "Check this Excel" run on the strict double: on a current Excel every check passes and nothing is left behind;
 * on the oldest Excel the manifest admits the features it lacks are reported unavailable, not failed; in a 1904
 * workbook the dates are checked in that system; and a step that fails is reported while the scratch sheets still go.
 */
import { SCRATCH_SHEET, runSelfTest, selfTestReportText, type SelfTestReport } from "../../src/excel/self-test";
import { calculatingDouble } from "./billing-fixture";
import { manifestExcelApi, type ExcelDouble } from "./excel-double";

const NOW = new Date("2026-03-20T09:00:00Z");

async function check(excel: ExcelDouble): Promise<SelfTestReport> {
  excel.inspect.seedSheet("My data");
  excel.inspect.seedValues("My data", "A1:B2", [
    ["Budget", 100],
    ["Spent", "=B1/2"],
  ]);
  excel.inspect.select("My data", "A1");
  return runSelfTest({
    run: excel.run,
    host: excel.requirements,
    info: { excelVersion: "16.0.18526.20168", platform: "OfficeOnline" },
    now: NOW,
  });
}

function outcomes(report: SelfTestReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.title, c.outcome]));
}

/** The user's sheets exactly as they were, the scratch ones gone, the user's sheet active again. */
function expectLeftAlone(excel: ExcelDouble): void {
  expect(excel.inspect.sheetNames()).toEqual(["Sheet1", "My data"]);
  expect(excel.inspect.tableNames()).toEqual([]);
  expect(excel.inspect.names()).toEqual({});
  expect(excel.inspect.pivotTables()).toEqual([]);
  expect(excel.inspect.formulas("My data", "A1:B2")).toEqual([
    ["Budget", 100],
    ["Spent", "=B1/2"],
  ]);
  expect(excel.inspect.activeSheet()).toBe("My data");
}

describe("Check this Excel, on the double", () => {
  it("passes every check on a current Excel, and leaves the workbook as it found it", async () => {
    const excel = calculatingDouble();
    const report = await check(excel);
    expect(report.checks.filter((c) => c.outcome !== "pass")).toEqual([]);
    expect(outcomes(report)).toEqual({
      "This Excel": "pass",
      "Write a billing table": "pass",
      "Date system": "pass",
      "Text stays text": "pass",
      "Long text is cut, not refused": "pass",
      "Numbers and their formats": "pass",
      Dates: "pass",
      "Refresh in place keeps your columns and formulas": "pass",
      Reconciliation: "pass",
      PivotTable: "pass",
      "Scratch sheets removed": "pass",
    });
    expect(report.passed).toBe(true);
    expect(report.requirementSets).toEqual(["ExcelApi 1.17", "SharedRuntime 1.1", "DialogApi 1.2"]);
    expect(excel.syncs.some((s) => s.operations.some((op) => op.address?.startsWith(`'${SCRATCH_SHEET}'`)))).toBe(true);
    expectLeftAlone(excel);

    const text = selfTestReportText(report);
    expect(text).toMatch(/^Billing Usage — Check this Excel: passed\n/);
    expect(text).toContain("Excel: 16.0.18526.20168 on OfficeOnline");
    expect(text).toContain("Requirement sets: ExcelApi 1.17, SharedRuntime 1.1, DialogApi 1.2");
    expect(text).toContain("PASS  Dates: dates are serials of the 1900 date system");
  });

  it("checks dates in the 1904 date system of a workbook that uses it", async () => {
    const excel = calculatingDouble({ dateSystem: 1904 });
    const report = await check(excel);
    expect(report.passed).toBe(true);
    expect(report.dateSystem).toBe(1904);
    expect(report.checks.find((c) => c.title === "Dates")?.detail).toMatch(/1904 date system/);
    expectLeftAlone(excel);
  });

  it("reports what the oldest Excel the manifest admits lacks as unavailable, not as failures", async () => {
    const excel = calculatingDouble({ excelApi: manifestExcelApi() });
    const report = await check(excel);
    expect(report.passed).toBe(true);
    expect(outcomes(report)).toMatchObject({
      "Refresh in place keeps your columns and formulas": "unavailable",
      PivotTable: "unavailable",
      Reconciliation: "pass",
    });
    expect(report.checks.find((c) => c.title === "PivotTable")?.detail).toBe(
      "this Excel lacks ExcelApi 1.8 (Excel 2019 or later, Microsoft 365, or Excel on the web)"
    );
    expect(selfTestReportText(report)).toContain("N/A   PivotTable:");
    expectLeftAlone(excel);
  });

  it("reports a step Excel refuses, and still removes its scratch sheets", async () => {
    const excel = calculatingDouble();
    excel.failSync({
      when: (ops) => ops.some((op) => op.kind === "copyFrom"),
      code: "AccessDenied",
      message: "You cannot perform the requested operation.",
    });
    excel.failSync({
      when: (ops) => ops.some((op) => op.kind === "copyFrom"),
      code: "AccessDenied",
      message: "You cannot perform the requested operation.",
    });
    const report = await check(excel);
    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.outcome === "fail")?.detail).toMatch(
      /You cannot perform the requested operation/
    );
    expect(selfTestReportText(report)).toMatch(/^Billing Usage — Check this Excel: FAILED/);
    expectLeftAlone(excel);
  });
});
