/**
 * The relay's configuration: one zod schema over the environment, with defaults, validated once at boot
 * through the server kit (`src/server-kit`). A bad value stops the relay with a message that names the
 * variable and the rule (and never echoes the value of a secret). Every setting is documented in
 * `src/relay/README.md` and `src/relay/.env.example`.
 */
import path from "node:path";
import { z } from "zod";
import {
  httpBaseUrl,
  logLevel,
  positiveNumber,
  readEnvironment,
  wholeNumber,
  type Environment,
  type LogLevel,
} from "../server-kit";

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
/** Room kept on the data directory's disk for deletions when it is full (storage-health.ts: 8 MiB measured enough to delete a 45,000-row result). */
export const DEFAULT_DISK_RESERVE_BYTES = 16 * 1024 * 1024;
/** Tries at reading a stored callback body into rows before the query is settled `unreadable` (ingest/read-retry.ts). */
export const DEFAULT_RESULT_READ_ATTEMPTS = 6;

export type RelayLogLevel = LogLevel;

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
  /** Bytes of the reserve file kept in the data directory for deletions on a full disk (SQLite); 0 = none. */
  diskReserveBytes: number;
  /** Tries at reading a stored callback body into rows, with backoff, before the query becomes `unreadable`. */
  resultReadAttempts: number;
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

const originList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((item) => item.trim().replace(/\/+$/, ""))
      .filter((item) => item !== "")
  )
  .refine((origins) => origins.length > 0 && origins.every(isOrigin), ORIGIN_RULE);

const secretText = z
  .string()
  .min(
    MIN_KEY_HASH_SECRET_LENGTH,
    `must be at least ${MIN_KEY_HASH_SECRET_LENGTH} characters (for example the output of: openssl rand -base64 48); leave it unset to let the relay generate one in the data directory`
  );

/** A libpq connection URL; its value (which may hold a password) is never repeated in an error. */
const databaseUrl = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.pathname.length > 1;
  } catch {
    return false;
  }
}, "must be a PostgreSQL connection URL such as postgres://relay:password@db.example.com:5432/relay (with the database name); leave it unset to keep the SQLite file in RELAY_DATA_DIR");

/** One field per variable; unset (or blank) ones are undefined here and get their defaults in {@link loadRelayConfig}. */
export const RelayEnvSchema = z.object({
  RELAY_PORT: wholeNumber(0, 65535, "must be a whole number from 0 to 65535").optional(),
  RELAY_HOST: z.string().optional(),
  RELAY_PUBLIC_URL: httpBaseUrl(
    "must be an absolute http or https URL without query or fragment, such as https://relay.example.com"
  ).optional(),
  INFOBIP_BASE_URL: httpBaseUrl(
    "must be your account's Infobip base URL, such as https://xxxxx.api.infobip.com (or the emulator, http://localhost:4010)",
    { assumeHttps: true }
  ).optional(),
  RELAY_DATA_DIR: z.string().optional(),
  RELAY_DATABASE_URL: databaseUrl.optional(),
  RELAY_ALLOWED_ORIGINS: originList.optional(),
  RELAY_MAX_CALLBACK_BYTES: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of bytes, at least 1"
  ).optional(),
  RELAY_RESULT_TTL_HOURS: positiveNumber("must be a number of hours greater than 0").optional(),
  RELAY_CALLBACK_TIMEOUT_MINUTES: positiveNumber("must be a number of minutes greater than 0").optional(),
  RELAY_INFOBIP_TIMEOUT_SECONDS: positiveNumber("must be a number of seconds greater than 0").optional(),
  RELAY_KEY_HASH_SECRET: secretText.optional(),
  RELAY_STATIC_DIR: z.string().optional(),
  RELAY_SUBMIT_RATE_PER_SECOND: wholeNumber(
    1,
    INFOBIP_REQUESTS_PER_SECOND,
    `must be a whole number from 1 to ${INFOBIP_REQUESTS_PER_SECOND} (Infobip accepts at most ${INFOBIP_REQUESTS_PER_SECOND} requests per second per API key)`
  ).optional(),
  RELAY_READ_RATE_PER_MINUTE: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of calls, at least 1"
  ).optional(),
  RELAY_NOT_FOUND_RATE_PER_MINUTE: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of requests, at least 1"
  ).optional(),
  RELAY_DISK_RESERVE_BYTES: wholeNumber(
    0,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of bytes, 0 or more (0: no reserve; a DELETE may then fail on a full disk)"
  ).optional(),
  RELAY_RESULT_READ_ATTEMPTS: wholeNumber(1, 20, "must be a whole number of tries from 1 to 20").optional(),
  RELAY_LOG_LEVEL: logLevel().optional(),
});

/**
 * Reads the relay's settings from an environment (normally `process.env`).
 *
 * @throws {ConfigError} naming every bad variable and its rule (never the value of RELAY_KEY_HASH_SECRET or RELAY_DATABASE_URL)
 */
export function loadRelayConfig(env: Environment, cwd: string = process.cwd()): RelayConfig {
  const vars = readEnvironment(RelayEnvSchema, env, {
    subject: "relay",
    secrets: ["RELAY_KEY_HASH_SECRET", "RELAY_DATABASE_URL"],
  });
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
    diskReserveBytes: vars.RELAY_DISK_RESERVE_BYTES ?? DEFAULT_DISK_RESERVE_BYTES,
    resultReadAttempts: vars.RELAY_RESULT_READ_ATTEMPTS ?? DEFAULT_RESULT_READ_ATTEMPTS,
  };
}

/** The URL Infobip posts callbacks to when RELAY_PUBLIC_URL is unset. */
export function defaultPublicUrl(port: number): string {
  return `http://localhost:${port}`;
}
