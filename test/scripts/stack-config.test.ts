import path from "node:path";
import { relayAllowedOrigins, stackConfig } from "../../scripts/stack/config";
import { chooseTransport, reasonForPlainHttp } from "../../scripts/stack/transport";
import { loadRelayConfig } from "../../src/relay/config";
import { ConfigError } from "../../src/server-kit";

const cwd = "/repo";

describe("stackConfig", () => {
  it("uses the documented defaults with an empty environment: two emulated data centres, eu the default", () => {
    const config = stackConfig({}, cwd);
    expect(config.emulators).toEqual([
      { connection: "eu", port: 4010, url: "http://127.0.0.1:4010", seed: 1 },
      { connection: "us", port: 4011, url: "http://127.0.0.1:4011", seed: 2 },
    ]);
    expect(config.relayInfobipEnv).toEqual({
      INFOBIP_CONNECTIONS: "eu=http://127.0.0.1:4010,us=http://127.0.0.1:4011",
    });
    expect(config.relay).toMatchObject({
      port: 3001,
      url: "http://127.0.0.1:3001",
      publicUrl: "http://127.0.0.1:3001",
      dataDir: path.resolve(cwd, ".relay-data"),
    });
    expect(config.devServer.port).toBe(3000);
    expect(config.pidFile).toBe(path.resolve(cwd, ".relay-data", "stack.pid"));
  });

  it("gives the relay exactly the connections a relay accepts, the first its default", () => {
    const relay = loadRelayConfig(stackConfig({}, cwd).relayInfobipEnv, cwd);
    expect(relay.connections).toEqual({
      list: [
        { name: "eu", baseUrl: "http://127.0.0.1:4010" },
        { name: "us", baseUrl: "http://127.0.0.1:4011" },
      ],
      defaultName: "eu",
    });
  });

  it("takes every port, the seed and the data directory from the environment", () => {
    const config = stackConfig(
      {
        EMULATOR_PORT: "5010",
        EMULATOR_US_PORT: "5011",
        EMULATOR_SEED: "7",
        RELAY_PORT: "5001",
        DEV_SERVER_PORT: "5000",
        RELAY_DATA_DIR: "/tmp/x",
      },
      cwd
    );
    expect(config.emulators.map((emulator) => [emulator.url, emulator.seed])).toEqual([
      ["http://127.0.0.1:5010", 7],
      ["http://127.0.0.1:5011", 8],
    ]);
    expect(config.relayInfobipEnv.INFOBIP_CONNECTIONS).toBe("eu=http://127.0.0.1:5010,us=http://127.0.0.1:5011");
    expect(config.relay.url).toBe("http://127.0.0.1:5001");
    expect(config.devServer.port).toBe(5000);
    expect(config.relay.dataDir).toBe("/tmp/x");
  });

  it("hands the emulators' fixed clock to the relay as RELAY_NOW, which the relay accepts for them", () => {
    const config = stackConfig({ EMULATOR_NOW: "2026-11-25T10:00:00Z" }, cwd);
    expect(config.relayInfobipEnv.RELAY_NOW).toBe("2026-11-25T10:00:00Z");
    expect(loadRelayConfig(config.relayInfobipEnv, cwd).clockStart).toEqual(new Date("2026-11-25T10:00:00Z"));
  });

  it.each([
    [{ RELAY_PORT: "abc" }, /RELAY_PORT="abc"/],
    [{ EMULATOR_PORT: "70000" }, /EMULATOR_PORT="70000" must be between 1 and 65535/],
    [{ DEV_SERVER_PORT: "3001" }, /DEV_SERVER_PORT and RELAY_PORT are both 3001/],
    [{ EMULATOR_US_PORT: "4010" }, /EMULATOR_US_PORT and EMULATOR_PORT are both 4010/],
    [{ EMULATOR_SEED: "2147483647" }, /EMULATOR_SEED="2147483647" must be a whole number/],
    [
      { INFOBIP_BASE_URL: "ftp://api.infobip.com" },
      /INFOBIP_BASE_URL="ftp:\/\/api.infobip.com" must be an absolute http/,
    ],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => stackConfig(env, cwd)).toThrow(ConfigError);
    expect(() => stackConfig(env, cwd)).toThrow(message);
  });

  it("does not start the emulators when INFOBIP_BASE_URL names an Infobip account", () => {
    const config = stackConfig(
      {
        INFOBIP_BASE_URL: "https://xyz.api.infobip.com/",
        RELAY_PUBLIC_URL: "https://relay.example.com",
        EMULATOR_NOW: "2026-11-25T10:00:00Z",
      },
      cwd
    );
    expect(config.emulators).toEqual([]);
    expect(config.relayInfobipEnv).toEqual({ INFOBIP_BASE_URL: "https://xyz.api.infobip.com" });
    expect(config.relay.publicUrl).toBe("https://relay.example.com");
  });

  it("does not start the emulators when INFOBIP_CONNECTIONS names Infobip accounts, and passes it on as it is", () => {
    const connections = "eu=https://a.api.infobip.com,us=https://b.api.infobip.com";
    const config = stackConfig({ INFOBIP_CONNECTIONS: connections }, cwd);
    expect(config.emulators).toEqual([]);
    expect(config.relayInfobipEnv).toEqual({ INFOBIP_CONNECTIONS: connections });
  });

  it("reads an Infobip base URL without a scheme as https, as Infobip's portal shows it", () => {
    expect(stackConfig({ INFOBIP_BASE_URL: "xyz.api.infobip.com" }, cwd).relayInfobipEnv.INFOBIP_BASE_URL).toBe(
      "https://xyz.api.infobip.com"
    );
  });

  it("lets the relay accept the dev server's origin plus the user's, once each", () => {
    const config = stackConfig(
      { DEV_SERVER_PORT: "3100", RELAY_ALLOWED_ORIGINS: " https://a.example , http://localhost:3100" },
      cwd
    );
    expect(relayAllowedOrigins(config, "http")).toBe("http://localhost:3100,https://a.example");
    expect(relayAllowedOrigins(config, "https")).toBe("https://localhost:3100,https://a.example,http://localhost:3100");
  });
});

describe("dev server transport", () => {
  const host = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform, sudo: boolean) => ({
    env,
    platform,
    hasCommand: (name: string) => name === "sudo" && sudo,
  });

  it.each([
    [{ DEV_SERVER_HTTP: "1" }, "linux", true, /DEV_SERVER_HTTP=1/],
    [{ CI: "true" }, "win32", true, /CI is set/],
    [{}, "linux", false, /sudo is not available/],
  ] as const)("chooses plain http for %j on %s (sudo %s)", (env, platform, sudo, reason) => {
    expect(reasonForPlainHttp(host(env, platform, sudo))).toMatch(reason);
  });

  it.each([
    [{}, "linux", true],
    [{ CI: "false" }, "darwin", false],
    [{}, "win32", false],
  ] as const)("tries the certificates for %j on %s (sudo %s)", (env, platform, sudo) => {
    expect(reasonForPlainHttp(host(env, platform, sudo))).toBeUndefined();
  });

  it("uses https once the certificates install, and falls back with the reason when they do not", async () => {
    let installs = 0;
    await expect(
      chooseTransport({ ...host({}, "linux", true), installCertificates: async () => void installs++ })
    ).resolves.toEqual({ protocol: "https" });
    expect(installs).toBe(1);
    await expect(
      chooseTransport({
        ...host({}, "linux", true),
        installCertificates: async () => {
          throw new Error("Unable to install the CA certificate. sudo: a password is required\nmore");
        },
      })
    ).resolves.toEqual({
      protocol: "http",
      reason:
        "the Office development certificate could not be installed (Unable to install the CA certificate. sudo: a password is required)",
    });
  });

  it("never tries to install when plain http is decided up front", async () => {
    const transport = await chooseTransport({
      ...host({ CI: "1" }, "linux", true),
      installCertificates: async () => {
        throw new Error("must not be called");
      },
    });
    expect(transport).toEqual({ protocol: "http", reason: expect.stringMatching(/CI is set/) });
  });
});
