/**
 * What `npm start` runs and where, from the environment: ports, the relay's data directory, and whether the
 * emulators are started at all (not when INFOBIP_BASE_URL or INFOBIP_CONNECTIONS points at real Infobip accounts).
 *
 * Without either, the demo is two Infobip data centres: two emulators with different seeded data, `eu` on
 * EMULATOR_PORT (seed EMULATOR_SEED) and `us` on EMULATOR_US_PORT (seed EMULATOR_SEED + 1), and the relay gets
 * INFOBIP_CONNECTIONS for both, `eu` first and so the default. Two ports rather than two path prefixes: each
 * emulator is exactly the one `npm run emulator` starts, with its own clock, faults and request log. With
 * EMULATOR_NOW the relay gets RELAY_NOW at the same instant, so it checks periods on the emulators' calendar.
 *
 * Pure: takes the environment as an argument so the choices can be read and tested without starting anything.
 */
import path from "node:path";
import { z } from "zod";
import { DEFAULT_EMULATOR_PORT, DEFAULT_SEED } from "../../src/emulator/config";
import { DEFAULT_DATA_DIR, DEFAULT_RELAY_PORT } from "../../src/relay/config";
import { ConfigError, httpBaseUrl, readEnvironment, valueThenRule, wholeNumber } from "../../src/server-kit";

export const DEFAULT_DEV_SERVER_PORT = 3000;
/** The second demo data centre's emulator. */
export const DEFAULT_EMULATOR_US_PORT = DEFAULT_EMULATOR_PORT + 1;
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
  EMULATOR_US_PORT: port(DEFAULT_EMULATOR_US_PORT),
  RELAY_PORT: port(DEFAULT_RELAY_PORT),
  DEV_SERVER_PORT: port(DEFAULT_DEV_SERVER_PORT),
  // The emulator checks its own seed; one less than its maximum, so the second data centre's seed is one too.
  EMULATOR_SEED: wholeNumber(
    -2_147_483_648,
    2_147_483_646,
    "must be a whole number from -2147483648 to 2147483646"
  ).default(DEFAULT_SEED),
  EMULATOR_NOW: z.string().trim().optional(),
  INFOBIP_BASE_URL: httpBaseUrl(httpUrlRule, { assumeHttps: true }).optional(),
  // The relay checks the list itself; npm start only needs to know it is there (then no emulator is started).
  INFOBIP_CONNECTIONS: z.string().optional(),
  RELAY_PUBLIC_URL: httpBaseUrl(httpUrlRule).optional(),
  RELAY_DATA_DIR: z.string().trim().default(DEFAULT_DATA_DIR),
  RELAY_ALLOWED_ORIGINS: z.string().optional(),
});

/** One emulator standing for one Infobip data centre, and the relay's connection to it. */
export interface EmulatorSpec {
  /** The relay's connection name, and the child process's (`emulator-<name>`). */
  connection: string;
  port: number;
  url: string;
  seed: number;
}

export interface StackConfig {
  /** The demo's data centres, the default first; empty when INFOBIP_BASE_URL or INFOBIP_CONNECTIONS is set. */
  emulators: EmulatorSpec[];
  /** The relay's Infobip settings: INFOBIP_CONNECTIONS for the emulators, or the user's own variable. */
  relayInfobipEnv: Record<string, string>;
  /** `extraOrigins`: RELAY_ALLOWED_ORIGINS as the user set it; the dev server's own origin is added at start. */
  relay: { port: number; url: string; publicUrl: string; dataDir: string; extraOrigins: string[] };
  devServer: { port: number };
  /** What the ready message shows of where the relay's queries go. */
  infobipDescription: string;
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
    ["EMULATOR_US_PORT", vars.EMULATOR_US_PORT],
    ["RELAY_PORT", vars.RELAY_PORT],
    ["DEV_SERVER_PORT", vars.DEV_SERVER_PORT],
  ] as const) {
    const other = taken.get(value);
    if (other) {
      throw new ConfigError("stack", [`${name} and ${other} are both ${value}: give each server its own port.`]);
    }
    taken.set(value, name);
  }

  // Real Infobip accounts mean no emulator: the relay talks to them (and checks both variables itself).
  const real = vars.INFOBIP_BASE_URL !== undefined || vars.INFOBIP_CONNECTIONS !== undefined;
  const emulators: EmulatorSpec[] = real
    ? []
    : [
        { connection: "eu", port: vars.EMULATOR_PORT, seed: vars.EMULATOR_SEED },
        { connection: "us", port: vars.EMULATOR_US_PORT, seed: vars.EMULATOR_SEED + 1 },
      ].map((emulator) => ({ ...emulator, url: `http://127.0.0.1:${emulator.port}` }));
  const relayInfobipEnv: Record<string, string> = real
    ? {
        ...(vars.INFOBIP_BASE_URL !== undefined ? { INFOBIP_BASE_URL: vars.INFOBIP_BASE_URL } : {}),
        ...(vars.INFOBIP_CONNECTIONS !== undefined ? { INFOBIP_CONNECTIONS: vars.INFOBIP_CONNECTIONS } : {}),
      }
    : {
        INFOBIP_CONNECTIONS: emulators.map((emulator) => `${emulator.connection}=${emulator.url}`).join(","),
        // The emulators' fixed clock, for the relay's retention-window checks (honoured with loopback connections only).
        ...(vars.EMULATOR_NOW !== undefined ? { RELAY_NOW: vars.EMULATOR_NOW } : {}),
      };
  const infobipDescription = vars.INFOBIP_CONNECTIONS ?? vars.INFOBIP_BASE_URL ?? "";

  // The emulator and the relay listen on 127.0.0.1 by default; naming it avoids a detour through ::1 for "localhost".
  const relayUrl = `http://127.0.0.1:${vars.RELAY_PORT}`;
  const dataDir = path.resolve(cwd, vars.RELAY_DATA_DIR);
  const extraOrigins = (vars.RELAY_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);

  return {
    emulators,
    relayInfobipEnv,
    relay: {
      port: vars.RELAY_PORT,
      url: relayUrl,
      publicUrl: vars.RELAY_PUBLIC_URL ?? relayUrl,
      dataDir,
      extraOrigins,
    },
    devServer: { port: vars.DEV_SERVER_PORT },
    infobipDescription,
    pidFile: path.join(dataDir, "stack.pid"),
  };
}

/** RELAY_ALLOWED_ORIGINS for the relay: the dev server's origin (the proxy forwards the browser's Origin) and the user's. */
export function relayAllowedOrigins(config: StackConfig, protocol: "http" | "https"): string {
  return [...new Set([devServerOrigin(config.devServer.port, protocol), ...config.relay.extraOrigins])].join(",");
}

/** The line `npm start` prints once every server answers; the end-to-end helpers wait for it. */
export const READY_BANNER = "Billing Usage for Excel is running.";
