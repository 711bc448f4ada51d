import type { KeysetQuery, Page, ShopApi } from '../../shared/prestashop/api';
import { runReconcile } from '../../shared/sync/reconcile';
import { runSync } from '../../shared/sync/runSync';
import { expectRawEqualsShop, rawPayloads, shopPayloads, startSyncEnv, type SyncEnv } from './support';

/** A window read as several id ranges at once stays exact: nothing missing, stale or extra. */
describe('concurrent reading of a window', () => {
  let env: SyncEnv | undefined;

  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  /** The client, counting pages handed to the run and not yet committed (onProgress follows each commit). */
  function countingApi(api: ShopApi): { api: ShopApi; alive: { now: number; peak: number }; committed: () => void } {
    const alive = { now: 0, peak: 0 };
    return {
      alive,
      committed: () => {
        alive.now--;
      },
      api: {
        ...api,
        keysetPages: (query: KeysetQuery) => ({
          async *[Symbol.asyncIterator](): AsyncGenerator<Page> {
            for await (const page of api.keysetPages(query)) {
              // An order's details and cart rules travel with its page; the orders pages are the ones counted.
              if (query.resource !== 'orders') {
                yield page;
                continue;
              }
              alive.now++;
              alive.peak = Math.max(alive.peak, alive.now);
              yield page;
            }
          },
        }),
      },
    };
  }

  it('loads a first window exactly at concurrency 4, with date_upd ties across ranges, and holds at most concurrency + 1 pages', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 700 }, { pageSize: 20, concurrency: 4 });
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    const tie = env.shop.control.shopLocalNow();
    for (const id of ids.filter((_, i) => i % 7 === 0)) env.shop.control.update('orders', id, { note: 'tie' }, { dateUpd: tie });
    env.shop.control.advance(300);
    env.shop.control.setFaults({ latencyMs: 20 }); // a shop that takes time, so requests overlap
    const counting = countingApi(env.deps.api);
    const result = await runSync({ ...env.deps, api: counting.api }, 'orders', { trigger: 'test', onProgress: counting.committed });
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(result.fetch?.maxInFlight).toBe(4);
    await expectRawEqualsShop(env, 'orders');
    expect(counting.alive.peak).toBeLessThanOrEqual(4 + 1);
    expect(env.shop.control.stats().inFlightPeak).toBeGreaterThan(1);
  });

  it('concurrency 1 reads page after page, as before concurrent reading', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 300 }, { pageSize: 20, concurrency: 1 });
    env.shop.control.resetStats();
    const result = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(result.status).toBe('succeeded');
    expect(env.shop.control.stats().inFlightPeak).toBe(1);
    await expectRawEqualsShop(env, 'orders');
  });

  it('records changed or deleted while the window is read are right after the next run and reconciliation', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 600 }, { pageSize: 20, concurrency: 3 });
    const ids = [...shopPayloads(env.shop, 'orders').keys()].sort((a, b) => a - b);
    let done = false;
    const result = await runSync(env.deps, 'orders', {
      trigger: 'test',
      onProgress: (p) => {
        if (done || p.pages < 6) return;
        done = true;
        // Mid-run: early ids (likely read already) and late ones (likely not) change; some disappear.
        env!.shop.control.advance(1);
        for (const id of [ids[2]!, ids[40]!, ids[300]!, ids[590]!]) env!.shop.control.update('orders', id, { note: 'changed mid-run' });
        for (const id of [ids[5]!, ids[450]!]) env!.shop.control.hardDelete('orders', id);
      },
    });
    expect(result.status).toBe('succeeded');
    env.shop.control.advance(600);
    expect((await runSync(env.deps, 'orders', { trigger: 'test' })).status).toBe('succeeded');
    expect((await runReconcile(env.deps, 'orders', { trigger: 'test' })).status).toBe('succeeded');
    // Raw holds exactly the shop's live records: the two deleted mid-run are not live, whether read before they went or not.
    await expectRawEqualsShop(env, 'orders');
    const live = await rawPayloads(env.db.pool, 'orders');
    expect(live.has(ids[5]!) || live.has(ids[450]!)).toBe(false);
  });

  it('gets through a storm of 429 and 503, lowering its concurrency and honouring Retry-After', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 400 }, { pageSize: 20, concurrency: 4 });
    env.shop.control.setFaults({ rate429: 0.2, rate5xx: 0.1, retryAfterSeconds: 0 });
    const result = await runSync(env.deps, 'orders', { trigger: 'test' });
    env.shop.control.clearFaults();
    expect(result.status).toBe('succeeded');
    expect(result.fetch?.throttled).toBeGreaterThan(0);
    expect(result.fetch?.lowestLimit).toBeLessThan(4);
    expect(result.fetch?.trace.length).toBeGreaterThan(1);
    await expectRawEqualsShop(env, 'orders');
  });
});
