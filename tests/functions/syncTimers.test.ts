import { InvocationContext, type Timer } from '@azure/functions';
import { analyticsRefreshQueue as customersQueue, createSyncCustomersHandler } from '../../functions/syncCustomers';
import { analyticsRefreshQueue as ordersQueue, createSyncOrdersHandler } from '../../functions/syncOrders';
import { analyticsRefreshQueue as productsQueue, createSyncProductsHandler } from '../../functions/syncProducts';
import type { OpenRuntime } from '../../shared/sync/functionRuntime';
import { refreshMessageSchema } from '../../shared/sync/refreshMessage';
import { startSyncEnv, testSettings, type SyncEnv } from '../sync/support';
import type { AppConfig } from '../../shared/config/types';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

describe('sync timer functions', () => {
  let env: SyncEnv;
  let closes = 0;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 30, products: 20, orders: 40 });
  });

  afterAll(async () => {
    await env.close();
  });

  const openRuntime: OpenRuntime = () =>
    Promise.resolve({
      config: {
        sync: { ...testSettings, timeBudgetSeconds: 420 } satisfies AppConfig['sync'],
        prestashop: { baseUrl: env.shop.baseUrl, apiKey: () => Promise.resolve(env.shop.apiKey), requestTimeoutMs: 5000, pageSize: 100 },
      },
      pool: env.db.pool,
      api: env.api,
      log: env.deps.log,
      telemetry: env.telemetry,
      close: () => {
        closes++;
        return Promise.resolve();
      },
    });

  const handlers = [
    { name: 'syncCustomers', entity: 'prestashop_customers', queue: customersQueue, handler: createSyncCustomersHandler(openRuntime) },
    { name: 'syncProducts', entity: 'prestashop_products', queue: productsQueue, handler: createSyncProductsHandler(openRuntime) },
    { name: 'syncOrders', entity: 'prestashop_orders', queue: ordersQueue, handler: createSyncOrdersHandler(openRuntime) },
  ] as const;

  it.each(handlers)('$name sets the analytics-refresh message only when rows changed', async ({ name, entity, queue, handler }) => {
    const lines: string[] = [];
    const context = () => new InvocationContext({ invocationId: `inv-${name}`, functionName: name, logHandler: (_level, ...args) => lines.push(args.join(' ')) });
    const closesBefore = closes;

    const first = context();
    await handler(timer, first);
    const message = refreshMessageSchema.parse(first.extraOutputs.get(queue));
    expect(message).toMatchObject({ entity, changedRows: expect.any(Number) });
    expect(message.changedRows).toBeGreaterThan(0);
    const { rows } = await env.db.pool.query('select entity, rows_changed, trigger from staging.etl_runs where run_id = $1', [message.runId]);
    expect(rows[0]).toEqual({ entity, rows_changed: message.changedRows, trigger: 'timer' });

    env.shop.control.advance(300);
    const second = context();
    await handler(timer, second);
    expect(second.extraOutputs.get(queue)).toBeUndefined();
    expect(closes).toBe(closesBefore + 2);
  });

  it('logs and rethrows when the runtime cannot be built (bad settings)', async () => {
    const lines: string[] = [];
    const context = new InvocationContext({ invocationId: 'inv-config', functionName: 'syncProducts', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
    const broken: OpenRuntime = () => Promise.reject(new Error('PRESTASHOP_BASE_URL is not set'));
    await expect(createSyncProductsHandler(broken)(timer, context)).rejects.toThrow(/PRESTASHOP_BASE_URL/);
    expect(lines).toEqual([expect.stringMatching(/^error syncProducts failed: PRESTASHOP_BASE_URL is not set/)]);
    expect(context.extraOutputs.get(productsQueue)).toBeUndefined();
  });

  it('logs through the context and rethrows when the run fails', async () => {
    const lines: string[] = [];
    const context = new InvocationContext({ invocationId: 'inv-fail', functionName: 'syncOrders', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
    env.shop.control.setFaults({ webserviceDisabled: true });
    try {
      await expect(createSyncOrdersHandler(openRuntime)(timer, context)).rejects.toThrow(/Sync of orders failed/);
    } finally {
      env.shop.control.clearFaults();
    }
    expect(lines.some((l) => l.startsWith('error') && l.includes('syncOrders failed'))).toBe(true);
    expect(context.extraOutputs.get(ordersQueue)).toBeUndefined();
    expect(lines.join('\n')).not.toContain(env.shop.apiKey);
  });
});
