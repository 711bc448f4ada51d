import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configurationValue } from '../../shared/analytics/referenceData';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import type { ReferenceResource, ShopApi, ShopRecord } from '../../shared/prestashop/api';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { upsertRaw } from './support/raw';

const fixture = (name: string, key: string): ShopRecord[] => {
  const body = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as Record<string, ShopRecord[] | ShopRecord>;
  const value = body[key];
  return Array.isArray(value) ? value : [value as ShopRecord];
};

const SECRETS = ['passwd', 'secure_key', 'reset_password_token', 'reset_password_validity', 'last_passwd_gen'];
const withoutSecrets = (record: ShopRecord): ShopRecord =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !SECRETS.includes(key))) as ShopRecord;

/** A two-language shop (English 1, French 2, French the default), EUR default, as the client hands it over. */
function referenceTables(timeZone: string): Record<ReferenceResource, ShopRecord[]> {
  return {
    order_states: [
      ...fixture('order-states-list-full.json', 'order_states').map((s) => ({
        ...s,
        name: [{ id: '1', value: 'Payment accepted' }, { id: '2', value: 'Paiement accepté' }],
      })),
    ],
    currencies: [
      ...fixture('currencies-list-full.json', 'currencies'),
      { id: 2, names: 'Euro', name: 'Euro', symbol: '€', iso_code: 'EUR', numeric_iso_code: '978', precision: '2', conversion_rate: '1.000000', deleted: '0', active: '1', unofficial: '0', modified: '0', pattern: '' },
    ],
    languages: [
      { id: 1, name: 'English (English)', iso_code: 'en', locale: 'en-US', active: '1' },
      { id: 2, name: 'Français (French)', iso_code: 'fr', locale: 'fr-FR', active: '1' },
    ],
    configurations: [
      ...fixture('configurations-list-full.json', 'configurations'),
      { id: 40, name: 'PS_CURRENCY_DEFAULT', value: '2', id_shop_group: '', id_shop: '' },
      { id: 41, name: 'PS_LANG_DEFAULT', value: '2', id_shop_group: '', id_shop: '' },
      { id: 42, name: 'PS_LANG_DEFAULT', value: '1', id_shop_group: '1', id_shop: '1' },
      { id: 67, name: 'PS_TIMEZONE', value: timeZone, id_shop_group: '', id_shop: '' },
      { id: 90, name: 'PS_MAIL_PASSWD', value: 'smtp-secret', id_shop_group: '', id_shop: '' },
    ],
  };
}

/** Only listAll and now are part of the reference load; anything else fails the test. */
function fakeApi(timeZone: string, calls: string[]): ShopApi {
  const unexpected = (name: string) => () => {
    throw new Error(`unexpected ShopApi call ${name}`);
  };
  const tables = referenceTables(timeZone);
  return {
    listAll: (resource) => {
      calls.push(resource);
      return Promise.resolve({ records: tables[resource], rejected: [] });
    },
    now: () => Promise.resolve({ utc: new Date('2026-11-26T12:00:00Z'), local: '2026-11-26 13:00:00', timeZone }),
    keysetPages: unexpected('keysetPages'),
    highestId: unexpected('highestId'),
    newestChange: unexpected('newestChange'),
    oldestChangeBetween: unexpected('oldestChangeBetween'),
    fetchById: unexpected('fetchById'),
  };
}

describe('reference data and the shop fixtures', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', fixture('customers-list-full.json', 'customers').map(withoutSecrets));
    await upsertRaw(db.pool, 'products', fixture('products-single.json', 'product'));
    await upsertRaw(db.pool, 'orders', fixture('orders-list-full.json', 'orders').map(withoutSecrets));
  });

  afterAll(async () => {
    await db.drop();
  });

  it('loads order states, currencies, languages and the shop defaults, and keeps no other configuration', async () => {
    const calls: string[] = [];
    const result = await refreshAnalytics(
      { pool: db.pool, api: fakeApi('Europe/Paris', calls), log: silentLogger, telemetry: noTelemetry },
      { trigger: 'test' },
    );
    expect(result.status).toBe('succeeded');
    expect(calls.sort()).toEqual(['configurations', 'currencies', 'languages', 'order_states']);
    const settings = await db.pool.query('select default_currency_id::int, default_lang_id::int, time_zone from staging.shop_settings');
    expect(settings.rows).toEqual([{ default_currency_id: 2, default_lang_id: 2, time_zone: 'Europe/Paris' }]);
    const currencies = await db.pool.query('select currency_id::int, iso_code, conversion_rate::text, is_default from staging.stg_currencies order by currency_id');
    expect(currencies.rows).toEqual([
      { currency_id: 1, iso_code: 'USD', conversion_rate: '1.000000', is_default: false },
      { currency_id: 2, iso_code: 'EUR', conversion_rate: '1.000000', is_default: true },
    ]);
    const states = await db.pool.query('select order_state_id::int, state_name, is_logable, is_paid from staging.stg_order_states');
    expect(states.rows).toEqual([{ order_state_id: 2, state_name: 'Paiement accepté', is_logable: true, is_paid: true }]);
    const stored = await db.pool.query(`select resource, count(*)::int as n from staging.shop_reference group by resource order by resource`);
    expect(stored.rows).toEqual([
      { resource: 'currencies', n: 2 },
      { resource: 'languages', n: 2 },
      { resource: 'order_states', n: 1 },
    ]);
    const leaked = await db.pool.query(`select count(*)::int as n from staging.shop_reference where payload::text like '%smtp-secret%'`);
    expect(leaked.rows[0].n).toBe(0);
  });

  it('types the fixture records: product names per language, money, zero dates, UTC with the shop time zone', async () => {
    const product = await db.pool.query('select product_name, product_names, price_tax_excl::text, supplier_id::int from staging.stg_products');
    expect(product.rows).toEqual([
      { product_name: 'T-shirt imprimé colibri', product_names: { '1': 'Hummingbird printed t-shirt', '2': 'T-shirt imprimé colibri' }, price_tax_excl: '23.900000', supplier_id: 1 },
    ]);
    const order = await db.pool.query(
      `select order_id::int, customer_id::int, is_valid, total_paid_tax_excl::text, total_products::text, invoice_at_local, order_date::text,
              to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_utc
       from staging.stg_orders`,
    );
    // 2022-05-17 17:50:34 in Paris (UTC+2 in May) is 15:50:34 UTC.
    expect(order.rows).toEqual([
      { order_id: 1, customer_id: 2, is_valid: false, total_paid_tax_excl: '66.800000', total_products: '59.800000', invoice_at_local: null, order_date: '2022-05-17', created_utc: '2022-05-17 15:50:34' },
    ]);
    const lines = await db.pool.query('select order_line_id::int, product_id::int, quantity, unit_price_tax_excl::text from staging.stg_order_lines order by order_line_id');
    expect(lines.rows).toEqual([
      { order_line_id: 1, product_id: 1, quantity: 1, unit_price_tax_excl: '23.900000' },
      { order_line_id: 2, product_id: 2, quantity: 1, unit_price_tax_excl: '35.900000' },
    ]);
    const customer = await db.pool.query('select customer_id::int, birthday, newsletter_at_local, is_active, is_deleted from staging.stg_customers');
    expect(customer.rows).toEqual([{ customer_id: 1, birthday: null, newsletter_at_local: null, is_active: false, is_deleted: false }]);
    const fact = await db.pool.query('select revenue_tax_excl::text, is_valid from analytics.fact_orders');
    expect(fact.rows).toEqual([{ revenue_tax_excl: '66.8', is_valid: false }]);
  });

  it('rebuilds everything when the shop time zone changes', async () => {
    const result = await refreshAnalytics(
      { pool: db.pool, api: fakeApi('America/New_York', []), log: silentLogger, telemetry: noTelemetry },
      { trigger: 'test' },
    );
    expect(result.mode).toBe('full');
    expect(result.fullReason).toBe('time zone changed from Europe/Paris to America/New_York');
    const order = await db.pool.query(`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_utc from staging.stg_orders`);
    expect(order.rows).toEqual([{ created_utc: '2022-05-17 21:50:34' }]);
  });

  it('the PRESTASHOP_TIMEZONE override wins over the shop', async () => {
    const result = await refreshAnalytics(
      { pool: db.pool, api: fakeApi('America/New_York', []), log: silentLogger, telemetry: noTelemetry, timeZone: 'Asia/Tokyo' },
      { trigger: 'test' },
    );
    expect(result.fullReason).toBe('time zone changed from America/New_York to Asia/Tokyo');
    const settings = await db.pool.query('select time_zone, time_zone_source from staging.shop_settings');
    expect(settings.rows).toEqual([{ time_zone: 'Asia/Tokyo', time_zone_source: 'override' }]);
  });

  it('picks the shop-wide configuration row over per-shop rows', () => {
    expect(configurationValue(referenceTables('UTC').configurations, 'PS_LANG_DEFAULT')).toBe('2');
    expect(configurationValue(referenceTables('UTC').configurations, 'PS_NOPE')).toBeNull();
  });
});
