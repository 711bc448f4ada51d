import type { PoolClient } from 'pg';
import { Event, Metric } from '../telemetry/names';
import type { Telemetry } from '../telemetry/types';
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
 * that follows the change and not the warehouse.
 */
interface KeySpec {
  entity: string;
  keys: string[];
  scope: string;
  nullLabel: string;
}

const KEYS: KeySpec[] = [
  { entity: 'dim_customer', keys: ['customer_id'], scope: 't.customer_id in (select customer_id from touched_customers)', nullLabel: "'(null)'" },
  { entity: 'dim_product', keys: ['product_id'], scope: 't.product_id in (select product_id from chg_products)', nullLabel: "'(null)'" },
  { entity: 'dim_date', keys: ['date_day'], scope: 'true', nullLabel: "'(null)'" },
  { entity: 'fact_orders', keys: ['order_id'], scope: 't.order_id in (select order_id from chg_orders)', nullLabel: "'(null)'" },
  { entity: 'fact_order_lines', keys: ['order_line_id'], scope: 't.order_id in (select order_id from chg_orders)', nullLabel: "'order ' || t.order_id" },
  { entity: 'kpi_daily_sales', keys: ['sales_date'], scope: 't.sales_date in (select sales_date from kpi_deltas)', nullLabel: "'(null)'" },
  {
    entity: 'cohort_monthly',
    keys: ['cohort_month', 'months_since'],
    scope: '(t.cohort_month, t.months_since) in (select cohort_month, months_since from cohort_deltas)',
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
      failingIds: `select ${spec.nullLabel} from ${table} as t where (${spec.scope}) and (${cols.map((c) => `${c} is null`).join(' or ')})`,
    },
    {
      check: 'key_unique',
      entity: spec.entity,
      severity: 'critical',
      failingIds: `select ${label} from ${table} as t
        where ${tuple} in (select ${cols.join(', ')} from ${table} as t where ${spec.scope})
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
    // The two scopes are joined separately and unioned: an OR of two IN lists defeats semi-joins.
    failingIds: `with scoped as (
        select f.order_id, f.customer_id from analytics.fact_orders as f
        inner join chg_orders as chg on chg.order_id = f.order_id
        union
        select f.order_id, f.customer_id from analytics.fact_orders as f
        inner join chg_customers as chg on chg.customer_id = f.customer_id
      )
      select scoped.order_id::text from scoped
      where not exists (select from analytics.dim_customer as d where d.customer_id = scoped.customer_id)`,
  },
  {
    // Critical: lines come from their order's payload, so an orphan line means the models are wrong.
    check: 'fk_line_order',
    entity: 'fact_order_lines',
    severity: 'critical',
    failingIds: `select coalesce(l.order_line_id::text, '(null)') from analytics.fact_order_lines as l
      where l.order_id in (select order_id from chg_orders)
        and not exists (select from analytics.fact_orders as o where o.order_id = l.order_id)`,
  },
  {
    // Warning: PrestaShop hard-deletes products that old orders still name.
    check: 'fk_line_product',
    entity: 'fact_order_lines',
    severity: 'warning',
    failingIds: `with scoped as (
        select l.order_line_id, l.order_id, l.product_id from analytics.fact_order_lines as l
        inner join chg_orders as chg on chg.order_id = l.order_id
        union all
        select l.order_line_id, l.order_id, l.product_id from analytics.fact_order_lines as l
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
    failingIds: `with scoped as (
        select o.order_id, o.total_products from analytics.fact_orders as o
        where o.order_id in (select order_id from chg_orders)
      ),
      line_totals as (
        select l.order_id, sum(l.line_total_tax_excl) as lines_total, count(*) as lines_count
        from analytics.fact_order_lines as l
        where l.order_id in (select order_id from chg_orders)
        group by l.order_id
      )
      select scoped.order_id::text from scoped
      left join line_totals on line_totals.order_id = scoped.order_id
      where abs(coalesce(scoped.total_products, 0) - coalesce(line_totals.lines_total, 0))
        > 0.01 * greatest(1, coalesce(line_totals.lines_count, 0))`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_orders',
    severity: 'warning',
    failingIds: `select o.order_id::text from analytics.fact_orders as o
      where o.order_id in (select order_id from chg_orders)
        and (o.total_paid_tax_incl < 0 or o.total_paid_tax_excl < 0 or o.total_products < 0
          or o.total_shipping_tax_excl < 0 or o.total_discounts_tax_excl < 0 or o.revenue_tax_excl < 0
          or o.conversion_rate <= 0)`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_order_lines',
    severity: 'warning',
    failingIds: `select coalesce(l.order_line_id::text, '(null)') from analytics.fact_order_lines as l
      where l.order_id in (select order_id from chg_orders)
        and (l.unit_price_tax_excl < 0 or l.unit_price_tax_incl < 0 or l.quantity < 0)`,
  },
  {
    check: 'dates_plausible',
    entity: 'fact_orders',
    severity: 'warning',
    failingIds: `select o.order_id::text from analytics.fact_orders as o
      where o.order_id in (select order_id from chg_orders)
        and (o.ordered_at_local is null or o.ordered_at_local < timestamp '2000-01-01'
          or o.ordered_at > now() + interval '1 day')`,
  },
  {
    check: 'dates_plausible',
    entity: 'dim_customer',
    severity: 'warning',
    failingIds: `select c.customer_id::text from analytics.dim_customer as c
      where c.customer_id in (select customer_id from touched_customers)
        and (c.created_at_local < timestamp '2000-01-01' or c.created_at > now() + interval '1 day')`,
  },
];

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
export async function runDataQualityChecks(client: PoolClient): Promise<DataQualityResult[]> {
  const results: DataQualityResult[] = [];
  for (const check of SQL_CHECKS) results.push(await runSqlCheck(client, check));
  results.push(...(await checkSchemaDrift(client)));
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
