import type { SqlCheck } from './dataQualityChecks';

const noFields = "'{}'::text[]";

/** One cent per amount compared: each document rounds on its own. */
const CENT = 0.01;

/**
 * The warnings of the revenue facts (tracked like the others: the rows in scope plus the open issues). A changed
 * slip, detail or voucher makes its order a changed order, so dq_orders and dq_lines cover them. Payments are
 * scoped by reference: those the changed payments named before and name now (touched_payment_refs,
 * fact_payments.sql) and those of the changed orders, deleted ones included (stg_orders), before and now.
 */
export const REVENUE_CHECKS: readonly SqlCheck[] = [
  {
    // Money received (payments, each in its own currency) against what the orders of the reference say was paid.
    check: 'payments_match_orders',
    entity: 'fact_payments',
    severity: 'warning',
    rows: `with refs as (
        select stg.reference from staging.stg_orders as stg
        inner join chg_orders as chg on chg.order_id = stg.order_id
        where stg.reference is not null
        union
        select before_orders.reference from before_orders where before_orders.reference is not null
        union
        select touched_payment_refs.order_reference from touched_payment_refs
        union
        select issue.record_id from staging.data_quality_issues as issue
        where issue.check_name = 'payments_match_orders' and issue.entity = 'fact_payments'
      ),
      paid as (
        select p.order_reference as reference, sum(p.amount) as amount, count(*) as payments
        from analytics.fact_payments as p inner join refs on refs.reference = p.order_reference
        group by p.order_reference
      ),
      due as (
        select o.reference, sum(o.total_paid_real / nullif(o.conversion_rate, 0)) as amount
        from staging.stg_orders as o inner join refs on refs.reference = o.reference
        where o.raw_deleted_at is null
        group by o.reference
      )
      select refs.reference, ${noFields} from refs
      left join paid on paid.reference = refs.reference
      left join due on due.reference = refs.reference
      where abs(coalesce(paid.amount, 0) - coalesce(due.amount, 0)) > ${CENT} * greatest(1, coalesce(paid.payments, 0))`,
  },
  {
    // What the order's slips refunded (products and shipping) cannot exceed what the order cost, tax excluded.
    check: 'refunds_within_order_total',
    entity: 'fact_orders',
    severity: 'warning',
    rows: `with refunded as (
        select r.order_id, sum(coalesce(r.products_tax_excl, 0) + coalesce(r.shipping_tax_excl, 0)) as amount, count(*) as slips
        from analytics.fact_refunds as r inner join dq_orders on dq_orders.order_id = r.order_id
        group by r.order_id
      )
      select o.order_id::text, ${noFields} from dq_orders as o
      inner join refunded on refunded.order_id = o.order_id
      where refunded.amount > coalesce(o.revenue_tax_excl, 0) + ${CENT} * refunded.slips`,
  },
  {
    // The line's refunded quantity and amount (order_detail) against the slip lines naming it.
    check: 'line_refunds_match_slips',
    entity: 'fact_order_lines',
    severity: 'warning',
    rows: `with slipped as (
        select s.order_detail_id, sum(s.quantity) as quantity, sum(s.amount_tax_excl) as amount, count(*) as slip_lines
        from staging.stg_slip_lines as s
        inner join dq_lines on dq_lines.order_line_id = s.order_detail_id and dq_lines.order_id = s.order_id
        group by s.order_detail_id
      )
      select coalesce(l.order_line_id::text, '(null)'), ${noFields} from dq_lines as l
      left join slipped on slipped.order_detail_id = l.order_line_id
      where coalesce(l.quantity_refunded, 0) <> coalesce(slipped.quantity, 0)
        or abs(coalesce(l.refunded_tax_excl, 0) - coalesce(slipped.amount, 0)) > ${CENT} * greatest(1, coalesce(slipped.slip_lines, 0))`,
  },
  {
    // Margin needs a cost on every line. PrestaShop copies the cost from the product when the order is placed, so
    // the issue is the product: those with a sold line whose order_detail is loaded (quantity_refunded is then known)
    // and carries no cost. Lines whose order_detail has not arrived are the sync's delay, not the shop's data. A shop
    // without costs has every line failing: one issue per product (checked through a partial index) keeps the check's
    // cost with the changed lines and the failing products; details.share gives the lines' share.
    check: 'lines_without_cost',
    entity: 'dim_product',
    severity: 'warning',
    rows: `with scoped as (
        select dq_lines.product_id from dq_lines
        union
        select staging.ps_id(issue.record_id) from staging.data_quality_issues as issue
        where issue.check_name = 'lines_without_cost' and issue.entity = 'dim_product'
      )
      select scoped.product_id::text, ${noFields} from scoped
      where scoped.product_id is not null and exists (
        select from analytics.fact_order_lines as l
        where l.product_id = scoped.product_id and l.unit_cost is null and l.quantity_refunded is not null
      )`,
    shareOf: {
      part: 'select count(*) from analytics.fact_order_lines where unit_cost is null and quantity_refunded is not null',
      whole: 'select count(*) from analytics.fact_order_lines where quantity_refunded is not null',
    },
  },
];
