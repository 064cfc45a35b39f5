/**
 * The relay's configuration: one zod schema over the environment, with defaults, validated once at boot.
 * A bad value stops the relay with a message that names the variable and the rule (and never echoes the
 * value of a secret). Every setting is documented in `src/relay/README.md` and `src/relay/.env.example`.
 */
import path from "node:path";
import { z } from "zod";

export const DEFAULT_RELAY_PORT = 3001;
/** Loopback by default so a developer's relay is not reachable from the network; set RELAY_HOST=0.0.0.0 to deploy. */
export const DEFAULT_RELAY_HOST = "127.0.0.1";
export const DEFAULT_INFOBIP_BASE_URL = "http://localhost:4010";
export const DEFAULT_DATA_DIR = "./.relay-data";
/** The add-in's dev origin; the http variant is the dev server's fallback where certificates cannot be installed. */
export const DEFAULT_ALLOWED_ORIGINS = ["https://localhost:3000", "http://localhost:3000"];
export const DEFAULT_MAX_CALLBACK_BYTES = 256 * 1024 * 1024;
export const DEFAULT_RESULT_TTL_HOURS = 168;
export const DEFAULT_CALLBACK_TIMEOUT_MINUTES = 60;
export const DEFAULT_INFOBIP_TIMEOUT_SECONDS = 30;
export const DEFAULT_STATIC_DIR = "./dist";
/** Infobip's documented limit per API key (reference §1.5). */
export const INFOBIP_REQUESTS_PER_SECOND = 60;
/** Half of Infobip's limit: the same key may be used by other tools at the same time. */
export const DEFAULT_SUBMIT_RATE_PER_SECOND = 30;
export const DEFAULT_READ_RATE_PER_MINUTE = 600;
export const DEFAULT_NOT_FOUND_RATE_PER_MINUTE = 60;
export const MIN_KEY_HASH_SECRET_LENGTH = 32;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type RelayLogLevel = (typeof LOG_LEVELS)[number];

export interface RelayConfig {
  port: number;
  host: string;
  /** Base URL Infobip can reach, without a trailing slash; undefined = `http://localhost:<port>` (or the listening URL). */
  publicUrl: string | undefined;
  infobipBaseUrl: string;
  /** Absolute. */
  dataDir: string;
  /** PostgreSQL connection URL (RELAY_DATABASE_URL): the store shared by several instances; undefined = SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  allowedOrigins: string[];
  maxCallbackBytes: number;
  resultTtlHours: number;
  callbackTimeoutMinutes: number;
  infobipTimeoutSeconds: number;
  /** HMAC secret for the owner hash of API keys; undefined = generated once and kept in `<dataDir>/relay-secret`. */
  keyHashSecret: string | undefined;
  /** Absolute; served when it exists. */
  staticDir: string;
  logLevel: RelayLogLevel;
  /** Submissions (queries and connection checks together) per API key per second. */
  submitRatePerSecond: number;
  /** Other `/v1` calls per API key per minute. */
  readRatePerMinute: number;
  /** Unknown paths and refused callback addresses per client IP per minute. */
  notFoundRatePerMinute: number;
}

/** Raised when the environment holds a bad value; `problems` has one line per variable. */
export class RelayConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RelayConfigError";
  }
}

/** `""` and whitespace count as unset, so `RELAY_PORT=` in a shell falls back to the default. */
const unsetIfBlank = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

function optionalText() {
  return z.preprocess(unsetIfBlank, z.string().optional());
}

function wholeNumber(min: number, max: number, rule: string) {
  return z.preprocess(
    unsetIfBlank,
    z
      .string()
      .regex(/^\d+$/, rule)
      .transform(Number)
      .refine((n) => n >= min && n <= max, rule)
      .optional()
  );
}

function positiveNumber(rule: string) {
  return z.preprocess(
    unsetIfBlank,
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, rule)
      .transform(Number)
      .refine((n) => n > 0 && Number.isFinite(n), rule)
      .optional()
  );
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** An absolute http(s) URL, optionally with a path prefix, no query or fragment. */
function baseUrl(rule: string) {
  return z.preprocess(
    unsetIfBlank,
    z
      .string()
      .refine((text) => {
        try {
          const url = new URL(text);
          return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && url.hash === "";
        } catch {
          return false;
        }
      }, rule)
      .transform(withoutTrailingSlash)
      .optional()
  );
}

/** Infobip shows an account's base URL without a scheme (`xxxxx.api.infobip.com`): https is assumed then. */
function infobipUrl(rule: string) {
  return z.preprocess((value) => {
    const text = unsetIfBlank(value);
    return typeof text === "string" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? `https://${text}` : text;
  }, baseUrl(rule));
}

const ORIGIN_RULE =
  "must be a comma-separated list of origins such as https://localhost:3000 (scheme, host and optional port, no path; * is not allowed because API keys pass through the relay)";

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text;
  } catch {
    return false;
  }
}

const originList = z.preprocess(
  unsetIfBlank,
  z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((item) => withoutTrailingSlash(item.trim()))
        .filter((item) => item !== "")
    )
    .refine((origins) => origins.length > 0 && origins.every(isOrigin), ORIGIN_RULE)
    .optional()
);

const secretText = z.preprocess(
  unsetIfBlank,
  z
    .string()
    .min(
      MIN_KEY_HASH_SECRET_LENGTH,
      `must be at least ${MIN_KEY_HASH_SECRET_LENGTH} characters (for example the output of: openssl rand -base64 48); leave it unset to let the relay generate one in the data directory`
    )
    .optional()
);

/** A libpq connection URL; its value (which may hold a password) is never repeated in an error. */
const databaseUrl = z.preprocess(
  unsetIfBlank,
  z
    .string()
    .refine((text) => {
      try {
        const url = new URL(text);
        return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.pathname.length > 1;
      } catch {
        return false;
      }
    }, "must be a PostgreSQL connection URL such as postgres://relay:password@db.example.com:5432/relay (with the database name); leave it unset to keep the SQLite file in RELAY_DATA_DIR")
    .optional()
);

export const RelayEnvSchema = z.object({
  RELAY_PORT: wholeNumber(0, 65535, "must be a whole number from 0 to 65535"),
  RELAY_HOST: optionalText(),
  RELAY_PUBLIC_URL: baseUrl(
    "must be an absolute http or https URL without query or fragment, such as https://relay.example.com"
  ),
  INFOBIP_BASE_URL: infobipUrl(
    "must be your account's Infobip base URL, such as https://xxxxx.api.infobip.com (or the emulator, http://localhost:4010)"
  ),
  RELAY_DATA_DIR: optionalText(),
  RELAY_DATABASE_URL: databaseUrl,
  RELAY_ALLOWED_ORIGINS: originList,
  RELAY_MAX_CALLBACK_BYTES: wholeNumber(1, Number.MAX_SAFE_INTEGER, "must be a whole number of bytes, at least 1"),
  RELAY_RESULT_TTL_HOURS: positiveNumber("must be a number of hours greater than 0"),
  RELAY_CALLBACK_TIMEOUT_MINUTES: positiveNumber("must be a number of minutes greater than 0"),
  RELAY_INFOBIP_TIMEOUT_SECONDS: positiveNumber("must be a number of seconds greater than 0"),
  RELAY_KEY_HASH_SECRET: secretText,
  RELAY_STATIC_DIR: optionalText(),
  RELAY_SUBMIT_RATE_PER_SECOND: wholeNumber(
    1,
    INFOBIP_REQUESTS_PER_SECOND,
    `must be a whole number from 1 to ${INFOBIP_REQUESTS_PER_SECOND} (Infobip accepts at most ${INFOBIP_REQUESTS_PER_SECOND} requests per second per API key)`
  ),
  RELAY_READ_RATE_PER_MINUTE: wholeNumber(1, Number.MAX_SAFE_INTEGER, "must be a whole number of calls, at least 1"),
  RELAY_NOT_FOUND_RATE_PER_MINUTE: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of requests, at least 1"
  ),
  RELAY_LOG_LEVEL: z.preprocess(
    (value) => (typeof value === "string" ? unsetIfBlank(value.toLowerCase()) : value),
    z.enum(LOG_LEVELS, { error: `must be one of: ${LOG_LEVELS.join(", ")}` }).optional()
  ),
});

/** Variables whose values are never repeated in an error message. */
const SECRET_VARIABLES = new Set(["RELAY_KEY_HASH_SECRET", "RELAY_DATABASE_URL"]);

type Env = Record<string, string | undefined>;

/** Reads the relay's settings from an environment (normally `process.env`); throws {@link RelayConfigError}. */
export function loadRelayConfig(env: Env, cwd: string = process.cwd()): RelayConfig {
  const parsed = RelayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      const raw = env[variable];
      const shown = SECRET_VARIABLES.has(variable) || raw === undefined ? "" : ` (got ${JSON.stringify(raw)})`;
      return `${variable} ${issue.message}${shown}`;
    });
    throw new RelayConfigError([...new Set(problems)]);
  }
  const vars = parsed.data;
  return {
    port: vars.RELAY_PORT ?? DEFAULT_RELAY_PORT,
    host: vars.RELAY_HOST ?? DEFAULT_RELAY_HOST,
    publicUrl: vars.RELAY_PUBLIC_URL,
    infobipBaseUrl: vars.INFOBIP_BASE_URL ?? DEFAULT_INFOBIP_BASE_URL,
    dataDir: path.resolve(cwd, vars.RELAY_DATA_DIR ?? DEFAULT_DATA_DIR),
    databaseUrl: vars.RELAY_DATABASE_URL,
    allowedOrigins: vars.RELAY_ALLOWED_ORIGINS ?? [...DEFAULT_ALLOWED_ORIGINS],
    maxCallbackBytes: vars.RELAY_MAX_CALLBACK_BYTES ?? DEFAULT_MAX_CALLBACK_BYTES,
    resultTtlHours: vars.RELAY_RESULT_TTL_HOURS ?? DEFAULT_RESULT_TTL_HOURS,
    callbackTimeoutMinutes: vars.RELAY_CALLBACK_TIMEOUT_MINUTES ?? DEFAULT_CALLBACK_TIMEOUT_MINUTES,
    infobipTimeoutSeconds: vars.RELAY_INFOBIP_TIMEOUT_SECONDS ?? DEFAULT_INFOBIP_TIMEOUT_SECONDS,
    keyHashSecret: vars.RELAY_KEY_HASH_SECRET,
    staticDir: path.resolve(cwd, vars.RELAY_STATIC_DIR ?? DEFAULT_STATIC_DIR),
    logLevel: vars.RELAY_LOG_LEVEL ?? "info",
    submitRatePerSecond: vars.RELAY_SUBMIT_RATE_PER_SECOND ?? DEFAULT_SUBMIT_RATE_PER_SECOND,
    readRatePerMinute: vars.RELAY_READ_RATE_PER_MINUTE ?? DEFAULT_READ_RATE_PER_MINUTE,
    notFoundRatePerMinute: vars.RELAY_NOT_FOUND_RATE_PER_MINUTE ?? DEFAULT_NOT_FOUND_RATE_PER_MINUTE,
  };
}

/** The URL Infobip posts callbacks to when RELAY_PUBLIC_URL is unset. */
export function defaultPublicUrl(port: number): string {
  return `http://localhost:${port}`;
}
