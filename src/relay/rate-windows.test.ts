import { RateWindows } from "./rate-windows";

/** The counters with a clock the test moves, as the store passes the relay's clock to them. */
function windowsAt(start: number): {
  windows: {
    hit: (key: string, ms: number) => { current: number; ttl: number };
    peek: (key: string) => unknown;
    keys: () => string[];
  };
  advance: (ms: number) => void;
} {
  let now = start;
  const counters = new RateWindows();
  return {
    windows: {
      hit: (key, ms) => counters.hit(key, ms, now),
      peek: (key) => counters.peek(key, now),
      keys: () => counters.keys(),
    },
    advance: (ms) => (now += ms),
  };
}

describe("RateWindows", () => {
  it("counts within a window that starts at the first request, then starts a new one", () => {
    const { windows, advance } = windowsAt(1_000_000);
    expect(windows.hit("k", 1_000)).toEqual({ current: 1, ttl: 1_000 });
    advance(400);
    expect(windows.hit("k", 1_000)).toEqual({ current: 2, ttl: 600 });
    expect(windows.peek("k")).toEqual({ current: 2, ttl: 600 });
    advance(600);
    expect(windows.peek("k")).toEqual({ current: 0, ttl: 0 });
    expect(windows.hit("k", 1_000)).toEqual({ current: 1, ttl: 1_000 });
  });

  it("keeps keys apart", () => {
    const { windows } = windowsAt(0);
    windows.hit("a", 60_000);
    windows.hit("a", 60_000);
    expect(windows.hit("b", 60_000).current).toBe(1);
    expect(windows.keys().sort()).toEqual(["a", "b"]);
  });

  it("forgets ended windows once many keys have been seen", () => {
    const { windows, advance } = windowsAt(0);
    for (let i = 0; i < 10_000; i++) windows.hit(`old-${i}`, 1_000);
    advance(1_000);
    windows.hit("new", 1_000);
    expect(windows.keys()).toEqual(["new"]);
  });
});
