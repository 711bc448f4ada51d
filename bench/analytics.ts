/**
 * Benchmark of the incremental analytics refresh: at 1,000,000 orders, the time of an incremental refresh after
 * 1% of the orders changed, as a ratio to a full rebuild of the same data in the same run. Goal: at most 0.05.
 *
 *   npm run build && node dist/bench/analytics.js [orders]            (default 1000000)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres     (an admin URL; else DATABASE_URL; else embedded)
 *   BENCH_VERBOSE=1 prints every step; BENCH_KEEP_DATABASE=1 keeps the scratch database (server URLs only)
 *
 * Raw rows are generated inside PostgreSQL (generate_series, payloads shaped like the shop's JSON: string values,
 * order_rows inside the order) so the run measures the refresh, not the loader. It also checks that the
 * incremental result and the full rebuild are identical, table by table. The order documents (details, payments,
 * status history, vouchers, refund slips) are generated from the orders (bench/documentData.ts).
 */
import { Client } from 'pg';
import { refreshAnalytics, type RefreshResult } from '../shared/analytics/refresh';
import { migrate } from '../shared/db/migrate';
import { createPool } from '../shared/db/pool';
import { noTelemetry, silentLogger, type Fields, type Logger } from '../shared/telemetry/types';
import { changeOnePercent, generate } from './analyticsData';
import { changeCatalog, generateCatalog } from './catalogData';
import { changeDocuments, generateDocuments } from './documentData';
import { openScratchDatabase } from './analyticsDatabase';
import { log, timed } from './progress';
import { analyticsFingerprint, analyticsTables } from './fingerprint';

/** BENCH_VERBOSE=1 prints each refresh step as it finishes. */
function benchLogger(): Logger {
  if (!process.env.BENCH_VERBOSE) return silentLogger;
  const line = (message: string, fields?: Fields): void => log(`${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: line, info: line, warn: line, error: line, child: () => logger };
  return logger;
}

async function main(): Promise<void> {
  const orders = Number(process.argv[2] ?? 1_000_000);
  const scratch = await openScratchDatabase();
  const pool = createPool({ connectionString: scratch.url, sslMode: 'disable', poolMax: 4, statementTimeoutMs: 60 * 60_000 });
  try {
    await migrate(pool);
    const version = (await pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v;
    log(`database: ${scratch.describe}, server ${version}`);
    const { customers, products } = (await timed(`generate ${orders} orders in raw`, () => generate(pool, orders, log))).value;
    await timed('generate the catalog in raw', () => generateCatalog(pool, customers, products));
    await timed('generate the order documents in raw', () => generateDocuments(pool, orders, log));
    await pool.query('vacuum analyze');
    const deps = { pool, log: benchLogger(), telemetry: noTelemetry, timeZone: 'Europe/Paris' };
    const initial = await timed('initial build (first refresh, full)', () => refreshAnalytics(deps, { trigger: 'bench' }));
    await vacuumAnalytics(scratch.url);
    const changed = await changeOnePercent(pool, customers);
    log(`changed ${changed} orders (${((100 * changed) / orders).toFixed(2)}%)`);
    log(`changed ${await changeCatalog(pool)} catalog rows (stock, a category, a brand, addresses)`);
    log(`changed ${await changeDocuments(pool)} order document rows (shipped entries, refund slips and their lines)`);
    const incremental = await timed('incremental refresh', () => refreshAnalytics(deps, { trigger: 'bench' }));
    const incrementalPrint = await analyticsFingerprint(pool);
    const full = await timed('full rebuild', () => refreshAnalytics(deps, { trigger: 'bench', full: true }));
    const fullPrint = await analyticsFingerprint(pool);
    const identical = Object.keys(fullPrint).every((t) => incrementalPrint[t] === fullPrint[t]);
    const ratio = incremental.seconds / full.seconds;
    const summary = {
      orders,
      lines: Number((await pool.query<{ n: string }>('select count(*) as n from analytics.fact_order_lines')).rows[0]?.n),
      changedOrders: changed,
      initialBuildSeconds: round(initial.seconds),
      incrementalSeconds: round(incremental.seconds),
      fullRebuildSeconds: round(full.seconds),
      ratio: Number(ratio.toFixed(4)),
      goal: 0.05,
      meetsGoal: ratio <= 0.05,
      identical,
      modes: [mode(initial.value), mode(incremental.value), mode(full.value)],
      incrementalStepMs: incremental.value.stepMs,
      fullStepMs: full.value.stepMs,
      database: scratch.describe,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (!identical) {
      process.stderr.write(`incremental and full differ: ${JSON.stringify({ incrementalPrint, fullPrint })}\n`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
    if (process.env.BENCH_KEEP_DATABASE) log(`kept database ${scratch.url.replace(/\/\/[^@]*@/, '//')}`);
    else await scratch.drop();
  }
}

/** Autovacuum would do this between refreshes in production; a benchmark cannot wait for it. */
async function vacuumAnalytics(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await analyticsTables(client)).map((t) => `analytics.${t}`);
    for (const table of ['staging.stg_orders', 'staging.stg_order_lines', 'staging.stg_customers', 'staging.stg_addresses', 'staging.stg_slip_lines', ...tables]) {
      await client.query(`vacuum analyze ${table}`);
    }
  } finally {
    await client.end();
  }
}

const round = (n: number): number => Number(n.toFixed(2));
const mode = (r: RefreshResult): string => `${r.mode}/${r.status}`;

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
