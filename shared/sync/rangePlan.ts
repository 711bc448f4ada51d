import type { OpenRange } from './watermarks';

/** Ranges per worker: more ranges than workers keep them all busy when ids are spread unevenly over a window. */
const RANGES_PER_WORKER = 4;

/**
 * Splits the ids above `after` up to `highest` into about workers × 4 ranges of equal width for concurrent keyset
 * reads. The last range has no end, so an id above the probe (none is expected in a closed window) is still read.
 */
export function splitRange(after: number, highest: number, workers: number): OpenRange[] {
  const width = highest - after;
  const count = Math.max(1, Math.min(width, workers * RANGES_PER_WORKER));
  const step = Math.ceil(width / count);
  const ranges: OpenRange[] = [];
  for (let start = after; start < highest; start += step) {
    const end = Math.min(highest, start + step);
    ranges.push({ after: start, upTo: end >= highest ? null : end });
  }
  return ranges;
}
