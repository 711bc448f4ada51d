import { refreshAnalytics, type RefreshResult } from '../../shared/analytics/refresh';
import { saveReferenceData, type ReferenceData } from '../../shared/analytics/referenceData';
import { withTransaction } from '../../shared/db/transaction';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import {
  addressPayload,
  asPrestaShop17,
  carrierPayload,
  categoryPayload,
  combinationPayload,
  countryPayload,
  customerPayload,
  manufacturerPayload,
  orderPayload,
  productPayload,
  snapshotAnalytics,
  upsertRaw,
} from './support/raw';

/*
 * A small shop in two languages, English (1) and French (2, the default), in the shapes PrestaShop 8.1 sends
 * (integers as JSON numbers) and, for some records, 1.7 (every integer a string).
 *
 * categories: 1 Root (no parent) > 2 Accueil > 3 Vêtements > 4 Hommes; 2 > 5 Accessoires (1.7 strings)
 * manufacturers: 1 Studio Design, 2 Graphic Corner; carriers: 1 Retrait, 2 Transporteur; countries: 8 FR, 21 US
 * addresses: 5 in FR, 6 in US (1.7 strings); products: 1 (category 4, brand 1, 10.00), 2 (category 5, brand 2)
 * variants of product 1: 11 (+1.50), 12 (-2.00); orders: 1 to address 5 by carrier 2 (variant 11), 2 to
 * address 6 by carrier 1 in JPY (0 decimals), 3 to address 5 by carrier 1
 */
const reference: ReferenceData = {
  orderStates: [
    { id: 2, paid: '1', shipped: '0', delivery: '0', logable: '1', invoice: '1', hidden: '0', deleted: '0', color: '#3498D8', module_name: '', name: [{ id: 1, value: 'Payment accepted' }, { id: 2, value: 'Paiement accepté' }] },
    { id: 6, paid: '0', shipped: '0', delivery: '0', logable: '0', invoice: '0', hidden: '0', deleted: '0', color: '#2C3E50', module_name: '', name: [{ id: 1, value: 'Canceled' }, { id: 2, value: 'Annulé' }] },
  ],
  currencies: [
    { id: 1, name: 'Euro', symbol: [{ id: 1, value: '€' }], iso_code: 'EUR', numeric_iso_code: '978', precision: 2, conversion_rate: '1.000000', deleted: 0, active: 1 },
    { id: 3, name: 'Yen', symbol: [{ id: 1, value: '¥' }], iso_code: 'JPY', numeric_iso_code: '392', precision: 0, conversion_rate: '160.000000', deleted: 0, active: 1 },
  ],
  languages: [],
  settings: { defaultCurrencyId: 1, defaultLangId: 2, timeZone: 'Europe/Paris', timeZoneSource: 'PS_TIMEZONE' },
};

describe('catalog and geography in analytics', () => {
  let db: TestDatabase;
  const refresh = (full = false): Promise<RefreshResult> =>
    refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry }, { trigger: 'test', full });
  const rows = async (sql: string): Promise<unknown[]> => (await db.pool.query<Record<string, unknown>>(sql)).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    await withTransaction(db.pool, (client) => saveReferenceData(client, reference));
    await upsertRaw(db.pool, 'categories', [
      categoryPayload({ id: 1, parentId: 0, depth: 0, name: [[1, 'Root'], [2, 'Racine']] }),
      categoryPayload({ id: 2, parentId: 1, depth: 1, name: [[1, 'Home'], [2, 'Accueil']] }),
      categoryPayload({ id: 3, parentId: 2, name: [[1, 'Clothes'], [2, 'Vêtements']] }),
      categoryPayload({ id: 4, parentId: 3, depth: 3, name: [[1, 'Men'], [2, 'Hommes']] }),
      asPrestaShop17(categoryPayload({ id: 5, parentId: 2, name: [[1, 'Accessories'], [2, 'Accessoires']] })),
    ]);
    await upsertRaw(db.pool, 'manufacturers', [manufacturerPayload({ id: 1, name: 'Studio Design' }), manufacturerPayload({ id: 2, name: 'Graphic Corner' })]);
    await upsertRaw(db.pool, 'carriers', [carrierPayload({ id: 1, name: 'Retrait' }), carrierPayload({ id: 2, name: 'Transporteur' })]);
    await upsertRaw(db.pool, 'countries', [
      countryPayload({ id: 8, iso: 'FR', name: [[1, 'France'], [2, 'France']] }),
      asPrestaShop17(countryPayload({ id: 21, iso: 'US', name: [[1, 'United States'], [2, 'États-Unis']] })),
    ]);
    await upsertRaw(db.pool, 'addresses', [addressPayload({ id: 5, customerId: 1, countryId: 8 }), asPrestaShop17(addressPayload({ id: 6, customerId: 2, countryId: 21 }))]);
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 }), customerPayload({ id: 2 })]);
    await upsertRaw(db.pool, 'products', [
      productPayload({ id: 1, categoryId: 4, manufacturerId: 1, price: '10.000000' }),
      productPayload({ id: 2, categoryId: 5, manufacturerId: 2, price: '5.000000' }),
    ]);
    await upsertRaw(db.pool, 'combinations', [
      combinationPayload({ id: 11, productId: 1, reference: 'TEE-S', priceImpact: '1.500000', isDefault: true }),
      asPrestaShop17(combinationPayload({ id: 12, productId: 1, reference: 'TEE-XL', priceImpact: '-2.000000' })),
    ]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-03-10 09:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '11.500000', addressDeliveryId: 5, carrierId: 2, variantId: 11 }),
      orderPayload({ id: 2, customerId: 2, dateAdd: '2024-03-11 09:00:00', valid: true, currencyId: 3, conversionRate: '160.000000', totalPaidTaxExcl: '1234.000000', addressDeliveryId: 6, carrierId: 1 }),
      orderPayload({ id: 3, customerId: 1, dateAdd: '2024-03-12 09:00:00', valid: false, conversionRate: '1.000000', totalPaidTaxExcl: '5.000000', addressDeliveryId: 5, carrierId: 1 }),
    ]);
    await refresh();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('names order states in the default language and flags the default currency', async () => {
    expect(await rows('select order_state_id::int, state_name, is_paid, is_logable from analytics.dim_order_state order by 1')).toEqual([
      { order_state_id: 2, state_name: 'Paiement accepté', is_paid: true, is_logable: true },
      { order_state_id: 6, state_name: 'Annulé', is_paid: false, is_logable: false },
    ]);
    expect(await rows('select currency_id::int, iso_code, decimals, is_default from analytics.dim_currency order by 1')).toEqual([
      { currency_id: 1, iso_code: 'EUR', decimals: 2, is_default: true },
      { currency_id: 3, iso_code: 'JPY', decimals: 0, is_default: false },
    ]);
  });

  it('builds the category tree with each path, from 8.1 numbers and 1.7 strings alike', async () => {
    expect(await rows('select category_id::int, parent_category_id::int, category_name, category_path, level_depth from analytics.dim_category order by 1')).toEqual([
      { category_id: 1, parent_category_id: null, category_name: 'Racine', category_path: 'Racine', level_depth: 0 },
      { category_id: 2, parent_category_id: 1, category_name: 'Accueil', category_path: 'Accueil', level_depth: 1 },
      { category_id: 3, parent_category_id: 2, category_name: 'Vêtements', category_path: 'Accueil > Vêtements', level_depth: 2 },
      { category_id: 4, parent_category_id: 3, category_name: 'Hommes', category_path: 'Accueil > Vêtements > Hommes', level_depth: 3 },
      { category_id: 5, parent_category_id: 2, category_name: 'Accessoires', category_path: 'Accueil > Accessoires', level_depth: 2 },
    ]);
    expect(await rows('select country_id::int, iso_code, country_name, zone_id::int, call_prefix from analytics.dim_country order by 1')).toEqual([
      { country_id: 8, iso_code: 'FR', country_name: 'France', zone_id: 1, call_prefix: 33 },
      { country_id: 21, iso_code: 'US', country_name: 'États-Unis', zone_id: 1, call_prefix: 33 },
    ]);
  });

  it('gives products their category and brand, orders their country, payment and carrier, lines their variant', async () => {
    expect(await rows('select product_id::int, category_default_name, category_path, manufacturer_name from analytics.dim_product order by 1')).toEqual([
      { product_id: 1, category_default_name: 'Hommes', category_path: 'Accueil > Vêtements > Hommes', manufacturer_name: 'Studio Design' },
      { product_id: 2, category_default_name: 'Accessoires', category_path: 'Accueil > Accessoires', manufacturer_name: 'Graphic Corner' },
    ]);
    expect(
      await rows(`select order_id::int, delivery_address_id::int, delivery_country_id::int, delivery_country_iso, delivery_country_name,
                         payment_method, payment_module, carrier_id::int, carrier_name
                  from analytics.fact_orders order by 1`),
    ).toEqual([
      { order_id: 1, delivery_address_id: 5, delivery_country_id: 8, delivery_country_iso: 'FR', delivery_country_name: 'France', payment_method: 'Payment by check', payment_module: 'ps_checkpayment', carrier_id: 2, carrier_name: 'Transporteur' },
      { order_id: 2, delivery_address_id: 6, delivery_country_id: 21, delivery_country_iso: 'US', delivery_country_name: 'États-Unis', payment_method: 'Payment by check', payment_module: 'ps_checkpayment', carrier_id: 1, carrier_name: 'Retrait' },
      { order_id: 3, delivery_address_id: 5, delivery_country_id: 8, delivery_country_iso: 'FR', delivery_country_name: 'France', payment_method: 'Payment by check', payment_module: 'ps_checkpayment', carrier_id: 1, carrier_name: 'Retrait' },
    ]);
    expect(await rows('select order_id::int, variant_id::int, product_attribute_id::int from analytics.fact_order_lines order by 1')).toEqual([
      { order_id: 1, variant_id: 11, product_attribute_id: 11 },
      { order_id: 2, variant_id: 0, product_attribute_id: 0 },
      { order_id: 3, variant_id: 0, product_attribute_id: 0 },
    ]);
    expect(await rows('select variant_id::int, product_id::int, reference, price_impact_tax_excl::text, price_tax_excl::text, is_default from analytics.dim_product_variant order by 1')).toEqual([
      { variant_id: 11, product_id: 1, reference: 'TEE-S', price_impact_tax_excl: '1.500000', price_tax_excl: '11.500000', is_default: true },
      { variant_id: 12, product_id: 1, reference: 'TEE-XL', price_impact_tax_excl: '-2.000000', price_tax_excl: '8.000000', is_default: false },
    ]);
  });

  it('shows money in the reading views rounded to each currency\'s precision', async () => {
    expect(
      await rows(`select order_id::int, current_state_name, currency_iso_code, total_paid_tax_excl::text, revenue_tax_excl::text
                  from analytics.orders order by 1`),
    ).toEqual([
      { order_id: 1, current_state_name: 'Paiement accepté', currency_iso_code: 'EUR', total_paid_tax_excl: '11.50', revenue_tax_excl: '11.50' },
      // 1234 yen at 160 to the euro: 7.7125 euros, shown as 7.71; the yen total has no decimals.
      { order_id: 2, current_state_name: 'Paiement accepté', currency_iso_code: 'JPY', total_paid_tax_excl: '1234', revenue_tax_excl: '7.71' },
      { order_id: 3, current_state_name: 'Annulé', currency_iso_code: 'EUR', total_paid_tax_excl: '5.00', revenue_tax_excl: '5.00' },
    ]);
    expect(await rows("select revenue_tax_excl::text from analytics.fact_orders where order_id = 2")).toEqual([{ revenue_tax_excl: '7.7125' }]);
    expect(await rows('select order_line_id::int, variant_reference, category_path, manufacturer_name, line_revenue_tax_excl::text from analytics.order_lines where order_id = 1')).toEqual([
      { order_line_id: 100, variant_reference: 'TEE-S', category_path: 'Accueil > Vêtements > Hommes', manufacturer_name: 'Studio Design', line_revenue_tax_excl: '11.50' },
    ]);
  });

  it('refreshes the products and orders that name a renamed lookup, and ends equal to a full rebuild', async () => {
    await upsertRaw(db.pool, 'categories', [categoryPayload({ id: 3, parentId: 2, name: [[1, 'Clothes'], [2, 'Habits']] })]);
    await upsertRaw(db.pool, 'manufacturers', [manufacturerPayload({ id: 2, name: 'Graphic Corner Ltd' })]);
    await upsertRaw(db.pool, 'carriers', [carrierPayload({ id: 2, name: 'Transporteur express' })]);
    await upsertRaw(db.pool, 'addresses', [addressPayload({ id: 6, customerId: 2, countryId: 8 })]);
    await upsertRaw(db.pool, 'countries', [countryPayload({ id: 8, iso: 'FR', name: [[1, 'France'], [2, 'République française']] })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1, categoryId: 4, manufacturerId: 1, price: '20.000000' })]);
    const incremental = await refresh();
    expect(incremental.mode).toBe('incremental');
    expect(incremental.catalogChanged).toMatchObject({ categories: 1, manufacturers: 1, carriers: 1, addresses: 1, countries: 1, combinations: 0 });

    // Product 1's category is below the renamed one: its path changes too.
    expect(await rows('select product_id::int, category_path, manufacturer_name from analytics.dim_product order by 1')).toEqual([
      { product_id: 1, category_path: 'Accueil > Habits > Hommes', manufacturer_name: 'Studio Design' },
      { product_id: 2, category_path: 'Accueil > Accessoires', manufacturer_name: 'Graphic Corner Ltd' },
    ]);
    expect(await rows('select order_id::int, delivery_country_iso, delivery_country_name, carrier_name from analytics.fact_orders order by 1')).toEqual([
      { order_id: 1, delivery_country_iso: 'FR', delivery_country_name: 'République française', carrier_name: 'Transporteur express' },
      { order_id: 2, delivery_country_iso: 'FR', delivery_country_name: 'République française', carrier_name: 'Retrait' },
      { order_id: 3, delivery_country_iso: 'FR', delivery_country_name: 'République française', carrier_name: 'Retrait' },
    ]);
    // A variant's price follows its product's.
    expect(await rows('select variant_id::int, price_tax_excl::text from analytics.dim_product_variant order by 1')).toEqual([
      { variant_id: 11, price_tax_excl: '21.500000' },
      { variant_id: 12, price_tax_excl: '18.000000' },
    ]);

    const before = await snapshotAnalytics(db.pool);
    expect((await refresh(true)).mode).toBe('full');
    expect(await snapshotAnalytics(db.pool)).toEqual(before);
  });

  it('drops a category gone from the shop, and the names of the products in it', async () => {
    await db.pool.query('update raw.prestashop_categories set deleted_at = now() where id = 5');
    await refresh();
    expect(await rows('select product_id::int, category_default_id::int, category_default_name, category_path from analytics.dim_product where product_id = 2')).toEqual([
      { product_id: 2, category_default_id: 5, category_default_name: null, category_path: null },
    ]);
    expect(await rows('select count(*)::int as n from analytics.dim_category where category_id = 5')).toEqual([{ n: 0 }]);
  });
});
