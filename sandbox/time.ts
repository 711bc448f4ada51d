import { DateTime, IANAZone } from 'luxon';

/**
 * Shop-local wall-clock time. PrestaShop stores `date('Y-m-d H:i:s')` in PS_TIMEZONE with no offset, so
 * internally a shop-local time is kept as "naive seconds": the wall-clock reading counted as if it were UTC.
 * Comparing naive seconds is comparing the strings, and a DST fall-back really repeats values.
 */

export const ZERO_DATETIME = '0000-00-00 00:00:00';
export const ZERO_DATE = '0000-00-00';

/** Naive seconds → 'YYYY-MM-DD HH:MM:SS'. */
export function formatNaive(naiveSeconds: number): string {
  const iso = new Date(Math.floor(naiveSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const LITERAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;

/**
 * A MySQL DATETIME literal → naive seconds, or NaN when MySQL would not read it as a date
 * ('YYYY-MM-DD' alone means midnight, as MySQL promotes a DATE to DATETIME).
 */
export function parseNaive(literal: string): number {
  const m = LITERAL.exec(literal.trim());
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number,
  ];
  if (year === 0 && month === 0 && day === 0) return Number.NEGATIVE_INFINITY;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** Converts instants (epoch seconds) to the shop's wall clock; offsets cached per quarter hour. */
export class ShopZone {
  private readonly offsets = new Map<number, number>();
  /** Per UTC day: the offset when it holds all day, NaN when the day has a change (then quarter hours decide). */
  private readonly days = new Map<number, number>();

  constructor(readonly timeZone: string) {
    if (!IANAZone.isValidZone(timeZone)) throw new Error(`Unknown time zone "${timeZone}"`);
  }

  /** Offset from UTC in seconds at an instant. Real zones change offset on quarter-hour boundaries. */
  offsetAt(epochSeconds: number): number {
    const day = Math.floor(epochSeconds / 86_400);
    let whole = this.days.get(day);
    if (whole === undefined) {
      const start = this.quarterOffset(day * 96);
      // Changes are rare (a few a year) and never twice a day: equal ends mean one offset all day.
      whole = start === this.quarterOffset(day * 96 + 95) ? start : Number.NaN;
      this.days.set(day, whole);
    }
    return Number.isNaN(whole) ? this.quarterOffset(Math.floor(epochSeconds / 900)) : whole;
  }

  private quarterOffset(bucket: number): number {
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = DateTime.fromSeconds(bucket * 900, { zone: this.timeZone }).offset * 60;
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  toNaive(epochSeconds: number): number {
    const whole = Math.floor(epochSeconds);
    return whole + this.offsetAt(whole);
  }

  format(epochSeconds: number): string {
    return formatNaive(this.toNaive(epochSeconds));
  }
}

export interface ClockOptions {
  epochSeconds: number;
  frozen?: boolean;
}

/** The sandbox clock: starts where told (default real now) and follows real time unless frozen. */
export class ShopClock {
  private base: number;
  private realBase: number;
  private frozen: boolean;

  constructor(options?: ClockOptions) {
    this.base = options?.epochSeconds ?? Date.now() / 1000;
    this.realBase = Date.now() / 1000;
    this.frozen = options?.frozen ?? false;
  }

  /** Epoch seconds (whole). */
  now(): number {
    const elapsed = this.frozen ? 0 : Date.now() / 1000 - this.realBase;
    return Math.floor(this.base + elapsed);
  }

  set(epochSeconds: number): void {
    this.base = epochSeconds;
    this.realBase = Date.now() / 1000;
  }

  advance(seconds: number): void {
    this.set(this.preciseNow() + seconds);
  }

  private preciseNow(): number {
    return this.frozen ? this.base : this.base + (Date.now() / 1000 - this.realBase);
  }
}
