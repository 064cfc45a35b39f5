import { tamperedCallbackUrl } from "./callbacks";
import { redactUrl } from "./request-log";
import { roundHalfUp } from "./usage-query";

describe("callback URLs", () => {
  test("a tampered URL changes only the last segment, keeping its length and character classes", () => {
    expect(tamperedCallbackUrl("https://relay.example.com/callbacks/aZ9-x_0?x=1")).toBe(
      "https://relay.example.com/callbacks/bA0-y_1?x=1"
    );
    expect(tamperedCallbackUrl("http://127.0.0.1:3001/")).toBe("http://127.0.0.1:3001/tampered");
  });

  test("logs keep the origin and first path segment only", () => {
    expect(redactUrl("https://relay.example.com/callbacks/s3cr3t/more?token=x")).toBe(
      "https://relay.example.com/callbacks/…"
    );
    expect(redactUrl("http://127.0.0.1:3001/hook")).toBe("http://127.0.0.1:3001/hook");
    expect(redactUrl("http://127.0.0.1:3001/hook?secret=1")).toBe("http://127.0.0.1:3001/hook/…");
    expect(redactUrl("not a url")).toBe("(not a URL)");
  });
});

describe("roundHalfUp", () => {
  test.each([
    [4.005, 4.01],
    [0.0089 * 450, 4.01],
    [11.25, 11.25],
    [1.0049999, 1],
    [0.125, 0.13],
  ])("%d → %d", (value, rounded) => {
    expect(roundHalfUp(value, 2)).toBe(rounded);
  });
});
