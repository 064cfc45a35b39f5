/** Configuration from the environment: defaults, every rule, and messages that name the variable. */
import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_ALLOWED_ORIGINS,
  DEFAULT_MAX_CALLBACK_BYTES,
  loadRelayConfig,
  relayClock,
} from "../../src/relay/config";
import { KEY_HASH_SECRET_FILE, resolveKeyHashSecret } from "../../src/relay/key-hash-secret";
import { ConfigError } from "../../src/server-kit";
import { tempDataDir } from "./helpers/relay";

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadRelayConfig(env, "/srv/relay");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("loadRelayConfig", () => {
  it("has the documented defaults", () => {
    expect(loadRelayConfig({}, "/srv/relay")).toEqual({
      port: 3001,
      host: "127.0.0.1",
      publicUrl: undefined,
      infobipBaseUrl: "http://localhost:4010",
      dataDir: "/srv/relay/.relay-data",
      databaseUrl: undefined,
      allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
      maxCallbackBytes: DEFAULT_MAX_CALLBACK_BYTES,
      resultTtlHours: 168,
      callbackTimeoutMinutes: 60,
      infobipTimeoutSeconds: 30,
      keyHashSecret: undefined,
      staticDir: "/srv/relay/dist",
      logLevel: "info",
      submitRatePerSecond: 30,
      readRatePerMinute: 600,
      notFoundRatePerMinute: 60,
      clockStartsAt: undefined,
    });
    expect(DEFAULT_MAX_CALLBACK_BYTES).toBe(256 * 1024 * 1024);
    expect(DEFAULT_ALLOWED_ORIGINS).toEqual(["https://localhost:3000", "http://localhost:3000"]);
  });

  it("reads every variable", () => {
    const config = loadRelayConfig(
      {
        RELAY_PORT: "8443",
        RELAY_HOST: "0.0.0.0",
        RELAY_PUBLIC_URL: "https://relay.example.com/billing/",
        INFOBIP_BASE_URL: "xyz12.api.infobip.com",
        RELAY_DATA_DIR: "/var/lib/relay",
        RELAY_DATABASE_URL: "postgresql://relay:pw@db.internal:5432/relay?sslmode=require",
        RELAY_ALLOWED_ORIGINS: " https://addin.example.com , https://localhost:3000/ ",
        RELAY_MAX_CALLBACK_BYTES: "1048576",
        RELAY_RESULT_TTL_HOURS: "24",
        RELAY_CALLBACK_TIMEOUT_MINUTES: "7.5",
        RELAY_INFOBIP_TIMEOUT_SECONDS: "10",
        RELAY_KEY_HASH_SECRET: "s".repeat(40),
        RELAY_STATIC_DIR: "build/pane",
        RELAY_LOG_LEVEL: "WARN",
        RELAY_SUBMIT_RATE_PER_SECOND: "10",
        RELAY_READ_RATE_PER_MINUTE: "1200",
        RELAY_NOT_FOUND_RATE_PER_MINUTE: "20",
      },
      "/srv/relay"
    );
    expect(config).toEqual({
      port: 8443,
      host: "0.0.0.0",
      publicUrl: "https://relay.example.com/billing",
      infobipBaseUrl: "https://xyz12.api.infobip.com",
      dataDir: "/var/lib/relay",
      databaseUrl: "postgresql://relay:pw@db.internal:5432/relay?sslmode=require",
      allowedOrigins: ["https://addin.example.com", "https://localhost:3000"],
      maxCallbackBytes: 1048576,
      resultTtlHours: 24,
      callbackTimeoutMinutes: 7.5,
      infobipTimeoutSeconds: 10,
      keyHashSecret: "s".repeat(40),
      staticDir: "/srv/relay/build/pane",
      logLevel: "warn",
      submitRatePerSecond: 10,
      readRatePerMinute: 1200,
      notFoundRatePerMinute: 20,
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadRelayConfig({ RELAY_PORT: "", RELAY_ALLOWED_ORIGINS: "  " }, "/x")).toMatchObject({
      port: 3001,
      allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
    });
  });

  it.each([
    ["RELAY_PORT", "abc", /RELAY_PORT must be a whole number from 0 to 65535 \(got "abc"\)/],
    ["RELAY_PORT", "70000", /RELAY_PORT must be a whole number from 0 to 65535/],
    ["RELAY_PUBLIC_URL", "relay.example.com", /RELAY_PUBLIC_URL must be an absolute http or https URL/],
    [
      "RELAY_PUBLIC_URL",
      "https://relay.example.com/?x=1",
      /RELAY_PUBLIC_URL must be an absolute http or https URL without query/,
    ],
    ["INFOBIP_BASE_URL", "ftp://x.api.infobip.com", /INFOBIP_BASE_URL must be your account's Infobip base URL/],
    [
      "RELAY_ALLOWED_ORIGINS",
      "*",
      /RELAY_ALLOWED_ORIGINS must be a comma-separated list of origins .* \* is not allowed/,
    ],
    ["RELAY_ALLOWED_ORIGINS", "https://addin.example.com/taskpane.html", /RELAY_ALLOWED_ORIGINS/],
    ["RELAY_MAX_CALLBACK_BYTES", "256MiB", /RELAY_MAX_CALLBACK_BYTES must be a whole number of bytes/],
    ["RELAY_MAX_CALLBACK_BYTES", "0", /RELAY_MAX_CALLBACK_BYTES must be a whole number of bytes, at least 1/],
    ["RELAY_RESULT_TTL_HOURS", "0", /RELAY_RESULT_TTL_HOURS must be a number of hours greater than 0/],
    [
      "RELAY_CALLBACK_TIMEOUT_MINUTES",
      "-5",
      /RELAY_CALLBACK_TIMEOUT_MINUTES must be a number of minutes greater than 0/,
    ],
    [
      "RELAY_SUBMIT_RATE_PER_SECOND",
      "61",
      /RELAY_SUBMIT_RATE_PER_SECOND must be a whole number from 1 to 60 \(Infobip accepts at most 60 requests per second per API key\)/,
    ],
    ["RELAY_SUBMIT_RATE_PER_SECOND", "0", /RELAY_SUBMIT_RATE_PER_SECOND must be a whole number from 1 to 60/],
    ["RELAY_READ_RATE_PER_MINUTE", "10.5", /RELAY_READ_RATE_PER_MINUTE must be a whole number of calls, at least 1/],
    ["RELAY_NOT_FOUND_RATE_PER_MINUTE", "0", /RELAY_NOT_FOUND_RATE_PER_MINUTE must be a whole number of requests/],
    ["RELAY_LOG_LEVEL", "loud", /RELAY_LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent/],
  ])("refuses %s=%j with a message naming it and the rule", (variable, value, message) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("never repeats the value of RELAY_KEY_HASH_SECRET in its message", () => {
    const problems = problemsOf({ RELAY_KEY_HASH_SECRET: "short-secret-value" });
    expect(problems[0]).toMatch(/RELAY_KEY_HASH_SECRET must be at least 32 characters/);
    expect(problems.join("\n")).not.toContain("short-secret-value");
  });

  it.each([
    ["mysql://relay:hunter2-secret@db/relay"],
    ["postgres://relay:hunter2-secret@db"],
    ["relay:hunter2-secret@db/relay"],
  ])("refuses RELAY_DATABASE_URL=%s without repeating it (it may hold a password)", (value) => {
    const problems = problemsOf({ RELAY_DATABASE_URL: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/RELAY_DATABASE_URL must be a PostgreSQL connection URL such as postgres:\/\//);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("lists every bad variable at once", () => {
    expect(
      problemsOf({ RELAY_PORT: "x", RELAY_RESULT_TTL_HOURS: "y", RELAY_LOG_LEVEL: "z" }).map((p) => p.split(" ")[0])
    ).toEqual(["RELAY_PORT", "RELAY_RESULT_TTL_HOURS", "RELAY_LOG_LEVEL"]);
  });
});

describe("key-hash secret", () => {
  it("is generated once into the data directory with mode 0600, then reused", () => {
    const dir = tempDataDir();
    const first = resolveKeyHashSecret(undefined, dir);
    expect(first.source).toBe("generated");
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, KEY_HASH_SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveKeyHashSecret(undefined, dir)).toEqual({ secret: first.secret, source: "file" });
  });

  it("tightens a secret file others can read", () => {
    const dir = tempDataDir();
    const file = path.join(dir, KEY_HASH_SECRET_FILE);
    fs.writeFileSync(file, "x".repeat(40), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(resolveKeyHashSecret(undefined, dir).source).toBe("file");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("comes from RELAY_KEY_HASH_SECRET when set, and then no file is written", () => {
    const dir = tempDataDir();
    expect(resolveKeyHashSecret("e".repeat(32), dir)).toEqual({ secret: "e".repeat(32), source: "environment" });
    expect(fs.existsSync(path.join(dir, KEY_HASH_SECRET_FILE))).toBe(false);
  });

  it("refuses a secret file too short to be one", () => {
    const dir = tempDataDir();
    fs.writeFileSync(path.join(dir, KEY_HASH_SECRET_FILE), "tiny");
    expect(() => resolveKeyHashSecret(undefined, dir)).toThrow(/no usable secret/);
  });
});

describe("RELAY_NOW", () => {
  it("starts the relay's clock at an ISO instant and refuses anything else, naming the variable", () => {
    expect(loadRelayConfig({ RELAY_NOW: "2026-11-25T10:00:00Z" }, "/srv/relay").clockStartsAt).toEqual(
      new Date("2026-11-25T10:00:00Z")
    );
    expect(problemsOf({ RELAY_NOW: "yesterday" }).join("\n")).toMatch(/RELAY_NOW.*ISO date-time/);
  });

  it("runs forward from the start at the system clock's pace; unset, it is the system clock", () => {
    let system = Date.parse("2026-12-07T20:00:00Z");
    const shifted = relayClock(new Date("2026-11-25T10:00:00Z"), () => system);
    const real = relayClock(undefined, () => system);
    expect(shifted().toISOString()).toBe("2026-11-25T10:00:00.000Z");
    system += 90_000;
    expect(shifted().toISOString()).toBe("2026-11-25T10:01:30.000Z");
    expect(real().toISOString()).toBe("2026-12-07T20:01:30.000Z");
  });
});
