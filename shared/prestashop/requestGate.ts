/**
 * How many requests one reader keeps in flight against the shop, adapted to how the shop copes (docs/architecture.md,
 * "Politeness"). A PrestaShop serves the webservice from a small pool of PHP workers, so flooding it only queues
 * requests and can starve the shop's own customers.
 *
 * Additive increase, multiplicative decrease: a 429, a 503 or a timeout halves the limit (never below 1); after a
 * run of successes as long as five times the current limit, it climbs back by one, up to the setting. A Retry-After
 * pauses every request of the gate until it has passed, not only the one that received it.
 */

export type RequestOutcome = 'ok' | 'throttled' | 'timeout' | 'error';

export interface GateStats {
  /** The setting: most requests in flight. */
  maxInFlight: number;
  /** The lowest limit the gate dropped to. */
  lowestLimit: number;
  /** Attempts that went out, retries included. */
  requests: number;
  throttled: number;
  timeouts: number;
  /** Time requests spent waiting for a slot or a Retry-After pause, summed over requests. */
  waitMs: number;
  /** [ms since the gate was made, limit] at every change, for the run's details and the bench. */
  trace: [number, number][];
}

export interface RequestGate {
  /** Waits for a slot (and any Retry-After pause); the returned function gives it back with the outcome. */
  acquire(signal?: AbortSignal): Promise<(outcome: RequestOutcome) => void>;
  /** No request starts before this many milliseconds from now (a Retry-After). */
  pause(ms: number): void;
  readonly limit: number;
  stats(): GateStats;
}

/** Successes needed before the limit climbs by one: this many times the current limit. */
const CLIMB_FACTOR = 5;
/** A Retry-After longer than this is honoured only up to it: a shop asking for an hour gets the run's own budget. */
const MAX_PAUSE_MS = 120_000;

export function createRequestGate(maxInFlight: number, now: () => number = () => performance.now()): RequestGate {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  const started = now();
  let limit = maxInFlight;
  let inFlight = 0;
  let successes = 0;
  let pausedUntil = 0;
  const waiting: (() => void)[] = [];
  const stats: GateStats = { maxInFlight, lowestLimit: maxInFlight, requests: 0, throttled: 0, timeouts: 0, waitMs: 0, trace: [[0, maxInFlight]] };

  const setLimit = (next: number): void => {
    if (next === limit) return;
    limit = next;
    stats.lowestLimit = Math.min(stats.lowestLimit, limit);
    stats.trace.push([Math.round(now() - started), limit]);
  };

  const wake = (): void => {
    while (inFlight < limit && waiting.length > 0) {
      inFlight++;
      waiting.shift()?.();
    }
  };

  const settle = (outcome: RequestOutcome): void => {
    inFlight--;
    if (outcome === 'throttled' || outcome === 'timeout') {
      if (outcome === 'throttled') stats.throttled++;
      else stats.timeouts++;
      successes = 0;
      setLimit(Math.max(1, Math.floor(limit / 2)));
    } else if (outcome === 'ok') {
      successes++;
      if (limit < maxInFlight && successes >= limit * CLIMB_FACTOR) {
        successes = 0;
        setLimit(limit + 1);
      }
    }
    wake();
  };

  async function waitForPause(signal?: AbortSignal): Promise<void> {
    for (let left = pausedUntil - now(); left > 0; left = pausedUntil - now()) {
      await sleep(left, signal);
    }
  }

  return {
    async acquire(signal) {
      const waitStarted = now();
      await waitForPause(signal);
      if (inFlight < limit) inFlight++;
      else {
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => {
            const index = waiting.indexOf(go);
            if (index >= 0) waiting.splice(index, 1);
            reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
          };
          const go = (): void => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
          waiting.push(go);
        });
        // Woken after a pause began: wait it out while holding the slot, so the pause holds for everyone.
        await waitForPause(signal).catch((error: unknown) => {
          settle('error');
          throw error;
        });
      }
      stats.waitMs += now() - waitStarted;
      stats.requests++;
      let settled = false;
      return (outcome) => {
        if (settled) return;
        settled = true;
        settle(outcome);
      };
    },
    pause(ms) {
      if (!(ms > 0)) return;
      pausedUntil = Math.max(pausedUntil, now() + Math.min(ms, MAX_PAUSE_MS));
    },
    get limit() {
      return limit;
    },
    stats: () => ({ ...stats, trace: stats.trace.map(([at, value]) => [at, value] as [number, number]) }),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
