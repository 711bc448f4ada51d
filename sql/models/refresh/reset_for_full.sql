-- Full rebuild only: empty the incrementally maintained tables (DELETE, not TRUNCATE: etl_user has DML only),
-- then every raw key is treated as changed and the same models rebuild everything.
delete from analytics.cohort_monthly;
delete from analytics.kpi_daily_sales;
delete from analytics.dim_customer;
delete from analytics.fact_order_lines;
delete from analytics.fact_order_discounts;
delete from analytics.fact_order_status_changes;
delete from analytics.fact_payments;
delete from analytics.fact_refunds;
delete from staging.stg_slip_lines;
delete from analytics.fact_orders;
delete from analytics.dim_product;
delete from staging.stg_order_lines;
delete from staging.stg_orders;
delete from staging.stg_products;
delete from staging.stg_customers;
delete from analytics.fact_stock_daily;
delete from analytics.dim_product_variant;
delete from analytics.dim_category;
delete from analytics.dim_manufacturer;
delete from analytics.dim_carrier;
delete from analytics.dim_country;
delete from staging.stg_stock_items;
delete from staging.stg_addresses;
