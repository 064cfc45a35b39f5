/**
 * Ribbon commands (the manifest's FunctionFile, commands.html). "Refresh all" is an ExecuteFunction button whose
 * FunctionName must match the name associated here.
 */
import { refreshAllBillingTables as refreshAll } from "../taskpane/refresh-all";

/**
 * Handles the "Refresh all" button: every billing table of the workbook is refreshed in place through the relay
 * (at most three at a time; one failure stops no other), with the key remembered on this computer. Office waits
 * for `event.completed()` before it accepts another click. Without UI here, each table's outcome goes to the
 * console; the pane's Tables screen shows the same refresh with its outcomes.
 */
export async function refreshAllBillingTables(event: Office.AddinCommands.Event): Promise<void> {
  try {
    const report = await refreshAll();
    for (const line of report.lines) console.info(`[Refresh all] ${line}`);
  } catch (error) {
    console.error("[Refresh all] could not run", error);
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  Office.actions.associate("refreshAllBillingTables", refreshAllBillingTables);
});
