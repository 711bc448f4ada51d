import { DateTime } from 'luxon';
import { refreshAnalytics, type RefreshResult } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { ageWarehouse, backdateLastStockChange } from './support/clock';
import { productPayload, setDeleted, snapshotAnalytics, stockPayload, upsertRaw } from './support/raw';

const ZONE = 'Europe/Paris';
/** The shop-local date `days` before today, and an instant on it. */
const day = (days: number): string => DateTime.now().setZone(ZONE).minus({ days }).toISODate() ?? '';
const at = (days: number, time: string): string => `${day(days)} ${time} ${ZONE}`;

interface StockRow {
  product_id: number;
  variant_id: number;
  stock_date: string;
  quantity: number;
  is_out_of_stock: boolean;
}

const row = (productId: number, variantId: number, daysAgo: number, quantity: number): StockRow => ({
  product_id: productId,
  variant_id: variantId,
  stock_date: day(daysAgo),
  quantity,
  is_out_of_stock: quantity <= 0,
});

/*
 * Stock rows and their changes (D-n = n shop-local days ago):
 *  1  product 1, own row:  5 at D-3 09:00, 3 at D-3 18:00, 0 at D-1 10:00, 3 now (the payload of D-3 18:00 again)
 *  2  product 1, variant 7: 2 at D-2 12:00, 1 at D-1 09:00, 2 now (again)
 *  3  product 2, own row:  4 at D-3 12:00, gone from the shop at D-1 08:00
 * History keeps each distinct payload once, so the returns to 3 and 2 are only in the change log.
 */
describe('the daily stock snapshot', () => {
  let db: TestDatabase;
  const refresh = (full = false): Promise<RefreshResult> =>
    refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: ZONE }, { trigger: 'test', full });
  const stock = async (): Promise<StockRow[]> =>
    (
      await db.pool.query<StockRow>(
        `select product_id::int, variant_id::int, stock_date::text, quantity, is_out_of_stock
         from analytics.fact_stock_daily order by product_id, variant_id, stock_date`,
      )
    ).rows;
  const change = async (id: number, productId: number, variantId: number, quantity: number, when?: string): Promise<void> => {
    await upsertRaw(db.pool, 'stock_availables', [stockPayload({ id, productId, variantId, quantity })]);
    if (when) await backdateLastStockChange(db.pool, id, when);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 }), productPayload({ id: 2 })]);
    await change(1, 1, 0, 5, at(3, '09:00'));
    await change(1, 1, 0, 3, at(3, '18:00'));
    await change(3, 2, 0, 4, at(3, '12:00'));
    await change(2, 1, 7, 2, at(2, '12:00'));
    await change(1, 1, 0, 0, at(1, '10:00'));
    await change(2, 1, 7, 1, at(1, '09:00'));
    await setDeleted(db.pool, 'stock_availables', [3], true);
    await backdateLastStockChange(db.pool, 3, at(1, '08:00'));
    await change(1, 1, 0, 3);
    await change(2, 1, 7, 2);
  });

  afterAll(async () => {
    await db.drop();
  });

  const firstDays: StockRow[] = [
    row(1, 0, 3, 3), row(1, 0, 2, 3), row(1, 0, 1, 0), row(1, 0, 0, 3),
    row(1, 7, 2, 2), row(1, 7, 1, 1), row(1, 7, 0, 2),
    row(2, 0, 3, 4), row(2, 0, 2, 4),
  ];

  it('keeps each day\'s last change, carries it over quiet days, and ends a series gone from the shop', async () => {
    const history = await db.pool.query<{ n: number }>('select count(*)::int as n from raw.prestashop_stock_availables_history where id = 1');
    expect(history.rows[0]?.n).toBe(3);
    expect((await refresh()).mode).toBe('full');
    expect(await stock()).toEqual(firstDays);
  });

  it('writes nothing twice: a rerun and a rebuild give the same rows', async () => {
    const again = await refresh();
    expect(again.mode).toBe('incremental');
    expect(await stock()).toEqual(firstDays);
    await refresh(true);
    expect(await stock()).toEqual(firstDays);
  });

  it('carries every series over the days that passed, and takes today\'s changes, as a rebuild does', async () => {
    await ageWarehouse(db.pool, 2);
    await change(2, 1, 7, 0);
    const incremental = await refresh();
    expect(incremental.mode).toBe('incremental');
    expect(incremental.catalogChanged.stock).toBe(1);
    const expected = [
      row(1, 0, 5, 3), row(1, 0, 4, 3), row(1, 0, 3, 0), row(1, 0, 2, 3), row(1, 0, 1, 3), row(1, 0, 0, 3),
      row(1, 7, 4, 2), row(1, 7, 3, 1), row(1, 7, 2, 2), row(1, 7, 1, 2), row(1, 7, 0, 0),
      row(2, 0, 5, 4), row(2, 0, 4, 4),
    ];
    expect(await stock()).toEqual(expected);
    const tables = await snapshotAnalytics(db.pool);
    await refresh(true);
    expect(await snapshotAnalytics(db.pool)).toEqual(tables);
  });

  it('counts stock-out days per product', async () => {
    const { rows } = await db.pool.query(
      `select product_id::int, days_tracked::int, stock_out_days::int, stock_out_share::text, last_stock_out_date::text,
              days_with_a_variant_out::int, latest_quantity, is_out_of_stock_now
       from analytics.kpi_product_stock_outs order by product_id`,
    );
    expect(rows).toEqual([
      { product_id: 1, days_tracked: 6, stock_out_days: 1, stock_out_share: '0.1667', last_stock_out_date: day(3), days_with_a_variant_out: 1, latest_quantity: 3, is_out_of_stock_now: false },
      { product_id: 2, days_tracked: 2, stock_out_days: 0, stock_out_share: '0.0000', last_stock_out_date: null, days_with_a_variant_out: 0, latest_quantity: 4, is_out_of_stock_now: false },
    ]);
  });
});
