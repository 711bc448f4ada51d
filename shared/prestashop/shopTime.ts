import { IANAZone } from 'luxon';
import type { ShopLocalTime } from './api';

/**
 * PrestaShop stores naive wall-clock times in PS_TIMEZONE (docs/prestashop-webservice.md §7). These helpers move between that
 * wall clock and real instants, including across DST changes, where a wall-clock hour repeats (fall-back) or is
 * skipped (spring-forward).
 */

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parseParts(value: string): Parts | null {
  const match = LOCAL_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  return { year, month, day, hour, minute, second };
}

/** True for a real calendar time written exactly 'YYYY-MM-DD HH:MM:SS' (so '0000-00-00 00:00:00' is false). */
export function isShopLocalTime(value: string): boolean {
  const parts = parseParts(value);
  if (!parts || parts.year < 1 || parts.hour > 23 || parts.minute > 59 || parts.second > 59) return false;
  const probe = new Date(naiveMs(parts));
  return probe.getUTCFullYear() === parts.year && probe.getUTCMonth() + 1 === parts.month && probe.getUTCDate() === parts.day;
}

/** Orders two shop-local times: negative, zero or positive (the fixed-width format sorts as text). */
export function compareShopLocal(a: ShopLocalTime, b: ShopLocalTime): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Throws unless the name is an IANA time zone luxon knows (e.g. 'Europe/Paris'). */
export function assertTimeZone(timeZone: string): IANAZone {
  if (!IANAZone.isValidZone(timeZone)) throw new Error(`Unknown time zone "${timeZone}": expected an IANA name such as Europe/Paris`);
  return IANAZone.create(timeZone);
}

function requireLocal(value: ShopLocalTime): Parts {
  if (!isShopLocalTime(value)) throw new Error(`Not a shop-local time "${value}": expected YYYY-MM-DD HH:MM:SS`);
  return parseParts(value) as Parts;
}

/** The wall-clock fields read as if they were UTC: milliseconds for naive arithmetic. */
function naiveMs(p: Parts): number {
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Date.UTC maps years 0-99 to 1900-1999.
  return p.year < 100 ? new Date(ms).setUTCFullYear(p.year) : ms;
}

function formatNaive(ms: number): ShopLocalTime {
  const d = new Date(ms);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The shop's wall clock at an instant. */
export function toShopLocal(instant: Date, timeZone: string): ShopLocalTime {
  const zone = assertTimeZone(timeZone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error('toShopLocal: invalid Date');
  return formatNaive(ms + zone.offset(ms) * MINUTE_MS);
}

/**
 * The instant a shop-local wall-clock time denotes.
 * - Ambiguous (the repeated hour of a fall-back, e.g. Europe/Paris 2024-10-27 02:30): 'earlier' (default) gives the
 *   first occurrence (summer time), 'later' the second (winter time).
 * - Skipped (the missing hour of a spring-forward, e.g. Europe/Paris 2024-03-31 02:30): no instant has that wall
 *   time; the result is the instant just after the gap (the transition itself, 03:00 local), whatever `fold` says.
 *   Nothing the shop writes can carry such a time, so the transition is the tightest bound.
 */
export function shopLocalToUtc(local: ShopLocalTime, timeZone: string, fold: 'earlier' | 'later' = 'earlier'): Date {
  const zone = assertTimeZone(timeZone);
  const naive = naiveMs(requireLocal(local));
  // DST transitions are never closer than a day apart, so the offsets a day either side cover every candidate.
  const offsets = new Set([zone.offset(naive - DAY_MS), zone.offset(naive), zone.offset(naive + DAY_MS)]);
  const candidates = [...offsets]
    .map((offset) => ({ offset, instant: naive - offset * MINUTE_MS }))
    .filter(({ offset, instant }) => zone.offset(instant) === offset)
    .map(({ instant }) => instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) {
    return new Date((fold === 'later' ? candidates[candidates.length - 1] : candidates[0]) as number);
  }
  // In a gap: the offset grows at the transition; find it between the two readings of the wall time.
  const [small, large] = [...offsets].sort((a, b) => a - b) as [number, number];
  return new Date(findTransition(zone, naive - large * MINUTE_MS, naive - small * MINUTE_MS));
}

/** The first millisecond in (before, after] whose offset differs from the offset at `before`. */
function findTransition(zone: IANAZone, before: number, after: number): number {
  const startOffset = zone.offset(before);
  let lo = before;
  let hi = after;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Naive wall-clock arithmetic: the calendar moves, DST does not exist. */
export function addSeconds(local: ShopLocalTime, seconds: number): ShopLocalTime {
  if (!Number.isFinite(seconds)) throw new Error(`addSeconds: not a number of seconds: ${seconds}`);
  return formatNaive(naiveMs(requireLocal(local)) + Math.round(seconds * 1000));
}

/**
 * Total wall-clock seconds that repeat because the zone's offset decreased at an instant T with
 * fromUtc < T <= toUtc (3600 for one Europe/Paris fall-back). 0 when toUtc <= fromUtc.
 */
export function fallBackSecondsBetween(fromUtc: Date, toUtc: Date, timeZone: string): number {
  const zone = assertTimeZone(timeZone);
  const from = fromUtc.getTime();
  const to = toUtc.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('fallBackSecondsBetween: invalid Date');
  if (zone.isUniversal) return 0;
  let total = 0;
  let cursor = from;
  let cursorOffset = zone.offset(cursor);
  while (cursor < to) {
    const next = Math.min(cursor + DAY_MS, to);
    const nextOffset = zone.offset(next);
    if (nextOffset !== cursorOffset) {
      // At most one transition per day; locate it to report only decreases.
      const transition = findTransition(zone, cursor, next);
      const before = zone.offset(transition - 1);
      const after = zone.offset(transition);
      if (after < before) total += (before - after) * 60;
    }
    cursor = next;
    cursorOffset = nextOffset;
  }
  return total;
}
