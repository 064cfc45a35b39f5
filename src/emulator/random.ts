/**
 * Deterministic pseudo-randomness for the synthetic ledger. Everything is a pure function of its inputs
 * (a seed and a few integers), so the same seed gives the same account keys, traffic and totals on every
 * machine and every run, whatever order days are generated in.
 */

// Built-ins held in module constants: inside a vm context (jest's test environment) every global
// lookup goes through the context's interceptor and hot loops run ~100x slower without these.
const { imul, floor } = Math;

/** A 32-bit avalanche mix (the finaliser of MurmurHash3). */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function step(h: number, part: number): number {
  return mix32(h ^ mix32((part | 0) + imul(h, 31)));
}

/** An unsigned 32-bit hash of any number of integers. */
export function hash32(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = step(h, part);
  return h;
}

/** A number in [0, 1) derived from four integers (fixed arity: it runs for every stream of every day). */
export function unit(a: number, b: number, c = 0, d = 0): number {
  return (step(step(step(step(0x9e3779b9, a), b), c), d) >>> 0) / 4_294_967_296;
}

/** A sequential generator (mulberry32) for building static tables from a seed, in a fixed order. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed, 0x5eed) | 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("cannot pick from an empty list");
    return item;
  }

  /** `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    const wanted = Math.min(count, items.length);
    while (chosen.size < wanted) chosen.add(floor(this.next() * items.length));
    return items.filter((_, index) => chosen.has(index));
  }

  /** `length` upper-case hexadecimal characters. */
  hex(length: number): string {
    let text = "";
    while (text.length < length) text += floor(this.next() * 16).toString(16);
    return text.toUpperCase();
  }

  /** `length` decimal digits, the first one not zero. */
  digits(length: number): string {
    let text = String(this.int(1, 9));
    while (text.length < length) text += String(this.int(0, 9));
    return text;
  }
}
