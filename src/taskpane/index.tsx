/**
 * Entry point of the task pane's page, which is also the page the ribbon's commands run in (one shared runtime,
 * see src/commands). The commands are registered as the page loads, before Office runs any of them. Office.onReady
 * says whether Excel hosts the page: in Excel the pane writes tables into the workbook; in a plain browser (no host,
 * or office.js not loaded) it still renders, in "browser preview" mode, and results go to a preview grid with a
 * CSV download.
 */
import * as React from "react";
import { createRoot } from "react-dom/client";
import { registerCommands } from "../commands/commands";
import { App } from "./App";
import { excelWorkbook } from "./excel-workbook";
import { readOfficeTheme, themeFor } from "./theme";

function registerRibbon(): void {
  try {
    if (typeof Office !== "undefined" && Office.actions) registerCommands();
  } catch (error) {
    // Outside Excel (the browser preview) there is no ribbon to register with.
    console.info("Ribbon commands not registered", error);
  }
}

/** How long to wait for Office.onReady outside Office before rendering the preview anyway. */
const ON_READY_TIMEOUT_MS = 5_000;

function render(host: "excel" | "browser"): void {
  const container = document.getElementById("container");
  if (!container) return;
  const inExcel = host === "excel";
  const root = createRoot(container);
  root.render(
    <App
      mode={host}
      theme={themeFor(inExcel ? readOfficeTheme() : undefined)}
      {...(inExcel ? { workbook: excelWorkbook() } : {})}
    />
  );
}

function start(): void {
  let rendered = false;
  const once = (host: "excel" | "browser") => {
    if (rendered) return;
    rendered = true;
    render(host);
  };
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") {
    once("browser");
    return;
  }
  const fallback = setTimeout(() => once("browser"), ON_READY_TIMEOUT_MS);
  void Office.onReady((info) => {
    clearTimeout(fallback);
    once(info.host === Office.HostType.Excel ? "excel" : "browser");
  });
}

registerRibbon();
start();
