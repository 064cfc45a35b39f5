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
      connections: { list: [{ name: "default", baseUrl: "http://localhost:4010" }], defaultName: "default" },
      clockStart: undefined,
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
      authFailureRatePerMinute: 30,
      globalSubmitRatePerSecond: 60,
      trustProxy: false,
      bodyIdleTimeoutSeconds: 30,
      requestTimeoutSeconds: 60,
      callbackRequestTimeoutSeconds: 1800,
      maxConnectionsPerIp: 64,
      diskReserveBytes: 16 * 1024 * 1024,
      resultReadAttempts: 6,
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
        RELAY_AUTH_FAILURE_RATE_PER_MINUTE: "5",
        RELAY_GLOBAL_SUBMIT_RATE_PER_SECOND: "100",
        RELAY_TRUST_PROXY: " 10.0.0.1, 192.168.0.0/16 ,::1",
        RELAY_BODY_IDLE_TIMEOUT_SECONDS: "2.5",
        RELAY_REQUEST_TIMEOUT_SECONDS: "20",
        RELAY_CALLBACK_REQUEST_TIMEOUT_SECONDS: "600",
        RELAY_MAX_CONNECTIONS_PER_IP: "0",
        RELAY_DISK_RESERVE_BYTES: "0",
        RELAY_RESULT_READ_ATTEMPTS: "3",
      },
      "/srv/relay"
    );
    expect(config).toEqual({
      port: 8443,
      host: "0.0.0.0",
      publicUrl: "https://relay.example.com/billing",
      connections: { list: [{ name: "default", baseUrl: "https://xyz12.api.infobip.com" }], defaultName: "default" },
      clockStart: undefined,
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
      authFailureRatePerMinute: 5,
      globalSubmitRatePerSecond: 100,
      trustProxy: ["10.0.0.1", "192.168.0.0/16", "::1"],
      bodyIdleTimeoutSeconds: 2.5,
      requestTimeoutSeconds: 20,
      callbackRequestTimeoutSeconds: 600,
      maxConnectionsPerIp: 0,
      diskReserveBytes: 0,
      resultReadAttempts: 3,
    });
  });

  it.each([
    ["true", true],
    ["FALSE", false],
    ["2", 2],
    ["127.0.0.1", ["127.0.0.1"]],
    ["10.0.0.0/8,fd00::/8", ["10.0.0.0/8", "fd00::/8"]],
  ])("reads RELAY_TRUST_PROXY=%s as Fastify's trustProxy", (text, expected) => {
    expect(loadRelayConfig({ RELAY_TRUST_PROXY: text }, "/x").trustProxy).toEqual(expected);
  });

  it.each(["yes", "10.0.0.0/33", "proxy.internal", ",", "1.2.3.4/8/9", "-1"])(
    "refuses RELAY_TRUST_PROXY=%s, naming the rule",
    (text) => {
      expect(problemsOf({ RELAY_TRUST_PROXY: text })).toEqual([
        expect.stringMatching(
          /^RELAY_TRUST_PROXY must be true, false, a number of proxy hops .* or a comma-separated list of the proxies' IP addresses or CIDR ranges/
        ),
      ]);
    }
  );

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

describe("Infobip connections", () => {
  const connectionsOf = (env: Record<string, string>) => loadRelayConfig(env, "/srv/relay").connections;

  it("reads INFOBIP_CONNECTIONS in order, the first as the default; URLs by INFOBIP_BASE_URL's rule", () => {
    expect(
      connectionsOf({ INFOBIP_CONNECTIONS: " eu = xxxx.api.infobip.com/ , us-2=https://yyyy.api.infobip.com" })
    ).toEqual({
      list: [
        { name: "eu", baseUrl: "https://xxxx.api.infobip.com" },
        { name: "us-2", baseUrl: "https://yyyy.api.infobip.com" },
      ],
      defaultName: "eu",
    });
  });

  it("takes the default from INFOBIP_DEFAULT_CONNECTION when it names one of them", () => {
    expect(
      connectionsOf({
        INFOBIP_CONNECTIONS: "eu=http://127.0.0.1:1,us=http://127.0.0.1:2",
        INFOBIP_DEFAULT_CONNECTION: "us",
      }).defaultName
    ).toBe("us");
    expect(problemsOf({ INFOBIP_CONNECTIONS: "eu=http://127.0.0.1:1", INFOBIP_DEFAULT_CONNECTION: "asia" })).toEqual([
      expect.stringMatching(/INFOBIP_DEFAULT_CONNECTION must name one of INFOBIP_CONNECTIONS \(eu\)/),
    ]);
    expect(problemsOf({ INFOBIP_DEFAULT_CONNECTION: "eu" })).toEqual([
      expect.stringMatching(/INFOBIP_DEFAULT_CONNECTION names a connection of INFOBIP_CONNECTIONS, which is not set/),
    ]);
  });

  it("keeps INFOBIP_BASE_URL alone as the one connection named default", () => {
    expect(
      connectionsOf({ INFOBIP_BASE_URL: "https://xyz.api.infobip.com", INFOBIP_DEFAULT_CONNECTION: "default" })
    ).toEqual({ list: [{ name: "default", baseUrl: "https://xyz.api.infobip.com" }], defaultName: "default" });
  });

  it("refuses INFOBIP_BASE_URL and INFOBIP_CONNECTIONS together", () => {
    expect(
      problemsOf({ INFOBIP_BASE_URL: "https://a.api.infobip.com", INFOBIP_CONNECTIONS: "eu=https://b.api.infobip.com" })
    ).toEqual([expect.stringMatching(/INFOBIP_BASE_URL and INFOBIP_CONNECTIONS are both set/)]);
  });

  it.each([
    ["eu=https://a.api.infobip.com,,us=https://b.api.infobip.com", /empty entry 2/],
    ["eu=https://a.api.infobip.com,", /empty entry 2/],
    ["https://a.api.infobip.com", /entry 1 \("https:\/\/a.api.infobip.com"\) must be name=url/],
    ["EU=https://a.api.infobip.com", /the name "EU" must be lower-case letters, digits and hyphens/],
    ["1eu=https://a.api.infobip.com", /the name "1eu" must be/],
    [`${"a".repeat(33)}=https://a.api.infobip.com`, /at most 32 characters/],
    ["eu=ftp://a.api.infobip.com", /entry 1 \(eu\): the URL must be your account's Infobip base URL/],
    ["eu=https://a.api.infobip.com?x=1", /entry 1 \(eu\): the URL must be/],
    ["eu=https://a.api.infobip.com,eu=https://b.api.infobip.com", /names the connection "eu" twice/],
    [
      Array.from({ length: 17 }, (_, index) => `c${index}=https://c${index}.api.infobip.com`).join(","),
      /has 17 connections; a relay serves at most 16/,
    ],
  ])("refuses INFOBIP_CONNECTIONS=%j, naming the variable and the rule", (value, message) => {
    const problems = problemsOf({ INFOBIP_CONNECTIONS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^INFOBIP_CONNECTIONS /);
    expect(problems[0]).toMatch(message);
  });

  it("lists every bad entry of INFOBIP_CONNECTIONS at once", () => {
    expect(problemsOf({ INFOBIP_CONNECTIONS: "EU=x,,us=ftp://y" })).toHaveLength(3);
  });
});

describe("RELAY_NOW", () => {
  it("starts a running clock at that instant when every connection is on this machine", async () => {
    const config = loadRelayConfig(
      { RELAY_NOW: "2026-11-25T10:00:00Z", INFOBIP_CONNECTIONS: "eu=http://127.0.0.1:4010,us=http://localhost:4011" },
      "/x"
    );
    expect(config.clockStart).toEqual(new Date("2026-11-25T10:00:00Z"));
    const clock = relayClock(config);
    const first = clock().getTime();
    expect(Math.abs(first - Date.parse("2026-11-25T10:00:00Z"))).toBeLessThan(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock().getTime()).toBeGreaterThan(first);
  });

  it("is the system clock without RELAY_NOW", () => {
    const before = Date.now();
    const now = relayClock(loadRelayConfig({}, "/x"))().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("is refused with a connection to Infobip, and when it is not a date-time", () => {
    expect(problemsOf({ RELAY_NOW: "2026-11-25T10:00:00Z", INFOBIP_BASE_URL: "https://xyz.api.infobip.com" })).toEqual([
      expect.stringMatching(
        /RELAY_NOW is for tests and demos against the emulator only, but default is not on this machine/
      ),
    ]);
    expect(problemsOf({ RELAY_NOW: "yesterday" })).toEqual([
      expect.stringMatching(/RELAY_NOW must be an ISO date-time such as 2026-11-25T10:00:00Z/),
    ]);
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
