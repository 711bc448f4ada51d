import { listRows, singleRow } from '../../shared/prestashop/envelope';
import { errorsFromJson, errorsFromXml } from '../../shared/prestashop/errors';
import { customerSchema, languageValue, orderSchema, parseRows, productSchema } from '../../shared/prestashop/schemas';
import { fixture } from './support/fakeShop';

describe('parseRows', () => {
  it('accepts the real customer record and keeps it as received', () => {
    const rows = listRows(JSON.parse(fixture('customers-list-full.json')), 'customers');
    const { records, rejected } = parseRows(rows, customerSchema);
    expect(rejected).toEqual([]);
    expect(records[0]).toBe(rows[0]);
  });

  it('sets a bad row aside with its reason, without secrets, and keeps the others', () => {
    const good = (JSON.parse(fixture('customers-list-full.json')) as { customers: Record<string, unknown>[] }).customers[0]!;
    const bad = { ...good, id: 2, date_upd: '0000-00-00 00:00:00' };
    const { records, rejected } = parseRows([good, bad, { ...good, id: 3 }], customerSchema);
    expect(records.map((r) => r.id)).toEqual([1, 3]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ id: 2, reason: expect.stringContaining('date_upd') });
    expect(rejected[0]?.payload).not.toHaveProperty('passwd');
    expect(rejected[0]?.payload).not.toHaveProperty('secure_key');
    expect(rejected[0]?.payload).toHaveProperty('email', 'anonymous@psgdpr.com');
  });

  it('checks the order_rows shape', () => {
    const order = (JSON.parse(fixture('orders-list-full.json')) as { orders: Record<string, unknown>[] }).orders[0]!;
    expect(parseRows([order], orderSchema).rejected).toEqual([]);
    const broken = { ...order, associations: { order_rows: [{ id: '1', product_id: '1', product_quantity: 'two', unit_price_tax_incl: '1.0', unit_price_tax_excl: '1.0' }] } };
    expect(parseRows([broken], orderSchema).rejected[0]?.reason).toMatch(/associations\.order_rows\.0\.product_quantity/);
    const noRows = { ...order, associations: undefined };
    expect(parseRows([noRows], orderSchema).rejected).toEqual([]);
  });

  it('accepts translatable fields in both shapes', () => {
    const single = (JSON.parse(fixture('products-list-full.json')) as { products: unknown[] }).products;
    const multi = singleRow(JSON.parse(fixture('products-single.json')), 'products', 'product');
    expect(parseRows([...single, multi], productSchema).rejected).toEqual([]);
    expect(parseRows([{ ...(multi as object), name: [{ id: '1' }] }], productSchema).rejected).toHaveLength(1);
  });
});

describe('languageValue', () => {
  it('reads a plain string or the entry of one language', () => {
    expect(languageValue('Mug', 3)).toBe('Mug');
    expect(languageValue([{ id: '1', value: 'Mug' }, { id: '2', value: 'Tasse' }], 2)).toBe('Tasse');
    expect(languageValue([{ id: '1', value: 'Mug' }], '1')).toBe('Mug');
    expect(languageValue([{ id: '1', value: 'Mug' }], 2)).toBeNull();
    expect(languageValue(undefined, 1)).toBeNull();
  });
});

describe('envelopes', () => {
  it('accepts the empty shapes and refuses the rest', () => {
    expect(listRows([], 'orders')).toEqual([]);
    expect(listRows({ orders: [] }, 'orders')).toEqual([]);
    expect(listRows({}, 'orders')).toEqual([]);
    expect(() => listRows([{ id: 1 }], 'orders')).toThrow(/expected/);
    expect(() => listRows({ order: {} }, 'orders')).toThrow(/keys \["order"\]/);
    expect(() => listRows({ orders: {} }, 'orders')).toThrow(/to be a list/);
    expect(() => listRows('x', 'orders')).toThrow(/string/);
  });

  it('reads single records in the three shapes', () => {
    expect(singleRow({ order: { id: 5 } }, 'orders', 'order')).toEqual({ id: 5 });
    expect(singleRow({ orders: [{ id: 5 }] }, 'orders', 'order')).toEqual({ id: 5 });
    expect(singleRow([], 'orders', 'order')).toBeNull();
    expect(() => singleRow({ orders: [{ id: 5 }, { id: 6 }] }, 'orders', 'order')).toThrow(/at most one/);
  });
});

describe('error envelopes', () => {
  it('reads JSON and XML errors', () => {
    expect(errorsFromJson(JSON.parse(fixture('error-401.json')))).toEqual([
      { code: 20, message: 'Authentification key is not active' },
      { code: 21, message: 'No permission for this authentication key' },
    ]);
    expect(errorsFromJson({ orders: [] })).toBeNull();
    expect(errorsFromXml(fixture('error-500-php-notice.xml'))?.[0]?.code).toBe(5);
    expect(errorsFromXml(fixture('empty-list.xml'))).toBeNull();
  });
});
