/** Seeded, allocation-free randomness: every generated value is a pure function of (seed, stream, id, slot). */

/** A 32-bit avalanche of several integers (murmur3 finaliser over a running mix). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    // Keep the high part of large numbers (ids and seeds may exceed 32 bits).
    h ^= Math.floor(part / 4294967296) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from the same inputs as hash32. */
export function unit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** Stream tags keep the resources' random values independent of each other. */
export const Stream = {
  customers: 1,
  products: 2,
  orders: 3,
  rows: 4,
  scramble: 5,
  faults: 6,
  activity: 7,
  quirks: 8,
  documents: 9,
  catalog: 10,
  addresses: 11,
} as const;

/** A small sequential PRNG (mulberry32) for the places that draw a variable number of values. */
export class Rng {
  private state: number;

  constructor(...seedParts: number[]) {
    this.state = hash32(...seedParts);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick on an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}
