/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import type { Sandbox } from '../../sandbox';
import { start, type Json } from './support';

/** Decimal strings as exact micro-units. */
const micros = (text: string): bigint => {
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
  return negative ? -value : value;
};
const toCents = (m: bigint): bigint => ((m + 5_000n) / 10_000n) * 10_000n;

function groupBy(rows: Json[], field: string): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  for (const row of rows) out.set(String(row[field]), [...(out.get(String(row[field])) ?? []), row]);
  return out;
}

/**
 * The consistency rules of the order documents (sandbox/README.md, "Order documents"), read raw through the 1.7
 * view (every value a string) on a shop large enough for every case to occur.
 */
describe('order documents: consistent with their orders, as PrestaShop keeps them', () => {
  let sb: Sandbox;
  let orders: Json[];
  let details: Map<string, Json[]>;
  let histories: Map<string, Json[]>;
  let payments: Map<string, Json[]>;
  let slips: Map<string, Json[]>;
  let cartRules: Map<string, Json[]>;
  let states: Map<string, Json>;
  beforeAll(async () => {
    sb = await start({ version: '1.7', orders: 3000, customers: 400, products: 40 });
    orders = sb.control.records('orders');
    details = groupBy(sb.control.records('order_details'), 'id_order');
    histories = groupBy(sb.control.records('order_histories'), 'id_order');
    payments = groupBy(sb.control.records('order_payments'), 'order_reference');
    slips = groupBy(sb.control.records('order_slip'), 'id_order');
    cartRules = groupBy(sb.control.records('order_cart_rules'), 'id_order');
    states = new Map(sb.control.records('order_states').map((s) => [String(s.id), s]));
  });
  afterAll(() => sb.close());

  test('order_details are the order rows, same ids, with totals that add up to the order', () => {
    let withCost = 0;
    let withoutCost = 0;
    const wrong: string[] = [];
    const copied = ['product_id', 'product_attribute_id', 'product_quantity', 'product_name', 'product_reference', 'product_price', 'unit_price_tax_incl', 'unit_price_tax_excl'];
    for (const o of orders) {
      const lines = details.get(String(o.id)) ?? [];
      const rows = o.associations.order_rows as Json[];
      if (lines.map((d) => String(d.id)).sort().join() !== rows.map((r) => r.id).sort().join()) wrong.push(`order ${o.id}: lines`);
      for (const row of rows) {
        const d = lines.find((l) => String(l.id) === row.id) ?? {};
        for (const field of copied) if (d[field] !== row[field]) wrong.push(`detail ${row.id}: ${field}`);
        if (micros(d.total_price_tax_excl) !== micros(d.unit_price_tax_excl) * BigInt(d.product_quantity)) wrong.push(`detail ${row.id}: total excl`);
        if (micros(d.total_price_tax_incl) !== micros(d.unit_price_tax_incl) * BigInt(d.product_quantity)) wrong.push(`detail ${row.id}: total incl`);
        if (micros(d.purchase_supplier_price) > 0n || micros(d.original_wholesale_price) > 0n) withCost += 1;
        else withoutCost += 1;
      }
      if (lines.reduce((sum, d) => sum + micros(d.total_price_tax_excl), 0n) !== micros(o.total_products)) wrong.push(`order ${o.id}: total_products`);
      if (toCents(lines.reduce((sum, d) => sum + micros(d.total_price_tax_incl), 0n)) !== micros(o.total_products_wt)) wrong.push(`order ${o.id}: total_products_wt`);
    }
    expect(wrong).toEqual([]);
    expect(withCost).toBeGreaterThan(100);
    expect(withoutCost).toBeGreaterThan(100);
  });

  test('order_histories walk each order from its date_add to its current_state, in date order, valid = logable', () => {
    const paths = new Set<string>();
    const wrong: string[] = [];
    for (const o of orders) {
      const walk = (histories.get(String(o.id)) ?? []).sort((a, b) => a.id - b.id);
      if (walk.length === 0) {
        wrong.push(`order ${o.id}: no history`);
        continue;
      }
      if (walk[0].date_add !== o.date_add) wrong.push(`order ${o.id}: first history not at date_add`);
      if (walk.at(-1).id_order_state !== o.current_state) wrong.push(`order ${o.id}: last history not current_state`);
      if (walk.at(-1).date_add > o.date_upd) wrong.push(`order ${o.id}: history after date_upd`);
      for (let i = 1; i < walk.length; i += 1) if (walk[i].date_add < walk[i - 1].date_add) wrong.push(`order ${o.id}: histories out of date order`);
      if (o.valid !== states.get(o.current_state).logable) wrong.push(`order ${o.id}: valid`);
      paths.add(walk.map((h) => h.id_order_state).join('>'));
    }
    expect(wrong).toEqual([]);
    // Paid, then shipped, then delivered (by the states' own flags); cancelled before payment; refunded after.
    const flagsOf = (path: string): Json[] => path.split('>').map((s) => states.get(s));
    expect([...paths].some((p) => { const f = flagsOf(p); return f.length >= 4 && f.findIndex((s) => s.paid === '1') < f.findIndex((s) => s.shipped === '1') && f.at(-1).delivery === '1' && f.at(-1).shipped === '1'; })).toBe(true);
    expect([...paths].some((p) => p.endsWith('>6'))).toBe(true);
    expect([...paths].some((p) => p.endsWith('>4>5>7'))).toBe(true);
    expect([...paths].some((p) => p.endsWith('>2>7'))).toBe(true);
    for (const o of orders.filter((x) => x.current_state === '7')) expect(o.valid).toBe('0');
  });

  test('payments of a reference add up to the total_paid_real of its orders; unpaid orders have none', () => {
    const byReference = groupBy(orders, 'reference');
    const methods = new Set(['Bank transfer', 'Payment by check', 'Card / PayPal', 'Gift card']);
    const wrong: string[] = [];
    let split = 0;
    let foreign = 0;
    for (const [reference, ofReference] of byReference) {
      const rate = Number(ofReference[0].conversion_rate);
      if (ofReference.some((o) => o.id_currency !== ofReference[0].id_currency)) wrong.push(`${reference}: currencies`);
      const paid = payments.get(reference) ?? [];
      const value = paid.reduce((sum, p) => sum + BigInt(Math.round((Number(p.amount) * rate * 100) / Number(p.conversion_rate))) * 10_000n, 0n);
      if (value !== ofReference.reduce((sum, o) => sum + micros(o.total_paid_real), 0n)) wrong.push(`${reference}: payments ${value}`);
      for (const p of paid) {
        if (!methods.has(p.payment_method)) wrong.push(`payment ${p.id}: ${p.payment_method}`);
        if (p.date_add < ofReference[0].date_add) wrong.push(`payment ${p.id}: before its order`);
      }
      if (ofReference.length === 1 && paid.length === 2) split += 1;
      if (paid.some((p) => p.id_currency !== ofReference[0].id_currency)) foreign += 1;
    }
    expect(wrong).toEqual([]);
    expect(split).toBeGreaterThan(20);
    expect(foreign).toBeGreaterThan(20);
    const unpaid = orders.filter((o) => o.total_paid_real === '0.000000');
    expect(unpaid.length).toBeGreaterThan(100);
    for (const o of unpaid.filter((x) => byReference.get(x.reference)!.length === 1)) expect(payments.get(o.reference)).toBeUndefined();
  });

  test('credit slips never exceed their order, point to its lines, and the lines record them', () => {
    let partial = 0;
    let full = 0;
    let later = 0;
    for (const o of orders) {
      const ofOrder = slips.get(String(o.id)) ?? [];
      if (ofOrder.length === 0) continue;
      expect(micros(o.total_paid_real)).toBeGreaterThan(0n);
      const refunded = ofOrder.reduce((sum, s) => sum + micros(s.total_products_tax_incl) + micros(s.total_shipping_tax_incl), 0n);
      expect(refunded <= micros(o.total_paid_tax_incl)).toBe(true);
      expect(ofOrder.reduce((sum, s) => sum + micros(s.total_shipping_tax_excl), 0n) <= micros(o.total_shipping_tax_excl)).toBe(true);
      const lines = details.get(String(o.id)) ?? [];
      for (const s of ofOrder) {
        expect(s.id_customer).toBe(o.id_customer);
        expect(s.amount).toBe(s.total_products_tax_excl);
        expect(s.date_upd).toBe(s.date_add);
        if (s.date_add.slice(0, 10) > o.date_add.slice(0, 10)) later += 1;
        for (const item of s.associations.order_slip_details) {
          expect(item.id).toBe(String(s.id));
          expect(lines.map((d) => String(d.id))).toContain(item.id_order_detail);
        }
      }
      for (const d of lines) {
        const items = ofOrder.flatMap((s) => s.associations.order_slip_details).filter((i: Json) => i.id_order_detail === String(d.id));
        expect(Number(d.product_quantity_refunded)).toBe(items.reduce((sum: number, i: Json) => sum + Number(i.product_quantity), 0));
        expect(Number(d.product_quantity_refunded) <= Number(d.product_quantity)).toBe(true);
        expect(micros(d.total_refunded_tax_excl)).toBe(items.reduce((sum: bigint, i: Json) => sum + micros(i.amount_tax_excl), 0n));
      }
      if (o.current_state === '7') {
        full += 1;
        expect(lines.every((d) => d.product_quantity_refunded === d.product_quantity)).toBe(true);
      } else partial += 1;
    }
    expect(full).toBeGreaterThan(20);
    expect(partial).toBeGreaterThan(10);
    expect(later).toBeGreaterThan(10);
  });

  test('vouchers (order_cart_rules) account for the order discounts; some give free shipping', () => {
    let freeShipping = 0;
    for (const o of orders) {
      const rules = cartRules.get(String(o.id)) ?? [];
      expect(rules.reduce((sum, r) => sum + micros(r.value_tax_excl), 0n)).toBe(micros(o.total_discounts_tax_excl));
      expect(rules.reduce((sum, r) => sum + micros(r.value), 0n)).toBe(micros(o.total_discounts_tax_incl));
      for (const r of rules.filter((x) => x.free_shipping === '1')) {
        freeShipping += 1;
        expect(r.value_tax_excl).toBe(o.total_shipping_tax_excl);
      }
    }
    expect(freeShipping).toBeGreaterThan(10);
    expect(cartRules.size).toBeGreaterThan(300);
  });
});
