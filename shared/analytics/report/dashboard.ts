import { readFileSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import { sqlDir } from '../../paths';

/** One chart of the starter dashboard: the question it answers and the example query (sql/examples) it draws. */
export interface ChartSpec {
  id: string;
  title: string;
  question: string;
  example: string;
  /** columns: one bar per label, in order (time); bars: horizontal, ranked; heatmap: rows x columns. */
  kind: 'columns' | 'bars' | 'heatmap';
  label: string;
  value: string;
  /** heatmap only: the column across. */
  across?: string;
  /** Only the rows whose column equals the value. */
  where?: { column: string; equals: string };
  unit: 'money' | 'count' | 'share';
}

export const CHARTS: readonly ChartSpec[] = [
  { id: 'daily-sales', title: 'Daily net sales', question: 'How much did we sell each day, after discounts and refunds, over the last 90 days?', example: 'daily_net_sales', kind: 'columns', label: 'sales_date', value: 'net_sales_tax_excl', unit: 'money' },
  { id: 'monthly-sales', title: 'Monthly sales', question: 'Are we growing month on month?', example: 'monthly_sales', kind: 'columns', label: 'month_start', value: 'revenue_tax_excl', unit: 'money' },
  { id: 'top-products', title: 'Top products', question: 'Which products bring the most revenue (last 90 days)?', example: 'top_products', kind: 'bars', label: 'product_name', value: 'revenue_tax_excl', unit: 'money' },
  { id: 'categories', title: 'Revenue by category', question: 'Which categories sell (last 90 days)?', example: 'top_categories', kind: 'bars', label: 'category_path', value: 'revenue_tax_excl', unit: 'money' },
  { id: 'countries', title: 'Sales by country', question: 'Where do our customers have their orders delivered (last 90 days)?', example: 'sales_by_country', kind: 'bars', label: 'country_name', value: 'revenue_tax_excl', unit: 'money' },
  { id: 'payment-methods', title: 'Payment methods', question: 'How do customers pay (valid orders, last 90 days)?', example: 'payment_methods', kind: 'bars', label: 'name', value: 'valid_orders', where: { column: 'dimension', equals: 'payment' }, unit: 'count' },
  { id: 'cohort-retention', title: 'Cohort retention', question: 'Of the customers who first bought in a month, what share buys again 1, 2, 3... months later?', example: 'cohort_retention', kind: 'heatmap', label: 'cohort_month', across: 'months_since', value: 'retention_rate', unit: 'share' },
  { id: 'stock-outs', title: 'Stock-outs', question: 'Which products ran out of stock, and for how many days (last 30 days)?', example: 'stock_outs', kind: 'bars', label: 'product_name', value: 'stock_out_days', unit: 'count' },
];

/** Values as PostgreSQL prints them: exact numbers and dates stay text, so the page shows the warehouse's digits. */
export type TextRow = Record<string, string | null>;

export interface Headline {
  label: string;
  value: string | null;
  unit: 'money' | 'count' | 'share';
}

export interface Dashboard {
  /** The last day with orders: the 30- and 90-day periods end there. */
  asOf: string | null;
  currency: string | null;
  headlines: Headline[];
  charts: { spec: ChartSpec; rows: TextRow[] }[];
}

const HEADLINES_SQL = `
  with period as (
    select max(kpi.sales_date) - 29 as first_day, max(kpi.sales_date) as last_day from analytics.kpi_daily_sales as kpi
  ),
  money as (
    select coalesce(max(currency.decimals) filter (where currency.is_default), 2) as decimals,
           max(currency.iso_code) filter (where currency.is_default) as iso_code
    from analytics.dim_currency as currency
  ),
  sales as (
    select sum(kpi.net_sales_tax_excl) as net_sales, sum(kpi.revenue_tax_excl) as revenue, sum(kpi.valid_orders) as valid_orders,
           sum(kpi.new_customers) as new_customers
    from analytics.kpi_daily_sales as kpi cross join period
    where kpi.sales_date between period.first_day and period.last_day
  ),
  repeaters as (
    select round(count(*) filter (where customer.valid_orders_count >= 2)::numeric / nullif(count(*), 0), 4) as rate
    from analytics.dim_customer as customer where customer.valid_orders_count >= 1
  )
  select period.last_day as as_of, money.iso_code as currency,
         round(sales.net_sales, money.decimals) as net_sales, sales.valid_orders,
         round(sales.revenue / nullif(sales.valid_orders, 0), money.decimals) as avg_order_value, sales.new_customers,
         repeaters.rate as repeat_purchase_rate,
         (select count(*) from analytics.kpi_product_stock_outs as stock where stock.is_out_of_stock_now) as out_of_stock_now
  from period cross join money cross join sales cross join repeaters`;

/** Every value as the text PostgreSQL sends (no parsing into floats or Dates). */
const asText = { getTypeParser: () => (value: string) => value };

export function exampleSql(name: string): string {
  return readFileSync(sqlDir('examples', `${name}.sql`), 'utf8');
}

/**
 * Reads the starter dashboard from the warehouse: the headline numbers of the last 30 days with orders and the rows
 * of each chart's example query. Reads only the analytics schema, so it runs as analytics_reader.
 */
export async function readDashboard(db: Pool | PoolClient): Promise<Dashboard> {
  const { rows } = await db.query<TextRow>({ text: HEADLINES_SQL, types: asText });
  const h = rows[0] ?? {};
  const charts: Dashboard['charts'] = [];
  for (const spec of CHARTS) {
    const result = await db.query<TextRow>({ text: exampleSql(spec.example), types: asText });
    const where = spec.where;
    charts.push({ spec, rows: where ? result.rows.filter((r) => r[where.column] === where.equals) : result.rows });
  }
  return {
    asOf: h.as_of ?? null,
    currency: h.currency ?? null,
    headlines: [
      { label: 'Net sales, last 30 days', value: h.net_sales ?? null, unit: 'money' },
      { label: 'Valid orders, last 30 days', value: h.valid_orders ?? null, unit: 'count' },
      { label: 'Average order value', value: h.avg_order_value ?? null, unit: 'money' },
      { label: 'New customers, last 30 days', value: h.new_customers ?? null, unit: 'count' },
      { label: 'Repeat purchase rate', value: h.repeat_purchase_rate ?? null, unit: 'share' },
      { label: 'Products out of stock now', value: h.out_of_stock_now ?? null, unit: 'count' },
    ],
    charts,
  };
}
