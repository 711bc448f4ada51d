/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import { DateTime } from 'luxon';
import type { Sandbox } from '../../sandbox';
import { callJson, start, T0, type Json } from './support';

const micros = (text: string): bigint => {
  const [whole = '0', frac = ''] = text.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
};

/** The generated shop: consistent, varied, and the same for the same seed (values read raw, through the 1.7 view). */
describe('sandbox data generator', () => {
  let sb: Sandbox;
  let orders: Json[];
  let customers: Json[];
  beforeAll(async () => {
    sb = await start({ version: '1.7', orders: 2000, customers: 300, products: 40, languages: 2 });
    orders = sb.control.records('orders');
    customers = sb.control.records('customers');
  });
  afterAll(() => sb.close());

  test('order totals agree with their rows, rounded to cents and shown with 6 decimals', () => {
    for (const o of orders) {
      const rows = o.associations.order_rows as Json[];
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(5);
      const sum = (field: string): bigint => rows.reduce((acc, r) => acc + micros(r[field]) * BigInt(r.product_quantity), 0n);
      const cents = (m: bigint): bigint => ((m + 5_000n) / 10_000n) * 10_000n;
      expect(micros(o.total_products)).toBe(cents(sum('unit_price_tax_excl')));
      expect(micros(o.total_products_wt)).toBe(cents(sum('unit_price_tax_incl')));
      expect(micros(o.total_paid_tax_excl)).toBe(micros(o.total_products) + micros(o.total_shipping_tax_excl) - micros(o.total_discounts_tax_excl));
      expect(micros(o.total_paid_tax_incl)).toBe(micros(o.total_products_wt) + micros(o.total_shipping_tax_incl) - micros(o.total_discounts_tax_incl));
      expect(o.total_paid).toBe(o.total_paid_tax_incl);
      for (const field of ['total_paid', 'total_products', 'total_shipping', 'total_discounts']) expect(o[field]).toMatch(/^\d+\.\d{6}$/);
      expect(o.total_paid).toMatch(/0000$/);
    }
  });

  test('valid is the logable flag of the current state; valid and invalid states both occur', () => {
    const states = new Map(sb.control.records('order_states').map((s) => [String(s.id), s]));
    for (const o of orders) expect(o.valid).toBe(states.get(o.current_state)!.logable);
    const used = new Set(orders.map((o) => o.current_state));
    for (const state of ['5', '2', '6', '8']) expect(used).toContain(state);
    expect(orders.some((o) => o.valid === '0')).toBe(true);
  });

  test('currencies: the default one has rate 1, others not, and orders carry their currency rate', () => {
    const currencies = new Map(sb.control.records('currencies').map((c) => [String(c.id), c]));
    const config = new Map(sb.control.records('configurations').map((c) => [c.name, c.value] as [Json, Json]));
    expect(currencies.get(config.get('PS_CURRENCY_DEFAULT'))!.conversion_rate).toBe('1.000000');
    expect([...currencies.values()].filter((c) => c.conversion_rate !== '1.000000').length).toBeGreaterThanOrEqual(2);
    for (const o of orders) expect(o.conversion_rate).toBe(currencies.get(o.id_currency)!.conversion_rate);
    expect(new Set(orders.map((o) => o.id_currency)).size).toBeGreaterThanOrEqual(3);
  });

  test('customers: guests, soft-deleted ones, and hard-deleted ones whose orders remain', () => {
    expect(customers.some((c) => c.is_guest === '1')).toBe(true);
    expect(customers.some((c) => c.deleted === '1')).toBe(true);
    const present = new Set(customers.map((c) => String(c.id)));
    const orphans = orders.filter((o) => !present.has(o.id_customer));
    expect(orphans.length).toBeGreaterThan(0);
    for (const o of orphans) expect(Number(o.id_customer)).toBeLessThanOrEqual(300);
  });

  test('dates: shop-local, several years, date_add ≤ date_upd ≤ clock, some date_upd shared', () => {
    const now = sb.control.shopLocalNow();
    expect(now).toBe(DateTime.fromSeconds(T0, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd HH:mm:ss'));
    for (const r of [...orders, ...customers, ...sb.control.records('products')]) {
      expect(r.date_add <= r.date_upd).toBe(true);
      expect(r.date_upd <= now).toBe(true);
      expect(r.date_upd).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const years = new Set(orders.map((o) => o.date_add.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(3);
    const counts = new Map<string, number>();
    for (const o of orders) counts.set(o.date_upd, (counts.get(o.date_upd) ?? 0) + 1);
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    expect(orders.some((o) => o.invoice_date === '0000-00-00 00:00:00')).toBe(true);
    expect(customers.some((c) => c.birthday === '0000-00-00')).toBe(true);
  });

  test('1.7 value types: id an int, other fields strings, NULL id_* as "" and other NULLs null', async () => {
    for (const o of orders.slice(0, 50)) {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'id') expect(typeof v).toBe('number');
        else if (k !== 'associations') expect([k, typeof v]).toEqual([k, 'string']);
      }
    }
    const config = (await callJson(sb, '/api/configurations?display=full&filter[name]=[BLOCKSOCIAL_INSTAGRAM]')).json();
    expect(config.configurations[0]).toMatchObject({ value: null, id_shop: '', id_shop_group: '' });
  });

  test('translatable fields: two languages give [{id,value}] lists; a one-language shop gives strings', async () => {
    const two = sb.control.get('products', 1)!;
    expect(two.name).toEqual([
      { id: '1', value: expect.any(String) },
      { id: '2', value: expect.any(String) },
    ]);
    const one = await start({ products: 3, orders: 5 });
    try {
      expect(typeof one.control.get('products', 1)!.name).toBe('string');
      expect(typeof (await callJson(one, '/api/order_states/2')).json().order_state.name).toBe('string');
    } finally {
      await one.close();
    }
  });

  test('the same seed gives the same bytes; another seed another shop', async () => {
    const q = '/api/orders?display=full&sort=[id_ASC]&limit=100';
    const a = await start({ seed: 99, orders: 300 });
    const b = await start({ seed: 99, orders: 300 });
    const c = await start({ seed: 100, orders: 300 });
    try {
      const [ta, tb, tc] = await Promise.all([a, b, c].map(async (s) => (await callJson(s, q)).text));
      expect(ta).toBe(tb);
      expect(ta).not.toBe(tc);
      const unsorted = await Promise.all([a, b].map(async (s) => (await callJson(s, '/api/customers')).text));
      expect(unsorted[0]).toBe(unsorted[1]);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('the history is generated in the shop time zone', async () => {
    const ny = await start({ timeZone: 'America/New_York', orders: 50 });
    try {
      const tz = (await callJson(ny, '/api/configurations?display=[id,name,value]&filter[name]=[PS_TIMEZONE]')).json();
      expect(tz.configurations[0].value).toBe('America/New_York');
      expect(ny.control.shopLocalNow()).toBe('2024-06-03 06:00:00');
      const newest = (await callJson(ny, '/api/orders?display=[id,date_upd]&date=1&sort=[date_upd_DESC,id_DESC]&limit=1')).json();
      expect(newest.orders[0].date_upd <= '2024-06-03 06:00:00').toBe(true);
    } finally {
      await ny.close();
    }
  });
});
