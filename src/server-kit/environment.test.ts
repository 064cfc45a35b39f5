import { z } from "zod";
import {
  ConfigError,
  httpBaseUrl,
  logLevel,
  positiveNumber,
  readEnvironment,
  valueThenRule,
  wholeNumber,
  withoutBlankVariables,
} from "./environment";

const Schema = z.object({
  APP_PORT: wholeNumber(0, 65535, "must be a whole number from 0 to 65535").default(8080),
  APP_RATIO: positiveNumber("must be a number greater than 0").optional(),
  APP_URL: httpBaseUrl("must be an absolute http or https URL").optional(),
  APP_SECRET: z.string().min(8, "must be at least 8 characters").optional(),
  APP_LOG_LEVEL: logLevel().default("info"),
});

function problemsOf(env: Record<string, string>, wording = {}): readonly string[] {
  try {
    readEnvironment(Schema, env, { subject: "test app", secrets: ["APP_SECRET"], ...wording });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("the environment was accepted");
}

describe("readEnvironment", () => {
  test("applies defaults to unset and blank variables alike", () => {
    expect(readEnvironment(Schema, { APP_PORT: "  ", APP_LOG_LEVEL: "" }, { subject: "test app" })).toEqual({
      APP_PORT: 8080,
      APP_LOG_LEVEL: "info",
    });
  });

  test("reads values: numbers trimmed, URLs without trailing slashes, log levels in any case", () => {
    expect(
      readEnvironment(
        Schema,
        { APP_PORT: " 0 ", APP_RATIO: "7.5", APP_URL: "https://example.com/base/", APP_LOG_LEVEL: "WARN" },
        { subject: "test app" }
      )
    ).toEqual({ APP_PORT: 0, APP_RATIO: 7.5, APP_URL: "https://example.com/base", APP_LOG_LEVEL: "warn" });
  });

  test("names every bad variable at once, in the schema's order, with the rule and the value given", () => {
    expect(problemsOf({ APP_LOG_LEVEL: "loud", APP_PORT: "eighty", APP_RATIO: "0" })).toEqual([
      'APP_PORT must be a whole number from 0 to 65535 (got "eighty")',
      'APP_RATIO must be a number greater than 0 (got "0")',
      'APP_LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
  });

  test("one problem per variable, even when several checks fail", () => {
    expect(problemsOf({ APP_PORT: "-70000" })).toEqual([
      'APP_PORT must be a whole number from 0 to 65535 (got "-70000")',
    ]);
  });

  test("never repeats a secret's value", () => {
    const problems = problemsOf({ APP_SECRET: "short" });
    expect(problems).toEqual(["APP_SECRET must be at least 8 characters"]);
    expect(problems.join("\n")).not.toContain("short");
  });

  test("the message starts with what is configured and lists each problem on its own line", () => {
    expect(() => readEnvironment(Schema, { APP_PORT: "x", APP_RATIO: "y" }, { subject: "test app" })).toThrow(
      'Invalid test app configuration:\n  - APP_PORT must be a whole number from 0 to 65535 (got "x")\n  - APP_RATIO'
    );
  });

  test("another wording puts the assignment first", () => {
    expect(problemsOf({ APP_PORT: "abc" }, { wording: valueThenRule })).toEqual([
      'APP_PORT="abc" must be a whole number from 0 to 65535.',
    ]);
  });
});

describe("field rules", () => {
  test.each([
    ["65535", 65535],
    ["0", 0],
    ["-1", undefined],
    ["65536", undefined],
    ["1.5", undefined],
    ["1e3", undefined],
    ["0x10", undefined],
  ])("wholeNumber(0, 65535) reads %j as %j", (text, expected) => {
    const parsed = wholeNumber(0, 65535, "rule").safeParse(text);
    expect(parsed.success ? parsed.data : undefined).toBe(expected);
  });

  test.each([
    ["https://x.api.infobip.com/", "https://x.api.infobip.com"],
    ["http://localhost:4010", "http://localhost:4010"],
    ["x.api.infobip.com", "https://x.api.infobip.com"],
    ["ftp://x.api.infobip.com", undefined],
    ["https://x.example.com/?a=1", undefined],
    ["https://x.example.com/#top", undefined],
  ])("httpBaseUrl with assumeHttps reads %j as %j", (text, expected) => {
    const parsed = httpBaseUrl("rule", { assumeHttps: true }).safeParse(text);
    expect(parsed.success ? parsed.data : undefined).toBe(expected);
  });

  test("httpBaseUrl without assumeHttps refuses a URL without a scheme", () => {
    expect(httpBaseUrl("rule").safeParse("x.api.infobip.com").success).toBe(false);
  });

  test("withoutBlankVariables drops unset, empty and blank variables only", () => {
    expect(withoutBlankVariables({ A: "1", B: "", C: " \t", D: undefined, E: " x " })).toEqual({ A: "1", E: " x " });
  });
});
