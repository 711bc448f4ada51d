/**
 * Benchmark of the incremental sync: a full sync of a sandbox shop into a fresh database.
 *
 *   npm run build && node dist/bench/sync.js [orders...]      (default: 10000 100000)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   (an admin URL; a scratch database is created)
 *
 * Each size runs in a fresh process (so peak memory is that size's alone), with the shop in another process.
 * Prints rows/second of the orders sync, its ratio to a plain COPY of the same payloads into a scratch table
 * measured in the same run (and, when the server has lz4, the same COPY with lz4 TOAST compression, which the sync's
 * page writes use: the ratio to that one says how much of the gap is compression), where the time goes (waiting for the shop vs the database), peak memory, then checks
 * raw against the shop record by record and that a rerun changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../shared/db/migrate';
import { createPool } from '../shared/db/pool';
import type { EntityResource, ShopApi } from '../shared/prestashop/api';
import { createShopApi } from '../shared/prestashop/client';
import { STREAMS } from '../shared/sync/entities';
import { runSync } from '../shared/sync/runSync';
import type { SyncDeps } from '../shared/sync/types';
import { noTelemetry, silentLogger } from '../shared/telemetry/types';
import { startShop } from './shopProcess';
import { copyFromFile } from './syncCopy';
import { adminQuery } from './analyticsDatabase';

const ORDER: readonly EntityResource[] = ['customers', 'products', 'orders'];
const MB = 1024 * 1024;


interface SizeReport {
  orders: number;
  syncSeconds: Record<EntityResource, number>;
  ordersRowsPerSecond: number;
  copyRowsPerSecond: number;
  /** The same COPY with lz4 TOAST compression (which the sync's page writes use when the server has it); null without lz4. */
  copyLz4RowsPerSecond: number | null;
  ratio: number;
  /** Sum of the shop's page fetch times (HTTP, rendering, parsing), overlapping the database work. */
  shopFetchSeconds: number;
  /** Of which the sync had to wait for (not hidden behind a commit). */
  shopWaitSeconds: number;
  /** Committing pages (upsert, history, checkpoint). */
  dbSeconds: number;
  peakHeapMb: number;
  peakRssMb: number;
  rerunChanged: number;
  mismatches: Record<EntityResource, number>;
}

/** Time the shop takes per page (HTTP, rendering, parsing), measured around each fetch, concurrent fetches summed. */
function timedApi(api: ShopApi, stats: { shopMs: number }): ShopApi {
  return {
    ...api,
    keysetPages: (query) => ({
      async *[Symbol.asyncIterator]() {
        const iterator = api.keysetPages(query)[Symbol.asyncIterator]();
        for (;;) {
          const started = performance.now();
          const next = await iterator.next();
          stats.shopMs += performance.now() - started;
          if (next.done) return;
          yield next.value;
        }
      },
    }),
  };
}

async function benchOneSize(orders: number): Promise<SizeReport> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `phc_bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'phc-bench-'));
  const shop = await startShop(orders, dir);
  await adminQuery(adminUrl, `create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const pool = createPool({ connectionString: url.toString(), sslMode: 'disable', poolMax: 4, statementTimeoutMs: 600_000 });
  try {
    await migrate(pool);
    const stats = { shopMs: 0 };
    const api = timedApi(createShopApi({ baseUrl: shop.info.baseUrl, apiKey: () => Promise.resolve(shop.info.apiKey), requestTimeoutMs: 60_000 }), stats);
    const deps: SyncDeps = {
      pool, api, log: silentLogger, telemetry: noTelemetry,
      settings: { lagSeconds: 120, overlapSeconds: 300, pageSize: Number(process.env.BENCH_PAGE_SIZE ?? 100), reconcileMaxDeleteShare: 0.05, reconcilePageSize: 1000 },
    };

    const peak = { heap: 0, rss: 0 };
    const sample = (): void => {
      const m = process.memoryUsage();
      peak.heap = Math.max(peak.heap, m.heapUsed);
      peak.rss = Math.max(peak.rss, m.rss);
    };
    const sampler = setInterval(sample, 25);
    const syncSeconds = {} as Record<EntityResource, number>;
    let ordersShopMs = 0;
    let ordersTimings = { shopWaitMs: 0, dbMs: 0 };
    for (const entity of ORDER) {
      const before = stats.shopMs;
      const started = performance.now();
      const result = await runSync(deps, entity, { trigger: 'bench', onProgress: sample });
      syncSeconds[entity] = (performance.now() - started) / 1000;
      if (result.status !== 'succeeded') throw new Error(`${entity} sync ended ${result.status}: ${result.reason ?? ''}`);
      if (entity === 'orders') {
        ordersShopMs = stats.shopMs - before;
        ordersTimings = result.timings;
      }
    }
    clearInterval(sampler);

    let rerunChanged = 0;
    for (const entity of ORDER) rerunChanged += (await runSync(deps, entity, { trigger: 'bench' })).rowsChanged;

    const mismatches = {} as Record<EntityResource, number>;
    let copySeconds = 0;
    let copyLz4Seconds: number | null = null;
    const client = await pool.connect();
    try {
      for (const entity of ORDER) {
        const scratch = `bench_copy_${entity}`;
        await client.query(`create table ${scratch} (id bigint, payload jsonb)`);
        const started = performance.now();
        const copied = await copyFromFile(client, `copy ${scratch} (id, payload) from stdin`, shop.info.files[entity]);
        if (entity === 'orders') copySeconds = (performance.now() - started) / 1000;
        if (copied !== shop.info.counts[entity]) throw new Error(`COPY loaded ${copied} ${entity}, the shop has ${shop.info.counts[entity]}`);
        const { rows } = await client.query<{ n: string }>(
          `select count(*)::text as n from ${scratch} s full join ${STREAMS[entity].table} r on r.id = s.id
           where s.id is null or r.id is null or r.deleted_at is not null or r.payload is distinct from s.payload`,
        );
        mismatches[entity] = Number(rows[0]?.n ?? -1);
      }
      const { rows: lz4 } = await client.query<{ lz4: boolean }>(
        `select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
      );
      if (lz4[0]?.lz4) {
        await client.query('set default_toast_compression = lz4');
        await client.query('create table bench_copy_orders_lz4 (id bigint, payload jsonb)');
        const started = performance.now();
        await copyFromFile(client, 'copy bench_copy_orders_lz4 (id, payload) from stdin', shop.info.files.orders);
        copyLz4Seconds = (performance.now() - started) / 1000;
        await client.query('reset default_toast_compression');
      }
    } finally {
      client.release();
    }

    const ordersRowsPerSecond = shop.info.counts.orders / syncSeconds.orders;
    const copyRowsPerSecond = shop.info.counts.orders / copySeconds;
    return {
      orders,
      syncSeconds,
      ordersRowsPerSecond,
      copyRowsPerSecond,
      copyLz4RowsPerSecond: copyLz4Seconds === null ? null : shop.info.counts.orders / copyLz4Seconds,
      ratio: ordersRowsPerSecond / copyRowsPerSecond,
      shopFetchSeconds: ordersShopMs / 1000,
      shopWaitSeconds: ordersTimings.shopWaitMs / 1000,
      dbSeconds: ordersTimings.dbMs / 1000,
      peakHeapMb: peak.heap / MB,
      peakRssMb: peak.rss / MB,
      rerunChanged,
      mismatches,
    };
  } finally {
    await pool.end();
    shop.stop();
    await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(r: SizeReport): void {
  const f = (n: number, d = 1): string => n.toFixed(d);
  console.log(`orders=${r.orders}`);
  console.log(`  sync seconds: customers ${f(r.syncSeconds.customers)}  products ${f(r.syncSeconds.products)}  orders ${f(r.syncSeconds.orders)}`);
  console.log(`  orders sync: ${f(r.ordersRowsPerSecond, 0)} rows/s; plain COPY of the same payloads: ${f(r.copyRowsPerSecond, 0)} rows/s; ratio ${f(r.ratio, 3)}`);
  if (r.copyLz4RowsPerSecond !== null) {
    console.log(`  the same COPY with lz4 TOAST compression: ${f(r.copyLz4RowsPerSecond, 0)} rows/s; ratio ${f(r.ordersRowsPerSecond / r.copyLz4RowsPerSecond, 3)}`);
  }
  console.log(
    `  orders time: shop fetches ${f(r.shopFetchSeconds)} s (of which waited for ${f(r.shopWaitSeconds)} s), ` +
      `page commits ${f(r.dbSeconds)} s, wall ${f(r.syncSeconds.orders)} s`,
  );
  console.log(`  peak memory during the sync: heap ${f(r.peakHeapMb)} MB, rss ${f(r.peakRssMb)} MB`);
  console.log(`  raw vs shop, record by record: mismatches customers ${r.mismatches.customers}, products ${r.mismatches.products}, orders ${r.mismatches.orders}`);
  console.log(`  rerun of all entities changed ${r.rerunChanged} rows`);
}

async function main(): Promise<void> {
  const single = process.argv.indexOf('--single');
  if (single >= 0) {
    const report = await benchOneSize(Number(process.argv[single + 1]));
    process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
    return;
  }
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const reports: SizeReport[] = [];
  for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
    const run = spawnSync(process.execPath, [__filename, '--single', String(size)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MB });
    const line = run.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    if (run.status !== 0 || !line) throw new Error(`the ${size}-order run failed (exit ${run.status})`);
    const report = JSON.parse(line.slice('REPORT '.length)) as SizeReport;
    print(report);
    reports.push(report);
  }
  const bad = reports.filter((r) => r.rerunChanged !== 0 || Object.values(r.mismatches).some((n) => n !== 0));
  if (bad.length > 0) {
    console.error('raw differs from the shop, or a rerun changed rows');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exitCode = 1;
});
