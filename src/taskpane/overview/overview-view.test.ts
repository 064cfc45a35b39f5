import fc from "fast-check";
import { axisMonthLabel, compactFigure, niceAxisTop } from "./overview-view";

describe("niceAxisTop", () => {
  it("turns the largest value into a top whose four steps are round figures", () => {
    expect(niceAxisTop(349_790)).toBe(400_000);
    expect(niceAxisTop(14_670)).toBe(20_000);
    expect(niceAxisTop(9_000)).toBe(10_000);
    expect(niceAxisTop(4_000)).toBe(4_000);
    expect(niceAxisTop(0.37)).toBe(0.4);
  });

  it("gives an empty chart an axis", () => {
    expect(niceAxisTop(0)).toBe(1);
    expect(niceAxisTop(-5)).toBe(1);
    expect(niceAxisTop(Number.NaN)).toBe(1);
  });

  it("never cuts a bar, never wastes more than half the chart, and steps by 1, 2, 2.5 or 5 × 10ⁿ", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e12, noNaN: true }), (max) => {
        const top = niceAxisTop(max, 4);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(top).toBeLessThanOrEqual(max * 2.5 + 1e-9);
        const step = top / 4;
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 2.5, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      })
    );
  });
});

describe("compactFigure", () => {
  it("writes axis figures short", () => {
    expect(compactFigure(0)).toBe("0");
    expect(compactFigure(950)).toBe("950");
    expect(compactFigure(12_500)).toBe("12.5k");
    expect(compactFigure(350_000)).toBe("350k");
    expect(compactFigure(1_250_000)).toBe("1.25M");
    expect(compactFigure(2.5)).toBe("2.5");
  });
});

describe("axisMonthLabel", () => {
  it("marks a provisional month briefly", () => {
    expect(axisMonthLabel("2026-11", "Provisional")).toBe("2026-11 (prov.)");
    expect(axisMonthLabel("2026-10", "Final")).toBe("2026-10");
  });
});
