import { Event, Metric } from '../../shared/telemetry/names';
import { readStatus } from '../../shared/sync/status';
import { runSync, SyncRunError } from '../../shared/sync/runSync';
import {
  expectRawEqualsShop, lastRun, rawPayloads, shopApiFor, shopPayloads, startSyncEnv, watermarkOf, type SyncEnv,
} from './support';

describe('runSync under failures', () => {
  let env: SyncEnv | undefined;

  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('runs one sync per entity at a time: a concurrent second run is skipped and recorded', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 120 }, { pageSize: 20 });
    env.shop.control.setFaults({ latencyMs: 50 });
    const results = await Promise.all([runSync(env.deps, 'orders', { trigger: 'test' }), runSync(env.deps, 'orders', { trigger: 'test' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'succeeded']);
    const skipped = results.find((r) => r.status === 'skipped')!;
    expect(skipped.reason).toMatch(/lock/);
    const { rows } = await env.db.pool.query('select status from staging.etl_runs where run_id = $1', [skipped.runId]);
    expect(rows[0].status).toBe('skipped');
    await expectRawEqualsShop(env, 'orders');
  });

  it('fails cleanly when its PostgreSQL connection is killed mid-page: no partial page, and a rerun completes', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 150 }, { pageSize: 50 });
    const first = await runSync(env.deps, 'orders', { trigger: 'test', timeBudgetSeconds: 0 });
    expect(first).toMatchObject({ status: 'partial', pages: 1 });
    const committed = await rawPayloads(env.db.pool, 'orders');
    const checkpoint = await watermarkOf(env.db.pool, 'orders');

    // Block the next page's history insert, so the page's transaction is open when its connection dies.
    const blocker = await env.db.pool.connect();
    await blocker.query('begin');
    await blocker.query('lock table raw.prestashop_orders_history in exclusive mode');
    const run = runSync(env.deps, 'orders', { trigger: 'test' }).then(
      () => new Error('the run should have failed'),
      (error: unknown) => error,
    );
    let killed = 0;
    while (killed === 0) {
      const { rows } = await blocker.query(
        `select pg_terminate_backend(pid) as done from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
      );
      killed = rows.length;
      if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const error = await run;
    await blocker.query('rollback');
    blocker.release();

    expect(error).toBeInstanceOf(SyncRunError);
    expect((error as SyncRunError).result.status).toBe('failed');
    expect(await rawPayloads(env.db.pool, 'orders')).toEqual(committed);
    expect(await watermarkOf(env.db.pool, 'orders')).toEqual(checkpoint);
    expect(await lastRun(env.db.pool, 'orders')).toMatchObject({ status: 'failed' });

    const rerun = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(rerun).toMatchObject({ status: 'succeeded', resumed: true, rowsChanged: 100 });
    await expectRawEqualsShop(env, 'orders');
  });

  it('loads everything although the shop answers 503, 429 and times out', async () => {
    env = await startSyncEnv({ customers: 200, products: 0, orders: 0 }, { pageSize: 5 });
    // Enough attempts that no page gives up (a 500 that persists would be bisected and set aside as poison).
    env.deps = { ...env.deps, api: shopApiFor(env.shop, { requestTimeoutMs: 500, maxAttempts: 12 }) };
    env.shop.control.setFaults({ rate5xx: 0.15, rate429: 0.15, timeoutRate: 0.1, retryAfterSeconds: 0 });
    const result = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(result.status).toBe('succeeded');
    const statuses = env.shop.control.requests().map((r: { status: number }) => r.status);
    expect(statuses).toEqual(expect.arrayContaining([429, 503]));
    env.shop.control.clearFaults();
    await expectRawEqualsShop(env, 'customers');
    expect((await watermarkOf(env.db.pool, 'customers')).watermark).toBe(result.windowHi);
  });

  it('does not move the watermark over an empty page the shop gave for a swallowed SQL error', async () => {
    env = await startSyncEnv({ customers: 40, products: 0, orders: 0 });
    const first = await runSync(env.deps, 'customers', { trigger: 'test' });
    env.shop.control.advance(60);
    const changedId = [...shopPayloads(env.shop, 'customers').keys()][5]!;
    env.shop.control.update('customers', changedId, { lastname: 'Unseen' });
    env.shop.control.advance(600);
    // Two: the client's clock call (a configurations list) takes the first, the window's first page the second.
    env.shop.control.setFaults({ swallowedSqlErrorNext: 2 });
    const second = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(second).toMatchObject({ status: 'partial', rowsChanged: 0, watermarkAfter: first.watermarkAfter });
    expect(second.reason).toMatch(/empty/);
    expect(await watermarkOf(env.db.pool, 'customers')).toEqual({ watermark: first.watermarkAfter, lo: null, hi: null, lastId: null });
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ status: 'partial' });

    const third = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(third).toMatchObject({ status: 'succeeded', rowsChanged: 1 });
    await expectRawEqualsShop(env, 'customers');
  });

  it('a quiet shop whose only change lies inside the lag succeeds twice, and the change is in raw after the second run', async () => {
    env = await startSyncEnv({ customers: 30, products: 0, orders: 0 });
    await runSync(env.deps, 'customers', { trigger: 'test' });
    env.shop.control.advance(3600); // an idle hour: the next window holds nothing
    const id = [...shopPayloads(env.shop, 'customers').keys()][2]!;
    env.shop.control.advance(-60);
    env.shop.control.update('customers', id, { lastname: 'A minute ago' }); // inside the lag of the next run
    env.shop.control.advance(60);
    const second = await runSync(env.deps, 'customers', { trigger: 'test' });
    // The widened window returns that change, so the shop's date filter works: the empty window is trusted.
    expect(second).toMatchObject({ status: 'succeeded', rowsChanged: 0, watermarkAfter: second.windowHi });
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ status: 'succeeded', details: expect.objectContaining({ emptyWindow: expect.stringMatching(/^trusted/) }) });
    env.shop.control.advance(600); // ten minutes of shop time
    const third = await runSync(env.deps, 'customers', { trigger: 'test' });
    expect(third).toMatchObject({ status: 'succeeded', rowsChanged: 1 });
    await expectRawEqualsShop(env, 'customers');
  });

  it('holds the watermark (and still succeeds) when the widened window does not return the change after hi', async () => {
    env = await startSyncEnv({ customers: 30, products: 0, orders: 0 });
    const first = await runSync(env.deps, 'customers', { trigger: 'test' });
    env.shop.control.advance(3600);
    const id = [...shopPayloads(env.shop, 'customers').keys()][2]!;
    env.shop.control.update('customers', id, { lastname: 'Just now' });
    // The widened window comes back empty, as a swallowed SQL error would answer it: the filter is not shown to work.
    const swallowing = { ...env.deps, api: { ...env.deps.api, oldestChangeBetween: () => Promise.resolve(null) } };
    const second = await runSync(swallowing, 'customers', { trigger: 'test' });
    expect(second).toMatchObject({ status: 'succeeded', rowsChanged: 0, watermarkAfter: first.watermarkAfter });
    expect(await lastRun(env.db.pool, 'customers')).toMatchObject({ details: expect.objectContaining({ emptyWindow: expect.stringMatching(/^held/) }) });
    expect((await watermarkOf(env.db.pool, 'customers')).watermark).toBe(first.watermarkAfter);
  });

  it('quarantines a record the shop cannot render, loads the rest, and resolves it once the shop serves it', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 90 }, { pageSize: 30 });
    const poison = [...shopPayloads(env.shop, 'orders').keys()][44]!;
    env.shop.control.setFaults({ poisonIds: [poison] });
    const first = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(first).toMatchObject({ status: 'succeeded', rowsQuarantined: 1, rowsChanged: 89 });
    const raw = await rawPayloads(env.db.pool, 'orders');
    const expected = shopPayloads(env.shop, 'orders');
    expected.delete(poison);
    expect(raw).toEqual(expected);
    const status = await readStatus(env.db.pool);
    expect(status.quarantine).toEqual([expect.objectContaining({ entity: 'prestashop_orders', recordId: poison, attempts: 1 })]);
    expect(status.quarantine[0]!.reason).toMatch(/500/);
    expect(env.telemetry.items.filter((i) => i.name === Event.recordQuarantined.name)).toEqual([
      expect.objectContaining({ dimensions: { entity: 'prestashop_orders', reason: expect.stringMatching(/500/) } }),
    ]);
    expect(env.telemetry.items.filter((i) => i.name === Metric.quarantinedRecords.name).at(-1)).toMatchObject({ value: 1 });

    // Still broken on the next run: one more attempt, still open.
    await runSync(env.deps, 'orders', { trigger: 'test' });
    expect((await readStatus(env.db.pool)).quarantine).toEqual([expect.objectContaining({ recordId: poison, attempts: 2 })]);

    env.shop.control.clearFaults();
    const fixed = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(fixed.rowsChanged).toBe(1);
    await expectRawEqualsShop(env, 'orders');
    expect((await readStatus(env.db.pool)).quarantine).toEqual([]);
    const { rows } = await env.db.pool.query('select resolved_at, attempts from staging.quarantine where record_id = $1', [poison]);
    expect(rows[0].resolved_at).not.toBeNull();
  });
});
