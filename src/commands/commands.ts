/**
 * Ribbon commands. The manifest runs them in the task pane's page — one shared runtime (`<Runtime
 * resid="Taskpane.Url" lifetime="long">`, `<FunctionFile resid="Taskpane.Url">`) — so they share the pane's state
 * and never stop half way: a function command in a runtime of its own "shuts down when ... the function command
 * calls the completed method of its event parameter [or] five minutes have elapsed since the triggering event"
 * (https://learn.microsoft.com/office/dev/add-ins/testing/runtimes#browser-runtime), which would cut a long
 * Refresh all in the middle of a write. `Office.actions.associate` names each function as the manifest's
 * `<FunctionName>` does (https://learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime).
 */
import { refreshActivity } from "../taskpane/refresh-activity";

/** The manifest's `<FunctionName>` of the Refresh all button. */
export const REFRESH_ALL_FUNCTION = "refreshAllBillingTables";

/**
 * Shows the pane, where the refresh reports its progress and each table's outcome. `showAsTaskpane` needs the shared
 * runtime, and Office ignores it for add-ins from the Microsoft Marketplace since February 2026
 * (https://learn.microsoft.com/office/dev/add-ins/develop/show-hide-add-in): then the user opens the pane with the
 * ribbon's Billing Usage button and finds the refresh there, running or done.
 */
async function showPane(): Promise<void> {
  try {
    await Office.addin.showAsTaskpane();
  } catch (error) {
    console.info("[Refresh all] the pane could not be shown; it shows the refresh when opened", error);
  }
}

/**
 * "Refresh all": every billing table of the workbook, refreshed in place (at most three at a time; one failure
 * stops no other), with the pane's settings and key. Office is told the command is done as soon as the refresh is
 * under way: the pane shows it from there, and pressing the button again while it runs only joins it.
 */
export async function refreshAllBillingTables(event: Office.AddinCommands.Event): Promise<void> {
  try {
    await showPane();
    void refreshActivity.refreshAll("ribbon");
  } finally {
    event.completed();
  }
}

/** Registers the ribbon's functions; called as the pane's page loads, before Office runs any of them. */
export function registerCommands(): void {
  Office.actions.associate(REFRESH_ALL_FUNCTION, refreshAllBillingTables);
}
