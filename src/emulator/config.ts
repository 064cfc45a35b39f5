/**
 * `npm run emulator` settings, read once from the environment through the server kit (`src/server-kit`);
 * a bad value stops the start with a message naming the variable and the rule. Empty variables count as unset.
 *
 * | Variable                        | Default          | Meaning                                            |
 * |---------------------------------|------------------|----------------------------------------------------|
 * | `EMULATOR_PORT`                 | 4010             | TCP port                                            |
 * | `EMULATOR_HOST`                 | 127.0.0.1        | interface (0.0.0.0 to expose it, e.g. in a container) |
 * | `EMULATOR_NOW`                  | the real clock   | ISO date-time that fixes the clock                  |
 * | `EMULATOR_SEED`                 | 1                | data set seed (whole number)                        |
 * | `EMULATOR_CALLBACK_DELAY_MS`    | 1500             | processing time before the callback                 |
 * | `EMULATOR_CALLBACK_RETRY_DELAYS_MS` | 1000,4000,16000 | waits before each callback retry (comma-separated; `none`: no retry) |
 * | `EMULATOR_LOG_LEVEL`            | info             | pino level (silent, error, warn, info, debug)       |
 */
import { z } from "zod";
import { parseApiDateTime } from "../billing";
import { isoDateTime, logLevel, readEnvironment, wholeNumber, type Environment, type LogLevel } from "../server-kit";
import { DEFAULT_DISPATCHER_SETTINGS } from "./callbacks";
import type { StartEmulatorOptions } from "./index";

export const DEFAULT_SEED = 1;
export const DEFAULT_EMULATOR_PORT = 4010;
/** Loopback by default: the emulator's controls need no key, so it is not for the network. */
export const DEFAULT_EMULATOR_HOST = "127.0.0.1";

const EnvSchema = z.object({
  EMULATOR_PORT: wholeNumber(0, 65_535, "must be a whole number from 0 to 65535").default(DEFAULT_EMULATOR_PORT),
  EMULATOR_HOST: z.string().trim().default(DEFAULT_EMULATOR_HOST),
  EMULATOR_NOW: isoDateTime(parseApiDateTime).optional(),
  EMULATOR_SEED: wholeNumber(
    -2_147_483_648,
    2_147_483_647,
    "must be a whole number from -2147483648 to 2147483647"
  ).default(DEFAULT_SEED),
  EMULATOR_CALLBACK_DELAY_MS: wholeNumber(
    0,
    3_600_000,
    "must be a whole number of milliseconds from 0 to 3600000"
  ).default(DEFAULT_DISPATCHER_SETTINGS.delayMs),
  // An empty variable counts as unset (the default retries), so "no retry" has a word of its own.
  EMULATOR_CALLBACK_RETRY_DELAYS_MS: z
    .string()
    .trim()
    .regex(
      /^(none|\d+(\s*,\s*\d+)*)$/i,
      "must be whole numbers of milliseconds separated by commas, such as 1000,4000,16000, or none"
    )
    .transform((text) => (/^none$/i.test(text) ? [] : text.split(",").map((part) => Number(part.trim()))))
    .optional(),
  EMULATOR_LOG_LEVEL: logLevel().default("info"),
});

export type EmulatorSettings = StartEmulatorOptions & { logLevel: LogLevel };

/** Reads the settings; throws the server kit's `ConfigError`, naming every bad variable. */
export function readEmulatorSettings(env: Environment): EmulatorSettings {
  const settings = readEnvironment(EnvSchema, env, { subject: "emulator" });
  return {
    port: settings.EMULATOR_PORT,
    host: settings.EMULATOR_HOST,
    now: settings.EMULATOR_NOW,
    seed: settings.EMULATOR_SEED,
    callbackDelayMs: settings.EMULATOR_CALLBACK_DELAY_MS,
    callbackRetryDelaysMs: settings.EMULATOR_CALLBACK_RETRY_DELAYS_MS ?? DEFAULT_DISPATCHER_SETTINGS.retryDelaysMs,
    logLevel: settings.EMULATOR_LOG_LEVEL,
  };
}
