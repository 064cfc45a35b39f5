/**
 * Reading a server's settings from environment variables, the same way for the relay, the emulator and
 * `npm start`: one zod schema per server, read once at start; empty variables count as unset (shells and
 * .env files leave them behind); every bad variable is reported at once in one {@link ConfigError}, each
 * problem naming the variable and the rule — and the value given, except for secrets.
 *
 * Pure: the environment is an argument, nothing is read from or written to the process here.
 */
import { z } from "zod";

/** A server's environment held a bad value; `problems` has one line per variable (or per clash between them). */
export class ConfigError extends Error {
  /**
   * @param subject what was being configured, as in "Invalid relay configuration"
   * @param problems one line each, e.g. `RELAY_PORT must be a whole number from 0 to 65535 (got "abc")`
   */
  constructor(
    readonly subject: string,
    readonly problems: readonly string[]
  ) {
    super(`Invalid ${subject} configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** One bad variable: its name, the rule it broke, and the value given (undefined when it is a secret). */
export interface EnvironmentProblem {
  readonly variable: string;
  readonly rule: string;
  readonly value: string | undefined;
}

/** How a problem reads in a message. */
export type ProblemWording = (problem: EnvironmentProblem) => string;

/** `RELAY_PORT must be a whole number from 0 to 65535 (got "abc")`: the rule first, as an operator reads it. */
export const ruleThenValue: ProblemWording = ({ variable, rule, value }) =>
  value === undefined ? `${variable} ${rule}` : `${variable} ${rule} (got ${JSON.stringify(value)})`;

/** `RELAY_PORT="abc" must be between 1 and 65535.`: the assignment first, as it was typed on a command line. */
export const valueThenRule: ProblemWording = ({ variable, rule, value }) =>
  value === undefined ? `${variable} ${rule}.` : `${variable}=${JSON.stringify(value)} ${rule}.`;

export interface ReadEnvironmentOptions {
  /** What is being configured, for the message's first line ("relay", "emulator", "stack"). */
  readonly subject: string;
  /** Variables whose values are never repeated in a message. */
  readonly secrets?: readonly string[];
  /** Default {@link ruleThenValue}. */
  readonly wording?: ProblemWording;
}

/** The environment without its empty (or blank) variables. */
export function withoutBlankVariables(env: Environment): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") present[name] = value;
  }
  return present;
}

/**
 * Parses `env` with `schema` (an object of one field per variable). Blank variables are removed first,
 * so a field's `.optional()` or `.default()` applies to them.
 *
 * @throws {ConfigError} listing every bad variable, in the schema's order
 */
export function readEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Environment,
  options: ReadEnvironmentOptions
): z.output<Schema> {
  const present = withoutBlankVariables(env);
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const secrets = new Set(options.secrets ?? []);
  const wording = options.wording ?? ruleThenValue;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "environment");
    const value = secrets.has(variable) ? undefined : present[variable];
    return wording({ variable, rule: issue.message, value });
  });
  throw new ConfigError(options.subject, [...new Set(problems)]);
}

// Field rules shared by the servers. Each takes the rule's wording, which becomes the problem's text, so a
// message says what the variable must be rather than what zod found.

/** A whole number from `min` to `max` (surrounding blanks allowed). */
export function wholeNumber(min: number, max: number, rule: string) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, rule)
    .transform(Number)
    .refine((n) => n >= min && n <= max, rule);
}

/**
 * An ISO date-time such as 2026-03-15T12:00:00Z, read as Infobip writes instants (so the emulator and the relay
 * accept the same spellings). The server kit stays free of `src/billing`: the caller passes the parser.
 */
export function isoDateTime(parse: (text: string) => Date | undefined) {
  const rule = "must be an ISO date-time such as 2026-03-15T12:00:00Z";
  return z
    .string()
    .trim()
    .refine((text) => parse(text) !== undefined, rule)
    .transform((text) => parse(text) as Date);
}

/** A decimal number greater than 0, such as 24 or 7.5. */
export function positiveNumber(rule: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, rule)
    .transform(Number)
    .refine((n) => n > 0 && Number.isFinite(n), rule);
}

function isHttpBaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}

/**
 * An absolute http(s) URL, a path prefix allowed, no query or fragment; read without its trailing slashes.
 * With `assumeHttps`, a URL written without a scheme (`xxxxx.api.infobip.com`, as Infobip's portal shows a
 * base URL) is read as https.
 */
export function httpBaseUrl(rule: string, options: { assumeHttps?: boolean } = {}) {
  return z
    .string()
    .trim()
    .transform((text) => (options.assumeHttps && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? `https://${text}` : text))
    .refine(isHttpBaseUrl, rule)
    .transform((text) => text.replace(/\/+$/, ""));
}

/** pino's levels, most severe first. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One of pino's levels, in any case. */
export function logLevel() {
  return z
    .string()
    .trim()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of: ${LOG_LEVELS.join(", ")}` }));
}
