import { checkedRows, modelDeclaration, type ModelDeclaration } from './modelRegistry';
import { analyticsModels } from './models';
import { REVENUE_CHECKS } from './revenueChecks';
import { RAW_SOURCES, REFERENCE_SOURCES, UNPARSEABLE_CHECK, unparseableRawSql, unparseableReferenceSql } from './unparseableValues';

export type Severity = 'critical' | 'warning';

/**
 * A SQL check: its query returns the failing rows as (id text, fields text[]), fields naming what failed when the
 * check says more than the row (unparseable values), else '{}'.
 *
 * Scope. Critical checks look at the rows this refresh touched: a failure rolls the refresh back, so what is
 * committed never fails them and only the touched rows can. Warnings publish, so their failing rows stay; each
 * warning's scope is the touched rows plus the rows it reported before (staging.data_quality_issues), and the
 * runner replaces the check's issues with what fails now. The issues therefore always list the failing rows of the
 * whole warehouse, and a warning's count is the whole table's, at a cost that follows the change.
 *
 * The touched facts (changed orders and orders with open issues) are copied once into dq_orders and dq_lines
 * (createCheckScope) so the checks do not each probe the big tables again. A full rebuild touches everything.
 */
export interface SqlCheck {
  check: string;
  entity: string;
  severity: Severity;
  rows: string;
  /** Two counts (SQL) whose ratio the result's details give as share, e.g. lines without a cost of all lines. */
  shareOf?: { part: string; whole: string };
}

const noFields = "'{}'::text[]";

/** Every analytics model's key is not null and unique, over the rows its declaration says a refresh checks. */
function keyChecks(model: ModelDeclaration): SqlCheck[] {
  const table = `analytics.${model.name}`;
  const scoped = checkedRows(model);
  const cols = model.key.map((k) => `t.${k}`);
  const tuple = cols.length === 1 ? cols[0] : `(${cols.join(', ')})`;
  const label = cols.map((c) => `${c}::text`).join(" || '/' || ");
  return [
    {
      check: 'key_not_null',
      entity: model.name,
      severity: 'critical',
      rows: `select ${model.null_label ?? "'(null)'"}, ${noFields} from ${scoped} as t where ${cols.map((c) => `${c} is null`).join(' or ')}`,
    },
    {
      check: 'key_unique',
      entity: model.name,
      severity: 'critical',
      rows: `select ${label}, ${noFields} from ${table} as t
        where ${tuple} in (select ${cols.join(', ')} from ${scoped} as t)
        group by ${cols.join(', ')} having count(*) > 1`,
    },
  ];
}

/** The keys of the open issues matching condition (record ids that are not keys, such as '(null)', are left out). */
const openIssueKeys = (condition: string): string =>
  `select issue_keys.key from (
     select staging.ps_id(issue.record_id) as key from staging.data_quality_issues as issue where ${condition}
   ) as issue_keys where issue_keys.key is not null`;

export const SQL_CHECKS: readonly SqlCheck[] = [
  ...analyticsModels().map(modelDeclaration).flatMap(keyChecks),
  {
    // Warning, not critical: the contract keeps orders of hard-deleted customers, the shop does hard-delete
    // customers, and the customers sync can lag the orders sync; the orders are right, the dimension is behind.
    check: 'fk_order_customer',
    entity: 'fact_orders',
    severity: 'warning',
    // The two scopes are unioned: an OR of two IN lists defeats semi-joins.
    rows: `with scoped as (
        select dq_orders.order_id, dq_orders.customer_id from dq_orders
        union
        select f.order_id, f.customer_id from analytics.fact_orders as f
        inner join chg_customers as chg on chg.customer_id = f.customer_id
      )
      select scoped.order_id::text, ${noFields} from scoped
      where not exists (select from analytics.dim_customer as d where d.customer_id = scoped.customer_id)`,
  },
  {
    // Critical: lines come from their order's payload, so an orphan line means the models are wrong.
    // dq_orders holds exactly the fact_orders rows of the orders in scope, the only orders dq_lines can name.
    check: 'fk_line_order',
    entity: 'fact_order_lines',
    severity: 'critical',
    rows: `select coalesce(l.order_line_id::text, '(null)'), ${noFields} from dq_lines as l
      where not exists (select from dq_orders as o where o.order_id = l.order_id)`,
  },
  {
    // Warning: PrestaShop hard-deletes products that old orders still name.
    check: 'fk_line_product',
    entity: 'fact_order_lines',
    severity: 'warning',
    rows: `with scoped as (
        select dq_lines.order_line_id, dq_lines.product_id from dq_lines
        union all
        select l.order_line_id, l.product_id from analytics.fact_order_lines as l
        inner join chg_products as chg on chg.product_id = l.product_id
        where not exists (select from dq_order_ids as seen where seen.order_id = l.order_id)
      )
      select coalesce(scoped.order_line_id::text, '(null)'), ${noFields} from scoped
      where not exists (select from analytics.dim_product as p where p.product_id = scoped.product_id)`,
  },
  {
    // total_products (tax excl.) against the sum of unit_price_tax_excl x quantity, one cent of rounding per line.
    check: 'order_totals_match_lines',
    entity: 'fact_orders',
    severity: 'warning',
    rows: `with line_totals as (
        select dq_lines.order_id, sum(dq_lines.line_total_tax_excl) as lines_total, count(*) as lines_count
        from dq_lines
        group by dq_lines.order_id
      )
      select o.order_id::text, ${noFields} from dq_orders as o
      left join line_totals on line_totals.order_id = o.order_id
      where abs(coalesce(o.total_products, 0) - coalesce(line_totals.lines_total, 0))
        > 0.01 * greatest(1, coalesce(line_totals.lines_count, 0))`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_orders',
    severity: 'warning',
    rows: `select o.order_id::text, ${noFields} from dq_orders as o
      where o.total_paid_tax_incl < 0 or o.total_paid_tax_excl < 0 or o.total_products < 0
        or o.total_shipping_tax_excl < 0 or o.total_discounts_tax_excl < 0 or o.revenue_tax_excl < 0
        or o.conversion_rate <= 0`,
  },
  {
    check: 'money_not_negative',
    entity: 'fact_order_lines',
    severity: 'warning',
    rows: `select coalesce(l.order_line_id::text, '(null)'), ${noFields} from dq_lines as l
      where l.unit_price_tax_excl < 0 or l.unit_price_tax_incl < 0 or l.quantity < 0`,
  },
  {
    check: 'dates_plausible',
    entity: 'fact_orders',
    severity: 'warning',
    rows: `select o.order_id::text, ${noFields} from dq_orders as o
      where o.ordered_at_local is null or o.ordered_at_local < timestamp '2000-01-01'
        or o.ordered_at > now() + interval '1 day'`,
  },
  {
    check: 'dates_plausible',
    entity: 'dim_customer',
    severity: 'warning',
    rows: `select c.customer_id::text, ${noFields} from analytics.dim_customer as c
      where c.customer_id in (select touched.customer_id from touched_customers as touched union ${openIssueKeys("issue.check_name = 'dates_plausible' and issue.entity = 'dim_customer'")})
        and (c.created_at_local < timestamp '2000-01-01' or c.created_at > now() + interval '1 day')`,
  },
  ...REVENUE_CHECKS,
  ...RAW_SOURCES.map((source): SqlCheck => ({ check: UNPARSEABLE_CHECK, entity: source.entity, severity: 'warning', rows: unparseableRawSql(source) })),
  ...REFERENCE_SOURCES.map((source): SqlCheck => ({ check: UNPARSEABLE_CHECK, entity: source.entity, severity: 'warning', rows: unparseableReferenceSql(source) })),
];

/**
 * Copies once the facts every fact check reads: those of the changed orders and of the orders with open issues
 * (a line's issue brings its order). Checks read these instead of the big tables.
 */
export const CHECK_SCOPE_SQL = `
  drop table if exists pg_temp.dq_order_ids;
  drop table if exists pg_temp.dq_orders;
  drop table if exists pg_temp.dq_lines;
  create temp table dq_order_ids on commit drop as
    select chg_orders.order_id from chg_orders
    union
    ${openIssueKeys("issue.entity = 'fact_orders'")}
    union
    select l.order_id from analytics.fact_order_lines as l
    inner join staging.data_quality_issues as issue
      on issue.entity = 'fact_order_lines' and l.order_line_id = staging.ps_id(issue.record_id);
  analyze dq_order_ids;
  create temp table dq_orders on commit drop as
    select f.order_id, f.customer_id, f.reference, f.ordered_at_local, f.ordered_at, f.conversion_rate, f.total_paid_tax_incl,
           f.total_paid_tax_excl, f.total_products, f.total_shipping_tax_excl, f.total_discounts_tax_excl,
           f.revenue_tax_excl
    from analytics.fact_orders as f
    inner join dq_order_ids as scope on scope.order_id = f.order_id;
  create temp table dq_lines on commit drop as
    select l.order_line_id, l.order_id, l.product_id, l.quantity, l.unit_price_tax_excl, l.unit_price_tax_incl,
           l.line_total_tax_excl, l.unit_cost, l.quantity_refunded, l.refunded_tax_excl
    from analytics.fact_order_lines as l
    inner join dq_order_ids as scope on scope.order_id = l.order_id;
  analyze dq_orders;
  analyze dq_lines;
`;
