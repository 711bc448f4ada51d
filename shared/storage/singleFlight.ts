import type { RefreshLease } from './refreshLease';

export interface SingleFlightOptions {
  /** How often the holder renews its lease (well inside LEASE_SECONDS). */
  renewEveryMs?: number;
  /** Stop starting new rounds after this long (host.json functionTimeout is 10 minutes). */
  deadlineMs?: number;
  now?: () => number;
  /** Told when a renewal finds the lease lost (another instance may be running too until this one ends). */
  onLeaseLost?: () => void;
}

export type SingleFlightResult =
  /** Another instance holds the lease; the pending mark left for it makes it run once more. */
  | { outcome: 'busy' }
  | { outcome: 'ran'; rounds: number };

export class RefreshBacklogError extends Error {}

/**
 * Runs `round` (one analytics refresh) on at most one instance at a time, and never loses a nudge:
 *
 * 1. every nudge first marks "pending", then tries the lease; an instance that cannot take it leaves at once,
 *    having opened nothing;
 * 2. the holder clears the mark before each round (the round's own fence then covers every change committed before
 *    the mark was set) and runs rounds while the mark comes back;
 * 3. after releasing, it looks at the mark once more: a nudge that found the lease taken just before the release
 *    left it there, so the holder takes the lease again (or someone who took it after the release covers it).
 *
 * A round that throws ends the flight (the lease is released, the mark stays for the next holder) and rethrows.
 */
export async function runSingleFlight(lease: RefreshLease, round: () => Promise<void>, options: SingleFlightOptions = {}): Promise<SingleFlightResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.deadlineMs ?? 8 * 60_000);
  await lease.markPending();
  if (!(await lease.tryAcquire())) return { outcome: 'busy' };
  let rounds = 0;
  let held = true;
  const renewal = setInterval(() => {
    lease.renew().then(
      (kept) => {
        if (!kept) options.onLeaseLost?.();
      },
      () => options.onLeaseLost?.(),
    );
  }, options.renewEveryMs ?? 20_000);
  renewal.unref();
  try {
    for (;;) {
      do {
        if (now() >= deadline) {
          throw new RefreshBacklogError(`nudges kept arriving for ${Math.round((options.deadlineMs ?? 8 * 60_000) / 1000)} s; the pending mark stays for the next refresh`);
        }
        await lease.clearPending();
        await round();
        rounds += 1;
      } while (await lease.isPending());
      held = false;
      await lease.release();
      if (!(await lease.isPending()) || !(await lease.tryAcquire())) return { outcome: 'ran', rounds };
      held = true;
    }
  } finally {
    clearInterval(renewal);
    if (held) await lease.release().catch(() => undefined);
  }
}
