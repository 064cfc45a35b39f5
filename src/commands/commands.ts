/**
 * Ribbon commands (the manifest's FunctionFile, commands.html). "Refresh all" is an ExecuteFunction button whose
 * FunctionName must match the name associated here.
 */

/** Handles the "Refresh all" button; Office waits for `event.completed()` before it accepts another click. */
export function refreshAllBillingTables(event: Office.AddinCommands.Event): void {
  event.completed();
}

Office.onReady(() => {
  Office.actions.associate("refreshAllBillingTables", refreshAllBillingTables);
});
