/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- records are parsed JSON */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResourceName, Sandbox } from '../../sandbox';
import { callJson, start, type Json } from './support';

const micros = (text: string): bigint => {
  const [whole = '0', frac = ''] = text.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
};

/** Records of one order in a document table, as display=full renders them (1.7: raw strings). */
function ofOrder(sb: Sandbox, resource: ResourceName, orderId: number): Json[] {
  return sb.control.records(resource).filter((r) => r.id_order === String(orderId));
}

/** Changes over time through the control: each does what PrestaShop does to the order and its documents. */
describe('order documents and catalog: changes through the control', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await start({ version: '1.7', orders: 400, customers: 80, products: 30 });
    sb.control.advance(3600);
  });
  afterEach(() => sb.close());

  const find = (test: (o: Json) => boolean): Json => sb.control.records('orders').find(test)!;

  test('changeOrderState: a history row, date_upd, valid; a paid state records what is left to pay', () => {
    const order = find((o) => o.current_state === '10' && Number(o.id) % 50 !== 0 && Number(o.id) % 50 !== 49);
    const maxHistory = Math.max(...sb.control.records('order_histories').map((h) => h.id));
    const now = sb.control.shopLocalNow();
    const history = sb.control.changeOrderState(order.id, 2);
    // Ids of new records come after every id the generated ones may use, as an AUTO_INCREMENT would.
    expect(history).toBeGreaterThan(maxHistory);
    expect(sb.control.get('order_histories', history)).toEqual({ id: history, id_employee: '1', id_order_state: '2', id_order: String(order.id), date_add: now });
    const paid = sb.control.get('orders', order.id)!;
    expect(paid).toMatchObject({ current_state: '2', valid: '1', date_upd: now, total_paid_real: order.total_paid, invoice_number: String(order.id) });
    const payments = sb.control.records('order_payments').filter((p) => p.order_reference === order.reference);
    expect(payments).toEqual([expect.objectContaining({ amount: order.total_paid, id_currency: order.id_currency, payment_method: order.payment, date_add: now })]);

    sb.control.advance(60);
    sb.control.changeOrderState(order.id, 4, { employeeId: 3 });
    expect(sb.control.records('order_payments').filter((p) => p.order_reference === order.reference)).toHaveLength(1);
    const walk = ofOrder(sb, 'order_histories', order.id);
    expect(walk.map((h) => h.id_order_state)).toEqual(['10', '2', '4']);
    expect(walk.at(-1).id_employee).toBe('3');
    expect(sb.control.get('orders', order.id)!.delivery_number).toBe(String(order.id));
    // The old way still works and records the same.
    sb.control.update('orders', order.id, { current_state: '5' });
    expect(ofOrder(sb, 'order_histories', order.id).map((h) => h.id_order_state)).toEqual(['10', '2', '4', '5']);
    expect(() => sb.control.changeOrderState(order.id, 99)).toThrow(/Unknown order state 99/);
    expect(() => sb.control.changeOrderState(999_999, 2)).toThrow(/does not exist/);
  });

  test('addPayment: part of the amount, in another currency too; total_paid_real and date_upd follow', () => {
    const order = find((o) => o.current_state === '10' && o.id_currency === '1' && Number(o.id) % 50 < 49);
    const usd = sb.control.addPayment(order.id, { amount: '10.895000', currencyId: 2, method: 'PayPal', transactionId: 'TX-9' });
    expect(sb.control.get('order_payments', usd)).toMatchObject({ order_reference: order.reference, id_currency: '2', amount: '10.895000', conversion_rate: '1.089500', payment_method: 'PayPal', transaction_id: 'TX-9' });
    expect(sb.control.get('orders', order.id)).toMatchObject({ total_paid_real: '10.000000', date_upd: sb.control.shopLocalNow(), current_state: '10' });
    sb.control.changeOrderState(order.id, 2);
    const payments = sb.control.records('order_payments').filter((p) => p.order_reference === order.reference);
    expect(payments.map((p) => p.amount)).toEqual(['10.895000', `${(micros(order.total_paid) - 10_000_000n) / 1_000_000n}.${String((micros(order.total_paid) - 10_000_000n) % 1_000_000n).padStart(6, '0')}`]);
    expect(sb.control.get('orders', order.id)!.total_paid_real).toBe(order.total_paid);
    expect(() => sb.control.addPayment(order.id, { amount: '-1' })).toThrow(/positive amount/);
    expect(() => sb.control.addPayment(order.id, { amount: 1, currencyId: 42 })).toThrow(/currencies 42/);
    expect(() => sb.control.addPayment(order.id, { at: '2024-06-03T12:00:00' })).toThrow(/YYYY-MM-DD/);
  });

  test('refund: a credit slip with its date_upd, the lines record it, the order is not touched', async () => {
    const order = find((o) => o.current_state === '5' && ofOrder(sb, 'order_slip', Number(o.id)).length === 0 && o.associations.order_rows.some((r: Json) => r.product_quantity !== '1'));
    const line = order.associations.order_rows.find((r: Json) => r.product_quantity !== '1');
    const before = sb.control.get('order_details', Number(line.id))!;
    const slipId = sb.control.refund(order.id, [{ detailId: Number(line.id), quantity: 2 }], true);
    const now = sb.control.shopLocalNow();
    const slip = sb.control.get('order_slip', slipId)!;
    const excl = micros(line.unit_price_tax_excl) * 2n;
    expect(slip).toMatchObject({ id_order: String(order.id), id_customer: order.id_customer, date_add: now, date_upd: now, total_shipping_tax_excl: order.total_shipping_tax_excl, shipping_cost: order.total_shipping_tax_excl === '0.000000' ? '0' : '1' });
    expect(micros(slip.total_products_tax_excl as string)).toBe(excl);
    expect((slip.associations as Json).order_slip_details).toEqual([expect.objectContaining({ id: String(slipId), id_order_detail: line.id, product_quantity: '2' })]);
    expect(sb.control.get('order_details', Number(line.id))).toMatchObject({
      product_quantity_refunded: '2',
      product_quantity_return: '2',
      total_refunded_tax_excl: slip.total_products_tax_excl,
      product_quantity_reinjected: before.product_quantity_reinjected,
    });
    expect(sb.control.get('orders', order.id)).toEqual(order);
    const window = (await callJson(sb, `/api/order_slip?date=1&display=[id]&filter[date_upd]=[${now},${now}]`)).json();
    expect(window.order_slips).toEqual([{ id: slipId }]);
    expect(() => sb.control.refund(order.id, [{ detailId: Number(line.id), quantity: 99 }])).toThrow(/can be refunded/);
    expect(() => sb.control.refund(order.id, [], true)).toThrow(/no shipping left/);
    expect(() => sb.control.refund(order.id, [], '1.00')).toThrow(/shipping refund of 1.00/);
    expect(() => sb.control.refund(order.id, [])).toThrow(/at least one line/);
    expect(() => sb.control.refund(order.id, [{ detailId: 1, quantity: 1 }])).toThrow(/not a line of order/);
    const unpaid = find((o) => o.total_paid_real === '0.000000');
    expect(() => sb.control.refund(unpaid.id, [{ detailId: Number(unpaid.associations.order_rows[0].id), quantity: 1 }])).toThrow(/not paid/);
  });

  test('a refund before shipping puts the quantities back in stock', () => {
    const order = find((o) => o.current_state === '2' && o.total_paid_real !== '0.000000');
    const line = order.associations.order_rows[0];
    const stockOf = (): number => Number(sb.control.records('stock_availables').find((s) => s.id_product === line.product_id && s.id_product_attribute === line.product_attribute_id)!.quantity);
    const stock = stockOf();
    sb.control.refund(order.id, [{ detailId: Number(line.id), quantity: 1 }]);
    expect(sb.control.get('order_details', Number(line.id))).toMatchObject({ product_quantity_reinjected: '1', product_quantity_return: '0' });
    expect(stockOf()).toBe(stock + 1);
  });

  test('removeOrderLine: the order_detail disappears, totals and voucher follow, date_upd moves, payments stay', async () => {
    const rules = sb.control.records('order_cart_rules').filter((r) => r.free_shipping === '0');
    const order = (sb.control.records('orders') as Json[]).find((o) => o.associations.order_rows.length > 1 && rules.some((r) => r.id_order === String(o.id)) && ofOrder(sb, 'order_slip', Number(o.id)).length === 0)!;
    const [gone, ...kept] = order.associations.order_rows as Json[];
    sb.control.removeOrderLine(order.id, Number(gone.id));
    expect(sb.control.get('order_details', Number(gone.id))).toBeUndefined();
    expect((await callJson(sb, `/api/order_details/${gone.id}`)).status).toBe(404);
    const after = sb.control.get('orders', order.id)!;
    expect((after.associations as Json).order_rows.map((r: Json) => r.id)).toEqual(kept.map((r) => r.id));
    expect(micros(after.total_products as string)).toBe(ofOrder(sb, 'order_details', order.id).reduce((sum, d) => sum + micros(d.total_price_tax_excl), 0n));
    expect(after).toMatchObject({ date_upd: sb.control.shopLocalNow(), total_paid_real: order.total_paid_real });
    expect(ofOrder(sb, 'order_cart_rules', order.id).map((r) => r.value_tax_excl)).toEqual([after.total_discounts_tax_excl]);
    expect(() => sb.control.removeOrderLine(order.id, Number(gone.id))).toThrow(/not a line/);
    const single = (sb.control.records('orders') as Json[]).find((o) => o.associations.order_rows.length === 1)!;
    expect(() => sb.control.removeOrderLine(single.id, Number(single.associations.order_rows[0].id))).toThrow(/one line left/);
  });

  test('setStock and setCombinationPrice: stock rows, combinations and product.quantity change, the product date_upd does not', () => {
    const product = (sb.control.records('products') as Json[]).find((p) => p.id_default_combination !== '0');
    const combination = Number(product.associations.combinations[1].id);
    const stockId = sb.control.setStock(product.id, combination, 7);
    expect(sb.control.get('stock_availables', stockId)).toMatchObject({ id_product: String(product.id), id_product_attribute: String(combination), quantity: '7' });
    const rows = sb.control.records('stock_availables').filter((s) => s.id_product === String(product.id));
    const own = rows.find((s) => s.id_product_attribute === '0')!;
    expect(Number(own.quantity)).toBe(rows.filter((s) => s.id_product_attribute !== '0').reduce((sum, s) => sum + Number(s.quantity), 0));
    expect(sb.control.get('products', product.id)).toMatchObject({ quantity: own.quantity, date_upd: product.date_upd });
    expect(sb.control.get('combinations', combination)!.quantity).toBe('7');
    expect(() => sb.control.setStock(product.id, 0, 5)).toThrow(/has combinations/);
    expect(() => sb.control.setStock(product.id, 999_999, 5)).toThrow(/not a combination/);

    sb.control.setCombinationPrice(combination, '4.5');
    expect(sb.control.get('combinations', combination)!.price).toBe('4.500000');
    expect(sb.control.get('products', product.id)!.date_upd).toBe(product.date_upd);

    const simple = sb.control.records('products').find((p) => p.id_default_combination === '0')!;
    sb.control.setStock(simple.id, 0, 5);
    expect(sb.control.get('products', simple.id)).toMatchObject({ quantity: '5', date_upd: simple.date_upd });
    expect(() => sb.control.setCombinationPrice(999_999, 1)).toThrow(/does not exist/);
  });

  test('a new order comes with its lines, first history, payment and voucher; customers and products with address and stock', () => {
    const customer = sb.control.add('customers', { firstname: 'Ada', lastname: 'Lovelace' });
    const address = sb.control.get('addresses', customer)!;
    expect(address).toMatchObject({ id_customer: String(customer), firstname: 'Ada', lastname: 'Lovelace', deleted: '0' });
    const order = sb.control.add('orders', { id_customer: String(customer), current_state: '2' });
    const row = sb.control.get('orders', order)!;
    expect(row).toMatchObject({ id_address_delivery: String(customer), id_address_invoice: String(customer) });
    expect(ofOrder(sb, 'order_details', order).map((d) => d.id).sort()).toEqual((row.associations as Json).order_rows.map((r: Json) => Number(r.id)).sort());
    expect(ofOrder(sb, 'order_histories', order)).toEqual([expect.objectContaining({ id_order_state: '2', date_add: row.date_add, id_employee: '0' })]);
    expect(sb.control.records('order_payments').filter((p) => p.order_reference === row.reference).map((p) => p.amount)).toEqual([row.total_paid]);
    const unpaid = sb.control.add('orders', { id_customer: String(customer), current_state: '10' });
    expect(sb.control.records('order_payments').filter((p) => p.order_reference === sb.control.get('orders', unpaid)!.reference)).toEqual([]);
    const product = sb.control.add('products', { reference: 'NEW-1' });
    const stock = (sb.control.get('products', product)!.associations as Json).stock_availables;
    expect(stock).toHaveLength(1);
    expect(sb.control.get('stock_availables', Number(stock[0].id))).toMatchObject({ id_product: String(product), id_product_attribute: '0' });
  });

  test('simulateActivity: new kinds on top of the old, deterministic, the old kinds unchanged by them', async () => {
    const twin = await start({ version: '1.7', orders: 400, customers: 80, products: 30 });
    const plain = await start({ version: '1.7', orders: 400, customers: 80, products: 30 });
    try {
      twin.control.advance(3600);
      plain.control.advance(3600);
      const counts = { newCustomers: 3, newOrders: 10, statusChanges: 8, refunds: 5, removedLines: 4, stockChanges: 6, priceChanges: 3 };
      const a = sb.control.simulateActivity(counts, 9);
      expect(twin.control.simulateActivity(counts, 9)).toEqual(a);
      const old = plain.control.simulateActivity({ newCustomers: 3, newOrders: 10, statusChanges: 8 }, 9);
      for (const kind of ['newCustomers', 'newOrders', 'statusChanges'] as const) expect(a[kind]).toEqual(old[kind]);
      expect([a.refunds.length, a.removedLines.length, a.stockChanges.length, a.priceChanges.length]).toEqual([5, 4, 6, 3]);
      for (const id of a.statusChanges) {
        const walk = ofOrder(sb, 'order_histories', id);
        expect(walk.at(-1).id_order_state).toBe(sb.control.get('orders', id)!.current_state);
      }
      for (const id of a.newOrders) expect(ofOrder(sb, 'order_histories', id).length).toBeGreaterThanOrEqual(1);
      for (const id of a.refunds) expect(sb.control.get('order_slip', id)!.date_add).toBe(sb.control.shopLocalNow());
      for (const id of a.removedLines) expect(sb.control.get('order_details', id)).toBeUndefined();
    } finally {
      await Promise.all([twin.close(), plain.close()]);
    }
  });

  test('over HTTP, and kept by saveState/loadState', async () => {
    const order = find((o) => o.current_state === '10');
    const post = async (method: string, args: unknown[]): Promise<Json> => (await fetch(`${sb.baseUrl}/__sandbox/${method}`, { method: 'POST', body: JSON.stringify(args) })).json();
    const history = (await post('changeOrderState', [order.id, 2])).result;
    expect(sb.control.get('order_histories', history)).toMatchObject({ id_order: String(order.id), id_order_state: '2' });
    const line = Number(order.associations.order_rows[0].id);
    const slip = (await post('refund', [order.id, [{ detailId: line, quantity: 1 }], false])).result;
    expect(sb.control.get('order_slip', slip)).toMatchObject({ id_order: String(order.id) });
    expect((await post('refund', [order.id, [{ detailId: line, quantity: 99 }]])).error).toMatch(/can be refunded/);
    const methods = ((await (await fetch(`${sb.baseUrl}/__sandbox/`)).json()) as Json).methods;
    expect(methods).toEqual(expect.arrayContaining(['changeOrderState', 'addPayment', 'refund', 'removeOrderLine', 'setStock', 'setCombinationPrice']));

    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-docs-'));
    try {
      const file = path.join(dir, 'state.json');
      sb.control.saveState(file);
      const again = await start({ version: '1.7', orders: 400, customers: 80, products: 30 });
      try {
        again.control.loadState(file);
        for (const resource of ['orders', 'order_histories', 'order_payments', 'order_slip', 'order_details', 'stock_availables'] as const) {
          expect([resource, again.control.records(resource)]).toEqual([resource, sb.control.records(resource)]);
        }
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
