/**
 * Benchmark of the whole pipeline on a shop with every stream: a sandbox shop of N orders with their details,
 * cart rules, credit slips, payments and histories, its catalog and stock.
 *
 *   npm run bench:shop [-- orders]        (default 100000)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   (an admin URL; else embedded PostgreSQL)
 *
 * 1. A first load of every stream in load order, then the first (full) analytics refresh.
 * 2. A day of shop life (bench/streamsShop.ts), a sync of every stream, the nightly reconciliation, and an
 *    incremental refresh, timed against a full rebuild of the same raw in the same run (the ratio).
 * 3. Raw compared with the shop record by record for every stream, a rerun that must change nothing, and every
 *    analytics table of the incremental refresh compared with the rebuild.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Pool } from 'pg';
import { refreshAnalytics } from '../shared/analytics/refresh';
import { migrate } from '../shared/db/migrate';
import { createPool } from '../shared/db/pool';
import { createShopApi } from '../shared/prestashop/client';
import { STREAMS, SYNC_ORDER, type StreamName } from '../shared/sync/entities';
import { runReconcile } from '../shared/sync/reconcile';
import { runStream } from '../shared/sync/runStream';
import type { SyncDeps } from '../shared/sync/types';
import { noTelemetry, silentLogger } from '../shared/telemetry/types';
import { openScratchDatabase } from './analyticsDatabase';
import { log, timed } from './progress';
import { analyticsFingerprint } from './fingerprint';
import { copyFromFile } from './syncCopy';

/** The shop process: one command a line, one JSON answer a line. */
async function startShop(orders: number): Promise<{ info: { baseUrl: string; apiKey: string }; ask: (line: string) => Promise<unknown>; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'streamsShop.js'), String(orders)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the shop process ended');
    return JSON.parse(value) as unknown;
  };
  const info = (await next()) as { baseUrl: string; apiKey: string };
  return { info, ask: (line) => (child.stdin.write(`${line}\n`), next()), stop: () => child.stdin.end() };
}

async function syncAll(deps: SyncDeps): Promise<{ changed: number; seconds: Record<string, number> }> {
  let changed = 0;
  const seconds: Record<string, number> = {};
  for (const stream of SYNC_ORDER) {
    const started = performance.now();
    const result = await runStream(deps, stream, { trigger: 'bench' });
    seconds[stream] = Number(((performance.now() - started) / 1000).toFixed(2));
    if (result.status !== 'succeeded') throw new Error(`${stream} sync ended ${result.status}: ${result.reason ?? ''}`);
    changed += result.rowsChanged;
  }
  return { changed, seconds };
}

async function reconcileAll(deps: SyncDeps): Promise<number> {
  let marked = 0;
  for (const stream of Object.keys(STREAMS) as StreamName[]) {
    if (STREAMS[stream].kind === 'swept') continue;
    const result = await runReconcile(deps, stream, { trigger: 'bench' });
    if (result.status !== 'succeeded') throw new Error(`${stream} reconciliation ended ${result.status}`);
    marked += result.marked;
  }
  return marked;
}

/**
 * Fields the shop changes without moving the record's date, which a window therefore cannot see: a product's
 * `quantity` follows its stock (PrestaShop#20465), which the warehouse reads from stock_availables instead.
 */
const UNDATED_FIELDS: Partial<Record<StreamName, string[]>> = { products: ['quantity'] };

/** Live raw rows against the shop's records, per stream: rows missing, extra or different (undated fields aside). */
async function compareRaw(pool: Pool, dump: { files: Record<string, string>; counts: Record<string, number> }): Promise<Record<string, number>> {
  const mismatches: Record<string, number> = {};
  const client = await pool.connect();
  try {
    for (const stream of Object.keys(STREAMS) as StreamName[]) {
      const scratch = `bench_shop_${stream}`;
      const undated = (UNDATED_FIELDS[stream] ?? []).map((f) => ` - '${f}'`).join('');
      await client.query(`create temp table ${scratch} (id bigint primary key, payload jsonb)`);
      await copyFromFile(client, `copy ${scratch} (id, payload) from stdin`, dump.files[stream] ?? '');
      const { rows } = await client.query<{ n: string }>(
        `select count(*)::text as n from ${scratch} s full join ${STREAMS[stream].table} r on r.id = s.id
          where (s.id is null and r.deleted_at is null) or (s.id is not null and (r.id is null or r.deleted_at is not null or (r.payload${undated}) is distinct from (s.payload${undated})))`,
      );
      mismatches[stream] = Number(rows[0]?.n ?? -1);
      if (mismatches[stream] !== 0) {
        const { rows: sample } = await client.query<{ id: string; keys: string[] }>(
          `select s.id, array(select k from jsonb_object_keys(s.payload) k where s.payload->k is distinct from r.payload->k) as keys
             from ${scratch} s join ${STREAMS[stream].table} r on r.id = s.id where (r.payload${undated}) is distinct from (s.payload${undated}) limit 3`,
        );
        log(`${stream}: records that differ from the shop (id: fields): ${sample.map((r) => `${r.id}: ${r.keys.join(', ')}`).join('; ')}`);
      }
    }
  } finally {
    client.release();
  }
  return mismatches;
}

async function main(): Promise<void> {
  const orders = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'phc-bench-shop-'));
  const shop = await startShop(orders);
  const scratch = await openScratchDatabase();
  const pool = createPool({ connectionString: scratch.url, sslMode: 'disable', poolMax: 4, statementTimeoutMs: 60 * 60_000 });
  try {
    await migrate(pool);
    log(`database: ${scratch.describe}; shop of ${orders} orders`);
    const api = createShopApi({ baseUrl: shop.info.baseUrl, apiKey: () => Promise.resolve(shop.info.apiKey), requestTimeoutMs: 60_000 });
    const deps: SyncDeps = {
      pool, api, log: silentLogger, telemetry: noTelemetry,
      settings: { lagSeconds: 120, overlapSeconds: 300, pageSize: 100, reconcileMaxDeleteShare: 0.05, reconcilePageSize: 1000 },
    };
    const refreshDeps = { pool, api, log: silentLogger, telemetry: noTelemetry };
    const firstLoad = await timed('first load of every stream', () => syncAll(deps));
    const firstBuild = await timed('first refresh (full)', () => refreshAnalytics(refreshDeps, { trigger: 'bench' }));
    const day = await shop.ask('activity 86400');
    log(`a day of shop life: ${JSON.stringify(day)}`);
    const daySync = await timed('sync of every stream after the day', () => syncAll(deps));
    const marked = await timed('reconciliation of every stream', () => reconcileAll(deps));
    const incremental = await timed('incremental refresh', () => refreshAnalytics(refreshDeps, { trigger: 'bench' }));
    const incrementalPrint = await analyticsFingerprint(pool);
    const full = await timed('full rebuild', () => refreshAnalytics(refreshDeps, { trigger: 'bench', full: true }));
    const fullPrint = await analyticsFingerprint(pool);
    const differing = Object.keys(fullPrint).filter((t) => incrementalPrint[t] !== fullPrint[t]);
    const rerun = await syncAll(deps);
    const mismatches = await compareRaw(pool, (await shop.ask(`dump ${dir}`)) as { files: Record<string, string>; counts: Record<string, number> });
    const rawRows = Object.fromEntries(
      await Promise.all(
        (Object.keys(STREAMS) as StreamName[]).map(async (s) => [s, Number((await pool.query<{ n: string }>(`select count(*) as n from ${STREAMS[s].table} where deleted_at is null`)).rows[0]?.n)] as const),
      ),
    );
    const summary = {
      orders,
      rawRows,
      firstLoadSeconds: Number(firstLoad.seconds.toFixed(1)),
      firstLoadStreamSeconds: firstLoad.value.seconds,
      firstBuildSeconds: Number(firstBuild.seconds.toFixed(1)),
      dayChangedRows: daySync.value.changed,
      daySyncSeconds: Number(daySync.seconds.toFixed(1)),
      reconciledDeleted: marked.value,
      incrementalSeconds: Number(incremental.seconds.toFixed(2)),
      fullRebuildSeconds: Number(full.seconds.toFixed(2)),
      ratio: Number((incremental.seconds / full.seconds).toFixed(4)),
      analyticsTables: Object.keys(fullPrint).length,
      identical: differing.length === 0,
      differing,
      rerunChanged: rerun.changed,
      rawMismatches: mismatches,
      database: scratch.describe,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (differing.length > 0 || rerun.changed !== 0 || Object.values(mismatches).some((n) => n !== 0)) process.exitCode = 1;
  } finally {
    await pool.end();
    shop.stop();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
