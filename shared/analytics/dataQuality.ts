import type { PoolClient } from 'pg';
import { Event, Metric } from '../telemetry/names';
import type { Logger, Telemetry } from '../telemetry/types';
import { checkSchemaDrift } from './schemaDrift';

export type Severity = 'critical' | 'warning';

export interface DataQualityResult {
  check: string;
  entity: string;
  severity: Severity;
  status: 'pass' | 'fail';
  failingCount: number;
  /** Up to SAMPLE_SIZE ids of failing rows (or drifted keys: +key appeared, -key disappeared). */
  sampleIds: string[];
}

export const SAMPLE_SIZE = 10;

/** A failing critical check: the refresh is rolled back and this error names the checks. */
export class DataQualityError extends Error {
  override name = 'DataQualityError';
  constructor(
    readonly failed: DataQualityResult[],
    readonly results: DataQualityResult[],
  ) {
    super(
      `Critical data-quality check failed: ${failed
        .map((r) => `${r.check} on ${r.entity} (${r.failingCount} rows, e.g. ${r.sampleIds.slice(0, 3).join(', ')})`)
        .join('; ')}. The refresh was rolled back; analytics keep their previous state`,
    );
  }
}

/** A SQL check: its query returns one text id per failing row. */
interface SqlCheck {
  check: string;
  entity: string;
  severity: Severity;
  failingIds: string;
}

/**
 * The scope of each check is the rows this refresh touched, through the temp tables the models leave behind
 * (chg_orders, chg_products, chg_customers, touched_customers, kpi_deltas, cohort_deltas). A full rebuild
 * fills them with every key, so it checks everything; an incremental refresh checks what it changed, at a cost
 * that follows the change and not the warehouse. The touched facts are copied once into dq_orders and dq_lines
 * (createCheckScope) so the checks do not each probe the big tables again.
 */
interface KeySpec {
  entity: string;
  keys: string[];
  /** A relation of the in-scope rows of the table, with its key columns (and order_id for lines). */
  scoped: string;
  nullLabel: string;
}

const scopedBy = (table: string, key: string, scope: string): string =>
  `(select t.${key} from analytics.${table} as t inner join ${scope} as s on s.${key} = t.${key})`;

const KEYS: KeySpec[] = [
  { entity: 'dim_customer', keys: ['customer_id'], scoped: scopedBy('dim_customer', 'customer_id', 'touched_customers'), nullLabel: "'(null)'" },
  { entity: 'dim_product', keys: ['product_id'], scoped: scopedBy('dim_product', 'product_id', 'chg_products'), nullLabel: "'(null)'" },
  { entity: 'dim_date', keys: ['date_day'], scoped: 'analytics.dim_date', nullLabel: "'(null)'" },
  { entity: 'fact_orders', keys: ['order_id'], scoped: 'dq_orders', nullLabel: "'(null)'" },
  { entity: 'fact_order_lines', keys: ['order_line_id'], scoped: 'dq_lines', nullLabel: "'order ' || t.order_id" },
  { entity: 'kpi_daily_sales', keys: ['sales_date'], scoped: scopedBy('kpi_daily_sales', 'sales_date', 'kpi_deltas'), nullLabel: "'(null)'" },
  {
    entity: 'cohort_monthly',
    keys: ['cohort_month', 'months_since'],
    scoped: `(select t.cohort_month, t.months_since from analytics.cohort_monthly as t
      inner join cohort_deltas as s on s.cohort_month = t.cohort_month and s.months_since = t.months_since)`,
    nullLabel: "coalesce(t.cohort_month::text, '(null)') || '/' || coalesce(t.months_since::text, '(null)')",
  },
];

function keyChecks(spec: KeySpec): SqlCheck[] {
  const table = `analytics.${spec.entity}`;
  const cols = spec.keys.map((k) => `t.${k}`);
  const tuple = cols.length === 1 ? cols[0] : `(${cols.join(', ')})`;
  const label = cols.map((c) => `${c}::text`).join(" || '/' || ");
  return [
    {
      check: 'key_not_null',
      entity: spec.entity,
      severity: 'critical',
      failingIds: `select ${spec.nullLabel} from ${spec.scoped} as t where ${cols.map((c) => `${c} is null`).join(' or ')}`,
    },
    {
      check: 'key_unique',
      entity: spec.entity,
      severity: 'critical',
      failingIds: `select ${label} from ${table} as t
        where ${tuple} in (select ${cols.join(', ')} from ${spec.scoped} as t)
        group by ${cols.join(', ')} having count(*) > 1`,
    },
  ];
}

const SQL_CHECKS: SqlCheck[] = [
  ...KEYS.flatMap(keyChecks),
  {
    // Warning, not critical: the contract keeps orders of hard-deleted customers, the shop does hard-delete
    // customers, and the customers sync can lag the orders sync; the orders are right, the dimension is behind.
    check: 'fk_order_customer',
    entity: 'fact_orders',
    severity: 'warning',
    // The two scopes are unioned: an OR of two IN lists defeats semi-joins.
    failingIds: `with scoped as (
        select dq_orders.order_id, dq_orders.customer_id from dq_orders
        union
        select f.order_id, f.customer_id from analytics.fact_orders as f
        inner join chg_customers as chg on chg.customer_id = f.customer_id
      )
      select scoped.order_id::text from scoped
      where not exists (select from analytics.dim_customer as d where d.customer_id = scoped.customer_id)`,
  },
  {
    // Critical: lines come from their order's payload, so an orphan line means the models are wrong.
    // dq_orders holds exactly the fact_orders rows of the changed orders, the only orders dq_lines can name.
    check: 'fk_line_order',
    entity: 'fact_order_lines',
    severity: 'critical',
    failingIds: `select coalesce(l.order_line_id::text, '(null)') from dq_lines as l
      where not exists (select from dq_orders as o where o.order_id = l.order_id)`,
  },
  {
    // Warning: PrestaShop hard-deletes products that old orders still name.
    check: 'fk_line_product',
    entity: 'fact_order_lines',
    severity: 'warning',
    failingIds: `with scoped as (
        select dq_lines.order_line_id, dq_lines.product_id from dq_lines
        union all
        select l.order_line_id, l.product_id from analytics.fact_order_lines as l
        inner join chg_products as chg on chg.product_id = l.product_id
        where not exists (select from chg_orders as seen where seen.order_id = l.order_id)
      )
      select coalesce(scoped.order_line_id::text, '(null)') from scoped
      where not exists (select from analytics.dim_product as p where p.product_id = scoped.product_id)`,
  },
  {
    // total_products (tax excl.) against the sum of unit_price_tax_excl x quantity, one cent of rounding per line.
    check: 'order_totals_match_lines',
    entity: 'fact_orders',
    severity: 'warning',
    failingIds: `with line_totals as (
        select dq_lines.order_id, sum(dq_lines.line_total_tax_excl) as lines_total, count(*) as lines_count
        from dq_lines
        group by dq_lines.order_id
      )
      select o.order_id::text from dq_orders as o
      left join line_totals on line_totals.order_id = o.order_id
      where abs(coalesce(o.total_products, 0) - coalesce(line_totals.lines_total, 0))
        > 0.01 * greatest(1, coalesce(line_totals.lines_count, 0))`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_orders',
    severity: 'warning',
    failingIds: `select o.order_id::text from dq_orders as o
      where o.total_paid_tax_incl < 0 or o.total_paid_tax_excl < 0 or o.total_products < 0
        or o.total_shipping_tax_excl < 0 or o.total_discounts_tax_excl < 0 or o.revenue_tax_excl < 0
        or o.conversion_rate <= 0`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_order_lines',
    severity: 'warning',
    failingIds: `select coalesce(l.order_line_id::text, '(null)') from dq_lines as l
      where l.unit_price_tax_excl < 0 or l.unit_price_tax_incl < 0 or l.quantity < 0`,
  },
  {
    check: 'dates_plausible',
    entity: 'fact_orders',
    severity: 'warning',
    failingIds: `select o.order_id::text from dq_orders as o
      where o.ordered_at_local is null or o.ordered_at_local < timestamp '2000-01-01'
        or o.ordered_at > now() + interval '1 day'`,
  },
  {
    check: 'dates_plausible',
    entity: 'dim_customer',
    severity: 'warning',
    failingIds: `select c.customer_id::text from analytics.dim_customer as c
      inner join touched_customers as touched on touched.customer_id = c.customer_id
      where c.created_at_local < timestamp '2000-01-01' or c.created_at > now() + interval '1 day'`,
  },
];

/** Copies the facts of the changed orders once; every fact check reads these instead of the big tables. */
async function createCheckScope(client: PoolClient): Promise<void> {
  await client.query(`
    drop table if exists pg_temp.dq_orders;
    drop table if exists pg_temp.dq_lines;
    create temp table dq_orders on commit drop as
      select f.order_id, f.customer_id, f.ordered_at_local, f.ordered_at, f.conversion_rate, f.total_paid_tax_incl,
             f.total_paid_tax_excl, f.total_products, f.total_shipping_tax_excl, f.total_discounts_tax_excl,
             f.revenue_tax_excl
      from analytics.fact_orders as f
      inner join chg_orders as chg on chg.order_id = f.order_id;
    create temp table dq_lines on commit drop as
      select l.order_line_id, l.order_id, l.product_id, l.quantity, l.unit_price_tax_excl, l.unit_price_tax_incl,
             l.line_total_tax_excl
      from analytics.fact_order_lines as l
      inner join chg_orders as chg on chg.order_id = l.order_id;
    analyze dq_orders;
    analyze dq_lines;
  `);
}

async function runSqlCheck(client: PoolClient, check: SqlCheck): Promise<DataQualityResult> {
  const { rows } = await client.query<{ failing: string; sample: string[] | null }>(
    `with failing as (${check.failingIds})
     select count(*)::text as failing,
            (array_agg(failing.id order by failing.id))[1:${SAMPLE_SIZE}] as sample
     from failing as failing (id)`,
  );
  const failingCount = Number(rows[0]?.failing ?? 0);
  return {
    check: check.check,
    entity: check.entity,
    severity: check.severity,
    status: failingCount > 0 ? 'fail' : 'pass',
    failingCount,
    sampleIds: rows[0]?.sample ?? [],
  };
}

/** Runs every check inside the refresh transaction, after the models. Updates the schema-key registry. */
export async function runDataQualityChecks(client: PoolClient, log?: Logger): Promise<DataQualityResult[]> {
  const results: DataQualityResult[] = [];
  await createCheckScope(client);
  for (const check of SQL_CHECKS) {
    const started = performance.now();
    results.push(await runSqlCheck(client, check));
    log?.debug('data-quality check finished', { check: check.check, entity: check.entity, ms: Math.round(performance.now() - started) });
  }
  const started = performance.now();
  results.push(...(await checkSchemaDrift(client)));
  log?.debug('data-quality check finished', { check: 'schema_drift', ms: Math.round(performance.now() - started) });
  return results;
}

export const failingCritical = (results: DataQualityResult[]): DataQualityResult[] =>
  results.filter((r) => r.status === 'fail' && r.severity === 'critical');

export async function saveDataQualityResults(client: PoolClient, runId: number, results: DataQualityResult[]): Promise<void> {
  await client.query(
    `insert into staging.data_quality_results (run_id, check_name, entity, severity, status, failing_count, sample_ids)
     select $1, r.check_name, r.entity, r.severity, r.status, r.failing_count, r.sample_ids
     from jsonb_to_recordset($2::jsonb) as r (check_name text, entity text, severity text, status text, failing_count bigint, sample_ids text[])`,
    [
      runId,
      JSON.stringify(
        results.map((r) => ({
          check_name: r.check,
          entity: r.entity,
          severity: r.severity,
          status: r.status,
          failing_count: r.failingCount,
          sample_ids: r.sampleIds,
        })),
      ),
    ],
  );
}

export function reportDataQuality(telemetry: Telemetry, results: DataQualityResult[]): void {
  for (const r of results) {
    const dims = { check: r.check, entity: r.entity, severity: r.severity };
    telemetry.metric(Metric.dataQualityFailures, r.failingCount, dims);
    telemetry.event(Event.dataQualityResult, { ...dims, status: r.status }, { failingCount: r.failingCount });
  }
}
