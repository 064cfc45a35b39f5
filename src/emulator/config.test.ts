import { ConfigError } from "../server-kit";
import { readEmulatorSettings } from "./config";

describe("readEmulatorSettings", () => {
  test("defaults: port 4010, real clock, seed 1, callbacks after 1500 ms", () => {
    expect(readEmulatorSettings({})).toEqual({
      port: 4010,
      host: "127.0.0.1",
      now: undefined,
      seed: 1,
      callbackDelayMs: 1500,
      callbackRetryDelaysMs: [1000, 4000, 16000],
      logLevel: "info",
    });
  });

  test("reads every variable; empty ones count as unset", () => {
    const settings = readEmulatorSettings({
      EMULATOR_PORT: "4999",
      EMULATOR_NOW: "2026-03-15T12:00:00Z",
      EMULATOR_SEED: "42",
      EMULATOR_CALLBACK_DELAY_MS: "20",
      EMULATOR_CALLBACK_RETRY_DELAYS_MS: "5, 10",
      EMULATOR_HOST: "",
    });
    expect(settings).toMatchObject({
      port: 4999,
      host: "127.0.0.1",
      seed: 42,
      callbackDelayMs: 20,
      callbackRetryDelaysMs: [5, 10],
    });
    expect(settings.now?.toISOString()).toBe("2026-03-15T12:00:00.000Z");
  });

  test("EMULATOR_CALLBACK_RETRY_DELAYS_MS=none turns retries off; an empty one keeps the default", () => {
    expect(readEmulatorSettings({ EMULATOR_CALLBACK_RETRY_DELAYS_MS: "none" }).callbackRetryDelaysMs).toEqual([]);
    expect(readEmulatorSettings({ EMULATOR_CALLBACK_RETRY_DELAYS_MS: "" }).callbackRetryDelaysMs).toEqual([
      1000, 4000, 16000,
    ]);
  });

  test("every bad variable is named at once, with its rule and value, in the server kit's ConfigError", () => {
    expect(() => readEmulatorSettings({ EMULATOR_PORT: "http", EMULATOR_LOG_LEVEL: "loud" })).toThrow(
      new ConfigError("emulator", [
        'EMULATOR_PORT must be a whole number from 0 to 65535 (got "http")',
        'EMULATOR_LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent (got "loud")',
      ])
    );
  });

  test.each([
    ["EMULATOR_PORT", "http"],
    ["EMULATOR_PORT", "70000"],
    ["EMULATOR_NOW", "yesterday"],
    ["EMULATOR_SEED", "1.5"],
    ["EMULATOR_CALLBACK_DELAY_MS", "-1"],
    ["EMULATOR_CALLBACK_RETRY_DELAYS_MS", "1s,2s"],
    ["EMULATOR_LOG_LEVEL", "loud"],
  ])("a bad %s (%s) is refused with a message naming it", (variable, value) => {
    expect(() => readEmulatorSettings({ [variable]: value })).toThrow(variable);
  });
});
