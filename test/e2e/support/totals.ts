/**
 * Comparing the money the pane shows with the emulator's own sums. Money is shown with up to six decimals,
 * and sums taken in another order may differ in the last float bits, hence the tolerance.
 */
export const MONEY_TOLERANCE = 0.000001;

/** The same keys, and each amount within MONEY_TOLERANCE; an empty truth is refused (it would prove nothing). */
export function expectSameTotals(shown: Map<string, number>, truth: Map<string, number>): void {
  expect(truth.size).toBeGreaterThan(0);
  expect([...shown.keys()].sort()).toEqual([...truth.keys()].sort());
  for (const [key, amount] of truth) {
    const difference = Math.abs((shown.get(key) ?? Number.NaN) - amount);
    if (!(difference <= MONEY_TOLERANCE)) {
      throw new Error(`${key}: the pane shows ${shown.get(key)}, the emulator sums ${amount}`);
    }
  }
}
