/**
 * The relay's configuration: one zod schema over the environment, with defaults, validated once at boot
 * through the server kit (`src/server-kit`). A bad value stops the relay with a message that names the
 * variable and the rule (and never echoes the value of a secret). Every setting is documented in
 * `src/relay/README.md` and `src/relay/.env.example`.
 */
import net from "node:net";
import path from "node:path";
import { z } from "zod";
import { parseApiDateTime } from "../billing";
import {
  connectionListVariable,
  infobipBaseUrl,
  isLoopbackUrl,
  SINGLE_CONNECTION_NAME,
  singleConnection,
  type InfobipConnections,
} from "./connections";
import {
  ConfigError,
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
/** Failed authentications (no usable key, Infobip's 401/403, unknown queries) per client IP per minute. */
export const DEFAULT_AUTH_FAILURE_RATE_PER_MINUTE = 30;
/** Submissions forwarded to Infobip per second by this relay as a whole, whatever the key: Infobip's per-key 60. */
export const DEFAULT_GLOBAL_SUBMIT_RATE_PER_SECOND = 60;
export const DEFAULT_BODY_IDLE_TIMEOUT_SECONDS = 30;
/** A JSON body of at most 1 MiB: a minute is plenty even on a bad mobile link. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
/** 256 MiB (the default RELAY_MAX_CALLBACK_BYTES) at about 150 KB/s: a generous but finite time for a callback. */
export const DEFAULT_CALLBACK_REQUEST_TIMEOUT_SECONDS = 1800;
/** Far above a browser's 6 connections per origin; 0 turns the cap off (e.g. behind a proxy with a larger pool). */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 64;

/**
 * Fastify's `trustProxy` (https://fastify.dev/docs/latest/Reference/Server/#trustproxy): false (the default:
 * X-Forwarded-For is ignored, the client is the TCP peer), true (trust every proxy: only when nothing but the
 * proxy can reach the relay), a number of proxy hops, or the proxies' addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | string[];
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
  /**
   * The Infobip accounts or data centres the relay calls, by name (INFOBIP_CONNECTIONS, or INFOBIP_BASE_URL alone
   * as the one connection `default`): the only base URLs it ever calls (connections.ts).
   */
  connections: InfobipConnections;
  /**
   * RELAY_NOW: the instant the relay's clock starts at (it runs on from there), so a demo or test stack agrees with
   * an emulator whose clock is fixed (EMULATOR_NOW); undefined = the system clock. Only with loopback connections.
   */
  clockStart: Date | undefined;
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
  /** Failed authentications per client IP per minute; beyond it the IP's `/v1` calls get 429 until the window ends. */
  authFailureRatePerMinute: number;
  /** Submissions forwarded to Infobip per second, all keys together. */
  globalSubmitRatePerSecond: number;
  /** Which proxies' X-Forwarded-For is believed (Fastify's `trustProxy`). */
  trustProxy: TrustProxy;
  /** A request body idle this long is cut off. */
  bodyIdleTimeoutSeconds: number;
  /** A `/v1` request whose body is not complete this long after its head is cut off. */
  requestTimeoutSeconds: number;
  /** The same for a callback's body. */
  callbackRequestTimeoutSeconds: number;
  /** Open connections per client IP (the TCP peer); 0 = no cap. */
  maxConnectionsPerIp: number;
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

function isCidr(text: string): boolean {
  const [address, bits, extra] = text.split("/");
  if (address === undefined || extra !== undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const TRUST_PROXY_RULE =
  "must be true, false, a number of proxy hops (such as 1), or a comma-separated list of the proxies' IP addresses or CIDR ranges (such as 10.0.0.1,192.168.0.0/16)";

/** RELAY_TRUST_PROXY: what Fastify's `trustProxy` accepts, as text. */
const trustProxy = z.string().transform((text, ctx): TrustProxy => {
  const value = text.trim();
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (list.length === 0 || !list.every(isCidr)) {
    ctx.addIssue({ code: "custom", message: TRUST_PROXY_RULE });
    return z.NEVER;
  }
  return list;
});

const seconds = (rule: string) => positiveNumber(rule);

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
  INFOBIP_BASE_URL: infobipBaseUrl.optional(),
  INFOBIP_CONNECTIONS: connectionListVariable.optional(),
  INFOBIP_DEFAULT_CONNECTION: z.string().trim().optional(),
  RELAY_NOW: z
    .string()
    .trim()
    // The emulator's rule for EMULATOR_NOW, so npm start can hand the same value to both.
    .refine((text) => parseApiDateTime(text) !== undefined, {
      message: "must be an ISO date-time such as 2026-11-25T10:00:00Z (for tests and demos against the emulator only)",
    })
    .transform((text) => parseApiDateTime(text) ?? new Date(Number.NaN))
    .optional(),
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
  RELAY_AUTH_FAILURE_RATE_PER_MINUTE: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of requests, at least 1"
  ).optional(),
  RELAY_GLOBAL_SUBMIT_RATE_PER_SECOND: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of submissions, at least 1"
  ).optional(),
  RELAY_TRUST_PROXY: trustProxy.optional(),
  RELAY_BODY_IDLE_TIMEOUT_SECONDS: seconds("must be a number of seconds greater than 0").optional(),
  RELAY_REQUEST_TIMEOUT_SECONDS: seconds("must be a number of seconds greater than 0").optional(),
  RELAY_CALLBACK_REQUEST_TIMEOUT_SECONDS: seconds("must be a number of seconds greater than 0").optional(),
  RELAY_MAX_CONNECTIONS_PER_IP: wholeNumber(
    0,
    Number.MAX_SAFE_INTEGER,
    "must be a whole number of connections (0 turns the cap off)"
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
  const connections = infobipConnections(vars);
  return {
    port: vars.RELAY_PORT ?? DEFAULT_RELAY_PORT,
    host: vars.RELAY_HOST ?? DEFAULT_RELAY_HOST,
    publicUrl: vars.RELAY_PUBLIC_URL,
    connections,
    clockStart: vars.RELAY_NOW,
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
    authFailureRatePerMinute: vars.RELAY_AUTH_FAILURE_RATE_PER_MINUTE ?? DEFAULT_AUTH_FAILURE_RATE_PER_MINUTE,
    globalSubmitRatePerSecond: vars.RELAY_GLOBAL_SUBMIT_RATE_PER_SECOND ?? DEFAULT_GLOBAL_SUBMIT_RATE_PER_SECOND,
    trustProxy: vars.RELAY_TRUST_PROXY ?? false,
    bodyIdleTimeoutSeconds: vars.RELAY_BODY_IDLE_TIMEOUT_SECONDS ?? DEFAULT_BODY_IDLE_TIMEOUT_SECONDS,
    requestTimeoutSeconds: vars.RELAY_REQUEST_TIMEOUT_SECONDS ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
    callbackRequestTimeoutSeconds:
      vars.RELAY_CALLBACK_REQUEST_TIMEOUT_SECONDS ?? DEFAULT_CALLBACK_REQUEST_TIMEOUT_SECONDS,
    maxConnectionsPerIp: vars.RELAY_MAX_CONNECTIONS_PER_IP ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
    diskReserveBytes: vars.RELAY_DISK_RESERVE_BYTES ?? DEFAULT_DISK_RESERVE_BYTES,
    resultReadAttempts: vars.RELAY_RESULT_READ_ATTEMPTS ?? DEFAULT_RESULT_READ_ATTEMPTS,
  };
}

/**
 * The connections from INFOBIP_CONNECTIONS or INFOBIP_BASE_URL, and the rules between the variables that one
 * variable's schema cannot see. Both base-URL variables at once are refused rather than ranked: an operator who
 * adds INFOBIP_CONNECTIONS beside an old INFOBIP_BASE_URL should learn that one of them is ignored, not guess which.
 * RELAY_NOW moves the clock the retention window is checked on, so it is refused unless every connection is on
 * this machine (the emulator): a relay that talks to Infobip always runs on the real clock.
 *
 * @throws {ConfigError} naming the variables
 */
function infobipConnections(vars: z.output<typeof RelayEnvSchema>): InfobipConnections {
  const problems: string[] = [];
  let connections: InfobipConnections;
  if (vars.INFOBIP_CONNECTIONS !== undefined) {
    if (vars.INFOBIP_BASE_URL !== undefined) {
      problems.push(
        "INFOBIP_BASE_URL and INFOBIP_CONNECTIONS are both set: set only INFOBIP_CONNECTIONS (name=url pairs) for " +
          "several Infobip accounts, or only INFOBIP_BASE_URL for one"
      );
    }
    const list = vars.INFOBIP_CONNECTIONS;
    const chosen = vars.INFOBIP_DEFAULT_CONNECTION;
    if (chosen !== undefined && !list.some((connection) => connection.name === chosen)) {
      problems.push(
        `INFOBIP_DEFAULT_CONNECTION must name one of INFOBIP_CONNECTIONS (${list
          .map((connection) => connection.name)
          .join(", ")}) (got ${JSON.stringify(chosen)})`
      );
    }
    connections = { list, defaultName: chosen ?? list[0]?.name ?? SINGLE_CONNECTION_NAME };
  } else {
    const name = vars.INFOBIP_DEFAULT_CONNECTION;
    if (name !== undefined && name !== SINGLE_CONNECTION_NAME) {
      problems.push(
        `INFOBIP_DEFAULT_CONNECTION names a connection of INFOBIP_CONNECTIONS, which is not set (the one connection of ` +
          `INFOBIP_BASE_URL is "${SINGLE_CONNECTION_NAME}") (got ${JSON.stringify(name)})`
      );
    }
    connections = singleConnection(vars.INFOBIP_BASE_URL ?? DEFAULT_INFOBIP_BASE_URL);
  }
  const remote = connections.list.filter((connection) => !isLoopbackUrl(connection.baseUrl));
  if (vars.RELAY_NOW !== undefined && remote.length > 0) {
    problems.push(
      `RELAY_NOW is for tests and demos against the emulator only, but ${remote
        .map((connection) => connection.name)
        .join(", ")} is not on this machine: unset RELAY_NOW (a relay that talks to Infobip uses the real clock)`
    );
  }
  if (problems.length > 0) throw new ConfigError("relay", problems);
  return connections;
}

/** The relay's clock: the system clock, or one that starts at RELAY_NOW and runs at the same pace. */
export function relayClock(config: Pick<RelayConfig, "clockStart">): () => Date {
  if (config.clockStart === undefined) return () => new Date();
  const offsetMs = config.clockStart.getTime() - Date.now();
  return () => new Date(Date.now() + offsetMs);
}

/** The URL Infobip posts callbacks to when RELAY_PUBLIC_URL is unset. */
export function defaultPublicUrl(port: number): string {
  return `http://localhost:${port}`;
}
