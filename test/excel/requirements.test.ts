/**
 * Requirement sets (issue 10, point 2): the manifest declares the ExcelApi version the code needs everywhere, every
 * workbook action either works or says plainly what this Excel lacks on the oldest Excel that installs the add-in,
 * and the double's tags of each member's version are those of @types/office-js.
 */
import fs from "node:fs";
import path from "node:path";
import { createBillingPivot, refreshPivotTablesOn } from "../../src/excel/pivot";
import { buildReconciliation } from "../../src/excel/reconciliation";
import { MANIFEST_EXCEL_API } from "../../src/excel/requirements";
import { shapeResult } from "../../src/excel/shape";
import { replaceTableRowsInPlace, writeBillingTable } from "../../src/excel/table-writer";
import { excelWorkbook } from "../../src/taskpane/excel-workbook";
import { EXCEL_API_MEMBERS, compareVersions, createExcelDouble, manifestExcelApi } from "./excel-double";
import { fixtureInput } from "./fixtures";

const quiet = { log: () => undefined };

describe("the manifest's requirement sets", () => {
  it("declares the ExcelApi version the code is written for", () => {
    expect(manifestExcelApi()).toBe(MANIFEST_EXCEL_API);
    expect(MANIFEST_EXCEL_API).toBe("1.7");
  });

  it("lets every action work, or say what is unavailable, on the oldest Excel that installs the add-in", async () => {
    const excel = createExcelDouble({ excelApi: manifestExcelApi() });
    const host = excel.requirements;
    const shape = shapeResult(fixtureInput({ rows: 20 }));
    const written = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, { ...quiet, host });
    expect(excel.inspect.table(written.tableName)?.dataRowCount).toBe(20);

    await expect(
      replaceTableRowsInPlace(excel.newContext(), written.tableName, shape, { ...quiet, host })
    ).rejects.toThrow(
      "Refreshing a table in place is not available in this version of Excel: it needs the Excel JavaScript API 1.13 (Microsoft 365, Excel 2021 or later, or Excel on the web). Write the result to a new sheet instead (Query > Destination: a new sheet). Nothing was written."
    );
    await expect(
      createBillingPivot(excel.newContext(), { tableName: written.tableName, rowFields: ["Country"] }, host)
    ).resolves.toMatchObject({
      created: false,
      message: expect.stringMatching(/does not support creating PivotTables/),
    });
    await expect(refreshPivotTablesOn(excel.newContext(), written.tableName, host)).resolves.toEqual({
      refreshed: [],
      scope: "workbook",
    });
    await expect(buildReconciliation(excel.newContext(), written.tableName)).resolves.toMatchObject({ created: true });

    const globals = globalThis as { Office?: unknown; Excel?: unknown };
    globals.Office = { context: { requirements: host } };
    globals.Excel = { run: excel.run };
    try {
      await expect(excelWorkbook().selectedTableName()).resolves.toBeUndefined();
    } finally {
      delete globals.Office;
      delete globals.Excel;
    }
    // Nothing above the declared set was used without asking first (the double would have refused it).
    expect(excel.syncs.filter((s) => s.error === "ApiNotFound" || s.error === "UncheckedRequirement")).toEqual([]);
  });

  it("refuses a member above the declared set that the code did not check for, and one this Excel lacks", async () => {
    const modern = createExcelDouble();
    const context = modern.newContext();
    context.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").getTables().load("items/name");
    await expect(context.sync()).rejects.toMatchObject({ code: "UncheckedRequirement" });

    const old = createExcelDouble({ excelApi: "1.8" });
    expect(old.requirements.isSetSupported("ExcelApi", "1.9")).toBe(false);
    const ctx = old.newContext();
    ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").getTables().load("items/name");
    await expect(ctx.sync()).rejects.toMatchObject({ code: "ApiNotFound" });
  });
});

describe("the double's requirement-set tags", () => {
  /** "Class.member" (or "Class.member=set") → the ExcelApi version @types/office-js gives it. */
  function typingsVersions(): Map<string, string> {
    const file = path.resolve(__dirname, "../../node_modules/@types/office-js/index.d.ts");
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf("declare namespace Excel {");
    const end = text.indexOf("\ndeclare namespace ", start + 10);
    const lines = text.slice(start, end).split("\n");
    const versions = new Map<string, string>();
    let className = "";
    let apiSet = "";
    for (const line of lines) {
      const cls = /^ {4}(?:export )?(?:class|interface) (\w+)/.exec(line);
      if (cls) className = cls[1] ?? "";
      const set = /\[Api set: ExcelApi ([\d.]+)([^\]]*)\]/.exec(line);
      if (set) apiSet = `${set[1]}${set[2] ?? ""}`;
      const member = /^ {8}(?:readonly )?(\w+)\??[:(<]/.exec(line);
      if (member && apiSet) {
        const key = `${className}.${member[1]}`;
        if (!versions.has(key)) {
          versions.set(key, apiSet.split(" ")[0] ?? "");
          const setter = /([\d.]+) for set/.exec(apiSet);
          if (setter) versions.set(`${key}=set`, setter[1] ?? "");
        }
        apiSet = "";
      }
    }
    return versions;
  }

  it("gives each member the version @types/office-js documents", () => {
    const versions = typingsVersions();
    const wrong = Object.entries(EXCEL_API_MEMBERS).filter(([member, version]) => versions.get(member) !== version);
    expect(wrong.map(([member, version]) => `${member}: double ${version}, typings ${versions.get(member)}`)).toEqual(
      []
    );
    expect(Object.values(EXCEL_API_MEMBERS).every((v) => compareVersions(v, "1.1") > 0)).toBe(true);
  });
});
