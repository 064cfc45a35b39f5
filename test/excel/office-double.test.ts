/**
 * The Office host double's own contract: runtimes as Microsoft documents them. A ribbon function in a runtime of its
 * own is stopped at `event.completed()` or five minutes after the click, whatever it is doing; in the shared runtime
 * the manifest declares it runs in the pane's page and lives on. `Office.addin.showAsTaskpane` needs the shared
 * runtime, and a Marketplace add-in's call is ignored.
 */
import fs from "node:fs";
import path from "node:path";
import { createExcelDouble, type ExcelDouble } from "./excel-double";
import { FUNCTION_COMMAND_LIFETIME_MS, createOfficeHost } from "./double/office";

const manifest = fs.readFileSync(path.resolve(__dirname, "../../manifest.xml"), "utf8");

/** The manifest as it was before the shared runtime: the ribbon's functions in commands.html, their own runtime. */
const separateRuntimeManifest = manifest
  .replace(/<Runtimes>[\s\S]*?<\/Runtimes>\s*/, "")
  .replace('<FunctionFile resid="Taskpane.Url"/>', '<FunctionFile resid="Commands.Url"/>')
  .replace(
    '<bt:Url id="Taskpane.Url"',
    '<bt:Url id="Commands.Url" DefaultValue="https://localhost:3000/commands.html"/>\n        <bt:Url id="Taskpane.Url"'
  );

/** A Refresh all that takes ten requests, one row each, and reports when it is done. */
function slowCommand(excel: ExcelDouble): () => void {
  return () => {
    Office.actions.associate("refreshAllBillingTables", async (event: Office.AddinCommands.Event) => {
      await Excel.run(async (context) => {
        for (let i = 0; i < 10; i++) {
          context.workbook.worksheets.getItem("Sheet1").getCell(i, 0).values = [[i + 1]];
          // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per row is the point: a long job
          await context.sync();
        }
      });
      excel.inspect.seedValues("Sheet1", "B1", [["done"]]);
      event.completed();
    });
  };
}

/** Lets every pending promise and timer of the double run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("Office host double: runtimes", () => {
  it("stops a ribbon function of its own runtime five minutes after the click, part-way through its work", async () => {
    const excel = createExcelDouble();
    const host = createOfficeHost({
      excel,
      manifestXml: separateRuntimeManifest,
      pages: { "commands.html": slowCommand(excel), "taskpane.html": () => undefined },
      syncLatencyMs: 60_000,
    }).install();
    try {
      expect(host.sharedRuntime).toBe(false);
      const run = await host.pressButton("BillingUsage.RefreshAllButton");
      await settle();
      expect(run.runtime).toMatchObject({ kind: "function-command", closed: true, closedBecause: "timed out" });
      expect(run.isCompleted()).toBe(false);
      const written = excel.inspect.values("Sheet1", "A1:A10").map((row) => row[0]);
      expect(written).toEqual([1, 2, 3, 4, 5, "", "", "", "", ""]);
      expect(excel.inspect.values("Sheet1", "B1")).toEqual([[""]]);
      expect(host.clock).toBe(FUNCTION_COMMAND_LIFETIME_MS);
    } finally {
      host.uninstall();
    }
  });

  it("stops a ribbon function of its own runtime when it calls completed(), even with work left", async () => {
    const excel = createExcelDouble();
    const early = () => {
      Office.actions.associate("refreshAllBillingTables", async (event: Office.AddinCommands.Event) => {
        event.completed();
        await Excel.run(async (context) => {
          context.workbook.worksheets.getItem("Sheet1").getCell(0, 0).values = [["after completed"]];
          await context.sync();
        });
      });
    };
    const host = createOfficeHost({
      excel,
      manifestXml: separateRuntimeManifest,
      pages: { "commands.html": early, "taskpane.html": () => undefined },
    }).install();
    try {
      const run = await host.pressButton("BillingUsage.RefreshAllButton");
      await settle();
      expect(run.runtime.closedBecause).toBe("completed");
      expect(excel.inspect.values("Sheet1", "A1")).toEqual([[""]]);
    } finally {
      host.uninstall();
    }
  });

  it("runs the ribbon's functions in the pane's long-lived page when the manifest shares the runtime", async () => {
    const excel = createExcelDouble();
    const host = createOfficeHost({
      excel,
      pages: { "taskpane.html": slowCommand(excel) },
      syncLatencyMs: 60_000,
    }).install();
    try {
      expect(host.sharedRuntime).toBe(true);
      const run = await host.pressButton("BillingUsage.RefreshAllButton");
      await run.completed;
      expect(run.runtime).toMatchObject({ kind: "shared", closed: false, page: "taskpane.html" });
      expect(excel.inspect.values("Sheet1", "A10:B10")).toEqual([[10, ""]]);
      expect(excel.inspect.values("Sheet1", "B1")).toEqual([["done"]]);
      expect(host.clock).toBe(10 * 60_000);
      // Opening the pane shows the same page: one runtime.
      expect(await host.openTaskPane()).toBe(run.runtime);
    } finally {
      host.uninstall();
    }
  });

  it("keeps the ribbon out of a runtime of its own where Excel has no shared runtime", async () => {
    const excel = createExcelDouble({ otherSets: {} });
    const host = createOfficeHost({ excel, pages: { "taskpane.html": () => undefined } });
    expect(host.sharedRuntime).toBe(false);
    expect(host.manifest.sharedRuntimeRequired).toBe(true);
  });

  it("shows the pane from the shared runtime only, and not at all for a Marketplace add-in", async () => {
    const show = (marketplace: boolean) => async () => {
      const excel = createExcelDouble();
      const host = createOfficeHost({ excel, pages: { "taskpane.html": () => undefined }, marketplace }).install();
      try {
        const pane = await host.inRuntime((await host.pressButton("BillingUsage.TaskpaneButton")).runtime, async () => {
          await Office.addin.hide();
          await Office.addin.showAsTaskpane();
          return host.taskPaneVisible;
        });
        return pane;
      } finally {
        host.uninstall();
      }
    };
    await expect(show(false)()).resolves.toBe(true);
    await expect(show(true)()).resolves.toBe(false);

    const excel = createExcelDouble();
    const host = createOfficeHost({
      excel,
      manifestXml: separateRuntimeManifest,
      pages: { "commands.html": () => undefined, "taskpane.html": () => undefined },
    }).install();
    try {
      const pane = await host.openTaskPane();
      await expect(host.inRuntime(pane, () => Office.addin.showAsTaskpane())).rejects.toThrow(/shared runtime/);
    } finally {
      host.uninstall();
    }
  });
});
