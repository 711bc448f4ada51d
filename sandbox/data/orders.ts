import type { AssociationItem, Row } from '../record';
import { micros, roundToCents } from '../record';
import { hash32, Rng, Stream, unit } from '../random';
import { ZERO_DATETIME } from '../time';
import { CARRIER_SHIPPING_CENTS, CURRENCIES, DEFAULT_CURRENCY_ID, ORDER_STATES, orderState, PAYMENTS } from './catalog';
import { DAY, HISTORY_SPAN, fmt, letters, hex32, naiveBetween, type GenContext } from './context';
import { productBasics } from './products';
import { applyQuirks } from './quirks';

const S = Stream.orders;

/** Weighted current states: mostly delivered/shipped/paid, some cancelled, payment errors and awaiting payment. */
const STATE_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [5, 40], [4, 14], [2, 12], [3, 5], [6, 8], [8, 4], [10, 6], [1, 4], [7, 3], [11, 2], [9, 1], [12, 1],
];

function weightedState(u: number): number {
  const total = STATE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  for (const [state, weight] of STATE_WEIGHTS) {
    acc += weight / total;
    if (u < acc) return state;
  }
  return 5;
}

function rawDates(ctx: GenContext, id: number): { add: number; upd: number } {
  const n = Math.max(1, ctx.sizes.orders);
  const step = HISTORY_SPAN / n;
  const add = Math.floor(ctx.anchor - HISTORY_SPAN + (id - 1 + unit(ctx.seed, S, id, 1)) * step);
  const u = unit(ctx.seed, S, id, 2);
  const v = unit(ctx.seed, S, id, 3);
  let delay = 0;
  if (u < 0.08) delay = 0;
  else if (u < 0.55) delay = Math.floor(v * 2 * 3600);
  else if (u < 0.85) delay = Math.floor(DAY + v * 4 * DAY);
  else delay = Math.floor(5 * DAY + v * 85 * DAY);
  return { add: Math.min(add, ctx.anchor), upd: Math.min(add + delay, ctx.anchor) };
}

/** Every 97th order shares its date_upd with the previous one (a batch status update), to exercise ties. */
export function orderBaseDates(ctx: GenContext, id: number): { add: number; upd: number } {
  const own = rawDates(ctx, id);
  let upd = own.upd;
  if (id % 97 === 0 && id > 1) upd = Math.max(upd, rawDates(ctx, id - 1).upd);
  else if ((id + 1) % 97 === 0 && id + 1 <= ctx.sizes.orders) upd = Math.max(upd, rawDates(ctx, id + 1).upd);
  const nowNaive = ctx.zone.toNaive(ctx.anchor);
  const add = naiveBetween(ctx, own.add, Number.NEGATIVE_INFINITY, nowNaive);
  return { add, upd: naiveBetween(ctx, upd, add, nowNaive) };
}

/** Split checkouts: every 50th order shares cart, reference and customer with the previous order. */
function cartOf(id: number): number {
  return id % 50 === 0 && id > 1 ? id - 1 : id;
}

function customerOf(ctx: GenContext, id: number): number {
  const c = Math.max(1, ctx.sizes.customers);
  const reach = Math.min(c, Math.max(1, Math.floor((c * id) / Math.max(1, ctx.sizes.orders))));
  return 1 + Math.floor(unit(ctx.seed, S, id, 4) * reach);
}

export interface OrderLine {
  productId: number;
  quantity: number;
}

export interface PricedRows {
  rows: AssociationItem[];
  productsMicros: number;
  productsWtMicros: number;
}

/** Order rows priced in the order currency; totals are rounded to cents like PrestaShop's ROUND_TOTAL. */
export function priceRows(ctx: GenContext, orderId: number, lines: readonly OrderLine[], rateMicros: number): PricedRows {
  let productsMicros = 0;
  let productsWtMicros = 0;
  const rows = lines.map((line, index) => {
    const basics = productBasics(ctx.seed, line.productId);
    const exclCents = Math.round((basics.priceCents * rateMicros) / 1e6);
    const exclMicros = exclCents * 10_000;
    const inclMicros = Math.round((exclMicros * (10_000 + basics.taxRateBp)) / 10_000);
    productsMicros += exclMicros * line.quantity;
    productsWtMicros += inclMicros * line.quantity;
    return {
      id: String((orderId - 1) * 5 + index + 1),
      product_id: String(line.productId),
      product_attribute_id: '0',
      product_quantity: String(line.quantity),
      product_name: basics.en,
      product_reference: basics.reference,
      product_ean13: '',
      product_isbn: '',
      product_upc: '',
      product_price: micros(exclMicros),
      id_customization: '0',
      unit_price_tax_incl: micros(inclMicros),
      unit_price_tax_excl: micros(exclMicros),
    };
  });
  return { rows, productsMicros: roundToCents(productsMicros), productsWtMicros: roundToCents(productsWtMicros) };
}

export interface OrderMoneyInput {
  priced: PricedRows;
  shippingExclMicros: number;
  /** Discount as a fraction of the products total (0 for none). */
  discountShare: number;
  paid: boolean;
}

/** The order's total_* fields, consistent with its rows (totals = products + shipping − discounts). */
export function orderMoney(input: OrderMoneyInput): Record<string, string> {
  const { priced, shippingExclMicros, discountShare, paid } = input;
  const shipInc = roundToCents(shippingExclMicros * 1.2);
  const discExcl = roundToCents(priced.productsMicros * discountShare);
  const discIncl = roundToCents(priced.productsWtMicros * discountShare);
  const paidExcl = priced.productsMicros + shippingExclMicros - discExcl;
  const paidIncl = priced.productsWtMicros + shipInc - discIncl;
  return {
    total_discounts: micros(discIncl),
    total_discounts_tax_incl: micros(discIncl),
    total_discounts_tax_excl: micros(discExcl),
    total_paid: micros(paidIncl),
    total_paid_tax_incl: micros(paidIncl),
    total_paid_tax_excl: micros(paidExcl),
    total_paid_real: micros(paid ? paidIncl : 0),
    total_products: micros(priced.productsMicros),
    total_products_wt: micros(priced.productsWtMicros),
    total_shipping: micros(shipInc),
    total_shipping_tax_incl: micros(shipInc),
    total_shipping_tax_excl: micros(shippingExclMicros),
  };
}

export function currencyRate(currencyId: number): number {
  return CURRENCIES.find((c) => c.id === currencyId)?.rateMicros ?? 1_000_000;
}

export interface OrderOverrides {
  customerId?: number;
  state?: number;
}

export function orderRecord(ctx: GenContext, id: number, add: number, upd: number, overrides: OrderOverrides = {}): Row {
  const rng = new Rng(ctx.seed, S, id, 20);
  const cart = cartOf(id);
  const customer = overrides.customerId ?? customerOf(ctx, cart);
  const currency = rng.chance(0.8) ? DEFAULT_CURRENCY_ID : rng.pick(CURRENCIES.filter((c) => c.id !== DEFAULT_CURRENCY_ID)).id;
  const rateMicros = currencyRate(currency);
  const stateId = overrides.state ?? weightedState(unit(ctx.seed, S, id, 5));
  const state = orderState(stateId) ?? ORDER_STATES[0]!;
  const lineCount = rng.int(1, 5);
  const products = Math.max(1, ctx.sizes.products);
  const lines: OrderLine[] = [];
  for (let k = 0; k < lineCount; k += 1) {
    const productId = rng.int(1, products);
    if (lines.some((line) => line.productId === productId)) continue;
    lines.push({ productId, quantity: rng.chance(0.7) ? 1 : rng.int(2, 4) });
  }
  const priced = priceRows(ctx, id, lines, rateMicros);
  // Association rows come from SQL without ORDER BY: not always by id.
  if (rng.chance(0.3)) priced.rows.reverse();
  const carrier = rng.int(1, 3);
  const freeShipping = priced.productsMicros >= 100_000_000;
  const shippingExcl = freeShipping ? 0 : roundToCents(((CARRIER_SHIPPING_CENTS[carrier] ?? 0) * 10_000 * rateMicros) / 1e6);
  const discountShare = rng.chance(0.15) ? 0.1 : 0;
  const payment = state.module === 'ps_checkpayment' ? PAYMENTS[1] : state.module === 'ps_wirepayment' ? PAYMENTS[0] : rng.pick(PAYMENTS);
  const invoiced = state.invoice;
  const invoiceAt = Math.min(add + 30 + (hash32(ctx.seed, S, id, 6) % 3600), upd);
  const gift = rng.chance(0.05);
  const note = rng.chance(0.05) ? 'Leave at door 2/B, code "1234"' : '';
  const row: Row = {
    id,
    id_address_delivery: String(customer),
    id_address_invoice: String(customer),
    id_cart: String(cart),
    id_currency: String(currency),
    id_lang: ctx.languages === 2 && hash32(ctx.seed, S, cart, 7) % 3 === 0 ? '2' : '1',
    id_customer: String(customer),
    id_carrier: String(carrier),
    current_state: String(state.id),
    module: payment.module,
    invoice_number: invoiced ? String(id) : '0',
    invoice_date: invoiced ? fmt(invoiceAt) : ZERO_DATETIME,
    delivery_number: state.shipped ? String(id) : '0',
    delivery_date: state.delivery && state.shipped ? fmt(upd) : ZERO_DATETIME,
    valid: state.logable ? '1' : '0',
    date_add: fmt(add),
    date_upd: fmt(upd),
    shipping_number: state.shipped ? `FR${String(hash32(ctx.seed, S, id, 8)).padStart(10, '0')}` : '',
    note,
    id_shop_group: '1',
    id_shop: '1',
    secure_key: hex32(ctx.seed, S, customer, 9),
    payment: payment.payment,
    recyclable: '0',
    gift: gift ? '1' : '0',
    gift_message: gift ? 'Happy birthday! ♥' : '',
    mobile_theme: '0',
    ...orderMoney({ priced, shippingExclMicros: shippingExcl, discountShare, paid: state.paid }),
    carrier_tax_rate: '20.000',
    total_wrapping: '0.000000',
    total_wrapping_tax_incl: '0.000000',
    total_wrapping_tax_excl: '0.000000',
    round_mode: '2',
    round_type: '2',
    conversion_rate: `${(rateMicros / 1e6).toFixed(6)}`,
    reference: letters(9, ctx.seed, S, cart, 10),
    associations: { order_rows: priced.rows },
  };
  applyQuirks(ctx.quirks, ctx.seed, 'orders', row);
  return row;
}
