import { refreshAnalytics } from '../../shared/analytics/refresh';
import { runReconcile } from '../../shared/sync/reconcile';
import { runStream } from '../../shared/sync/runStream';
import { SYNC_ORDER } from '../../shared/sync/entities';
import { silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase } from '../support/testDatabase';
import { startSyncEnv, type SyncEnv } from '../sync/support';
import { snapshotAnalytics } from './support/raw';

/** What real shops send, end to end: PrestaShop 8.1's typed JSON against 1.7's strings, and bad text and dates. */
describe('real shop data through sync and analytics', () => {
  const envs: SyncEnv[] = [];
  afterAll(async () => {
    for (const env of envs) await env.close();
  });

  async function loadAll(env: SyncEnv): Promise<void> {
    for (const name of SYNC_ORDER) {
      const result = await runStream(env.deps, name, { trigger: 'test' });
      expect({ name, status: result.status }).toEqual({ name, status: 'succeeded' });
    }
  }
  const refresh = (env: SyncEnv, full = false) =>
    refreshAnalytics({ pool: env.db.pool, api: env.api, log: silentLogger, telemetry: env.telemetry }, { trigger: 'test', full });

  it('gives byte-identical analytics for the same shop answering as PrestaShop 1.7 and as 8.1', async () => {
    const shops = { customers: 60, products: 25, orders: 300, languages: 2 as const };
    const old = await startSyncEnv({ ...shops, version: '1.7' });
    const typed = await startSyncEnv({ ...shops, version: '8.1' });
    envs.push(old, typed);
    for (const env of [old, typed]) {
      await loadAll(env);
      await refresh(env);
    }
    expect(await snapshotAnalytics(typed.db.pool)).toEqual(await snapshotAnalytics(old.db.pool));
  });

  it('changes no KPI when a loaded shop is upgraded from 1.7 to 8.1 (same records, new JSON types)', async () => {
    const db = await createTestDatabase();
    const shops = { customers: 40, products: 20, orders: 200 };
    const before = await startSyncEnv({ ...shops, version: '1.7' }, {}, db);
    await loadAll(before);
    await refresh(before);
    const kpis = await snapshotAnalytics(db.pool);
    await before.close();
    // The same shop after the upgrade: every record now reads with numbers where 1.7 sent strings.
    const after = await startSyncEnv({ ...shops, version: '8.1' }, {}, db);
    envs.push(after);
    for (const name of SYNC_ORDER) await runStream(after.deps, name, { trigger: 'test', fullRefresh: true });
    const result = await refresh(after);
    expect(result.changed.orders).toBeGreaterThan(0); // raw kept the new payloads (new versions in history)...
    expect(await snapshotAnalytics(db.pool)).toEqual(kpis); // ...and analytics did not move
    await db.drop();
  });

  it('loads a shop where 1% of records carry bad text and 1% bad dates or money: exit 0, every record in raw, each repair counted, KPIs published', async () => {
    const env = await startSyncEnv({ customers: 200, products: 60, orders: 1000, languages: 2, quirks: { badTextShare: 0.01, badDateShare: 0.01 } });
    envs.push(env);
    const quirks = env.shop.control.quirks();
    const badText = quirks.filter((q) => q.kind === 'nul-character' || q.kind === 'unpaired-surrogate');
    const badDates = quirks.filter((q) => q.kind !== 'nul-character' && q.kind !== 'unpaired-surrogate');
    expect(badText.length).toBeGreaterThan(5);
    expect(badDates.length).toBeGreaterThan(5);
    await loadAll(env);
    for (const resource of ['customers', 'products', 'orders'] as const) await expectRawEqualsShopRepaired(env, resource);
    const { rows } = await env.db.pool.query<{ repaired: number }>("select coalesce(sum(rows_repaired), 0)::int as repaired from staging.etl_runs where kind = 'sync'");
    expect(rows[0]!.repaired).toBe(new Set(badText.map((q) => `${q.resource}/${q.id}`)).size);
    const { rows: quarantined } = await env.db.pool.query<{ n: number }>('select count(*)::int as n from staging.quarantine');
    expect(quarantined[0]!.n).toBe(0);
    const analytics = await refresh(env);
    expect(analytics.status).toBe('succeeded');
    const unparseable = analytics.dataQuality.filter((r) => r.check === 'unparseable_values' && r.status === 'fail');
    expect(unparseable.reduce((n, r) => n + r.failingCount, 0)).toBeGreaterThanOrEqual(new Set(badDates.map((q) => `${q.resource}/${q.id}`)).size);
    const { rows: days } = await env.db.pool.query<{ n: number }>('select count(*)::int as n from analytics.kpi_daily_sales');
    expect(days[0]!.n).toBeGreaterThan(0);
    expect((await refresh(env, true)).status).toBe('succeeded');
    expect((await runReconcile(env.deps, 'orders', { trigger: 'test' })).status).toBe('succeeded');
  });
});

/** Raw equals the shop once the repair rule is applied to what the shop sent (a NUL or half an emoji as U+FFFD). */
async function expectRawEqualsShopRepaired(env: SyncEnv, resource: 'customers' | 'products' | 'orders'): Promise<void> {
  // JSON.stringify writes a NUL and an unpaired surrogate as escapes (a whole emoji stays as it is).
  const repair = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/\\u0000|\\ud[89a-f][0-9a-f]{2}/gi, '\\ufffd')) as unknown;
  const raw = (await env.db.pool.query<{ id: string; payload: unknown }>(`select id, payload from raw.prestashop_${resource} where deleted_at is null`)).rows;
  const shop = env.shop.control.records(resource);
  expect(raw.length).toBe(shop.length);
  const byId = new Map(raw.map((r) => [Number(r.id), r.payload]));
  for (const record of shop) {
    const { passwd: _p, secure_key: _s, reset_password_token: _t, reset_password_validity: _v, last_passwd_gen: _g, ip_registration_newsletter: _i, ...kept } = record as Record<string, unknown>;
    expect({ id: record.id, payload: byId.get(record.id) }).toEqual({ id: record.id, payload: repair(kept) });
  }
}
