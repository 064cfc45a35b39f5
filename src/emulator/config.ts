/**
 * `npm run emulator` settings, read once from the environment and validated; a bad value stops the start
 * with a message naming the variable.
 *
 * | Variable                        | Default          | Meaning                                            |
 * |---------------------------------|------------------|----------------------------------------------------|
 * | `EMULATOR_PORT`                 | 4010             | TCP port                                            |
 * | `EMULATOR_HOST`                 | 127.0.0.1        | interface (0.0.0.0 to expose it, e.g. in a container) |
 * | `EMULATOR_NOW`                  | the real clock   | ISO date-time that fixes the clock                  |
 * | `EMULATOR_SEED`                 | 1                | data set seed (whole number)                        |
 * | `EMULATOR_CALLBACK_DELAY_MS`    | 1500             | processing time before the callback                 |
 * | `EMULATOR_CALLBACK_RETRY_DELAYS_MS` | 1000,4000,16000 | waits before each callback retry (comma-separated; empty: no retry) |
 * | `EMULATOR_LOG_LEVEL`            | info             | pino level (silent, error, warn, info, debug)       |
 */
import { z } from "zod";
import { parseApiDateTime } from "../billing";
import type { StartEmulatorOptions } from "./index";

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const EnvSchema = z.object({
  EMULATOR_PORT: wholeNumber("EMULATOR_PORT", 0, 65_535).default(4010),
  EMULATOR_HOST: z.string().trim().min(1, "EMULATOR_HOST must not be empty").default("127.0.0.1"),
  EMULATOR_NOW: z
    .string()
    .trim()
    .refine((text) => parseApiDateTime(text) !== undefined, {
      message: "EMULATOR_NOW must be an ISO date-time such as 2026-03-15T12:00:00Z",
    })
    .transform((text) => parseApiDateTime(text))
    .optional(),
  EMULATOR_SEED: wholeNumber("EMULATOR_SEED", -2_147_483_648, 2_147_483_647).default(1),
  EMULATOR_CALLBACK_DELAY_MS: wholeNumber("EMULATOR_CALLBACK_DELAY_MS", 0, 3_600_000).default(1500),
  EMULATOR_CALLBACK_RETRY_DELAYS_MS: z
    .string()
    .trim()
    .regex(/^(\d+(\s*,\s*\d+)*)?$/, "EMULATOR_CALLBACK_RETRY_DELAYS_MS must be whole numbers separated by commas")
    .transform((text) => (text === "" ? [] : text.split(",").map((part) => Number(part.trim()))))
    .default([1000, 4000, 16000]),
  EMULATOR_LOG_LEVEL: z.enum(["silent", "fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
});

export type EmulatorSettings = StartEmulatorOptions & { logLevel: string };

/** Reads the settings; throws an Error whose message lists every bad variable. */
export function readEmulatorSettings(env: NodeJS.ProcessEnv): EmulatorSettings {
  // Empty variables count as unset, as shells and .env files often leave them.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== "")
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
    });
    throw new Error(`Invalid emulator settings:\n- ${problems.join("\n- ")}`);
  }
  const settings = parsed.data;
  return {
    port: settings.EMULATOR_PORT,
    host: settings.EMULATOR_HOST,
    now: settings.EMULATOR_NOW,
    seed: settings.EMULATOR_SEED,
    callbackDelayMs: settings.EMULATOR_CALLBACK_DELAY_MS,
    callbackRetryDelaysMs: settings.EMULATOR_CALLBACK_RETRY_DELAYS_MS,
    logLevel: settings.EMULATOR_LOG_LEVEL,
  };
}
