/**
 * Settings as the pane keeps them: the Relay URL (saved in localStorage) and the API keys, one per Infobip
 * connection of the relay (credentials.ts), and everything a run needs from them and from the host: relay clients
 * for the URL of the moment (the default connection's and each named one's), where pending queries are kept (the
 * workbook, or the browser), and where rows go (the workbook, or the preview).
 *
 * The relay's connections come from `GET /v1/connections` (no key needed), asked when the pane opens and whenever
 * the Relay URL is saved. A relay with one connection (or one from before connections) shows one key, as always.
 */
import * as React from "react";
import { runnerClients, defaultConnectionClient } from "../clients";
import { adoptConnections, saveApiKey } from "../credentials";
import { LocalPendingStore, MemoryPendingStore } from "../pending-store";
import { PreviewSink } from "../preview-sink";
import { abortableSleep, type PendingStore, type RunnerDeps } from "../query-runner";
import type { RelayConnections } from "../relay-client";
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

/** One connection's key as Settings saves it (`connection` absent: the default, unnamed). */
export interface KeyEntry {
  connection?: string;
  key: string;
  remember: boolean;
}

/** The relay's connections as the pane shows them: several only when the relay lists more than one. */
export interface ConnectionsView {
  /** Named connections, in the relay's order; empty for a relay with one connection. */
  names: string[];
  defaultName: string;
  /** False until the relay answered (or could not be reached): Settings waits, so its key fields do not jump. */
  known: boolean;
}

const ONE_CONNECTION: ConnectionsView = { names: [], defaultName: "", known: true };
const NOT_YET: ConnectionsView = { names: [], defaultName: "", known: false };

/** Several connections are shown (and named on queries) only when the relay has more than one. */
export function connectionsView(listed: RelayConnections): ConnectionsView {
  return listed.listed && listed.names.length > 1
    ? { names: listed.names, defaultName: listed.defaultName, known: true }
    : ONE_CONNECTION;
}

export interface RelaySettings {
  relayUrl: string;
  connections: ConnectionsView;
  /** Saves the Relay URL and the keys (each kept on this computer only when its `remember`). */
  save(relayUrl: string, keys: readonly KeyEntry[]): void;
  pendingStore: PendingStore;
  /** What a run needs, built at call time so that settings saved a moment ago apply to the very next call. */
  runnerDeps(): RunnerDeps;
}

export function useRelaySettings(workbook: Workbook | undefined): RelaySettings {
  const [relayUrl, setRelayUrl] = React.useState(loadRelayUrl);
  const [connections, setConnections] = React.useState<ConnectionsView>(NOT_YET);
  const relayUrlRef = React.useRef(relayUrl);
  relayUrlRef.current = relayUrl;
  const pendingStore = React.useMemo(() => workbook?.pending ?? browserPendingStore(), [workbook]);
  const sink = React.useMemo(() => workbook?.sink ?? new PreviewSink(), [workbook]);

  React.useEffect(() => {
    const controller = new AbortController();
    defaultConnectionClient(relayUrl)
      .connections(controller.signal)
      .then((listed) => {
        if (listed.listed) adoptConnections(listed.names, listed.defaultName);
        setConnections(connectionsView(listed));
      })
      // An unreachable relay shows one key; Test connection then says what is wrong.
      .catch(() => {
        if (!controller.signal.aborted) setConnections(ONE_CONNECTION);
      });
    return () => controller.abort();
  }, [relayUrl]);

  const save = React.useCallback((url: string, keys: readonly KeyEntry[]) => {
    saveRelayUrl(url);
    setRelayUrl(loadRelayUrl());
    relayUrlRef.current = loadRelayUrl();
    for (const entry of keys) saveApiKey(entry.key, entry.remember, entry.connection);
  }, []);

  const runnerDeps = React.useCallback(
    (): RunnerDeps => ({
      ...runnerClients(relayUrlRef.current),
      pending: pendingStore,
      sink,
      now: () => new Date(),
      sleep: abortableSleep,
    }),
    [pendingStore, sink]
  );

  return React.useMemo(
    () => ({ relayUrl, connections, save, pendingStore, runnerDeps }),
    [relayUrl, connections, save, pendingStore, runnerDeps]
  );
}
