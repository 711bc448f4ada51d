import { blobRefreshLease, hostLeaseContainer, LEASE_SECONDS, REFRESH_LEASE_BLOB, REFRESH_LEASE_CONTAINER, REFRESH_PENDING_BLOB, type RefreshLease } from '../../shared/storage/refreshLease';
import { RefreshBacklogError, runSingleFlight } from '../../shared/storage/singleFlight';
import { BlobLeaseStandIn } from './blobLeaseStandIn';

/**
 * The single-flight protocol of the analytics refresh over the real Blob SDK, against a local Blob service stand-in.
 * Each "instance" has its own lease client, as separate Function App instances would.
 */
describe('single-flight analytics refresh (blob lease + pending mark)', () => {
  let storage: BlobLeaseStandIn;
  let connectionString: string;
  const instance = (): RefreshLease => blobRefreshLease(hostLeaseContainer({ connectionString }));

  beforeEach(async () => {
    storage = new BlobLeaseStandIn();
    connectionString = await storage.start();
  });

  afterEach(async () => {
    expect(storage.unexpected).toEqual([]);
    await storage.stop();
  });

  it('creates its container and lock blob on first use, runs one round and gives the lease back', async () => {
    let rounds = 0;
    const result = await runSingleFlight(instance(), () => Promise.resolve(void rounds++));
    expect(result).toEqual({ outcome: 'ran', rounds: 1 });
    expect(rounds).toBe(1);
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_LEASE_BLOB)).toEqual({ exists: true, leased: false });
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_PENDING_BLOB).exists).toBe(false);
  });

  it('a nudge that finds the lease taken leaves at once, and the holder runs once more for it', async () => {
    const order: string[] = [];
    let second: Awaited<ReturnType<typeof runSingleFlight>> | undefined;
    const holder = await runSingleFlight(instance(), async () => {
      order.push('holder round');
      if (!second) {
        second = await runSingleFlight(instance(), () => Promise.resolve(void order.push('second instance round')));
        order.push(`second instance: ${second.outcome}`);
      }
    });
    expect(second).toEqual({ outcome: 'busy' });
    expect(order).toEqual(['holder round', 'second instance: busy', 'holder round']);
    expect(holder).toEqual({ outcome: 'ran', rounds: 2 });
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_PENDING_BLOB).exists).toBe(false);
  });

  it('a nudge arriving between the holder\'s last look and its release is still covered: the holder takes the lease again', async () => {
    const holderLease = instance();
    let late: Awaited<ReturnType<typeof runSingleFlight>> | undefined;
    const racing: RefreshLease = {
      ...holderLease,
      release: async () => {
        if (!late) late = await runSingleFlight(instance(), () => Promise.reject(new Error('must not run while the lease is held')));
        await holderLease.release();
      },
    };
    let rounds = 0;
    const holder = await runSingleFlight(racing, () => Promise.resolve(void rounds++));
    expect(late).toEqual({ outcome: 'busy' });
    expect(holder).toEqual({ outcome: 'ran', rounds: 2 });
    expect(rounds).toBe(2);
  });

  it('two instances racing for the lease: exactly one runs, and it covers the other\'s nudge', async () => {
    let running = 0;
    let most = 0;
    const round = async (): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
    };
    const results = await Promise.all([runSingleFlight(instance(), round), runSingleFlight(instance(), round)]);
    expect(most).toBe(1);
    const ran = results.filter((r) => r.outcome === 'ran');
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_PENDING_BLOB).exists).toBe(false);
  });

  it('a crashed holder blocks others only until its lease expires', async () => {
    const crashed = instance();
    await crashed.markPending();
    expect(await crashed.tryAcquire()).toBe(true);
    expect(await runSingleFlight(instance(), () => Promise.reject(new Error('must not run')))).toEqual({ outcome: 'busy' });
    storage.advance((LEASE_SECONDS + 1) * 1000);
    let rounds = 0;
    expect(await runSingleFlight(instance(), () => Promise.resolve(void rounds++))).toEqual({ outcome: 'ran', rounds: 1 });
    // The crashed holder, waking up, finds its lease gone.
    expect(await crashed.renew()).toBe(false);
    await crashed.release();
  });

  it('a holder whose lease was taken over learns it on renewal', async () => {
    const first = instance();
    expect(await first.tryAcquire()).toBe(true);
    storage.advance((LEASE_SECONDS + 1) * 1000);
    const second = instance();
    expect(await second.tryAcquire()).toBe(true);
    expect(await first.renew()).toBe(false);
    await first.release(); // nothing to give back, and no error
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_LEASE_BLOB).leased).toBe(true);
    await second.release();
  });

  it('a failing round releases the lease and leaves the mark, so the next nudge runs it again', async () => {
    await expect(runSingleFlight(instance(), () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed');
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_LEASE_BLOB).leased).toBe(false);
    let rounds = 0;
    expect(await runSingleFlight(instance(), () => Promise.resolve(void rounds++))).toEqual({ outcome: 'ran', rounds: 1 });
  });

  it('stops starting rounds at its deadline, leaving the mark for the next refresh', async () => {
    let clock = 0;
    const holder = instance();
    const error = await runSingleFlight(
      holder,
      async () => {
        clock += 1000;
        await holder.markPending(); // a nudge arrives during every round
      },
      { deadlineMs: 2500, now: () => clock },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshBacklogError);
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_PENDING_BLOB).exists).toBe(true);
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_LEASE_BLOB).leased).toBe(false);
  });
});
