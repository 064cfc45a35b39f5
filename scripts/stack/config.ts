/**
 * What `npm start` runs and where, from the environment: ports, the relay's data directory, and whether the
 * emulator is started at all (not when INFOBIP_BASE_URL points at a real Infobip account).
 *
 * Pure: takes the environment as an argument so the choices can be read and tested without starting anything.
 */
import path from "node:path";
import { z } from "zod";
import { DEFAULT_EMULATOR_PORT } from "../../src/emulator/config";
import { DEFAULT_DATA_DIR, DEFAULT_RELAY_PORT } from "../../src/relay/config";
import { ConfigError, httpBaseUrl, readEnvironment, valueThenRule, wholeNumber } from "../../src/server-kit";

export const DEFAULT_DEV_SERVER_PORT = 3000;
/** The key the emulator accepts for a parent account that sees its whole hierarchy. */
export const DEMO_KEY = "demo-key";

// npm start tells each server its port, so 0 ("any free port") is not one here.
const port = (fallback: number) => wholeNumber(1, 65535, "must be between 1 and 65535 (a TCP port)").default(fallback);
const httpUrlRule = "must be an absolute http or https URL, such as https://api.infobip.com";

/**
 * The variables npm start reads itself; each server checks its own settings again when it starts. Problems
 * read as typed on a command line (`RELAY_PORT="abc" must be …`), as npm start has always worded them.
 */
const StackEnvSchema = z.object({
  EMULATOR_PORT: port(DEFAULT_EMULATOR_PORT),
  RELAY_PORT: port(DEFAULT_RELAY_PORT),
  DEV_SERVER_PORT: port(DEFAULT_DEV_SERVER_PORT),
  INFOBIP_BASE_URL: httpBaseUrl(httpUrlRule, { assumeHttps: true }).optional(),
  RELAY_PUBLIC_URL: httpBaseUrl(httpUrlRule).optional(),
  RELAY_DATA_DIR: z.string().trim().default(DEFAULT_DATA_DIR),
  RELAY_ALLOWED_ORIGINS: z.string().optional(),
});

export interface StackConfig {
  /** Absent when INFOBIP_BASE_URL names a real Infobip base URL: then the relay talks to Infobip itself. */
  emulator: { port: number; url: string } | undefined;
  /** `extraOrigins`: RELAY_ALLOWED_ORIGINS as the user set it; the dev server's own origin is added at start. */
  relay: { port: number; url: string; publicUrl: string; dataDir: string; extraOrigins: string[] };
  devServer: { port: number };
  infobipBaseUrl: string;
  /** Where `npm stop` finds the running stack. */
  pidFile: string;
}

/** The dev server's origin, as the browser (and so the relay's CORS check) sees it. */
export function devServerOrigin(devServerPort: number, protocol: "http" | "https"): string {
  return `${protocol}://localhost:${devServerPort}`;
}

/** @throws {ConfigError} naming each bad variable, or two servers given the same port */
export function stackConfig(env: NodeJS.ProcessEnv, cwd: string): StackConfig {
  const vars = readEnvironment(StackEnvSchema, env, { subject: "stack", wording: valueThenRule });
  const taken = new Map<number, string>();
  for (const [name, value] of [
    ["EMULATOR_PORT", vars.EMULATOR_PORT],
    ["RELAY_PORT", vars.RELAY_PORT],
    ["DEV_SERVER_PORT", vars.DEV_SERVER_PORT],
  ] as const) {
    const other = taken.get(value);
    if (other) {
      throw new ConfigError("stack", [`${name} and ${other} are both ${value}: give each server its own port.`]);
    }
    taken.set(value, name);
  }

  // A real Infobip base URL means no emulator: the relay talks to that account.
  const emulator = vars.INFOBIP_BASE_URL
    ? undefined
    : { port: vars.EMULATOR_PORT, url: `http://127.0.0.1:${vars.EMULATOR_PORT}` };
  const infobipBaseUrl = vars.INFOBIP_BASE_URL ?? emulator?.url ?? "";

  // The emulator and the relay listen on 127.0.0.1 by default; naming it avoids a detour through ::1 for "localhost".
  const relayUrl = `http://127.0.0.1:${vars.RELAY_PORT}`;
  const dataDir = path.resolve(cwd, vars.RELAY_DATA_DIR);
  const extraOrigins = (vars.RELAY_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);

  return {
    emulator,
    relay: {
      port: vars.RELAY_PORT,
      url: relayUrl,
      publicUrl: vars.RELAY_PUBLIC_URL ?? relayUrl,
      dataDir,
      extraOrigins,
    },
    devServer: { port: vars.DEV_SERVER_PORT },
    infobipBaseUrl,
    pidFile: path.join(dataDir, "stack.pid"),
  };
}

/** RELAY_ALLOWED_ORIGINS for the relay: the dev server's origin (the proxy forwards the browser's Origin) and the user's. */
export function relayAllowedOrigins(config: StackConfig, protocol: "http" | "https"): string {
  return [...new Set([devServerOrigin(config.devServer.port, protocol), ...config.relay.extraOrigins])].join(",");
}

/** The line `npm start` prints once every server answers; the end-to-end helpers wait for it. */
export const READY_BANNER = "Billing Usage for Excel is running.";
