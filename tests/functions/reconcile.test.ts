import { InvocationContext, type Timer } from '@azure/functions';
import { analyticsRefreshQueue, createReconcileHandler } from '../../functions/reconcile';
import { refreshMessageSchema } from '../../shared/sync/refreshMessage';
import type { OpenRuntime } from '../../functions/support/runtime';
import { runSync } from '../../shared/sync/runSync';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { STREAMS, SWEPT_STREAMS } from '../../shared/sync/entities';
import { NIGHTLY_SWEEPS } from '../../shared/sync/jobs';
import { shopPayloads, startSyncEnv, testSettings, type SyncEnv } from '../sync/support';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

describe('reconcile timer function', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 30, products: 10, orders: 20 });
    for (const entity of ['customers', 'products', 'orders'] as const) await runSync(env.deps, entity, { trigger: 'test' });
    await catchUpAnalytics();
  });

  const catchUpAnalytics = () => refreshAnalytics({ pool: env.db.pool, log: env.deps.log, telemetry: env.telemetry }, { trigger: 'test' });

  afterAll(async () => {
    await env.close();
  });

  const openRuntime: OpenRuntime = () =>
    Promise.resolve({
      config: {
        sync: { ...testSettings, reconcileMaxDeleteShare: 0.2 },
        prestashop: { baseUrl: env.shop.baseUrl, apiKey: () => Promise.resolve(env.shop.apiKey), requestTimeoutMs: 5000, pageSize: 100 },
      },
      pool: env.db.pool,
      api: env.api,
      log: env.deps.log,
      telemetry: env.telemetry,
      close: () => Promise.resolve(),
    });

  const context = (lines: string[]) =>
    new InvocationContext({ invocationId: 'inv-reconcile', functionName: 'reconcile', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });

  it('reconciles every stream, sweeps the swept ones, and marks what the shop deleted', async () => {
    const order = [...shopPayloads(env.shop, 'orders').keys()][2]!;
    env.shop.control.hardDelete('orders', order);
    const first = context([]);
    await createReconcileHandler(openRuntime)(timer, first);
    const messages = refreshMessageSchema.array().parse(first.extraOutputs.get(analyticsRefreshQueue));
    expect(messages).toEqual([expect.objectContaining({ entity: 'prestashop_orders', changedRows: 1 })]);
    const { rows } = await env.db.pool.query<{ entity: string; status: string; kind: string }>(
      "select entity, status, kind from staging.etl_runs where kind = 'reconcile' or details->>'mode' = 'sweep' order by run_id",
    );
    expect(rows.map((r) => r.entity)).toEqual(NIGHTLY_SWEEPS.map((name) => STREAMS[name].entity));
    expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);
    // The swept streams are their streams' sync runs; the others are reconciliations.
    expect(rows.filter((r) => r.kind === 'sync').map((r) => r.entity)).toEqual(SWEPT_STREAMS.map((name) => STREAMS[name].entity));
    const deleted = await env.db.pool.query<{ id: string }>('select id from raw.prestashop_orders where deleted_at is not null');
    expect(deleted.rows.map((r) => Number(r.id))).toEqual([order]);

    // Once analytics has processed the marks, nothing is pending: no message.
    await catchUpAnalytics();
    const second = context([]);
    await createReconcileHandler(openRuntime)(timer, second);
    expect(second.extraOutputs.get(analyticsRefreshQueue)).toBeUndefined();
  });

  it('fails the invocation when the share guard refuses, after sweeping the other entities', async () => {
    for (const id of [...shopPayloads(env.shop, 'products').keys()].slice(0, 5)) env.shop.control.hardDelete('products', id);
    const lines: string[] = [];
    await expect(createReconcileHandler(openRuntime)(timer, context(lines))).rejects.toThrow(/products: refused/);
    expect(lines.some((l) => l.startsWith('error'))).toBe(true);
    const { rows } = await env.db.pool.query<{ entity: string; status: string }>(
      "select distinct on (entity) entity, status from staging.etl_runs where kind = 'reconcile' order by entity, run_id desc",
    );
    // customers and orders (and every other stream) succeeded around the refused products sweep
    expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([{ entity: 'prestashop_products', status: 'failed' }]);
    expect(rows.map((r) => r.entity)).toEqual(expect.arrayContaining(['prestashop_customers', 'prestashop_orders']));
  });
});
