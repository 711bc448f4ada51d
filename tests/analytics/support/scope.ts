import type { PoolClient } from 'pg';

/**
 * The temp tables the data-quality checks scope themselves by, filled with every key (what a full rebuild
 * leaves behind), so a test can craft a defect in analytics directly and run the checks on it.
 */
export async function createFullCheckScope(client: PoolClient): Promise<void> {
  await client.query(`
    create temp table chg_customers on commit drop as select id as customer_id from raw.prestashop_customers;
    create temp table chg_products on commit drop as select id as product_id from raw.prestashop_products;
    create temp table chg_orders on commit drop as
      select id as order_id from raw.prestashop_orders
      union select order_id from analytics.fact_order_lines;
    create temp table touched_customers on commit drop as select customer_id from analytics.dim_customer;
    create temp table kpi_deltas on commit drop as select sales_date from analytics.kpi_daily_sales;
    create temp table cohort_deltas on commit drop as select cohort_month, months_since from analytics.cohort_monthly;
    create temp table variant_scope on commit drop as select variant_id from analytics.dim_product_variant;
    create temp table stock_written on commit drop as select product_id, variant_id, stock_date from analytics.fact_stock_daily;
  `);
}
