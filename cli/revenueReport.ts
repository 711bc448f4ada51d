import type { Pool } from 'pg';
import { table } from './output';

/** One day of the revenue table: money as exact text rounded to cents, the day's sums as kpi_daily_sales keeps them. */
export interface RevenueRow {
  sales_date: string;
  gross_sales_tax_excl: string;
  discounts_tax_excl: string;
  refunds_tax_excl: string;
  net_sales_tax_excl: string;
  gross_margin_tax_excl: string;
  orders_without_cost: number;
}

const MONEY = ['gross_sales_tax_excl', 'discounts_tax_excl', 'refunds_tax_excl', 'net_sales_tax_excl', 'gross_margin_tax_excl'] as const;

/**
 * The seven calendar days ending on the newest day in kpi_daily_sales (days without orders or refunds have no
 * row), and their total when there is more than one day: summed exactly in the database, then rounded, so the
 * total is not a sum of rounded days.
 */
export async function gatherRevenue(pool: Pool): Promise<{ days: RevenueRow[]; total: RevenueRow | null }> {
  const columns = MONEY.map((c) => `round(sum(${c}), 2)::text as ${c}`).join(', ');
  const { rows } = await pool.query<RevenueRow>(
    `select coalesce(to_char(sales_date, 'YYYY-MM-DD'), 'total') as sales_date, ${columns},
            sum(orders_without_cost)::int as orders_without_cost
       from analytics.kpi_daily_sales
      where sales_date > (select max(sales_date) from analytics.kpi_daily_sales) - 7
      group by grouping sets ((sales_date), ())
      order by sales_date nulls last`,
  );
  const total = rows.find((r) => r.sales_date === 'total') ?? null;
  const days = rows.filter((r) => r !== total);
  return { days, total: days.length > 1 ? total : null };
}

export function renderRevenue(revenue: { days: RevenueRow[]; total: RevenueRow | null }): string[] {
  if (revenue.days.length === 0) return [];
  const rows = [...revenue.days, ...(revenue.total ? [revenue.total] : [])];
  return [
    'Revenue, same days (net sales = gross - discounts - refunds; refunds on the slip\'s day; margin of the orders with a cost):',
    ...table(
      ['date', 'gross', 'discounts', 'refunds', 'net sales', 'margin', 'orders without cost'],
      rows.map((r) => [r.sales_date, ...MONEY.map((c) => r[c]), r.orders_without_cost]),
    ).map((l) => `  ${l}`),
  ];
}
