/**
 * What `npm start` runs and where, from the environment: ports, the relay's data directory, and whether the
 * emulator is started at all (not when INFOBIP_BASE_URL points at a real Infobip account).
 *
 * Pure: takes the environment as an argument so the choices can be read and tested without starting anything.
 */
import path from "node:path";
import { z } from "zod";

export const DEFAULT_EMULATOR_PORT = 4010;
export const DEFAULT_RELAY_PORT = 3001;
export const DEFAULT_DEV_SERVER_PORT = 3000;
export const DEFAULT_RELAY_DATA_DIR = ".relay-data";
/** The key the emulator accepts for a parent account that sees its whole hierarchy. */
export const DEMO_KEY = "demo-key";

const PortSchema = z.coerce
  .number()
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const parsed = PortSchema.safeParse(text.trim());
  if (!parsed.success) {
    throw new StackConfigError(`${name}="${text}" ${parsed.error.issues[0]?.message ?? "is not a port"}.`);
  }
  return parsed.data;
}

export class StackConfigError extends Error {
  override name = "StackConfigError";
}

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

function absoluteHttpUrl(name: string, text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === "http:" || url.protocol === "https:") return text.replace(/\/+$/, "");
  } catch {
    // reported below
  }
  throw new StackConfigError(
    `${name}="${text}" must be an absolute http or https URL, such as https://api.infobip.com.`
  );
}

/** The dev server's origin, as the browser (and so the relay's CORS check) sees it. */
export function devServerOrigin(devServerPort: number, protocol: "http" | "https"): string {
  return `${protocol}://localhost:${devServerPort}`;
}

export function stackConfig(env: NodeJS.ProcessEnv, cwd: string): StackConfig {
  const emulatorPort = port(env, "EMULATOR_PORT", DEFAULT_EMULATOR_PORT);
  const relayPort = port(env, "RELAY_PORT", DEFAULT_RELAY_PORT);
  const devServerPort = port(env, "DEV_SERVER_PORT", DEFAULT_DEV_SERVER_PORT);
  const taken = new Map<number, string>();
  for (const [name, value] of [
    ["EMULATOR_PORT", emulatorPort],
    ["RELAY_PORT", relayPort],
    ["DEV_SERVER_PORT", devServerPort],
  ] as const) {
    const other = taken.get(value);
    if (other) throw new StackConfigError(`${name} and ${other} are both ${value}: give each server its own port.`);
    taken.set(value, name);
  }

  const given = env.INFOBIP_BASE_URL?.trim();
  // Infobip shows an account's base URL without a scheme (xxxxx.api.infobip.com); the relay assumes https too.
  const realInfobip = given && !/^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? `https://${given}` : given;
  const emulator = realInfobip ? undefined : { port: emulatorPort, url: `http://127.0.0.1:${emulatorPort}` };
  const infobipBaseUrl = realInfobip ? absoluteHttpUrl("INFOBIP_BASE_URL", realInfobip) : (emulator?.url ?? "");

  // The emulator and the relay listen on 127.0.0.1 by default; naming it avoids a detour through ::1 for "localhost".
  const relayUrl = `http://127.0.0.1:${relayPort}`;
  const publicUrl = env.RELAY_PUBLIC_URL?.trim()
    ? absoluteHttpUrl("RELAY_PUBLIC_URL", env.RELAY_PUBLIC_URL.trim())
    : relayUrl;
  const dataDir = path.resolve(cwd, env.RELAY_DATA_DIR?.trim() || DEFAULT_RELAY_DATA_DIR);
  const extraOrigins = (env.RELAY_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);

  return {
    emulator,
    relay: { port: relayPort, url: relayUrl, publicUrl, dataDir, extraOrigins },
    devServer: { port: devServerPort },
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
