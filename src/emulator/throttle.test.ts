import { INFOBIP_THROTTLE, SlidingWindowThrottle } from "./throttle";

describe("SlidingWindowThrottle", () => {
  test("allows Infobip's 60 requests per second per key, then refuses until the window slides", () => {
    let now = 1000;
    const throttle = new SlidingWindowThrottle(INFOBIP_THROTTLE, () => now);
    for (let i = 0; i < 60; i++) {
      now += 10;
      expect(throttle.tryAcquire("demo-key")).toEqual({ allowed: true });
    }
    expect(throttle.tryAcquire("demo-key")).toEqual({ allowed: false, retryAfterMs: 410 });
    expect(throttle.tryAcquire("demo-subaccount-key")).toEqual({ allowed: true });
    now += 411;
    expect(throttle.tryAcquire("demo-key")).toEqual({ allowed: true });
    expect(throttle.tryAcquire("demo-key").allowed).toBe(false);
  });
});
