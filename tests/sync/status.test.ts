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
    expect(during.entities.map((e) => e.entity)).toEqual(['prestashop_customers', 'prestashop_products', 'prestashop_orders']);

    const done = await runSync(env.deps, 'orders', { trigger: 'test' });
    const after = (await readStatus(env.db.pool, { shopNow: now })).entities.find((e) => e.entity === 'prestashop_orders')!;
    expect(after).toMatchObject({ watermark: done.watermarkAfter, inProgress: null, lagSeconds: env.deps.settings.lagSeconds });
    expect(after.lastRuns.map((r) => r.runId)).toEqual([done.runId, partial.runId]);
    expect((await readStatus(env.db.pool)).entities[2]!.lagSeconds).toBeNull();
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
