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
    create temp table chg_addresses on commit drop as select id as address_id from raw.prestashop_addresses;
    create temp table chg_categories on commit drop as select id as category_id from raw.prestashop_categories;
    create temp table chg_manufacturers on commit drop as select id as manufacturer_id from raw.prestashop_manufacturers;
    create temp table chg_carriers on commit drop as select id as carrier_id from raw.prestashop_carriers;
    create temp table chg_countries on commit drop as select id as country_id from raw.prestashop_countries;
    create temp table chg_combinations on commit drop as select id as variant_id from raw.prestashop_combinations;
    create temp table chg_stock on commit drop as select id as stock_id from raw.prestashop_stock_availables;
    create temp table chg_order_details on commit drop as select id as order_detail_id from raw.prestashop_order_details;
    create temp table chg_slips on commit drop as select slip_id from analytics.fact_refunds;
    create temp table chg_payments on commit drop as select payment_id from analytics.fact_payments;
    create temp table chg_histories on commit drop as select history_id from analytics.fact_order_status_changes;
    create temp table chg_order_cart_rules on commit drop as select order_cart_rule_id from analytics.fact_order_discounts;
    create temp table before_orders on commit drop as select order_id, reference from analytics.fact_orders;
    create temp table touched_payment_refs on commit drop as select distinct order_reference from analytics.fact_payments;
    create temp table touched_customers on commit drop as select customer_id from analytics.dim_customer;
    create temp table kpi_deltas on commit drop as select sales_date from analytics.kpi_daily_sales;
    create temp table cohort_deltas on commit drop as select cohort_month, months_since from analytics.cohort_monthly;
    create temp table variant_scope on commit drop as select variant_id from analytics.dim_product_variant;
    create temp table stock_written on commit drop as select product_id, variant_id, stock_date from analytics.fact_stock_daily;
  `);
}
