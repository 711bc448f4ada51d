import type { ShopZone } from '../time';
import { formatNaive } from '../time';
import type { Translation } from '../record';
import { hash32 } from '../random';
import type { QuirkShares } from './quirks';

/** Everything a generator needs; base records are a pure function of this context and the id. */
export interface GenContext {
  seed: number;
  /** Epoch seconds at which the generated history ends (the clock when the shop was first built). */
  anchor: number;
  zone: ShopZone;
  languages: 1 | 2;
  sizes: { customers: number; products: number; orders: number };
  /** Bad data planted in generated records (none by default). */
  quirks: QuirkShares;
}

export const DAY = 86_400;
/** The generated order history covers this many seconds before the anchor. */
export const HISTORY_SPAN = 3 * 365 * DAY;

export function translated(ctx: GenContext, en: string, fr: string): Translation[] {
  return ctx.languages === 2 ? [{ id: '1', value: en }, { id: '2', value: fr }] : [{ id: '1', value: en }];
}

/** A 32-character lower-case hex string, like PrestaShop's md5 secure keys. */
export function hex32(...parts: number[]): string {
  let out = '';
  for (let i = 0; out.length < 32; i += 1) out += hash32(...parts, i).toString(16).padStart(8, '0');
  return out;
}

export function letters(count: number, ...parts: number[]): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String.fromCharCode(65 + (hash32(...parts, i) % 26));
  return out;
}

/** Naive seconds for an instant, clamped so that lo ≤ result ≤ hi (naive seconds too). */
export function naiveBetween(ctx: GenContext, instant: number, lo: number, hi: number): number {
  return Math.min(Math.max(ctx.zone.toNaive(instant), lo), hi);
}

export const fmt = formatNaive;

/** The instant of a shop-local wall-clock time (naive seconds); a repeated hour gives its first instant. */
export function instantOfNaive(ctx: GenContext, naive: number): number {
  return naive - ctx.zone.offsetAt(naive - ctx.zone.offsetAt(naive));
}

/** A wall-clock time `fraction` of the way from one to another, computed on instants (never in a skipped hour). */
export function naiveAlong(ctx: GenContext, from: number, to: number, fraction: number): number {
  if (to <= from) return from;
  const a = instantOfNaive(ctx, from);
  const b = instantOfNaive(ctx, to);
  return Math.min(Math.max(ctx.zone.toNaive(Math.floor(a + (b - a) * fraction)), from), to);
}

/** `seconds` after a wall-clock time, on instants, capped at `cap` (naive). */
export function naiveAfter(ctx: GenContext, from: number, seconds: number, cap: number): number {
  return Math.min(Math.max(ctx.zone.toNaive(instantOfNaive(ctx, from) + seconds), from), Math.max(cap, from));
}
