/**
 * Starting the relay from code (scripts, tests, the benchmark): configuration from the environment, with
 * overrides, then build and listen. With port 0 and no RELAY_PUBLIC_URL, callbacks go to the URL actually
 * listened on.
 */
import type { AddressInfo } from "node:net";
import { buildRelay, type RelayDeps } from "./app";
import { loadRelayConfig, type RelayConfig } from "./config";

export type { RelayConfig } from "./config";
export { loadRelayConfig, RelayConfigError } from "./config";
export { buildRelay, type RelayDeps } from "./app";

export interface RunningRelay {
  url: string;
  config: RelayConfig;
  close(): Promise<void>;
}

export async function startRelay(
  overrides: Partial<RelayConfig> & { port?: number; host?: string } = {},
  deps: RelayDeps = {}
): Promise<RunningRelay> {
  const config: RelayConfig = { ...loadRelayConfig(process.env), ...overrides };
  const app = await buildRelay(config, deps);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const listening = `http://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${address.port}`;
  if (config.publicUrl === undefined && config.port === 0) app.publicUrl.set(listening);
  const effective: RelayConfig = { ...config, port: address.port, publicUrl: app.publicUrl.get() };
  return { url: listening, config: effective, close: () => app.close() };
}
