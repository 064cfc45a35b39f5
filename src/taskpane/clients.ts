/**
 * The relay clients of the pane: the default connection's, and one per named connection, each reading its own
 * connection's API key from credentials.ts at each call (a key saved in Settings a moment ago applies at once).
 */
import { currentApiKey } from "./credentials";
import { RelayClient } from "./relay-client";
import type { RunnerDeps } from "./query-runner";

/** The client of the relay's default connection (a relay with one connection: the only one; nothing is named). */
export function defaultConnectionClient(baseUrl: string): RelayClient {
  return new RelayClient({ baseUrl, apiKey: () => currentApiKey() });
}

/** The client of one named connection: its own key, its name on submissions and checks. */
export function connectionClient(baseUrl: string, connection: string): RelayClient {
  return new RelayClient({ baseUrl, apiKey: () => currentApiKey(connection), connection });
}

/** The runner's clients for a relay URL. */
export function runnerClients(baseUrl: string): Pick<RunnerDeps, "client" | "clientFor"> {
  return {
    client: defaultConnectionClient(baseUrl),
    clientFor: (connection) => connectionClient(baseUrl, connection),
  };
}
