import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TestDatabase } from '../support/testDatabase';
import { buildCli, phc } from './support/phc';
import { writeSeededReport } from './support/seededReport';

beforeAll(() => buildCli(), 180_000);

type Node = Record<string, unknown>;

/** Every element under node (depth first) for which keep says yes. */
function collect(node: unknown, keep: (n: Node) => boolean, found: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((child) => collect(child, keep, found));
  else if (node && typeof node === 'object') {
    const element = node as Node;
    if (keep(element)) found.push(element);
    for (const [key, child] of Object.entries(element)) if (!key.startsWith('@_')) collect(child, keep, found);
  }
  return found;
}

describe('phc report', () => {
  let db: TestDatabase;
  let readerUrl: string;
  let page: string;
  let parsed: unknown;
  const marks = (chart: string): { label: string; value: string }[] => {
    const svg = collect(parsed, (n) => n['@_id'] === chart)[0];
    return collect(svg, (n) => n['@_class'] === 'mark').map((n) => ({ label: String(n['@_data-label']), value: String(n['@_data-value']) }));
  };
  const query = async (sql: string): Promise<Record<string, string>[]> => (await db.pool.query<Record<string, string>>(sql)).rows;

  beforeAll(async () => {
    ({ db, readerUrl, page } = await writeSeededReport());
    parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(page);
  }, 120_000);

  afterAll(async () => {
    await db.drop();
  });

  it('writes one self-contained page: well-formed, no script, nothing to fetch', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(XMLValidator.validate(page)).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    // The only addresses are the XHTML and SVG namespaces.
    expect([...page.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
    for (const id of ['daily-sales', 'monthly-sales', 'top-products', 'categories', 'countries', 'payment-methods', 'cohort-retention', 'stock-outs']) {
      expect({ id, marks: marks(id).length > 0 }).toEqual({ id, marks: true });
    }
  });

  it('draws daily net sales with the warehouse\'s numbers, a bar per day', async () => {
    const expected = await query(
      `select d.date_day::text as label, coalesce(round(k.net_sales_tax_excl, 2), 0)::text as value
       from analytics.dim_date d left join analytics.kpi_daily_sales k on k.sales_date = d.date_day
       where d.date_day between date '2024-06-30' - 89 and date '2024-06-30' order by d.date_day`,
    );
    expect(marks('daily-sales')).toEqual(expected);
  });

  it('ranks the top products, cohorts and stock-outs as the warehouse does', async () => {
    const products = await query(
      `select coalesce(p.product_name, max(l.product_name)) as label, round(sum(l.line_revenue_tax_excl), 2)::text as value
       from analytics.fact_order_lines l join analytics.fact_orders o on o.order_id = l.order_id and o.is_valid
       left join analytics.dim_product p on p.product_id = l.product_id
       where l.order_date > date '2024-06-30' - 90
       group by l.product_id, p.product_name order by sum(l.line_revenue_tax_excl) desc, l.product_id limit 10`,
    );
    expect(marks('top-products')).toEqual(products);
    const cohorts = await query(
      `select cohort_month::text || '/' || months_since as label, retention_rate::text as value
       from analytics.cohort_monthly order by cohort_month, months_since`,
    );
    expect(marks('cohort-retention')).toEqual(cohorts);
    expect(marks('stock-outs')).toEqual([{ label: 'Product 1', value: '3' }, { label: 'Product 2', value: '0' }]);
  });

  it('shows the headline numbers of the last 30 days with orders', async () => {
    const tiles = collect(parsed, (n) => n['@_class'] === 'tile').map((n) => [String(n['@_data-label']), String(n['@_data-value'])]);
    const [expected] = await query(
      `select round(sum(net_sales_tax_excl), 2)::text as revenue, sum(valid_orders)::text as orders
       from analytics.kpi_daily_sales where sales_date > date '2024-06-30' - 30`,
    );
    expect(tiles).toEqual(
      expect.arrayContaining([
        ['Net sales, last 30 days', expected?.revenue],
        ['Valid orders, last 30 days', expected?.orders],
        ['Products out of stock now', '0'],
      ]),
    );
    expect(page).toContain(`${Number(expected?.revenue).toLocaleString('en-US', { minimumFractionDigits: 2 })} EUR`);
  });

  it('prints the headlines as text, and refuses --output without --html', async () => {
    const text = await phc(['report'], { DATABASE_URL: readerUrl });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Net sales, last 30 days\s+[\d,]+\.\d\d/);
    const wrong = await phc(['report', '--output', 'x.html'], { DATABASE_URL: readerUrl });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--output goes with --html');
  });
});
