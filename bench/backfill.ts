/**
 * Benchmark of a first load at the shop's speed: a full orders sync against a sandbox that answers like a real
 * PrestaShop (a fixed pool of PHP workers, a base latency per request plus a cost per rendered record), at
 * concurrency 1, 2 and 4 in the same run, then the same with a 429 storm.
 *
 *   npm run bench:backfill [orders]                 (default 100000)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   (an admin URL; scratch databases are created)
 *   BENCH_LATENCY_MS=250 BENCH_LATENCY_PER_RECORD_MS=0.5 BENCH_PHP_WORKERS=8 BENCH_STORM_ORDERS=20000
 *
 * For each run it prints wall time, rows/s, the sequential floor (the shop's own time for the requests a sequential
 * run makes, one after the other: what concurrency 1 could take at best) and the ratio to it and to the concurrent
 * floor (that time divided by the concurrency), peak heap, the concurrency trace, and raw compared with the shop
 * record by record. The floors come from the sequential run of the same shop in the same process, so the ratios
 * hold on any machine and a run that needs more requests than the sequential one pays for them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { migrate } from '../shared/db/migrate';
import { createPool } from '../shared/db/pool';
import { createShopApi } from '../shared/prestashop/client';
import { runSync } from '../shared/sync/runSync';
import type { SyncResult } from '../shared/sync/types';
import { noTelemetry, silentLogger } from '../shared/telemetry/types';
import { shopControl, startShop, type ShopInfo } from './shopProcess';
import { copyFromFile } from './syncCopy';
import { adminQuery } from './analyticsDatabase';

const MB = 1024 * 1024;
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

interface RunReport {
  label: string;
  concurrency: number;
  orders: number;
  wallSeconds: number;
  rowsPerSecond: number;
  requests: number;
  throttled: number;
  /** The shop's time for the requests this run made, one after the other. */
  sequentialFloorSeconds: number;
  ratioToSequentialFloor: number;
  ratioToConcurrentFloor: number;
  peakHeapMb: number;
  lowestConcurrency: number;
  trace: [number, number][];
  mismatches: number;
}

/** Raw orders against the shop's own records (COPY of every display=full record): rows missing, extra or different. */
async function mismatches(pool: Pool, file: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('create temp table shop_orders (id bigint, payload jsonb)');
    await copyFromFile(client, 'copy shop_orders (id, payload) from stdin', file);
    const { rows } = await client.query<{ n: string }>(
      `select count(*)::text as n from shop_orders s full join raw.prestashop_orders r on r.id = s.id
       where s.id is null or r.id is null or r.deleted_at is not null or r.payload is distinct from s.payload`,
    );
    return Number(rows[0]?.n ?? -1);
  } finally {
    client.release();
  }
}

async function oneRun(shop: ShopInfo, label: string, concurrency: number, baselineFloorSeconds?: number): Promise<RunReport> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `phc_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const pool = createPool({ connectionString: url.toString(), sslMode: 'disable', poolMax: 4, statementTimeoutMs: 600_000 });
  try {
    await migrate(pool);
    const api = createShopApi({ baseUrl: shop.baseUrl, apiKey: () => Promise.resolve(shop.apiKey), requestTimeoutMs: 120_000, retry: { maxAttempts: 8, maxTotalMs: 600_000 } });
    global.gc?.();
    let peakHeap = 0;
    const sample = (): void => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    const sampler = setInterval(sample, 25);
    await shopControl(shop.baseUrl, 'resetRequests');
    const started = performance.now();
    let result: SyncResult;
    try {
      result = await runSync(
        { pool, api, log: silentLogger, telemetry: noTelemetry, settings: { lagSeconds: 120, overlapSeconds: 300, pageSize: 100, reconcileMaxDeleteShare: 0.05, reconcilePageSize: 1000, concurrency } },
        'orders',
        { trigger: 'bench', onProgress: sample },
      );
    } finally {
      clearInterval(sampler);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    if (result.status !== 'succeeded') throw new Error(`${label}: the sync ended ${result.status}: ${result.reason ?? ''}`);
    const requests = (await shopControl(shop.baseUrl, 'requests')) as { path: string; status: number; fullRecords?: number }[];
    const served = requests.filter((r) => r.path.startsWith('/api/') && r.status !== 429 && r.status !== 0);
    const floor = baselineFloorSeconds ?? served.reduce((sum, r) => sum + env('BENCH_LATENCY_MS', 250) + (r.fullRecords ?? 0) * env('BENCH_LATENCY_PER_RECORD_MS', 0.5), 0) / 1000;
    return {
      label,
      concurrency,
      orders: shop.counts.orders,
      wallSeconds,
      rowsPerSecond: result.rowsFetched / wallSeconds,
      requests: result.fetch?.requests ?? 0,
      throttled: result.fetch?.throttled ?? 0,
      sequentialFloorSeconds: floor,
      ratioToSequentialFloor: wallSeconds / floor,
      ratioToConcurrentFloor: wallSeconds / (floor / concurrency),
      peakHeapMb: peakHeap / MB,
      lowestConcurrency: result.fetch?.lowestLimit ?? concurrency,
      trace: result.fetch?.trace ?? [],
      mismatches: await mismatches(pool, shop.files.orders),
    };
  } finally {
    await pool.end();
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
  }
}

function print(r: RunReport): void {
  const f = (n: number, d = 2): string => n.toFixed(d);
  const trace = r.trace.length > 12 ? [...r.trace.slice(0, 6), ['…'], ...r.trace.slice(-5)] : r.trace;
  console.log(
    `${r.label.padEnd(22)} orders ${r.orders}  wall ${f(r.wallSeconds, 1)} s  ${f(r.rowsPerSecond, 0)} rows/s  requests ${r.requests}` +
      `${r.throttled > 0 ? ` (429/503: ${r.throttled})` : ''}  sequential floor ${f(r.sequentialFloorSeconds, 1)} s  ` +
      `x floor ${f(r.ratioToSequentialFloor)}  x concurrent floor ${f(r.ratioToConcurrentFloor)}  peak heap ${f(r.peakHeapMb, 0)} MB  ` +
      `lowest concurrency ${r.lowestConcurrency}  mismatches ${r.mismatches}`,
  );
  if (r.throttled > 0) console.log(`  concurrency trace [ms, limit]: ${JSON.stringify(trace)}`);
}

async function withShop<T>(orders: number, work: (shop: ShopInfo) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'phc-backfill-'));
  const shop = await startShop(orders, dir);
  try {
    await shopControl(shop.info.baseUrl, 'setFaults', {
      latencyMs: env('BENCH_LATENCY_MS', 250),
      latencyPerRecordMs: env('BENCH_LATENCY_PER_RECORD_MS', 0.5),
      phpWorkers: env('BENCH_PHP_WORKERS', 8),
    });
    return await work(shop.info);
  } finally {
    shop.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const orders = Number(process.argv[2] ?? 100_000);
  const reports: RunReport[] = [];
  console.log(
    `Backfill of ${orders} orders; shop: ${env('BENCH_LATENCY_MS', 250)} ms a request + ${env('BENCH_LATENCY_PER_RECORD_MS', 0.5)} ms a rendered record, ` +
      `${env('BENCH_PHP_WORKERS', 8)} PHP workers; pages of 100`,
  );
  await withShop(orders, async (shop) => {
    for (const concurrency of [1, 2, 4]) {
      const report = await oneRun(shop, `concurrency ${concurrency}`, concurrency, reports[0]?.sequentialFloorSeconds);
      print(report);
      reports.push(report);
    }
  });
  const sequential = reports[0];
  const four = reports[2];
  if (sequential && four) console.log(`speed-up at concurrency 4 over 1: ${(sequential.wallSeconds / four.wallSeconds).toFixed(2)}x`);

  const stormOrders = env('BENCH_STORM_ORDERS', 20_000);
  await withShop(stormOrders, async (shop) => {
    const calm = await oneRun(shop, `concurrency 4, ${stormOrders}`, 4);
    print(calm);
    await shopControl(shop.baseUrl, 'setFaults', { rate429: 0.2, retryAfterSeconds: 1 });
    const storm = await oneRun(shop, 'concurrency 4, 20% 429', 4, calm.sequentialFloorSeconds);
    print(storm);
    reports.push(calm, storm);
  });
  if (reports.some((r) => r.mismatches !== 0)) {
    console.error('raw differs from the shop');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
