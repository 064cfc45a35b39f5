/**
 * Queries still running when the pane (or the workbook) was last closed: followed to the end, one after the
 * other, and written where they were meant to go. Once per pane; without a key, it says so and waits for
 * Settings (call `pickUp` again once a key is saved).
 */
import * as React from "react";
import { hasAnyApiKey } from "../credentials";
import type { PendingQuery, PendingStore } from "../query-runner";
import type { Alert } from "./useAlert";

export function usePendingPickup(options: {
  pendingStore: PendingStore;
  follow: (query: PendingQuery) => Promise<void>;
  showAlert: (alert: Alert) => void;
  openSettings: () => void;
}): { pickUp: () => Promise<void> } {
  const { pendingStore, follow, showAlert, openSettings } = options;
  const pickedUp = React.useRef(false);

  const pickUp = React.useCallback(async () => {
    if (pickedUp.current) return;
    let pending: PendingQuery[];
    try {
      pending = await pendingStore.list();
    } catch {
      return;
    }
    if (pending.length === 0) {
      pickedUp.current = true;
      return;
    }
    if (!hasAnyApiKey()) {
      const count = pending.length === 1 ? "A query was" : `${pending.length} queries were`;
      showAlert({
        title: `${count} still running when the pane was last closed.`,
        body: "Enter your Infobip API key in Settings and save it, and the results will be written where they were meant to go.",
        action: { label: "Open Settings", run: openSettings },
      });
      return;
    }
    pickedUp.current = true;
    for (const query of pending) await follow(query);
  }, [follow, openSettings, pendingStore, showAlert]);

  return { pickUp };
}
