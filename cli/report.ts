import type { Pool } from 'pg';
import { STREAMS } from '../shared/sync/entities';
import type { SyncableStream } from '../shared/sync/runStream';
import type { QualitySummary } from '../shared/sync/status';
import type { EntityResource } from '../shared/prestashop/api';
import { SYNC_STREAMS, type SyncResult } from './core';
import { formatNumber, table } from './output';
import { describeQuality } from './quality';
import { renderRevenue, type RevenueRow } from './revenueReport';

export { readQualitySummary as gatherQuality } from '../shared/sync/status';
export type { QualitySummary };

export interface EntityReport {
  entity: SyncableStream;
  rows: number;
  /** Rows reconciliation marked deleted_at: records gone from the shop (a hard delete). */
  hardDeleted: number;
  /** Records the shop still has with deleted=1 (customers: a soft delete in the back office); null where no such flag exists. */
  softDeleted: number | null;
  fetchedThisRun: number;
  changedThisRun: number;
  status: string;
  watermark: string;
}

export interface KpiRow {
  sales_date: string;
  orders_count: number;
  valid_orders: number;
  revenue_tax_excl: string | null;
  avg_order_value: string | null;
  new_customers: number;
}

/** The demo shop as generated against what it holds now: the generator hard-deletes some records, as real shops do. */
export interface SeededShop {
  resource: EntityResource;
  generated: number;
  inShop: number;
}

export interface PipelineReport {
  mode: 'embedded' | 'configured';
  firstRun: boolean;
  /** Embedded defaults: what the sandbox shop did since the last run (null on the first run, or with your own shop). */
  activity: Record<string, number> | null;
  /** Embedded defaults: the generated sizes and what the shop holds (null with your own shop). */
  seeded: SeededShop[] | null;
  entities: EntityReport[];
  kpis: KpiRow[];
  /** The same seven days' gross sales, discounts, refunds, net sales and margin, and their total. */
  revenue: { days: RevenueRow[]; total: RevenueRow | null };
  quality: QualitySummary | null;
  analytics: unknown;
  /** Every sync run of the pipeline, as runSync returned it. */
  syncResults: SyncResult[];
  connect: { psql: string; note: string; port: number; passwordFile: string } | null;
  durationMs: number;
}

/** Soft deletes the shop keeps as a flag: only customers have one (deleted=1, date_upd bumped). */
const SOFT_DELETE_FLAG: Partial<Record<SyncableStream, string>> = { customers: 'deleted', addresses: 'deleted', carriers: 'deleted' };

/** Reads back what the run left in the warehouse: the report is about the database, not about what we hoped. */
export async function gatherEntities(pool: Pool, results: SyncResult[]): Promise<EntityReport[]> {
  const { rows: marks } = await pool.query<{ entity: string; watermark: string }>(
    `select entity, to_char(watermark, 'YYYY-MM-DD HH24:MI:SS') as watermark from staging.etl_watermarks`,
  );
  const out: EntityReport[] = [];
  for (const entity of SYNC_STREAMS) {
    const info = STREAMS[entity];
    const flag = SOFT_DELETE_FLAG[entity];
    const { rows } = await pool.query<{ total: string; hard: string; soft: string | null }>(
      `select count(*) as total, count(*) filter (where deleted_at is not null) as hard,
              ${flag ? `count(*) filter (where deleted_at is null and payload->>'${flag}' = '1')` : 'null'} as soft
         from ${info.table}`,
    );
    const result = results.find((r) => r.resource === entity);
    const soft = rows[0]?.soft;
    out.push({
      entity,
      rows: Number(rows[0]?.total ?? 0),
      hardDeleted: Number(rows[0]?.hard ?? 0),
      softDeleted: soft === null || soft === undefined ? null : Number(soft),
      fetchedThisRun: result?.rowsFetched ?? 0,
      changedThisRun: result?.rowsChanged ?? 0,
      status: result?.status ?? 'not run',
      watermark: marks.find((m) => m.entity === info.entity)?.watermark ?? '-',
    });
  }
  return out;
}

/** The seven calendar days ending on the newest day with orders (days without orders have no row). */
export async function gatherKpis(pool: Pool): Promise<KpiRow[]> {
  const { rows } = await pool.query<KpiRow>(
    `select to_char(sales_date, 'YYYY-MM-DD') as sales_date, orders_count::int as orders_count, valid_orders::int as valid_orders,
            round(revenue_tax_excl, 2)::text as revenue_tax_excl, round(avg_order_value, 2)::text as avg_order_value,
            new_customers::int as new_customers
       from analytics.kpi_daily_sales
      where sales_date > (select max(sales_date) from analytics.kpi_daily_sales) - 7
      order by sales_date`,
  );
  return rows;
}

/** '300 customers were generated; 14 of them were then deleted in the shop (as real shops do), so 286 loaded'. */
export function describeSeeded(seeded: SeededShop[]): string | null {
  const gone = seeded.filter((s) => s.inShop < s.generated);
  if (gone.length === 0) return null;
  const parts = gone.map((s) => `${formatNumber(s.generated)} ${s.resource} were generated and ${formatNumber(s.generated - s.inShop)} of them hard-deleted in the shop, so ${formatNumber(s.inShop)} loaded`);
  const orphans = gone.some((s) => s.resource === 'customers') ? ' (their orders stay: the fk_order_customer warning below counts them)' : '';
  return `The demo shop is generated with the deletions a real shop has: ${parts.join('; ')}${orphans}.`;
}

export function renderReport(report: PipelineReport): string[] {
  const lines: string[] = [];
  const title = report.mode === 'embedded' ? 'PHC Analytics: embedded demo (sandbox shop → embedded PostgreSQL)' : 'PHC Analytics: pipeline';
  lines.push('', title, `${report.firstRun ? 'First load' : 'Incremental load'} finished in ${(report.durationMs / 1000).toFixed(1)} s.`);
  if (report.activity) {
    const words = Object.entries(report.activity).map(([k, v]) => activityWords(k, v));
    lines.push(`Since the last run the sandbox shop had ${words.join(', ')}, spread over the time in between; only those changes were loaded.`);
  }
  const seeded = report.firstRun && report.seeded ? describeSeeded(report.seeded) : null;
  if (seeded) lines.push(seeded);
  lines.push('');
  lines.push('Raw tables (rows now; deleted records stay in raw, marked; what this run read and changed):');
  lines.push(
    ...table(
      ['entity', 'rows', 'hard-deleted', 'soft-deleted', 'fetched', 'changed', 'status', 'watermark (shop-local)'],
      report.entities.map((e) => [e.entity, e.rows, e.hardDeleted, e.softDeleted, e.fetchedThisRun, e.changedThisRun, e.status, e.watermark]),
    ).map((l) => `  ${l}`),
  );
  lines.push('  hard-deleted: gone from the shop (found by phc reconcile); soft-deleted: still in the shop with deleted=1.');
  lines.push('');
  if (report.kpis.length === 0) {
    lines.push('Daily sales: no rows in analytics.kpi_daily_sales yet.');
  } else {
    lines.push('Daily sales, last 7 days with data (analytics.kpi_daily_sales, default currency, tax excluded):');
    lines.push(
      ...table(
        ['date', 'orders', 'valid', 'revenue', 'avg order', 'new customers'],
        report.kpis.map((k) => [k.sales_date, k.orders_count, k.valid_orders, k.revenue_tax_excl, k.avg_order_value, k.new_customers]),
      ).map((l) => `  ${l}`),
    );
    lines.push(...renderRevenue(report.revenue));
  }
  lines.push('');
  if (report.quality) lines.push(...describeQuality(report.quality), '');
  if (report.connect) {
    lines.push('Query the warehouse as the BI reader (read-only, schema analytics):', `  ${report.connect.psql}`, `  ${report.connect.note}`, '');
  }
  return lines;
}

/** 'newOrders', 2 → '2 new orders'; 'softDeletes', 1 → '1 soft delete'. */
export function activityWords(key: string, count: number): string {
  const words = key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return `${count} ${count === 1 ? words.replace(/(change|delete|order|customer|refund|line)s$/, '$1') : words}`;
}
