/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import type { QuirkEntry, Sandbox } from '../../sandbox';
import { phpJson } from '../../sandbox/render/json';
import { callJson, start, type Json } from './support';

const QUIRKS = { badTextShare: 0.2, badDateShare: 0.2 };
const SIZES = { customers: 200, orders: 300, products: 40, languages: 2 as const };

const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The test's own reading of rendered records: which bad values they hold, by resource, id, kind and field. */
function scan(sb: Sandbox): string[] {
  const out: string[] = [];
  const text = (resource: string, id: number, field: string, value: unknown, language?: number): void => {
    if (typeof value !== 'string') return;
    const where = `${resource} ${id} ${field}${language === undefined ? '' : `@${language}`}`;
    if (value.includes('\u0000')) out.push(`${where} nul-character`);
    if (UNPAIRED.test(value)) out.push(`${where} unpaired-surrogate`);
  };
  for (const c of sb.control.records('customers') as Json[]) {
    text('customers', c.id, 'note', c.note);
    if (/^\d{4}-\d{2}-00$/.test(c.birthday) && !c.birthday.startsWith('0000')) out.push(`customers ${c.id} birthday zero-day-date`);
    if (/^\d{4}-00-\d{2} /.test(c.newsletter_date_add) && !c.newsletter_date_add.startsWith('0000')) out.push(`customers ${c.id} newsletter_date_add zero-month-date`);
  }
  for (const o of sb.control.records('orders') as Json[]) {
    text('orders', o.id, 'note', o.note);
    text('orders', o.id, 'gift_message', o.gift_message);
    const [y, m, d] = (o.invoice_date as string).slice(0, 10).split('-').map(Number) as [number, number, number];
    if (y > 0 && new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) out.push(`orders ${o.id} invoice_date impossible-date`);
    if (!/^\d+\.\d+$/.test(o.total_wrapping_tax_excl)) out.push(`orders ${o.id} total_wrapping_tax_excl non-numeric-money`);
  }
  for (const p of sb.control.records('products') as Json[]) for (const t of p.name) text('products', p.id, 'name', t.value, t.id);
  return out.sort();
}

const listed = (entries: QuirkEntry[]): string[] =>
  entries.map((q) => `${q.resource} ${q.id} ${q.field}${q.language === undefined ? '' : `@${q.language}`} ${q.kind}`).sort();

const micros = (text: string): bigint => {
  const [whole = '0', frac = ''] = text.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
};

describe('sandbox quirks: bad data the way real shops send it', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ ...SIZES, quirks: QUIRKS });
  });
  afterAll(() => sb.close());

  test('phpJson escapes a NUL and an unpaired surrogate as json_encode writes them, and nothing else', () => {
    expect(phpJson({ a: 'x\u0000y', b: 'half \ud83d', c: 'whole 😀 é', d: 'a/b', e: 'tab\t' })).toBe(
      '{"a":"x\\u0000y","b":"half \\ud83d","c":"whole 😀 é","d":"a\\/b","e":"tab\\t"}',
    );
  });

  test('control.quirks() lists exactly the bad values the records hold, of every kind, at about the share asked', () => {
    const quirks = sb.control.quirks();
    expect(listed(quirks)).toEqual(scan(sb));
    const count = (resource: string, kind: string): number => quirks.filter((q) => q.resource === resource && q.kind === kind).length;
    for (const [resource, kind] of [
      ['customers', 'nul-character'], ['customers', 'zero-day-date'], ['customers', 'zero-month-date'],
      ['orders', 'unpaired-surrogate'], ['orders', 'impossible-date'], ['orders', 'non-numeric-money'], ['products', 'unpaired-surrogate'],
    ] as const) {
      expect([resource, kind, count(resource, kind) > 0]).toEqual([resource, kind, true]);
    }
    const textShare = (count('customers', 'nul-character') / sb.control.count('customers'));
    expect(textShare).toBeGreaterThan(0.1);
    expect(textShare).toBeLessThan(0.3);
    const dateShare = (count('orders', 'impossible-date') + count('orders', 'non-numeric-money')) / sb.control.count('orders');
    expect(dateShare).toBeGreaterThan(0.1);
    expect(dateShare).toBeLessThan(0.3);
    // Product names: in one language only.
    for (const q of quirks.filter((e) => e.resource === 'products')) expect(q.language).toBe(2);
  });

  test('quirks() over HTTP: the same list', async () => {
    const res = await fetch(`${sb.baseUrl}/__sandbox/quirks`);
    expect(((await res.json()) as { result: QuirkEntry[] }).result).toEqual(sb.control.quirks());
  });

  test('on the wire: \\u0000 and \\ud83d escapes, impossible dates and "n/a" as MySQL kept them', async () => {
    const quirks = sb.control.quirks();
    const pick = (kind: string): QuirkEntry => quirks.find((q) => q.kind === kind)!;
    const nul = pick('nul-character');
    const customer = await callJson(sb, `/api/customers/${nul.id}`);
    expect(customer.text).toContain('\\u0000');
    expect(customer.json().customer.note).toContain('\u0000');
    const half = quirks.find((q) => q.resource === 'orders' && q.kind === 'unpaired-surrogate')!;
    const order = await callJson(sb, `/api/orders?display=full&filter[id]=[${half.id}]`);
    expect(order.text).toMatch(/\\ud83d"/);
    expect(UNPAIRED.test(order.json().orders[0][half.field])).toBe(true);
    const money = pick('non-numeric-money');
    expect((await callJson(sb, `/api/orders?display=full&filter[id]=[${money.id}]`)).json().orders[0].total_wrapping_tax_excl).toBe('n/a');
    const zeroDay = pick('zero-day-date');
    expect((await callJson(sb, `/api/customers?display=[id,birthday]&filter[id]=[${zeroDay.id}]`)).json().customers[0].birthday).toMatch(/^\d{4}-\d{2}-00$/);
  });

  test('ids, date_add and date_upd are never touched, and order totals stay consistent with their lines', () => {
    for (const r of [...sb.control.records('customers'), ...sb.control.records('orders'), ...sb.control.records('products')] as Json[]) {
      expect(Number.isInteger(r.id)).toBe(true);
      expect(r.date_add).toMatch(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) \d{2}:\d{2}:\d{2}$/);
      expect(r.date_upd >= r.date_add).toBe(true);
    }
    for (const o of sb.control.records('orders') as Json[]) {
      const lines = o.associations.order_rows as Json[];
      const sum = lines.reduce((acc: bigint, l: Json) => acc + micros(l.unit_price_tax_excl) * BigInt(l.product_quantity), 0n);
      expect(micros(o.total_products)).toBe(((sum + 5_000n) / 10_000n) * 10_000n);
      expect(micros(o.total_paid_tax_excl)).toBe(micros(o.total_products) + micros(o.total_shipping_tax_excl) - micros(o.total_discounts_tax_excl));
    }
  });

  test('the same seed gives the same quirks and bytes; none without the option', async () => {
    const twin = await start({ ...SIZES, quirks: QUIRKS });
    const plain = await start(SIZES);
    try {
      expect(twin.control.quirks()).toEqual(sb.control.quirks());
      const q = '/api/orders?display=full&sort=[id_ASC]&limit=100';
      expect((await callJson(twin, q)).text).toBe((await callJson(sb, q)).text);
      expect(plain.control.quirks()).toEqual([]);
    } finally {
      await Promise.all([twin.close(), plain.close()]);
    }
  });

  test('records made by simulateActivity carry quirks at the same share; update() plants one by hand', async () => {
    const other = await start({ ...SIZES, quirks: QUIRKS });
    try {
      const made = other.control.simulateActivity({ newCustomers: 100, newOrders: 100 }, 3);
      const fresh = new Set([...made.newCustomers.map((id) => `customers ${id}`), ...made.newOrders.map((id) => `orders ${id}`)]);
      const carried = other.control.quirks().filter((q) => fresh.has(`${q.resource} ${q.id}`));
      expect(carried.length).toBeGreaterThan(15);
      expect(carried.length).toBeLessThan(90);
      expect(listed(other.control.quirks())).toEqual(scan(other));

      const clean = other.control.records('customers').find((c) => !other.control.quirks().some((q) => q.id === c.id && q.resource === 'customers'))!;
      other.control.update('customers', clean.id, { note: 'a\u0000b' });
      expect(other.control.quirks()).toContainEqual({ resource: 'customers', id: clean.id, kind: 'nul-character', field: 'note' });
      expect((await callJson(other, `/api/customers/${clean.id}`)).text).toContain('"note":"a\\u0000b"');
    } finally {
      await other.close();
    }
  });
});
