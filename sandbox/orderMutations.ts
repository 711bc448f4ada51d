import { addStock } from './catalogMutations';
import { CART_RULES, orderState } from './data/catalog';
import { cartRuleRow, historyRow, paymentRow, slipRow } from './data/orderDocumentRows';
import { paymentValue, type SlipDoc } from './data/orderDocuments';
import { currencyRate, orderMoney, ORDER_LINE_SLOTS, shippingIncl, type OrderSketch } from './data/orders';
import type { Filter } from './query/parse';
import { asText, cloneRow, micros, parseMicros, roundToCents, type AssociationItem, type Row } from './record';
import type { Shop } from './shop';
import type { Table } from './table';
import { parseNaive } from './time';

/**
 * What PrestaShop does to an order and its documents when its state changes, a payment or a refund is recorded,
 * or a line is removed, and the documents a new order comes with. Every function checks its input and throws a
 * clear error before changing anything.
 */

const text = asText;
const money = (row: Row, field: string): number => {
  const n = parseMicros(text(row[field]));
  return Number.isFinite(n) ? n : 0;
};

/** The records of one order in a document table (narrowed by id_order, so cheap at any size). */
export function rowsOfOrder(table: Table, orderId: number): Row[] {
  const filter: Filter = { field: 'id_order', i18n: false, op: { op: 'eq', values: [String(orderId)] } };
  const ids = table.candidates([filter]) ?? [...table.ids()];
  return ids.map((id) => table.get(id)).filter((row): row is Row => row !== undefined && text(row.id_order) === String(orderId));
}

function orderOf(shop: Shop, orderId: number): Row {
  const order = shop.table('orders').get(orderId);
  if (!order) throw new Error(`orders ${orderId} does not exist`);
  return order;
}

function append(table: Table, build: (id: number) => Row): number {
  const id = table.maxId + 1;
  table.put(build(id));
  return id;
}

export interface PaymentInput {
  /** In the payment's currency; default: what is left to pay, converted. */
  amount?: string | number;
  /** Default: the order's currency. */
  currencyId?: number;
  /** Default: the order's payment method. */
  method?: string;
  transactionId?: string;
  employeeId?: number;
}

/** Order::addOrderPayment: a payment of the order's reference, total_paid_real increased by its value. */
function recordPayment(shop: Shop, order: Row, input: PaymentInput, at: string): number {
  const orderRate = currencyRate(Number(order.id_currency));
  const currencyId = input.currencyId ?? Number(order.id_currency);
  const currency = shop.table('currencies').get(currencyId);
  if (!currency) throw new Error(`currencies ${currencyId} does not exist`);
  const payRate = parseMicros(text(currency.conversion_rate));
  const rest = money(order, 'total_paid') - money(order, 'total_paid_real');
  const amount = input.amount === undefined ? roundToCents((rest * payRate) / orderRate) : parseMicros(String(input.amount));
  if (!Number.isFinite(amount) || amount <= 0) throw new Error(`A payment needs a positive amount, got "${String(input.amount)}"`);
  const id = append(shop.table('order_payments'), (pid) =>
    paymentRow(shop.ctx.seed, pid, text(order.reference), {
      amountMicros: amount,
      currencyId,
      rateMicros: payRate,
      method: input.method ?? text(order.payment),
      at: parseNaive(at),
      employee: input.employeeId ?? 1,
      extras: { transactionId: input.transactionId ?? '' },
    }),
  );
  order.total_paid_real = micros(money(order, 'total_paid_real') + paymentValue(amount, payRate, orderRate));
  return id;
}

/**
 * OrderHistory::changeIdOrderState then add(): current_state, valid = logable, an invoice number on the first
 * invoiced state, a payment of what is left on a paid state, and the history row. Works on `order` in place.
 */
function enterState(shop: Shop, order: Row, stateId: number, at: string, employeeId: number): number {
  const state = orderState(stateId);
  if (!state) throw new Error(`Unknown order state ${stateId}`);
  order.current_state = String(stateId);
  order.valid = state.logable ? '1' : '0';
  if (state.invoice && text(order.invoice_number) === '0') {
    order.invoice_number = String(order.id);
    order.invoice_date = at;
  }
  if (state.shipped && text(order.delivery_number) === '0') order.delivery_number = String(order.id);
  if (state.shipped && state.delivery) order.delivery_date = at;
  if (state.paid && money(order, 'total_paid') > money(order, 'total_paid_real')) recordPayment(shop, order, { employeeId }, at);
  const orderId = order.id;
  return append(shop.table('order_histories'), (id) => historyRow(id, orderId, { state: stateId, at: parseNaive(at), employee: employeeId }));
}

/** The order row of an update() that changes current_state: state, history and payment as PrestaShop records them. */
export function applyStateChange(shop: Shop, order: Row, stateId: number, at: string): void {
  enterState(shop, order, stateId, at, 1);
}

/** changeOrderState: returns the new order_histories id. */
export function changeOrderState(shop: Shop, orderId: number, stateId: number, at: string, employeeId = 1): number {
  const order = cloneRow(orderOf(shop, orderId));
  if (!orderState(stateId)) throw new Error(`Unknown order state ${stateId}`);
  const history = enterState(shop, order, stateId, at, employeeId);
  order.date_upd = at;
  shop.table('orders').put(order);
  return history;
}

/** addPayment: a payment recorded in the back office (the order's date_upd moves); returns the payment id. */
export function addPayment(shop: Shop, orderId: number, input: PaymentInput, at: string): number {
  const order = cloneRow(orderOf(shop, orderId));
  const id = recordPayment(shop, order, input, at);
  order.date_upd = at;
  shop.table('orders').put(order);
  return id;
}

/** The documents a new order comes with: its first history row, its payment when paid, its voucher. */
export function createOrderDocuments(shop: Shop, order: Row, sketch: OrderSketch | undefined): void {
  const at = parseNaive(text(order.date_add));
  const orderId = order.id;
  const stateId = Number(order.current_state);
  append(shop.table('order_histories'), (id) => historyRow(id, orderId, { state: stateId, at, employee: 0 }));
  const paid = money(order, 'total_paid_real');
  if (paid > 0) {
    const rate = currencyRate(Number(order.id_currency));
    append(shop.table('order_payments'), (id) =>
      paymentRow(shop.ctx.seed, id, text(order.reference), {
        amountMicros: paid,
        currencyId: Number(order.id_currency),
        rateMicros: rate,
        method: text(order.payment),
        at,
        employee: 0,
        extras: { transactionId: '' },
      }),
    );
  }
  if (sketch && sketch.discount !== 'none') {
    const kind = sketch.discount;
    append(shop.table('order_cart_rules'), (id) => cartRuleRow(id, order, kind));
  }
}

/** Order rows get the ids (order − 1) × 5 + line + 1 their order_details take. */
export function normalizeRowIds(order: Row): void {
  const rows = order.associations?.order_rows;
  if (!rows) return;
  if (rows.length > ORDER_LINE_SLOTS) throw new Error(`An order has at most ${ORDER_LINE_SLOTS} lines in the sandbox, got ${rows.length}`);
  const first = (order.id - 1) * ORDER_LINE_SLOTS + 1;
  const ids = rows.map((r) => Number(r.id));
  const fits = ids.every((id) => Number.isInteger(id) && id >= first && id < first + ORDER_LINE_SLOTS) && new Set(ids).size === ids.length;
  if (!fits) rows.forEach((r, i) => (r.id = String(first + i)));
}

/**
 * Totals again from the rows, as the back office recomputes them: shipping kept, vouchers re-applied (a percent
 * voucher on the new products, free shipping on the shipping). total_paid_real only moves with payments, unless
 * `setPaid` (a new order: paid in full when its state is paid).
 */
export function retotal(shop: Shop, order: Row, setPaid: boolean, discount?: { share: number; freeShipping: boolean }): void {
  const rows = order.associations?.order_rows ?? [];
  let products = 0;
  let productsWt = 0;
  for (const item of rows) {
    const qty = Number(item.product_quantity ?? '0');
    products += parseMicros(item.unit_price_tax_excl ?? '0') * qty;
    productsWt += parseMicros(item.unit_price_tax_incl ?? '0') * qty;
  }
  const rules = order.id <= shop.table('orders').maxId ? rowsOfOrder(shop.table('order_cart_rules'), order.id) : [];
  const free = discount?.freeShipping ?? rules.some((r) => r.free_shipping === '1');
  const oldShare = money(order, 'total_products') > 0 ? (money(order, 'total_discounts_tax_excl') - (free ? money(order, 'total_shipping_tax_excl') : 0)) / money(order, 'total_products') : 0;
  const share = discount?.share ?? (rules.some((r) => r.free_shipping === '0') ? CART_RULES.percent.share : rules.length > 0 ? 0 : Math.max(0, oldShare));
  const paidReal = text(order.total_paid_real);
  Object.assign(
    order,
    orderMoney({
      priced: { rows, productsMicros: roundToCents(products), productsWtMicros: roundToCents(productsWt) },
      shippingExclMicros: money(order, 'total_shipping_tax_excl'),
      discountShare: Number.isFinite(share) ? share : 0,
      freeShipping: free,
      paid: orderState(Number(order.current_state))?.paid ?? false,
    }),
  );
  if (!setPaid) order.total_paid_real = paidReal;
  for (const rule of rules) shop.table('order_cart_rules').put(cartRuleRow(rule.id, order, rule.free_shipping === '1' ? 'freeShipping' : 'percent'));
}

/** removeOrderLine: the line and its order_detail go, the totals follow, date_upd moves; payments stay. */
export function removeOrderLine(shop: Shop, orderId: number, detailId: number, at: string): void {
  const order = cloneRow(orderOf(shop, orderId));
  const rows = order.associations?.order_rows ?? [];
  if (!rows.some((r) => Number(r.id) === detailId)) throw new Error(`order_details ${detailId} is not a line of order ${orderId}`);
  if (rows.length === 1) throw new Error(`Order ${orderId} has one line left: it cannot be removed`);
  const detail = shop.table('order_details').get(detailId);
  if (detail && Number(detail.product_quantity_refunded) > 0) throw new Error(`order_details ${detailId} was refunded: it cannot be removed`);
  order.associations = { ...order.associations, order_rows: rows.filter((r) => Number(r.id) !== detailId) };
  retotal(shop, order, false);
  order.date_upd = at;
  shop.table('orders').put(order);
}

export interface RefundLine {
  detailId: number;
  quantity: number;
}

/**
 * refund: a credit slip (OrderSlipCreator) for some quantities of some lines and, optionally, the shipping (true:
 * what is left of it; a number: that much, tax excluded). The lines record what was refunded; the order itself is
 * not updated (PrestaShop 8 does not call Order::update() for a partial refund). Returns the slip id.
 */
export function refund(shop: Shop, orderId: number, lines: readonly RefundLine[], shipping: boolean | number | string, at: string): number {
  const order = orderOf(shop, orderId);
  if (money(order, 'total_paid_real') <= 0) throw new Error(`Order ${orderId} is not paid: it cannot be refunded`);
  const details = shop.table('order_details');
  const slips = rowsOfOrder(shop.table('order_slip'), orderId);
  const planned: Array<{ detail: Row; item: AssociationItem; quantity: number }> = [];
  for (const line of lines) {
    const detail = details.get(line.detailId);
    if (!detail || text(detail.id_order) !== String(orderId)) throw new Error(`order_details ${line.detailId} is not a line of order ${orderId}`);
    const left = Number(detail.product_quantity) - Number(detail.product_quantity_refunded);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > left) throw new Error(`order_details ${line.detailId}: a refund of ${line.quantity} when ${left} can be refunded`);
    planned.push({ detail, item: { unit_price_tax_excl: text(detail.unit_price_tax_excl), unit_price_tax_incl: text(detail.unit_price_tax_incl) }, quantity: line.quantity });
  }
  const refundedShipping = slips.reduce((sum, s) => sum + money(s, 'total_shipping_tax_excl'), 0);
  const shippingLeft = money(order, 'total_shipping_tax_excl') - refundedShipping;
  if (shipping === true && shippingLeft <= 0 && planned.length === 0) throw new Error(`Order ${orderId} has no shipping left to refund`);
  const shippingExcl = shipping === true ? shippingLeft : shipping === false ? 0 : parseMicros(String(shipping));
  if (!Number.isFinite(shippingExcl) || shippingExcl < 0 || shippingExcl > shippingLeft) throw new Error(`A shipping refund of ${String(shipping)} when ${micros(shippingLeft)} is left`);
  if (planned.length === 0 && shippingExcl === 0) throw new Error('A refund needs at least one line or some shipping');
  const doc: SlipDoc = {
    at: parseNaive(at),
    lines: planned.map((p) => ({ detailId: p.detail.id, quantity: p.quantity, exclMicros: parseMicros(p.item.unit_price_tax_excl ?? '0') * p.quantity, inclMicros: parseMicros(p.item.unit_price_tax_incl ?? '0') * p.quantity })),
    shippingExclMicros: shippingExcl,
    shippingInclMicros: shippingExcl === money(order, 'total_shipping_tax_excl') ? money(order, 'total_shipping_tax_incl') : shippingIncl(shippingExcl),
    voucherExclMicros: 0,
    voucherInclMicros: 0,
  };
  const state = orderState(Number(order.current_state));
  const delivered = state?.shipped === true && state.delivery;
  const shipped = state?.shipped === true;
  const slipId = append(shop.table('order_slip'), (id) => slipRow(id, order, doc));
  for (const [i, p] of planned.entries()) {
    const line = doc.lines[i]!;
    const changed = cloneRow(p.detail);
    changed.product_quantity_refunded = String(Number(p.detail.product_quantity_refunded) + p.quantity);
    changed.total_refunded_tax_excl = micros(money(p.detail, 'total_refunded_tax_excl') + line.exclMicros);
    changed.total_refunded_tax_incl = micros(money(p.detail, 'total_refunded_tax_incl') + line.inclMicros);
    if (delivered) changed.product_quantity_return = String(Number(p.detail.product_quantity_return) + p.quantity);
    if (!shipped) {
      changed.product_quantity_reinjected = String(Number(p.detail.product_quantity_reinjected) + p.quantity);
      addStock(shop, Number(p.detail.product_id), Number(p.detail.product_attribute_id), p.quantity);
    }
    details.put(changed);
  }
  return slipId;
}
