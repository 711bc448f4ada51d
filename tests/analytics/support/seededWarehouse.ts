import type { Pool } from 'pg';
import type { ShopRecord } from '../../../shared/prestashop/api';
import { refreshAnalytics } from '../../../shared/analytics/refresh';
import { saveReferenceData, type ReferenceData } from '../../../shared/analytics/referenceData';
import { withTransaction } from '../../../shared/db/transaction';
import { noTelemetry, silentLogger } from '../../../shared/telemetry/types';
import { backdateLastStockChange } from './clock';
import { detailPayload, historyPayload, slipPayload, upsertDocuments } from './documents';
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
  stockPayload,
  upsertRaw,
} from './raw';

export const SEEDED_ZONE = 'Europe/Paris';

const reference: ReferenceData = {
  orderStates: [
    { id: 2, paid: '1', shipped: '0', delivery: '0', logable: '1', invoice: '1', hidden: '0', deleted: '0', color: '#3498D8', module_name: '', name: [{ id: 1, value: 'Payment accepted' }] },
    { id: 4, paid: '1', shipped: '1', delivery: '1', logable: '1', invoice: '1', hidden: '0', deleted: '0', color: '#01B887', module_name: '', name: [{ id: 1, value: 'Shipped' }] },
    { id: 6, paid: '0', shipped: '0', delivery: '0', logable: '0', invoice: '0', hidden: '0', deleted: '0', color: '#2C3E50', module_name: '', name: [{ id: 1, value: 'Canceled' }] },
  ],
  currencies: [
    { id: 1, name: 'Euro', iso_code: 'EUR', precision: 2, conversion_rate: '1.000000', deleted: 0, active: 1 },
    { id: 2, name: 'US Dollar', iso_code: 'USD', precision: 2, conversion_rate: '1.083300', deleted: 0, active: 1 },
  ],
  languages: [],
  settings: { defaultCurrencyId: 1, defaultLangId: 1, timeZone: SEEDED_ZONE, timeZoneSource: 'PS_TIMEZONE' },
};

const naive = (local: string, hours: number): string => new Date(new Date(`${local.replace(' ', 'T')}Z`).getTime() + hours * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

/**
 * The orders' documents: each line's order_detail (a cost for every product but 12), one valid order in three paid an
 * hour after it was placed and shipped 6, 12, 18 or 24 hours later, one in twenty refunded one unit two days later.
 */
async function seedDocuments(pool: Pool, orders: ShopRecord[]): Promise<void> {
  const details: ShopRecord[] = [];
  const histories: ShopRecord[] = [];
  const slips: ShopRecord[] = [];
  for (const order of orders) {
    const id = Number(order.id);
    const row = (order.associations as { order_rows: Record<string, string>[] }).order_rows[0]!;
    const [productId, quantity, unit] = [Number(row.product_id), Number(row.product_quantity), row.unit_price_tax_excl!];
    const dateAdd = String(order.date_add);
    const refunded = id % 20 === 1;
    details.push(detailPayload({ id: id * 10, orderId: id, productId, quantity, unitPriceTaxExcl: unit, wholesalePrice: productId === 12 ? '0.000000' : (Number(unit) * 0.4).toFixed(6), refunded: refunded ? 1 : 0, refundedTaxExcl: refunded ? unit : '0.000000' }));
    if (refunded) slips.push(slipPayload({ id, orderId: id, dateAdd: naive(dateAdd, 48), conversionRate: String(order.conversion_rate), productsTaxExcl: unit, lines: [{ detailId: id * 10, quantity: 1, amountTaxExcl: unit }] }));
    if (order.valid === '1' && id % 3 === 0) {
      histories.push(historyPayload({ id: id * 10, orderId: id, stateId: 2, dateAdd: naive(dateAdd, 1) }));
      histories.push(historyPayload({ id: id * 10 + 1, orderId: id, stateId: 4, dateAdd: naive(dateAdd, 1 + 6 * (1 + (id % 4))) }));
    }
  }
  await upsertDocuments(pool, 'order_details', details);
  await upsertDocuments(pool, 'order_histories', histories);
  await upsertDocuments(pool, 'order_slips', slips);
}

/**
 * A small shop with six months of orders (2024-01-01 to 2024-06-30, some in dollars at an awkward rate so revenue
 * has long decimals), a category tree, brands, carriers, countries, variants and two weeks of stock changes up to
 * today, refreshed into analytics. Deterministic: every number follows from the loop indexes.
 */
export async function seedWarehouse(pool: Pool): Promise<void> {
  await withTransaction(pool, (client) => saveReferenceData(client, reference));
  await upsertRaw(pool, 'categories', [
    categoryPayload({ id: 1, parentId: 0, depth: 0, name: 'Root' }),
    categoryPayload({ id: 2, parentId: 1, depth: 1, name: 'Home' }),
    categoryPayload({ id: 3, parentId: 2, name: 'Clothes' }),
    categoryPayload({ id: 4, parentId: 3, depth: 3, name: 'Men' }),
    categoryPayload({ id: 5, parentId: 2, name: 'Accessories' }),
  ]);
  await upsertRaw(pool, 'manufacturers', [manufacturerPayload({ id: 1, name: 'Studio Design' }), manufacturerPayload({ id: 2, name: 'Graphic Corner' })]);
  await upsertRaw(pool, 'carriers', [carrierPayload({ id: 1, name: 'Click and collect' }), carrierPayload({ id: 2, name: 'My carrier' })]);
  await upsertRaw(pool, 'countries', [
    countryPayload({ id: 8, iso: 'FR', name: 'France' }),
    countryPayload({ id: 21, iso: 'US', name: 'United States' }),
    countryPayload({ id: 3, iso: 'BE', name: 'Belgium' }),
  ]);
  const countries = [8, 8, 8, 21, 3];
  await upsertRaw(pool, 'addresses', Array.from({ length: 30 }, (_, i) => addressPayload({ id: i + 1, customerId: i + 1, countryId: countries[i % 5] ?? 8 })));
  await upsertRaw(pool, 'customers', Array.from({ length: 30 }, (_, i) => customerPayload({ id: i + 1, guest: i % 7 === 0 })));
  await upsertRaw(
    pool,
    'products',
    Array.from({ length: 12 }, (_, i) => productPayload({ id: i + 1, categoryId: i % 3 === 0 ? 5 : 4, manufacturerId: 1 + (i % 2), price: `${10 + i}.000000` })),
  );
  await upsertRaw(pool, 'combinations', Array.from({ length: 6 }, (_, i) => combinationPayload({ id: 101 + i, productId: 1 + (i % 3), priceImpact: '1.500000' })));
  const orders = Array.from({ length: 400 }, (_, i) => {
    const id = i + 1;
    const date = new Date(Date.UTC(2024, 0, 1) + Math.floor((i * 182) / 400) * 86_400_000).toISOString().slice(0, 10);
    const customerId = 1 + ((i * 7) % 30);
    const productId = 1 + ((i * 5) % 12);
    const quantity = 1 + (i % 3);
    const unit = 10 + ((i * 13) % 50) + 0.99;
    const total = (unit * quantity).toFixed(6);
    const dollars = i % 4 === 0;
    // One order in eight used a voucher worth 2.00 of its currency.
    const discount = i % 8 === 3 ? 2 : 0;
    const order = orderPayload({
      id,
      customerId,
      dateAdd: `${date} ${String(8 + (i % 12)).padStart(2, '0')}:15:00`,
      valid: i % 9 !== 0,
      currencyId: dollars ? 2 : 1,
      conversionRate: dollars ? '1.083300' : '1.000000',
      totalPaidTaxExcl: (Number(total) - discount).toFixed(6),
      lines: [{ id: id * 10, productId, quantity, unitPriceTaxExcl: unit.toFixed(6) }],
      addressDeliveryId: customerId,
      carrierId: 1 + (i % 2),
      variantId: productId <= 3 ? 100 + productId : 0,
    });
    return { ...order, total_discounts_tax_excl: discount.toFixed(6) };
  });
  await upsertRaw(pool, 'orders', orders);
  await seedDocuments(pool, orders);
  // Two weeks of stock: product 1 runs out for three days, product 2's variant 102 for one.
  const stockChanges: [number, number, number, number, number][] = [
    // [stock id, product, variant, quantity, days ago]
    [1, 1, 0, 8, 14], [2, 2, 0, 5, 14], [3, 3, 0, 9, 14], [4, 2, 102, 2, 14],
    [1, 1, 0, 0, 6], [4, 2, 102, 0, 5], [4, 2, 102, 3, 4], [1, 1, 0, 6, 3],
  ];
  for (const [id, productId, variantId, quantity, daysAgo] of stockChanges) {
    await upsertRaw(pool, 'stock_availables', [stockPayload({ id, productId, variantId, quantity })]);
    await backdateLastStockChange(pool, id, new Date(Date.now() - daysAgo * 86_400_000).toISOString());
  }
  await refreshAnalytics({ pool, log: silentLogger, telemetry: noTelemetry, timeZone: SEEDED_ZONE }, { trigger: 'test' });
}
