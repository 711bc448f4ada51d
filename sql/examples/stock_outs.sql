-- Stock-outs over the last 30 days of the stock history: per product, the days its stock ended at 0 or less, the days
-- any of its variants did, and what it has now. The worst first. (analytics.kpi_product_stock_outs counts the whole
-- history.)
with period as (
  select max(stock.stock_date) - 29 as first_day, max(stock.stock_date) as last_day
  from analytics.fact_stock_daily as stock
),

product_days as (
  select
    stock.product_id,
    count(*) filter (where stock.variant_id = 0 and stock.is_out_of_stock) as stock_out_days,
    count(distinct stock.stock_date) filter (where stock.variant_id <> 0 and stock.is_out_of_stock) as days_with_a_variant_out,
    max(stock.quantity) filter (where stock.variant_id = 0 and stock.stock_date = period.last_day) as quantity_now
  from analytics.fact_stock_daily as stock
  cross join period
  where stock.stock_date between period.first_day and period.last_day
  group by stock.product_id
)

select
  product_days.product_id,
  product.product_name,
  product.category_default_name,
  product_days.stock_out_days,
  product_days.days_with_a_variant_out,
  product_days.quantity_now
from product_days
left join analytics.dim_product as product on product.product_id = product_days.product_id
where product_days.stock_out_days > 0 or product_days.days_with_a_variant_out > 0
order by product_days.stock_out_days desc, product_days.days_with_a_variant_out desc, product_days.product_id;
