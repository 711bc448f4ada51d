import type { AssociationItem, Row } from '../record';
import { micros } from '../record';
import { hash32, Stream, unit } from '../random';
import { ZERO_DATETIME } from '../time';
import { DAY, HISTORY_SPAN, fmt, letters, hex32, naiveBetween, type GenContext } from './context';
import {
  invoiceTime,
  orderAmounts,
  orderSketch,
  priceLine,
  type OrderAmounts,
  type OrderLine,
  type OrderOverrides,
  type OrderSketch,
  type PricedLine,
} from './orderSketch';
import { productBasics } from './products';
import { applyQuirks } from './quirks';
import { combinationId, productVariants, variantLineName, variantReference } from './variants';

export { currencyRate, ORDER_LINE_SLOTS, shippingIncl, type DiscountKind, type OrderLine, type OrderOverrides, type OrderSketch } from './orderSketch';

const S = Stream.orders;

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

export interface PricedRows {
  rows: AssociationItem[];
  productsMicros: number;
  productsWtMicros: number;
}

/** An order_rows item: what PrestaShop copies from the product (and its combination) into the order. */
export function orderRowItem(ctx: GenContext, line: PricedLine): AssociationItem {
  const basics = productBasics(ctx.seed, line.productId);
  const variant = line.attributeId > 0 ? productVariants(ctx.seed, ctx.sizes.products, line.productId).find((v) => line.attributeId === combinationId(line.productId, v.slot)) : undefined;
  return {
    id: String(line.id),
    product_id: String(line.productId),
    product_attribute_id: String(line.attributeId),
    product_quantity: String(line.quantity),
    product_name: variant ? variantLineName(basics.en, variant) : basics.en,
    product_reference: variant ? variantReference(basics.reference, variant) : basics.reference,
    product_ean13: '',
    product_isbn: '',
    product_upc: '',
    product_price: micros(line.exclMicros),
    id_customization: '0',
    unit_price_tax_incl: micros(line.inclMicros),
    unit_price_tax_excl: micros(line.exclMicros),
  };
}

/** Order rows priced in the order currency; totals are rounded to cents like PrestaShop's ROUND_TOTAL. */
export function priceRows(ctx: GenContext, orderId: number, lines: readonly OrderLine[], rateMicros: number): PricedRows {
  const priced = lines.map((line, index) => priceLine(ctx, orderId, index, line, rateMicros));
  const amounts = orderAmounts(
    Math.round(priced.reduce((sum, l) => sum + l.exclMicros * l.quantity, 0) / 10_000) * 10_000,
    Math.round(priced.reduce((sum, l) => sum + l.inclMicros * l.quantity, 0) / 10_000) * 10_000,
    0, 0, false, false,
  );
  return { rows: priced.map((line) => orderRowItem(ctx, line)), productsMicros: amounts.productsExcl, productsWtMicros: amounts.productsIncl };
}

export interface OrderMoneyInput {
  priced: PricedRows;
  shippingExclMicros: number;
  /** Discount as a fraction of the products total (0 for none). */
  discountShare: number;
  /** A free-shipping voucher: the shipping stays in total_shipping and comes off again in total_discounts. */
  freeShipping?: boolean;
  paid: boolean;
}

function moneyFields(a: OrderAmounts): Record<string, string> {
  return {
    total_discounts: micros(a.discountIncl),
    total_discounts_tax_incl: micros(a.discountIncl),
    total_discounts_tax_excl: micros(a.discountExcl),
    total_paid: micros(a.paidIncl),
    total_paid_tax_incl: micros(a.paidIncl),
    total_paid_tax_excl: micros(a.paidExcl),
    total_paid_real: micros(a.paidReal),
    total_products: micros(a.productsExcl),
    total_products_wt: micros(a.productsIncl),
    total_shipping: micros(a.shippingIncl),
    total_shipping_tax_incl: micros(a.shippingIncl),
    total_shipping_tax_excl: micros(a.shippingExcl),
  };
}

/** The order's total_* fields, consistent with its rows (totals = products + shipping − discounts). */
export function orderMoney(input: OrderMoneyInput): Record<string, string> {
  const { priced, shippingExclMicros, discountShare, paid } = input;
  return moneyFields(orderAmounts(priced.productsMicros, priced.productsWtMicros, shippingExclMicros, discountShare, input.freeShipping === true, paid));
}

export function orderRecord(ctx: GenContext, id: number, add: number, upd: number, overrides: OrderOverrides = {}): Row {
  return orderParts(ctx, id, add, upd, overrides).row;
}

/** The order record and the sketch it was made from. A pure function of (seed, id, dates, overrides). */
export function orderParts(ctx: GenContext, id: number, add: number, upd: number, overrides: OrderOverrides = {}): { row: Row; sketch: OrderSketch } {
  const sketch = orderSketch(ctx, id, overrides);
  return { row: orderFromSketch(ctx, sketch, add, upd), sketch };
}

/** The reference of an order (shared by the orders of one checkout). */
export function orderReference(ctx: GenContext, cart: number): string {
  return letters(9, ctx.seed, S, cart, 10);
}

export function orderFromSketch(ctx: GenContext, k: OrderSketch, add: number, upd: number): Row {
  const { id, cart, customer, state } = k;
  const items = k.lines.map((line) => orderRowItem(ctx, line));
  if (k.reversed) items.reverse();
  const invoiced = state.invoice;
  const invoiceAt = invoiceTime(ctx, id, add, upd);
  const row: Row = {
    id,
    id_address_delivery: String(customer),
    id_address_invoice: String(customer),
    id_cart: String(cart),
    id_currency: String(k.currency),
    id_lang: ctx.languages === 2 && hash32(ctx.seed, S, cart, 7) % 3 === 0 ? '2' : '1',
    id_customer: String(customer),
    id_carrier: String(k.carrier),
    current_state: String(state.id),
    module: k.payment.module,
    invoice_number: invoiced ? String(id) : '0',
    invoice_date: invoiced ? fmt(invoiceAt) : ZERO_DATETIME,
    delivery_number: state.shipped ? String(id) : '0',
    delivery_date: state.delivery && state.shipped ? fmt(upd) : ZERO_DATETIME,
    valid: state.logable ? '1' : '0',
    date_add: fmt(add),
    date_upd: fmt(upd),
    shipping_number: state.shipped ? `FR${String(hash32(ctx.seed, S, id, 8)).padStart(10, '0')}` : '',
    note: k.note,
    id_shop_group: '1',
    id_shop: '1',
    secure_key: hex32(ctx.seed, S, customer, 9),
    payment: k.payment.payment,
    recyclable: '0',
    gift: k.gift ? '1' : '0',
    gift_message: k.gift ? 'Happy birthday! ♥' : '',
    mobile_theme: '0',
    ...moneyFields(k.amounts),
    carrier_tax_rate: '20.000',
    total_wrapping: '0.000000',
    total_wrapping_tax_incl: '0.000000',
    total_wrapping_tax_excl: '0.000000',
    round_mode: '2',
    round_type: '2',
    conversion_rate: `${(k.rateMicros / 1e6).toFixed(6)}`,
    reference: orderReference(ctx, cart),
    associations: { order_rows: items },
  };
  applyQuirks(ctx.quirks, ctx.seed, 'orders', row);
  return row;
}
