/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import type { Sandbox } from '../../sandbox';
import { start, type Json } from './support';

const ids = (records: Json[]): Set<string> => new Set(records.map((r) => String(r.id)));

/** Catalog and geography agree with the products, orders and customers, and every foreign id resolves. */
describe('catalog, addresses and every foreign id', () => {
  let sb: Sandbox;
  const all: Record<string, Json[]> = {};
  beforeAll(async () => {
    sb = await start({ version: '1.7', orders: 1500, customers: 300, products: 60 });
    for (const resource of [
      'orders', 'customers', 'products', 'order_states', 'currencies', 'order_details', 'order_histories', 'order_payments',
      'order_slip', 'order_cart_rules', 'categories', 'manufacturers', 'carriers', 'addresses', 'countries', 'combinations',
      'stock_availables',
    ] as const) {
      all[resource] = sb.control.records(resource);
    }
  });
  afterAll(() => sb.close());

  test('categories form a tree from Root and Home; products point into it and the categories list them back', () => {
    const categories = new Map(all.categories!.map((c) => [String(c.id), c]));
    expect(categories.get('1')).toMatchObject({ id_parent: '0', level_depth: '0' });
    expect(categories.get('2')).toMatchObject({ id_parent: '1', level_depth: '1', is_root_category: '1' });
    for (const c of categories.values()) {
      if (c.id === 1) continue;
      const parent = categories.get(c.id_parent);
      expect(Number(c.level_depth)).toBe(Number(parent.level_depth) + 1);
    }
    expect(Math.max(...[...categories.values()].map((c) => Number(c.level_depth)))).toBeGreaterThanOrEqual(3);
    for (const p of all.products!) {
      const own = p.associations.categories.map((c: Json) => c.id);
      expect(own).toContain(p.id_category_default);
      for (const c of own) expect(categories.get(c).associations.products.map((x: Json) => x.id)).toContain(String(p.id));
    }
    const home = categories.get('2');
    expect(Number(home.nb_products_recursive)).toBe(all.products!.length);
    const children = (id: string): string[] => (categories.get(id).associations.categories ?? []).map((c: Json) => c.id);
    expect(children('2').every((c) => categories.get(c).id_parent === '2')).toBe(true);
  });

  test('manufacturers, carriers and combinations match what products and orders name', () => {
    const manufacturers = new Map(all.manufacturers!.map((m) => [String(m.id), m]));
    for (const p of all.products!) {
      if (p.id_manufacturer === '0') expect(p.manufacturer_name).toBe('');
      else expect(manufacturers.get(p.id_manufacturer).name).toBe(p.manufacturer_name);
    }
    const carriers = ids(all.carriers!);
    for (const o of all.orders!) expect(carriers).toContain(o.id_carrier);
    expect(all.carriers!.some((c) => c.deleted === '1')).toBe(true);

    const combinations = new Map(all.combinations!.map((c) => [String(c.id), c]));
    const withCombinations = all.products!.filter((p) => p.id_default_combination !== '0');
    expect(withCombinations.length).toBeGreaterThan(3);
    expect(withCombinations.length).toBeLessThan(all.products!.length);
    for (const p of all.products!) {
      const own = (p.associations.combinations ?? []).map((c: Json) => c.id);
      expect(own.map((c: string) => combinations.get(c)?.id_product)).toEqual(own.map(() => String(p.id)));
      if (own.length > 0) {
        expect(own).toContain(p.id_default_combination);
        expect(combinations.get(p.id_default_combination).default_on).toBe('1');
        expect(p.product_type).toBe('combinations');
      }
    }
    for (const d of all.order_details!) {
      if (d.product_attribute_id === '0') continue;
      expect(combinations.get(d.product_attribute_id).id_product).toBe(d.product_id);
    }
    expect(all.order_details!.some((d) => d.product_attribute_id !== '0')).toBe(true);
  });

  test('stock_availables: one row per product and per combination; a product holds the sum of its combinations', () => {
    const stock = new Map(all.stock_availables!.map((s) => [String(s.id), s]));
    const byKey = new Map(all.stock_availables!.map((s) => [`${s.id_product}/${s.id_product_attribute}`, s]));
    expect(byKey.size).toBe(all.products!.length + all.combinations!.length);
    for (const p of all.products!) {
      const own = byKey.get(`${p.id}/0`);
      expect(own.quantity).toBe(p.quantity);
      for (const entry of p.associations.stock_availables) {
        expect(stock.get(entry.id)).toMatchObject({ id_product: String(p.id), id_product_attribute: entry.id_product_attribute });
      }
      const combos = (p.associations.combinations ?? []).map((c: Json) => Number(byKey.get(`${p.id}/${c.id}`).quantity));
      if (combos.length > 0) expect(Number(own.quantity)).toBe(combos.reduce((a: number, b: number) => a + b, 0));
    }
  });

  test('addresses: every order address is its customer’s, in a country the shop lists', () => {
    const addresses = new Map(all.addresses!.map((a) => [String(a.id), a]));
    const countries = ids(all.countries!);
    for (const o of all.orders!) {
      for (const field of ['id_address_delivery', 'id_address_invoice']) expect(addresses.get(o[field])?.id_customer).toBe(o.id_customer);
    }
    for (const a of addresses.values()) {
      expect(countries).toContain(a.id_country);
      expect(a.lastname).not.toBe('');
      expect(a.city).not.toBe('');
    }
    const customers = new Map(all.customers!.map((c) => [String(c.id), c]));
    for (const a of addresses.values()) {
      const customer = customers.get(a.id_customer);
      // A hard-deleted customer's address stays, marked deleted (orders use it).
      if (!customer) expect(a.deleted).toBe('1');
      else expect([a.firstname, a.lastname]).toEqual([customer.firstname, customer.lastname]);
    }
    expect(new Set(all.addresses!.map((a) => a.id_country)).size).toBeGreaterThanOrEqual(5);
  });

  test('every foreign id of the documents resolves (customers may be hard-deleted: their address stays)', () => {
    const has = (resource: string): Set<string> => ids(all[resource]!);
    const [orders, states, currencies, products, details] = ['orders', 'order_states', 'currencies', 'products', 'order_details'].map(has) as [Set<string>, Set<string>, Set<string>, Set<string>, Set<string>];
    const customerOrDeleted = new Set([...has('customers'), ...all.addresses!.filter((a) => a.deleted === '1').map((a) => a.id_customer)]);
    const references = new Set(all.orders!.map((o) => o.reference));
    const missing: string[] = [];
    const check = (what: string, set: Set<string>, value: string): void => {
      if (!set.has(value)) missing.push(`${what} ${value}`);
    };
    for (const o of all.orders!) {
      check('customer', customerOrDeleted, o.id_customer);
      check('currency', currencies, o.id_currency);
      check('state', states, o.current_state);
    }
    for (const d of all.order_details!) {
      check('order', orders, d.id_order);
      check('product', products, d.product_id);
    }
    for (const h of all.order_histories!) {
      check('order', orders, h.id_order);
      check('state', states, h.id_order_state);
    }
    for (const p of all.order_payments!) {
      check('reference', references, p.order_reference);
      check('currency', currencies, p.id_currency);
    }
    for (const r of all.order_cart_rules!) check('order', orders, r.id_order);
    for (const s of all.order_slip!) {
      check('order', orders, s.id_order);
      check('customer', customerOrDeleted, s.id_customer);
      for (const item of s.associations.order_slip_details) check('detail', details, item.id_order_detail);
    }
    for (const s of all.stock_availables!) check('product', products, s.id_product);
    expect(missing).toEqual([]);
  });
});
