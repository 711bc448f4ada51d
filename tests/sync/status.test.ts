import { STREAMS, WINDOWED_STREAMS } from '../../shared/sync/entities';
import { Event, Metric } from '../../shared/telemetry/names';
import type { Fields, Logger } from '../../shared/telemetry/types';
import { runSync } from '../../shared/sync/runSync';
import { readStatus } from '../../shared/sync/status';
import { startSyncEnv, type SyncEnv } from './support';

function capturingLogger(lines: { message: string; fields: Fields }[], bound: Fields = {}): Logger {
  const write = (message: string, fields?: Fields) => lines.push({ message, fields: { ...bound, ...fields } });
  return { debug: write, info: write, warn: write, error: write, child: (fields) => capturingLogger(lines, { ...bound, ...fields }) };
}

describe('run reporting: status, telemetry and log lines', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 120 }, { pageSize: 50 });
  });

  afterAll(async () => {
    await env.close();
  });

  it('reports watermarks with their lag, checkpoints and the last runs', async () => {
    const partial = await runSync(env.deps, 'orders', { trigger: 'test', timeBudgetSeconds: 0 });
    const now = await env.api.now();
    const during = await readStatus(env.db.pool, { shopNow: now });
    const orders = during.entities.find((e) => e.entity === 'prestashop_orders')!;
    expect(orders).toMatchObject({
      watermark: '1970-01-01 00:00:00',
      inProgress: { lo: partial.windowLo, hi: partial.windowHi, ranges: [{ after: expect.any(Number), upTo: null }], runId: partial.runId },
      lastRuns: [expect.objectContaining({ runId: partial.runId, status: 'partial', pages: 1, rowsChanged: 50 })],
      rawRows: 50,
    });
    expect(during.entities.map((e) => e.entity)).toEqual(WINDOWED_STREAMS.map((name) => STREAMS[name].entity));

    expect(orders).toMatchObject({ synced: false, lagSeconds: null });

    const done = await runSync(env.deps, 'orders', { trigger: 'test' });
    const status = await readStatus(env.db.pool, { shopNow: now });
    const after = status.entities.find((e) => e.entity === 'prestashop_orders')!;
    expect(after).toMatchObject({ watermark: done.watermarkAfter, synced: true, inProgress: null, lagSeconds: env.deps.settings.lagSeconds });
    expect(after.lastRuns.map((r) => r.runId)).toEqual([done.runId, partial.runId]);
    expect(status).toMatchObject({ timeZone: now.timeZone, timeZoneSource: 'shop', lagClock: 'shop' });
    // Entities never synced have no lag, whatever the clock.
    expect(status.entities.find((e) => e.entity === 'prestashop_customers')).toMatchObject({ synced: false, watermark: '1970-01-01 00:00:00', lagSeconds: null });

    // Without the shop clock: no lag unless a zone and this machine's clock are given.
    expect((await readStatus(env.db.pool)).entities[2]!.lagSeconds).toBeNull();
    const local = await readStatus(env.db.pool, { timeZone: now.timeZone, localNow: new Date(now.utc.getTime() + 3600_000) });
    expect(local).toMatchObject({ lagClock: 'local', timeZone: now.timeZone, timeZoneSource: 'setting' });
    expect(local.entities[2]!.lagSeconds).toBe(env.deps.settings.lagSeconds + 3600);
  });

  it('says when analytics last ran and what its data-quality checks found', async () => {
    const before = await readStatus(env.db.pool);
    expect(before.analytics).toEqual({ lastRefresh: null, lastSucceededAt: null });
    expect(before.dataQuality).toMatchObject({ runId: null, checks: 0, failedCritical: [], failedWarning: [] });
    const { rows } = await env.db.pool.query<{ run_id: string }>(
      `insert into staging.etl_runs (entity, kind, status, trigger, finished_at) values ('analytics', 'analytics', 'succeeded', 'test', now()) returning run_id`,
    );
    const runId = Number(rows[0]!.run_id);
    await env.db.pool.query(
      `insert into staging.data_quality_results (run_id, check_name, entity, severity, status, failing_count)
       values ($1, 'fk_order_customer', 'fact_orders', 'warning', 'fail', 3), ($1, 'pk_orders', 'fact_orders', 'critical', 'pass', 0)`,
      [runId],
    );
    const after = await readStatus(env.db.pool);
    expect(after.analytics.lastRefresh).toMatchObject({ runId, kind: 'analytics', status: 'succeeded' });
    expect(after.analytics.lastSucceededAt).toBeInstanceOf(Date);
    expect(after.dataQuality).toMatchObject({ runId, checks: 2, failedCritical: [], failedWarning: [{ check: 'fk_order_customer', entity: 'fact_orders', failing: 3 }] });
  });

  it('emits the contract metrics and event, and every log line carries the run id and entity', async () => {
    const lines: { message: string; fields: Fields }[] = [];
    env.telemetry.items.length = 0;
    env.shop.control.advance(600);
    const result = await runSync({ ...env.deps, log: capturingLogger(lines) }, 'orders', { trigger: 'test' });
    const names = env.telemetry.items.map((i) => i.name);
    for (const m of [Metric.syncRowsFetched, Metric.syncRowsChanged, Metric.syncRowsUnchanged, Metric.syncPages, Metric.syncDurationMs, Metric.syncWatermarkLagSeconds, Metric.quarantinedRecords]) {
      expect(names).toContain(m.name);
    }
    const event = env.telemetry.items.find((i) => i.name === Event.syncRun.name)!;
    expect(event.dimensions).toEqual({ entity: 'prestashop_orders', trigger: 'test', status: 'succeeded', runId: String(result.runId), cause: '' });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.fields).toMatchObject({ runId: result.runId, entity: 'prestashop_orders' });
  });
});
