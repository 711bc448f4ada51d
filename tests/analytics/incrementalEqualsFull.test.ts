import { Scope } from '../../shared/analytics/dataQuality';
import { saveReferenceData } from '../../shared/analytics/referenceData';
import { withTransaction } from '../../shared/db/transaction';
import { refreshAnalytics, type RefreshResult } from '../../shared/analytics/refresh';
import type { ShopRecord } from '../../shared/prestashop/api';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { ageWarehouse } from './support/clock';
import { DOCUMENT_REFERENCE, mutateDocuments } from './support/randomDocuments';
import {
  addressPayload,
  carrierPayload,
  categoryPayload,
  combinationPayload,
  countryPayload,
  customerPayload,
  manufacturerPayload,
  orderPayload,
  productPayload,
  setDeleted,
  snapshotAnalytics,
  stockPayload,
  upsertRaw,
  type LineSpec,
} from './support/raw';

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261126;
const RATES = [
  { currencyId: 1, rate: '1.000000' },
  { currencyId: 2, rate: '1.250000' },
  { currencyId: 3, rate: '0.850000' },
  { currencyId: 4, rate: '3.000000' },
];

describe('an incremental refresh equals a full rebuild', () => {
  let db: TestDatabase;
  const random = seeded(SEED);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: T[]): T => items[int(0, items.length - 1)] as T;
  let nextOrderId = 1;
  const liveOrders = new Set<number>();
  const deletedOrders = new Set<number>();

  function randomOrder(id: number): ShopRecord {
    const day = int(1, 75);
    const date = new Date(Date.UTC(2024, 2, 1) + day * 86_400_000);
    const time = `${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:00`;
    const lines: LineSpec[] = Array.from({ length: int(1, 3) }, (_, k) => ({
      id: id * 10 + k,
      productId: int(1, 12),
      quantity: int(1, 4),
      unitPriceTaxExcl: `${int(1, 200)}.${String(int(0, 99)).padStart(2, '0')}0000`,
    }));
    const total = lines.reduce((sum, line) => sum + Math.round(Number(line.unitPriceTaxExcl) * 100) * line.quantity, 0);
    const totalText = `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`;
    const { currencyId, rate } = pick(RATES);
    return orderPayload({
      id,
      customerId: random() < 0.05 ? '' : int(1, 40),
      dateAdd: `${date.toISOString().slice(0, 10)} ${time}`,
      valid: random() < 0.7,
      currencyId,
      conversionRate: rate,
      totalPaidTaxExcl: totalText,
      lines,
      addressDeliveryId: int(1, 22),
      carrierId: int(1, 5),
      variantId: random() < 0.5 ? 0 : int(101, 124),
    });
  }

  // The catalog: categories 1 (root) > 2 > 3..6, brands 1..3, carriers 1..4, countries 1..5, addresses 1..20 (21
  // and 22 never loaded), two variants per product (101..124), a stock row per product and variant (1..36).
  let round = 0;
  const name = (what: string, id: number): string => `${what} ${id}${random() < 0.5 ? '' : ` r${round}`}`;
  const randomProduct = (id: number) => productPayload({ id, categoryId: int(3, 7), manufacturerId: int(1, 4), price: `${int(5, 90)}.000000` });
  const stockOf = (id: number) =>
    stockPayload({ id, productId: id <= 12 ? id : Math.ceil((id - 12) / 2), variantId: id <= 12 ? 0 : 100 + id - 12, quantity: int(-1, 6) });

  async function loadCatalog(): Promise<void> {
    await upsertRaw(db.pool, 'categories', [
      categoryPayload({ id: 1, parentId: 0, depth: 0, name: 'Root' }),
      categoryPayload({ id: 2, parentId: 1, depth: 1, name: 'Home' }),
      ...[3, 4, 5, 6].map((id) => categoryPayload({ id, parentId: id === 6 ? 5 : 2, name: name('Category', id) })),
    ]);
    await upsertRaw(db.pool, 'manufacturers', [1, 2, 3].map((id) => manufacturerPayload({ id, name: name('Brand', id) })));
    await upsertRaw(db.pool, 'carriers', [1, 2, 3, 4].map((id) => carrierPayload({ id, name: name('Carrier', id) })));
    await upsertRaw(db.pool, 'countries', [1, 2, 3, 4, 5].map((id) => countryPayload({ id, iso: `C${id}`, name: name('Country', id) })));
    await upsertRaw(db.pool, 'addresses', Array.from({ length: 20 }, (_, i) => addressPayload({ id: i + 1, customerId: i + 1, countryId: int(1, 6) })));
    await upsertRaw(db.pool, 'combinations', Array.from({ length: 24 }, (_, i) => combinationPayload({ id: 101 + i, productId: Math.ceil((i + 1) / 2), priceImpact: `${int(0, 5)}.500000` })));
    await upsertRaw(db.pool, 'stock_availables', Array.from({ length: 36 }, (_, i) => stockOf(i + 1)));
  }

  async function mutateCatalog(): Promise<void> {
    const some = (n: number, lo: number, hi: number): number[] => [...new Set(Array.from({ length: n }, () => int(lo, hi)))];
    await upsertRaw(db.pool, 'categories', some(2, 3, 6).map((id) => categoryPayload({ id, parentId: id === 6 ? int(2, 5) : 2, name: name('Category', id) })));
    await upsertRaw(db.pool, 'manufacturers', some(1, 1, 3).map((id) => manufacturerPayload({ id, name: name('Brand', id) })));
    await upsertRaw(db.pool, 'carriers', some(1, 1, 4).map((id) => carrierPayload({ id, name: name('Carrier', id), deleted: random() < 0.3 })));
    await upsertRaw(db.pool, 'countries', some(1, 1, 5).map((id) => countryPayload({ id, iso: `C${id}`, name: name('Country', id) })));
    await upsertRaw(db.pool, 'addresses', some(3, 1, 20).map((id) => addressPayload({ id, customerId: id, countryId: int(1, 6) })));
    await upsertRaw(db.pool, 'products', some(2, 1, 12).map(randomProduct));
    await upsertRaw(db.pool, 'combinations', some(2, 101, 124).map((id) => combinationPayload({ id, productId: Math.ceil((id - 100) / 2), priceImpact: `${int(0, 5)}.500000` })));
    await upsertRaw(db.pool, 'stock_availables', some(8, 1, 36).map(stockOf));
    await setDeleted(db.pool, 'stock_availables', [int(1, 36)], random() < 0.5);
    await setDeleted(db.pool, 'categories', [int(3, 6)], random() < 0.3);
  }

  async function mutate(): Promise<void> {
    const inserted: ShopRecord[] = [];
    for (let i = 0; i < int(5, 15); i++) {
      const id = nextOrderId++;
      inserted.push(randomOrder(id));
      liveOrders.add(id);
    }
    const updated = Array.from({ length: int(5, 15) }, () => randomOrder(pick([...liveOrders])));
    await upsertRaw(db.pool, 'orders', [...new Map([...inserted, ...updated].map((o) => [o.id, o])).values()]);
    const toDelete = [...new Set(Array.from({ length: int(1, 4) }, () => pick([...liveOrders])))];
    for (const id of toDelete) {
      liveOrders.delete(id);
      deletedOrders.add(id);
    }
    await setDeleted(db.pool, 'orders', toDelete, true);
    if (deletedOrders.size > 0 && random() < 0.6) {
      const back = pick([...deletedOrders]);
      deletedOrders.delete(back);
      liveOrders.add(back);
      await setDeleted(db.pool, 'orders', [back], false);
    }
    const customerIds = [...new Set(Array.from({ length: int(1, 4) }, () => int(1, 40)))];
    await upsertRaw(db.pool, 'customers', customerIds.map((id) => customerPayload({ id, guest: random() < 0.3, deleted: random() < 0.3 })));
    await setDeleted(db.pool, 'customers', [int(1, 40)], random() < 0.5);
    await setDeleted(db.pool, 'products', [int(1, 12)], random() < 0.5);
    await mutateCatalog();
    const touched = [...new Set([...inserted.map((o) => o.id), ...Array.from({ length: int(3, 8) }, () => int(1, nextOrderId - 1))])];
    await mutateDocuments(db.pool, { int, random }, touched, () => int(1, nextOrderId - 1));
  }

  const wholeTableWarnings = (result: RefreshResult) =>
    result.dataQuality
      .filter((r) => r.details?.scope === Scope.all)
      .map((r) => ({ check: r.check, entity: r.entity, failingCount: r.failingCount, sampleIds: r.sampleIds }));

  const openIssues = async (): Promise<unknown[]> =>
    (await db.pool.query<Record<string, unknown>>('select check_name, entity, record_id, fields from staging.data_quality_issues order by 1, 2, 3')).rows;

  const refresh = (full: boolean) =>
    refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'America/New_York' }, { trigger: 'test', full });

  beforeAll(async () => {
    db = await createTestDatabase();
    await withTransaction(db.pool, (client) => saveReferenceData(client, DOCUMENT_REFERENCE));
    await upsertRaw(db.pool, 'customers', Array.from({ length: 40 }, (_, i) => customerPayload({ id: i + 1, guest: i % 5 === 0 })));
    await upsertRaw(db.pool, 'products', Array.from({ length: 12 }, (_, i) => randomProduct(i + 1)));
    await loadCatalog();
    const orders = Array.from({ length: 150 }, () => {
      const id = nextOrderId++;
      liveOrders.add(id);
      return randomOrder(id);
    });
    await upsertRaw(db.pool, 'orders', orders);
    await mutateDocuments(db.pool, { int, random }, [...liveOrders], () => int(1, nextOrderId - 1));
  });

  afterAll(async () => {
    await db.drop();
  });

  it('after a seeded series of inserts, updates, deletes and undeletes, row by row', async () => {
    const first = await refresh(false);
    expect(first.mode).toBe('full');
    for (round = 1; round <= 8; round++) {
      // Some refreshes come days after the one before: the stock is carried over the days between.
      if (round % 3 === 0) await ageWarehouse(db.pool, round - 1);
      await mutate();
      const result = await refresh(false);
      expect(result.mode).toBe('incremental');
      expect(result.changed.orders).toBeGreaterThan(0);
      if (round % 4 === 0) {
        const incremental = await snapshotAnalytics(db.pool);
        const incrementalIssues = await openIssues();
        const rebuilt = await refresh(true);
        expect(rebuilt.mode).toBe('full');
        const full = await snapshotAnalytics(db.pool);
        for (const table of Object.keys(full)) {
          expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
        }
        // Warnings count the whole warehouse: the incremental refresh reports what the rebuild finds.
        expect(wholeTableWarnings(result)).toEqual(wholeTableWarnings(rebuilt));
        expect(incrementalIssues).toEqual(await openIssues());
        expect(wholeTableWarnings(result).some((w) => w.failingCount > 0)).toBe(true);
        expect((full.fact_orders ?? []).length).toBe(liveOrders.size);
        expect((full.kpi_daily_sales ?? []).length).toBeGreaterThan(20);
        expect((full.fact_stock_daily ?? []).length).toBeGreaterThan(36);
        expect((full.dim_category ?? []).length).toBeGreaterThan(3);
        for (const table of ['fact_refunds', 'fact_payments', 'fact_order_status_changes', 'fact_order_discounts']) {
          expect({ table, rows: (full[table] ?? []).length > 20 }).toEqual({ table, rows: true });
        }
        for (const check of ['payments_match_orders', 'refunds_within_order_total', 'line_refunds_match_slips', 'lines_without_cost']) {
          expect(wholeTableWarnings(rebuilt).find((w) => w.check === check)?.failingCount).toBeGreaterThan(0);
        }
      }
    }
  });

  it('processes only what changed since its checkpoint', async () => {
    const idle = await refresh(false);
    expect(idle.changed).toEqual({ customers: 0, products: 0, orders: 0 });
    const id = [...liveOrders][0]!;
    await upsertRaw(db.pool, 'orders', [randomOrder(id)]);
    const one = await refresh(false);
    expect(one.changed).toEqual({ customers: 0, products: 0, orders: 1 });
  });
});
