import { InvocationContext } from '@azure/functions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRefreshAnalyticsHandler, MAX_DEQUEUE_COUNT, type RefreshHandlerDeps } from '../../functions/refreshAnalytics';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { blobRefreshLease, hostLeaseContainer, REFRESH_LEASE_BLOB, REFRESH_LEASE_CONTAINER } from '../../shared/storage/refreshLease';
import { createMemoryTelemetry } from '../../shared/telemetry/memory';
import { parseRefreshMessage } from '../../shared/sync/refreshMessage';
import type { AppConfig } from '../../shared/config/types';
import type { ShopApi } from '../../shared/prestashop/api';
import type { OpenRuntime } from '../../functions/support/runtime';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { customerPayload, orderPayload, upsertRaw } from '../analytics/support/raw';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { BlobLeaseStandIn } from './blobLeaseStandIn';

const validMessage = { entity: 'prestashop_orders', runId: 7, changedRows: 3, finishedAt: '2026-11-26T12:00:00.000Z' };

/** The refresh reads reference data through the client; the shop being down only warns. Any call here fails it. */
const unreachableShop: ShopApi = {
  listAll: () => Promise.reject(new Error('shop unreachable')),
  now: () => Promise.reject(new Error('shop unreachable')),
  keysetPages: () => {
    throw new Error('unexpected keysetPages');
  },
  highestId: () => Promise.reject(new Error('unexpected highestId')),
  newestChange: () => Promise.reject(new Error('unexpected newestChange')),
  oldestChangeBetween: () => Promise.reject(new Error('unexpected oldestChangeBetween')),
  fetchById: () => Promise.reject(new Error('unexpected fetchById')),
};

describe('the refreshAnalytics queue function', () => {
  let db: TestDatabase;
  let storage: BlobLeaseStandIn;
  let connectionString: string;
  let opened = 0;
  let closed = 0;
  let open = 0;
  let mostOpen = 0;

  const openRuntime: OpenRuntime = () => {
    opened++;
    open++;
    mostOpen = Math.max(mostOpen, open);
    return Promise.resolve({
      config: {
        sync: { lagSeconds: 120, overlapSeconds: 300, reconcileMaxDeleteShare: 0.2, reconcilePageSize: 1000 } satisfies AppConfig['sync'],
        prestashop: { baseUrl: 'http://shop.invalid', apiKey: () => Promise.resolve('unused'), requestTimeoutMs: 1000, pageSize: 100, timeZone: 'Europe/Paris' },
      },
      pool: db.pool,
      api: unreachableShop,
      log: silentLogger,
      telemetry: noTelemetry,
      close: () => {
        closed++;
        open--;
        return Promise.resolve();
      },
    });
  };

  function context(lines: { level: string; text: string }[]): InvocationContext {
    return new InvocationContext({
      invocationId: 'test-invocation',
      functionName: 'refreshAnalytics',
      logHandler: (level, ...args) => lines.push({ level, text: args.map(String).join(' ') }),
    });
  }

  /** One handler per simulated instance: each gets its own lease client on the shared (stand-in) storage account. */
  const handler = (deps: Partial<RefreshHandlerDeps> = {}) =>
    createRefreshAnalyticsHandler({ openRuntime, lease: () => blobRefreshLease(hostLeaseContainer({ connectionString })), ...deps });

  beforeAll(async () => {
    storage = new BlobLeaseStandIn();
    connectionString = await storage.start();
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-07-01 23:30:00', valid: true, conversionRate: '2.000000', totalPaidTaxExcl: '30.000000' }),
    ]);
  });

  afterAll(async () => {
    expect(storage.unexpected).toEqual([]);
    await storage.stop();
    await db.drop();
  });

  it('refreshes analytics for a valid message and closes its runtime', async () => {
    const lines: { level: string; text: string }[] = [];
    await handler()(validMessage, context(lines));
    const kpi = await db.pool.query(`select sales_date::text, orders_count, revenue_tax_excl::text from analytics.kpi_daily_sales`);
    expect(kpi.rows).toEqual([{ sales_date: '2024-07-01', orders_count: 1, revenue_tax_excl: '15' }]);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(closed).toBe(opened);
    const run = await db.pool.query(`select trigger, status from staging.etl_runs where entity = 'analytics' order by run_id desc limit 1`);
    expect(run.rows).toEqual([{ trigger: 'queue:prestashop_orders#7', status: 'succeeded' }]);
  });

  it('takes duplicate, late and string-encoded messages as harmless nudges', async () => {
    const nudge = handler();
    await nudge(validMessage, context([]));
    await nudge({ ...validMessage, runId: 3, finishedAt: '2020-01-01T00:00:00Z' }, context([]));
    await nudge(JSON.stringify(validMessage), context([]));
    const kpi = await db.pool.query(`select orders_count, revenue_tax_excl::text from analytics.kpi_daily_sales`);
    expect(kpi.rows).toEqual([{ orders_count: 1, revenue_tax_excl: '15' }]);
    const failed = await db.pool.query(`select count(*)::int as n from staging.etl_runs where entity = 'analytics' and status = 'failed'`);
    expect(failed.rows[0].n).toBe(0);
  });

  it.each([
    ['not JSON', '{oops'],
    ['an unknown entity', { ...validMessage, entity: 'prestashop_carts' }],
    ['a missing run id', { entity: 'prestashop_orders', changedRows: 1, finishedAt: '2026-11-26T12:00:00Z' }],
    ['a negative count', { ...validMessage, changedRows: -1 }],
    ['a date without offset', { ...validMessage, finishedAt: '2026-11-26 12:00:00' }],
    ['nothing', null],
  ])('rejects a message with %s: one error line, a throw for the host to retry, no runtime opened', async (_name, item) => {
    const lines: { level: string; text: string }[] = [];
    const before = opened;
    await expect(handler()(item, context(lines))).rejects.toThrow(/malformed analytics-refresh message/);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('error');
    expect(lines[0]?.text).toMatch(/^refreshAnalytics: malformed analytics-refresh message rejected \(.+\)$/);
    expect(opened).toBe(before);
  });

  it('says which attempt a malformed message is on', async () => {
    const lines: { level: string; text: string }[] = [];
    const ctx = new InvocationContext({
      invocationId: 'test-invocation',
      functionName: 'refreshAnalytics',
      triggerMetadata: { dequeueCount: 5 },
      logHandler: (level, ...args) => lines.push({ level, text: args.map(String).join(' ') }),
    });
    const telemetry = createMemoryTelemetry();
    await expect(handler({ telemetry: () => telemetry })({ nope: true }, ctx)).rejects.toThrow(/malformed/);
    expect(lines).toEqual([{ level: 'error', text: expect.stringMatching(/attempt 5; the host moves it to analytics-refresh-poison after 5\)$/) as unknown }]);
    expect(telemetry.items.map((i) => [i.kind, i.name, i.dimensions])).toEqual([
      ['event', 'PhcPoisonMessage', { queue: 'analytics-refresh-poison', reason: 'malformed message' }],
      ['metric', 'phc_poison_messages', { queue: 'analytics-refresh-poison' }],
    ]);
    expect(telemetry.flushes).toBe(1);
  });

  it('reports nothing as poisoned before the last attempt', async () => {
    const telemetry = createMemoryTelemetry();
    const ctx = new InvocationContext({ invocationId: 'test-invocation', functionName: 'refreshAnalytics', triggerMetadata: { dequeueCount: 4 }, logHandler: () => undefined });
    await expect(handler({ telemetry: () => telemetry })({ nope: true }, ctx)).rejects.toThrow(/malformed/);
    expect(telemetry.items).toEqual([]);
  });

  it('counts attempts as host.json does', () => {
    const host = JSON.parse(readFileSync(path.join(__dirname, '../../host.json'), 'utf8')) as { extensions: { queues: { maxDequeueCount: number } } };
    expect(host.extensions.queues.maxDequeueCount).toBe(MAX_DEQUEUE_COUNT);
  });

  it('an instance that finds the refresh lease taken leaves at once: no settings, no pool, no connection', async () => {
    const running = blobRefreshLease(hostLeaseContainer({ connectionString })); // another instance, mid-refresh
    expect(await running.tryAcquire()).toBe(true);
    const before = opened;
    const lines: { level: string; text: string }[] = [];
    await handler()({ ...validMessage, runId: 30 }, context(lines));
    expect(opened).toBe(before);
    expect(lines).toEqual([{ level: 'information', text: expect.stringMatching(/another instance holds the refresh lease/) as unknown }]);
    // Its nudge is not lost: the holder finds the pending mark and runs once more before it lets go.
    expect(await running.isPending()).toBe(true);
    await running.release();
  });

  it('changes committed after the running refresh fenced are covered by that refresh, never by a second one at once', async () => {
    let secondInstance: Promise<void> | undefined;
    const lines: { level: string; text: string }[] = [];
    const refreshThenNudge: typeof refreshAnalytics = async (deps, options) => {
      const result = await refreshAnalytics(deps, options);
      if (!secondInstance) {
        // A sync commits a new order after the first round committed, and its nudge reaches another instance.
        await upsertRaw(db.pool, 'orders', [
          orderPayload({ id: 2, customerId: 1, dateAdd: '2024-07-02 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '7.000000' }),
        ]);
        secondInstance = handler()({ ...validMessage, runId: 42 }, context(lines));
        await secondInstance;
      }
      return result;
    };
    const before = opened;
    mostOpen = open;
    await handler({ refresh: refreshThenNudge })({ ...validMessage, runId: 41 }, context([]));

    expect(opened - before).toBe(1); // only the holder opened a runtime
    expect(mostOpen).toBe(1);
    expect(lines.map((l) => l.text)).toEqual([expect.stringMatching(/another instance holds the refresh lease/)]);
    const runs = await db.pool.query(`select trigger, status from staging.etl_runs where entity = 'analytics' and trigger like 'queue:prestashop_orders#4_' order by run_id`);
    expect(runs.rows).toEqual([
      { trigger: 'queue:prestashop_orders#41', status: 'succeeded' },
      { trigger: 'queue:prestashop_orders#41', status: 'succeeded' },
    ]);
    const kpi = await db.pool.query(`select sales_date::text, orders_count from analytics.kpi_daily_sales where sales_date = '2024-07-02'`);
    expect(kpi.rows).toEqual([{ sales_date: '2024-07-02', orders_count: 1 }]);
    expect(storage.blob(REFRESH_LEASE_CONTAINER, REFRESH_LEASE_BLOB).leased).toBe(false);
    expect(closed).toBe(opened);
  });

  it('names the fields that are wrong', () => {
    expect(parseRefreshMessage({ ...validMessage, runId: 'x' })).toEqual({ ok: false, problem: expect.stringMatching(/^runId: /) as unknown });
    expect(parseRefreshMessage(validMessage)).toEqual({ ok: true, message: validMessage });
  });
});
