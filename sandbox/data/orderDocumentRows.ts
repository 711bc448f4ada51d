import type { AssociationItem, Row } from '../record';
import { asText, micros, parseMicros, roundToCents } from '../record';
import { hash32, Stream, unit } from '../random';
import { parseNaive, ZERO_DATETIME } from '../time';
import { CART_RULES, MANUFACTURERS } from './catalog';
import { fmt, HISTORY_SPAN, type GenContext } from './context';
import { paymentExtras, type HistoryDoc, type LineRefund, type PaymentDoc, type SlipDoc } from './orderDocuments';
import { productBasics, productWeightMicros, productWholesaleMicros } from './products';

/** The records of the order documents, in PrestaShop's field order (see resourcesOrderDocs.ts). */

const text = asText;

/** The invoice an order's documents point to (order_invoices is not served): the order's, once it has one. */
export function invoiceIdOf(order: Row): string {
  return text(order.invoice_number) !== '0' && text(order.invoice_number) !== '' ? String(order.id) : '0';
}

export function historyRow(id: number, orderId: number, h: HistoryDoc): Row {
  return { id, id_employee: String(h.employee), id_order_state: String(h.state), id_order: String(orderId), date_add: fmt(h.at) };
}

export function paymentRow(seed: number, id: number, reference: string, p: PaymentDoc): Row {
  const extras = paymentExtras(seed, p.extras);
  return {
    id,
    order_reference: reference,
    id_currency: String(p.currencyId),
    amount: micros(p.amountMicros),
    payment_method: p.method,
    conversion_rate: micros(p.rateMicros),
    transaction_id: extras.transactionId,
    card_number: extras.card?.number ?? '',
    card_brand: extras.card?.brand ?? '',
    card_expiration: extras.card?.expiration ?? '',
    card_holder: '',
    date_add: fmt(p.at),
    id_employee: String(p.employee),
  };
}

/**
 * A credit slip as OrderSlipCreator writes it (add_tax): amount is the products refunded, tax excluded;
 * shipping_cost_amount the shipping refunded, tax included; order_slip_type 1 when a voucher was deducted, 2 when
 * shipping was refunded; partial is 0 (8.x never sets it). Each slip detail's id is the slip's own id, as
 * OrderSlip::getWsOrderSlipDetails selects it.
 */
export function slipRow(id: number, order: Row, s: SlipDoc): Row {
  const linesExcl = s.lines.reduce((sum, l) => sum + l.exclMicros, 0);
  const linesIncl = roundToCents(s.lines.reduce((sum, l) => sum + l.inclMicros, 0));
  const productsExcl = linesExcl - s.voucherExclMicros;
  const productsIncl = linesIncl - s.voucherInclMicros;
  const type = s.shippingInclMicros > 0 ? 2 : s.voucherExclMicros > 0 ? 1 : 0;
  return {
    id,
    id_customer: text(order.id_customer),
    id_order: String(order.id),
    conversion_rate: text(order.conversion_rate),
    total_products_tax_excl: micros(productsExcl),
    total_products_tax_incl: micros(productsIncl),
    total_shipping_tax_excl: micros(s.shippingExclMicros),
    total_shipping_tax_incl: micros(s.shippingInclMicros),
    amount: micros(productsExcl),
    shipping_cost: s.shippingInclMicros > 0 ? '1' : '0',
    shipping_cost_amount: micros(s.shippingInclMicros),
    partial: '0',
    date_add: fmt(s.at),
    date_upd: fmt(s.at),
    order_slip_type: String(type),
    associations: {
      order_slip_details: s.lines.map((l) => ({
        id: String(id),
        id_order_detail: String(l.detailId),
        product_quantity: String(l.quantity),
        amount_tax_excl: micros(l.exclMicros),
        amount_tax_incl: micros(l.inclMicros),
      })),
    },
  };
}

/** The voucher as the order holds it now: a percent voucher is the order's discount, free shipping its shipping. */
export function cartRuleRow(id: number, order: Row, kind: 'percent' | 'freeShipping'): Row {
  const percent = kind === 'percent';
  const rule = percent ? CART_RULES.percent : CART_RULES.freeShipping;
  return {
    id,
    id_order: String(order.id),
    id_cart_rule: String(rule.id),
    id_order_invoice: invoiceIdOf(order),
    name: rule.name,
    value: text(percent ? order.total_discounts_tax_incl : order.total_shipping_tax_incl),
    value_tax_excl: text(percent ? order.total_discounts_tax_excl : order.total_shipping_tax_excl),
    free_shipping: percent ? '0' : '1',
    deleted: '0',
  };
}

/**
 * When the merchant entered the product's cost price: lines of orders placed before carry no cost (0), as
 * PrestaShop copies the cost at order time. Some products never had one within the generated history.
 */
function costKnownSince(ctx: GenContext, productId: number): number {
  if (productId > ctx.sizes.products) return Number.NEGATIVE_INFINITY;
  return ctx.zone.toNaive(ctx.anchor) - Math.floor(HISTORY_SPAN * 1.25 * unit(ctx.seed, Stream.catalog, productId, 3));
}

const NO_REFUND: LineRefund = { quantity: 0, exclMicros: 0, inclMicros: 0, returned: 0, reinjected: 0 };

/**
 * An order line as order_details shows it: the order_rows item plus what the order and the product say. Costs are
 * in the shop's default currency (PrestaShop copies the product's wholesale and supplier prices as they are),
 * prices in the order's currency.
 */
export function detailRow(ctx: GenContext, order: Row, item: AssociationItem, refund: LineRefund = NO_REFUND): Row {
  const productId = Number(item.product_id);
  const quantity = Number(item.product_quantity);
  const excl = parseMicros(item.unit_price_tax_excl ?? '0');
  const incl = parseMicros(item.unit_price_tax_incl ?? '0');
  const basics = productBasics(ctx.seed, productId);
  const placed = parseNaive(text(order.date_add));
  const costed = placed >= costKnownSince(ctx, productId);
  const wholesale = costed ? productWholesaleMicros(ctx.seed, productId) : 0;
  const hasSupplier = hash32(ctx.seed, Stream.products, productId, 6) % MANUFACTURERS.length !== 0;
  const supplierPrice = hasSupplier ? roundToCents(wholesale * 0.95) : wholesale;
  return {
    id: Number(item.id),
    id_order: String(order.id),
    product_id: text(item.product_id),
    product_attribute_id: text(item.product_attribute_id),
    product_quantity_reinjected: String(refund.reinjected),
    group_reduction: '0.00',
    discount_quantity_applied: '0',
    download_hash: '',
    download_deadline: ZERO_DATETIME,
    id_order_invoice: invoiceIdOf(order),
    id_warehouse: '0',
    id_shop: text(order.id_shop),
    id_customization: text(item.id_customization),
    product_name: text(item.product_name),
    product_quantity: String(quantity),
    product_quantity_in_stock: String(quantity),
    product_quantity_return: String(refund.returned),
    product_quantity_refunded: String(refund.quantity),
    product_price: text(item.product_price),
    reduction_percent: '0.00',
    reduction_amount: '0.000000',
    reduction_amount_tax_incl: '0.000000',
    reduction_amount_tax_excl: '0.000000',
    product_quantity_discount: '0.000000',
    product_ean13: text(item.product_ean13),
    product_isbn: text(item.product_isbn),
    product_upc: text(item.product_upc),
    product_mpn: '',
    product_reference: text(item.product_reference),
    product_supplier_reference: '',
    product_weight: micros(productWeightMicros(ctx.seed, productId)),
    tax_computation_method: '0',
    id_tax_rules_group: productId >= 1 ? basics.taxRulesGroup : '0',
    ecotax: '0.000000',
    ecotax_tax_rate: '0.000',
    download_nb: '0',
    unit_price_tax_incl: micros(incl),
    unit_price_tax_excl: micros(excl),
    total_price_tax_incl: micros(incl * quantity),
    total_price_tax_excl: micros(excl * quantity),
    total_shipping_price_tax_excl: '0.000000',
    total_shipping_price_tax_incl: '0.000000',
    purchase_supplier_price: micros(supplierPrice),
    original_product_price: text(item.product_price),
    original_wholesale_price: micros(wholesale),
    total_refunded_tax_excl: micros(refund.exclMicros),
    total_refunded_tax_incl: micros(refund.inclMicros),
    associations: { taxes: [] },
  };
}
