import type { Pool } from 'pg';
import { ENTITIES as SYNC_ENTITIES } from '../shared/sync/entities';
import type { EntityResource } from '../shared/prestashop/api';
import { ENTITIES, type SyncResult } from './core';
import { formatNumber, table } from './output';

export interface EntityReport {
  entity: EntityResource;
  rows: number;
  deleted: number;
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

export interface QualitySummary {
  runId: number | null;
  checks: number;
  failedCritical: Array<{ check: string; entity: string; failing: number }>;
  failedWarning: Array<{ check: string; entity: string; failing: number }>;
  openQuarantine: number;
}

export interface PipelineReport {
  mode: 'embedded' | 'configured';
  firstRun: boolean;
  /** Embedded defaults: what the sandbox shop did since the last run (null on the first run, or with your own shop). */
  activity: Record<string, number> | null;
  entities: EntityReport[];
  kpis: KpiRow[];
  quality: QualitySummary | null;
  analytics: unknown;
  /** Every sync run of the pipeline, as runSync returned it. */
  syncResults: SyncResult[];
  connect: { psql: string; note: string } | null;
  durationMs: number;
}

/** Reads back what the run left in the warehouse: the report is about the database, not about what we hoped. */
export async function gatherEntities(pool: Pool, results: SyncResult[]): Promise<EntityReport[]> {
  const { rows: marks } = await pool.query<{ entity: string; watermark: string }>(
    `select entity, to_char(watermark, 'YYYY-MM-DD HH24:MI:SS') as watermark from staging.etl_watermarks`,
  );
  const out: EntityReport[] = [];
  for (const entity of ENTITIES) {
    const info = SYNC_ENTITIES[entity];
    const { rows } = await pool.query<{ total: string; deleted: string }>(
      `select count(*) as total, count(*) filter (where deleted_at is not null) as deleted from ${info.table}`,
    );
    const result = results.find((r) => r.resource === entity);
    out.push({
      entity,
      rows: Number(rows[0]?.total ?? 0),
      deleted: Number(rows[0]?.deleted ?? 0),
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

export async function gatherQuality(pool: Pool): Promise<QualitySummary> {
  const { rows: latest } = await pool.query<{ run_id: string | null }>(`select max(run_id) as run_id from staging.data_quality_results`);
  const runId = latest[0]?.run_id ? Number(latest[0].run_id) : null;
  const { rows } = await pool.query<{ check_name: string; entity: string; severity: string; status: string; failing_count: string }>(
    `select check_name, entity, severity, status, failing_count from staging.data_quality_results where run_id = $1 order by severity, check_name`,
    [runId ?? -1],
  );
  const failed = (severity: string): QualitySummary['failedCritical'] =>
    rows
      .filter((r) => r.status === 'fail' && r.severity === severity)
      .map((r) => ({ check: r.check_name, entity: r.entity, failing: Number(r.failing_count) }));
  const { rows: q } = await pool.query<{ n: string }>(`select count(*) as n from staging.quarantine where resolved_at is null`);
  return { runId, checks: rows.length, failedCritical: failed('critical'), failedWarning: failed('warning'), openQuarantine: Number(q[0]?.n ?? 0) };
}

/** What a failing check usually means, for the report's readers. */
const CHECK_HINTS: Record<string, string> = {
  fk_order_customer: 'orders of customers deleted in the shop (they still count in the KPIs)',
  fk_line_product: 'order lines of products deleted in the shop',
  order_totals_match_lines: "orders whose total_products differs from their lines' sum",
  schema_drift: 'the shop JSON gained or lost keys',
};

export function renderReport(report: PipelineReport): string[] {
  const lines: string[] = [];
  const title = report.mode === 'embedded' ? 'PHC Analytics: embedded demo (sandbox shop → embedded PostgreSQL)' : 'PHC Analytics: pipeline';
  lines.push('', title, `${report.firstRun ? 'First load' : 'Incremental load'} finished in ${(report.durationMs / 1000).toFixed(1)} s.`);
  if (report.activity) {
    const words = Object.entries(report.activity).map(([k, v]) => activityWords(k, v));
    lines.push(`Since the last run the sandbox shop had ${words.join(', ')}; only those changes were loaded.`);
  }
  lines.push('');
  lines.push('Raw tables (rows now, and what this run read and changed):');
  lines.push(
    ...table(
      ['entity', 'rows', 'deleted', 'fetched', 'changed', 'status', 'watermark (shop-local)'],
      report.entities.map((e) => [e.entity, e.rows, e.deleted, e.fetchedThisRun, e.changedThisRun, e.status, e.watermark]),
    ).map((l) => `  ${l}`),
  );
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
  }
  lines.push('');
  const q = report.quality;
  if (q) {
    const failed = [...q.failedCritical.map((f) => ({ ...f, sev: 'critical' })), ...q.failedWarning.map((f) => ({ ...f, sev: 'warning' }))];
    lines.push(
      `Data quality: ${q.checks} checks, ${q.failedCritical.length} critical and ${q.failedWarning.length} warning failures; ` +
        `${formatNumber(q.openQuarantine)} record(s) in quarantine.`,
    );
    for (const f of failed) {
      const hint = CHECK_HINTS[f.check];
      lines.push(`  ${f.sev.padEnd(8)} ${f.check} (${f.entity}): ${formatNumber(f.failing)} row(s)${hint ? `: ${hint}` : ''}`);
    }
    if (failed.length > 0) lines.push('  Warnings publish and are reported; critical failures keep the previous analytics (docs/data-model.md).');
    lines.push('');
  }
  if (report.connect) {
    lines.push('Query the warehouse as the BI reader (read-only, schema analytics):', `  ${report.connect.psql}`, `  ${report.connect.note}`, '');
  }
  return lines;
}

/** 'newOrders', 2 → '2 new orders'; 'softDeletes', 1 → '1 soft delete'. */
export function activityWords(key: string, count: number): string {
  const words = key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return `${count} ${count === 1 ? words.replace(/(change|delete|order|customer)s$/, '$1') : words}`;
}
