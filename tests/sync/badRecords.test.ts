import { PgError } from '../../shared/db/errors';
import { runSync, SyncRunError } from '../../shared/sync/runSync';
import { Metric } from '../../shared/telemetry/names';
import { expectRawEqualsShop, historyCount, lastRun, rawPayloads, shopPayloads, startSyncEnv, watermarkOf, type SyncEnv } from './support';

/** One bad record never stops an entity: it is repaired, or set aside with its reason while the rest loads. */
describe('bad records', () => {
  let env: SyncEnv | undefined;

  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('loads text the database cannot hold as sent (a NUL, half an emoji) with U+FFFD in place, counted once, and a rerun changes nothing', async () => {
    env = await startSyncEnv({ customers: 30, products: 12, orders: 40, languages: 2 });
    const customer = [...shopPayloads(env.shop, 'customers').keys()][3]!;
    const order = [...shopPayloads(env.shop, 'orders').keys()][7]!;
    const product = [...shopPayloads(env.shop, 'products').keys()][2]!;
    env.shop.control.update('customers', customer, { note: 'before\u0000after' });
    env.shop.control.update('orders', order, { gift_message: 'Happy birthday \ud83d' });
    const names = env.shop.control.get('products', product)!.name as { id: number | string; value: string }[];
    env.shop.control.update('products', product, { name: names.map((n) => ({ id: String(n.id), value: String(n.id) === '2' ? `${n.value} \ud83c` : n.value })) });
    env.shop.control.advance(300);

    const results = [];
    for (const entity of ['customers', 'products', 'orders'] as const) results.push(await runSync(env.deps, entity, { trigger: 'test' }));
    expect(results.map((r) => [r.status, r.rowsRepaired, r.rowsQuarantined])).toEqual([
      ['succeeded', 1, 0],
      ['succeeded', 1, 0],
      ['succeeded', 1, 0],
    ]);
    const raw = (entity: 'customers' | 'orders' | 'products', id: number) => rawPayloads(env!.db.pool, entity).then((m) => m.get(id) as Record<string, unknown>);
    expect((await raw('customers', customer)).note).toBe('before\ufffdafter');
    expect((await raw('orders', order)).gift_message).toBe('Happy birthday \ufffd');
    expect(((await raw('products', product)).name as { id: number | string; value: string }[]).find((n) => String(n.id) === '2')?.value).toMatch(/ \ufffd$/);
    expect(await lastRun(env.db.pool, 'orders')).toMatchObject({ status: 'succeeded' });
    const { rows } = await env.db.pool.query<{ rows_repaired: number }>("select rows_repaired from staging.etl_runs where kind = 'sync' order by run_id");
    expect(rows.map((r) => r.rows_repaired)).toEqual([1, 1, 1]);
    expect(env.telemetry.items.filter((i) => i.name === Metric.syncRowsRepaired.name).map((i) => i.value)).toEqual([1, 1, 1]);

    // A full re-read of the same shop data: the repair gives the same bytes, so nothing changes and no version is added.
    const histories = await Promise.all((['customers', 'products', 'orders'] as const).map((e) => historyCount(env!.db.pool, e)));
    for (const entity of ['customers', 'products', 'orders'] as const) {
      const again = await runSync(env.deps, entity, { trigger: 'test', fullRefresh: true });
      expect(again).toMatchObject({ status: 'succeeded', rowsChanged: 0, rowsRepaired: 1 });
    }
    expect(await Promise.all((['customers', 'products', 'orders'] as const).map((e) => historyCount(env!.db.pool, e)))).toEqual(histories);
  });

  it('sets aside a record the database refuses, commits the rest of its page, and loads it once the shop fixes it', async () => {
    env = await startSyncEnv({ customers: 40, products: 0, orders: 0 }, { pageSize: 20, concurrency: 1 });
    // A rule of this warehouse the shop does not know about: the database refuses such a record.
    await env.db.pool.query("alter table raw.prestashop_customers add constraint no_test_refusal check (payload->>'lastname' is distinct from 'Refused')");
    const ids = [...shopPayloads(env.shop, 'customers').keys()];
    const refused = ids[5]!;
    env.shop.control.update('customers', refused, { lastname: 'Refused' });
    env.shop.control.advance(300);

    const first = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(first).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsChanged: ids.length - 1 });
    const raw = await rawPayloads(env.db.pool, 'customers');
    expect([...raw.keys()]).toEqual(ids.filter((id) => id !== refused).sort((a, b) => a - b));
    const { rows } = await env.db.pool.query<{ record_id: string; reason: string }>('select record_id, reason from staging.quarantine where resolved_at is null');
    expect(rows).toEqual([{ record_id: String(refused), reason: expect.stringMatching(new RegExp(`the database refuses this record: .*no_test_refusal.*SQLSTATE ${PgError.checkViolation}`)) }]);
    expect((await watermarkOf(env.db.pool, 'customers')).watermark).toBe(first.windowHi);

    // Still refused on the next run: retried, still open, the run still fine.
    env.shop.control.advance(60);
    expect(await runSync(env.deps, 'customers', { trigger: 'test' })).toMatchObject({ status: 'succeeded', rowsChanged: 0 });
    env.shop.control.update('customers', refused, { lastname: 'Accepted' });
    env.shop.control.advance(60);
    await runSync(env.deps, 'customers', { trigger: 'test' });
    await expectRawEqualsShop(env, 'customers');
    const open = await env.db.pool.query('select 1 from staging.quarantine where resolved_at is null');
    expect(open.rowCount).toBe(0);
  });

  it('ends partial, with the first reason, when it sets aside more than the allowed share of what it read', async () => {
    env = await startSyncEnv({ customers: 40, products: 0, orders: 0 });
    const ids = [...shopPayloads(env.shop, 'customers').keys()];
    for (const id of ids.slice(0, 3)) env.shop.control.update('customers', id, { date_add: '2024-13-45 99:00:00' });
    env.shop.control.advance(300);
    const result = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'partial', cause: 'rejected_records', rowsQuarantined: 3, watermarkAfter: result.windowHi });
    expect(result.reason).toMatch(/^3 of \d+ records set aside \(\d+\.\d%, more than the 5\.0% allowed\): first reason: invalid record: date_add/);
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ status: 'partial', error: result.reason });

    // Within the share, a run with a record set aside is still succeeded.
    const fine = await runSync({ ...env.deps, settings: { ...env.deps.settings, maxRejectShare: 0.5 } }, 'customers', { trigger: 'test' });
    expect(fine.status).toBe('succeeded');
  });

  it('is partial when every record of a page is set aside, however few', async () => {
    env = await startSyncEnv({ customers: 40, products: 0, orders: 0 });
    await runSync(env.deps, 'customers', { trigger: 'test' });
    env.shop.control.advance(600);
    const id = [...shopPayloads(env.shop, 'customers').keys()][1]!;
    env.shop.control.update('customers', id, { date_add: 'not a date' });
    env.shop.control.advance(300);
    const result = await runSync({ ...env.deps, settings: { ...env.deps.settings, maxRejectShare: 1 } }, 'customers', { trigger: 'test' });
    expect(result).toMatchObject({ status: 'partial', cause: 'rejected_records' });
    expect(result.reason).toMatch(/1 page\(s\) with every record set aside/);
  });

  it('stops when the operator interrupts: requests aborted, the run recorded as interrupted, and the next run resumes', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 120 }, { pageSize: 10, concurrency: 1 });
    env.shop.control.setFaults({ latencyMs: 100 });
    const controller = new AbortController();
    const run = runSync(env.deps, 'orders', {
      trigger: 'test',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 2) controller.abort();
      },
    });
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SyncRunError);
    const result = (error as SyncRunError).result;
    expect(result).toMatchObject({ status: 'interrupted', cause: 'interrupted', pages: 2 });
    expect(await lastRun(env.db.pool, 'orders')).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/resumes from the checkpoint/) });
    expect((await watermarkOf(env.db.pool, 'orders')).lo).not.toBeNull();
    env.shop.control.clearFaults();
    expect(await runSync(env.deps, 'orders', { trigger: 'test' })).toMatchObject({ status: 'succeeded', resumed: true });
    await expectRawEqualsShop(env, 'orders');
  });
});
