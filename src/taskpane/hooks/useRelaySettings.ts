/**
 * Settings as the pane keeps them: the Relay URL (saved in localStorage) and the API key (credentials.ts), and
 * everything a run needs from them and from the host: a relay client for the URL of the moment, where pending
 * queries are kept (the workbook, or the browser), and where rows go (the workbook, or the preview).
 */
import * as React from "react";
import { currentApiKey, saveApiKey } from "../credentials";
import { LocalPendingStore, MemoryPendingStore } from "../pending-store";
import { PreviewSink } from "../preview-sink";
import { abortableSleep, type PendingStore, type RunnerDeps } from "../query-runner";
import { RelayClient } from "../relay-client";
import { loadRelayUrl, saveRelayUrl } from "../settings";
import type { Workbook } from "../workbook";

function browserPendingStore(): PendingStore {
  try {
    localStorage.getItem("probe");
    return new LocalPendingStore(localStorage);
  } catch {
    return new MemoryPendingStore();
  }
}

export interface RelaySettings {
  relayUrl: string;
  /** Saves the Relay URL and the key (kept on this computer only when `remember`). */
  save(relayUrl: string, apiKey: string, remember: boolean): void;
  pendingStore: PendingStore;
  /** What a run needs, built at call time so that settings saved a moment ago apply to the very next call. */
  runnerDeps(): RunnerDeps;
}

export function useRelaySettings(workbook: Workbook | undefined): RelaySettings {
  const [relayUrl, setRelayUrl] = React.useState(loadRelayUrl);
  const relayUrlRef = React.useRef(relayUrl);
  relayUrlRef.current = relayUrl;
  const pendingStore = React.useMemo(() => workbook?.pending ?? browserPendingStore(), [workbook]);
  const sink = React.useMemo(() => workbook?.sink ?? new PreviewSink(), [workbook]);

  const save = React.useCallback((url: string, key: string, remember: boolean) => {
    saveRelayUrl(url);
    setRelayUrl(loadRelayUrl());
    relayUrlRef.current = loadRelayUrl();
    saveApiKey(key, remember);
  }, []);

  const runnerDeps = React.useCallback(
    (): RunnerDeps => ({
      client: new RelayClient({ baseUrl: relayUrlRef.current, apiKey: currentApiKey }),
      pending: pendingStore,
      sink,
      now: () => new Date(),
      sleep: abortableSleep,
    }),
    [pendingStore, sink]
  );

  return React.useMemo(
    () => ({ relayUrl, save, pendingStore, runnerDeps }),
    [relayUrl, save, pendingStore, runnerDeps]
  );
}
