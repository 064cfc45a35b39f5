/**
 * Starting the relay from code (scripts, tests, the benchmark): configuration from the environment, with
 * overrides, then build and listen. With port 0 and no RELAY_PUBLIC_URL, callbacks go to the URL actually
 * listened on.
 */
import { listen } from "../server-kit";
import { buildRelay, type RelayDeps } from "./app";
import { loadRelayConfig, type RelayConfig } from "./config";

export type { RelayConfig } from "./config";
export { loadRelayConfig } from "./config";
export { singleConnection, type InfobipConnection, type InfobipConnections } from "./connections";
export { buildRelay, type RelayDeps } from "./app";

export interface RunningRelay {
  url: string;
  config: RelayConfig;
  close(): Promise<void>;
}

/** @throws {ConfigError} (from `src/server-kit`) when the environment holds a bad value */
export async function startRelay(
  overrides: Partial<RelayConfig> & { port?: number; host?: string } = {},
  deps: RelayDeps = {}
): Promise<RunningRelay> {
  const config: RelayConfig = { ...loadRelayConfig(process.env), ...overrides };
  const app = await buildRelay(config, deps);
  const { url, port } = await listen(app, { port: config.port, host: config.host });
  if (config.publicUrl === undefined && config.port === 0) app.publicUrl.set(url);
  const effective: RelayConfig = { ...config, port, publicUrl: app.publicUrl.get() };
  return { url, config: effective, close: () => app.close() };
}
