/**
 * The emulator's clock: either the real clock (optionally shifted) or a fixed instant. Tests and demos
 * move it at run time (`PUT /_emulator/clock`) to watch a month close; every data answer reads it once
 * per query, so one query sees one instant.
 */
import { DAY_MS } from "./ledger";

export type ClockMode = "real" | "fixed";

export class EmulatorClock {
  private fixed: number | undefined;
  /** Shift added to the real clock in "real" mode. */
  private offsetMs = 0;
  private readonly realNow: () => number;

  /** @param fixed the instant to stand still at; undefined follows the real clock */
  constructor(fixed?: Date, realNow: () => number = Date.now) {
    this.fixed = fixed?.getTime();
    this.realNow = realNow;
  }

  now(): Date {
    return new Date(this.fixed ?? this.realNow() + this.offsetMs);
  }

  get mode(): ClockMode {
    return this.fixed === undefined ? "real" : "fixed";
  }

  /** Stops the clock at `instant`. */
  set(instant: Date): void {
    if (Number.isNaN(instant.getTime())) throw new RangeError("not a valid instant");
    this.fixed = instant.getTime();
  }

  /** Moves the clock by whole or fractional days (negative goes back); a real clock keeps running. */
  advanceDays(days: number): void {
    const shift = days * DAY_MS;
    if (this.fixed === undefined) this.offsetMs += shift;
    else this.fixed += shift;
  }
}
