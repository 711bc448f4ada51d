import { toShopLocal } from '../../shared/prestashop/shopTime';
import { runSync } from '../../shared/sync/runSync';
import { expectRawEqualsShop, rawPayloads, shopPayloads, startSyncEnv, STARTUP_ADVANCE_SECONDS, watermarkOf, type SyncEnv } from './support';

// The extractor runs in UTC; the shop does not. Nothing in the sync may read the machine's zone.
process.env.TZ = 'UTC';

const epoch = (iso: string): number => Date.parse(iso) / 1000;
/** The start to give the sandbox so that, after the harness steps past the lag, its clock reads `iso`. */
const startFor = (iso: string): number => epoch(iso) - STARTUP_ADVANCE_SECONDS;

describe('runSync across time zones', () => {
  let env: SyncEnv | undefined;

  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('keeps a shop in America/New_York in step although the extractor runs in UTC', async () => {
    env = await startSyncEnv({ customers: 60, products: 0, orders: 0, timeZone: 'America/New_York', clock: { epochSeconds: startFor('2024-07-01T16:00:00Z'), frozen: true } });
    const first = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(first.watermarkAfter).toBe('2024-07-01 11:58:00'); // 16:00 UTC = 12:00 EDT, minus the 2-minute lag
    await expectRawEqualsShop(env, 'customers');

    env.shop.control.advance(300);
    const id = [...shopPayloads(env.shop, 'customers').keys()][7]!;
    env.shop.control.update('customers', id, { lastname: 'Updated in New York' });
    env.shop.control.advance(300);
    const second = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(second).toMatchObject({ status: 'succeeded', rowsChanged: 1, windowLo: '2024-07-01 11:53:00', windowHi: '2024-07-01 12:08:00' });
    await expectRawEqualsShop(env, 'customers');
    expect((await watermarkOf(env.db.pool, 'customers')).watermark).toBe(toShopLocal(new Date(Date.parse('2024-07-01T16:08:00Z')), 'America/New_York'));
  });

  it('loads rows written in the repeated hour of a Europe/Paris fall-back after the watermark passed it', async () => {
    // 2024-10-27 in Paris: 03:00 CEST (01:00 UTC) becomes 02:00 CET, so 02:00-02:59 happens twice.
    env = await startSyncEnv({ customers: 30, products: 0, orders: 0, timeZone: 'Europe/Paris', clock: { epochSeconds: startFor('2024-10-27T00:50:00Z'), frozen: true } });
    const first = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(first.watermarkAfter).toBe('2024-10-27 02:48:00'); // first pass through 02:xx (CEST)
    await expectRawEqualsShop(env, 'customers');

    env.shop.control.setClock(epoch('2024-10-27T01:20:00Z')); // 02:20 again, now CET
    const id = [...shopPayloads(env.shop, 'customers').keys()][3]!;
    env.shop.control.update('customers', id, { lastname: 'Written in the repeated hour' });
    expect((shopPayloads(env.shop, 'customers').get(id) as { date_upd: string }).date_upd).toBe('2024-10-27 02:20:00');

    env.shop.control.setClock(epoch('2024-10-27T02:10:00Z')); // 03:10 CET
    const second = await runSync(env.deps, 'customers', { trigger: 'test' });
    // Without the fall-back widening lo would be 02:43 and the row at 02:20 would be lost.
    expect(second).toMatchObject({ status: 'succeeded', windowLo: '2024-10-27 01:43:00', windowHi: '2024-10-27 03:08:00', rowsChanged: 1 });
    expect((await rawPayloads(env.db.pool, 'customers')).get(id)).toMatchObject({ lastname: 'Written in the repeated hour' });
    await expectRawEqualsShop(env, 'customers');
  });
});
