import type { ResourceDef } from './resources';

/**
 * The order documents: field order as a real PrestaShop 8.1.2 lists them (recorded), which is
 * ObjectModel::getWebserviceParameters' order: id, the webservice `fields`, then the `$definition` fields,
 * hidden fields left out (order_details' tax_name and tax_rate).
 */

const ORDER_DETAIL_FIELDS = [
  'id', 'id_order', 'product_id', 'product_attribute_id', 'product_quantity_reinjected', 'group_reduction',
  'discount_quantity_applied', 'download_hash', 'download_deadline', 'id_order_invoice', 'id_warehouse', 'id_shop',
  'id_customization', 'product_name', 'product_quantity', 'product_quantity_in_stock', 'product_quantity_return',
  'product_quantity_refunded', 'product_price', 'reduction_percent', 'reduction_amount', 'reduction_amount_tax_incl',
  'reduction_amount_tax_excl', 'product_quantity_discount', 'product_ean13', 'product_isbn', 'product_upc',
  'product_mpn', 'product_reference', 'product_supplier_reference', 'product_weight', 'tax_computation_method',
  'id_tax_rules_group', 'ecotax', 'ecotax_tax_rate', 'download_nb', 'unit_price_tax_incl', 'unit_price_tax_excl',
  'total_price_tax_incl', 'total_price_tax_excl', 'total_shipping_price_tax_excl', 'total_shipping_price_tax_incl',
  'purchase_supplier_price', 'original_product_price', 'original_wholesale_price', 'total_refunded_tax_excl',
  'total_refunded_tax_incl',
] as const;

const ORDER_SLIP_FIELDS = [
  'id', 'id_customer', 'id_order', 'conversion_rate', 'total_products_tax_excl', 'total_products_tax_incl',
  'total_shipping_tax_excl', 'total_shipping_tax_incl', 'amount', 'shipping_cost', 'shipping_cost_amount', 'partial',
  'date_add', 'date_upd', 'order_slip_type',
] as const;

export const ORDER_SLIP_DETAIL_FIELDS = ['id', 'id_order_detail', 'product_quantity', 'amount_tax_excl', 'amount_tax_incl'] as const;

const ORDER_PAYMENT_FIELDS = [
  'id', 'order_reference', 'id_currency', 'amount', 'payment_method', 'conversion_rate', 'transaction_id',
  'card_number', 'card_brand', 'card_expiration', 'card_holder', 'date_add', 'id_employee',
] as const;

const ORDER_HISTORY_FIELDS = ['id', 'id_employee', 'id_order_state', 'id_order', 'date_add'] as const;

const ORDER_CART_RULE_FIELDS = [
  'id', 'id_order', 'id_cart_rule', 'id_order_invoice', 'name', 'value', 'value_tax_excl', 'free_shipping', 'deleted',
] as const;

const none: ReadonlySet<string> = new Set<string>();

export const ORDER_DOC_NAMES = ['order_details', 'order_slip', 'order_payments', 'order_histories', 'order_cart_rules'] as const;
export type OrderDocName = (typeof ORDER_DOC_NAMES)[number];

export const ORDER_DOC_RESOURCES: Readonly<Record<OrderDocName, ResourceDef>> = {
  order_details: {
    name: 'order_details',
    singular: 'order_detail',
    fields: ORDER_DETAIL_FIELDS,
    i18n: none,
    getters: none,
    dates: new Set(['download_deadline']),
    links: { id_order: 'orders', product_id: 'products', product_attribute_id: 'combinations' },
    // Taxes of the line (order_detail_tax); the recorded shop had none, so none are generated.
    associations: [{ name: 'taxes', nodeType: 'tax', api: 'taxes', fields: ['id'] }],
  },
  order_slip: {
    name: 'order_slip',
    listKey: 'order_slips',
    singular: 'order_slip',
    fields: ORDER_SLIP_FIELDS,
    i18n: none,
    getters: none,
    dates: new Set(['date_add', 'date_upd']),
    links: { id_customer: 'customers', id_order: 'orders' },
    associations: [{ name: 'order_slip_details', nodeType: 'order_slip_detail', fields: ORDER_SLIP_DETAIL_FIELDS }],
  },
  order_payments: {
    name: 'order_payments',
    singular: 'order_payment',
    fields: ORDER_PAYMENT_FIELDS,
    i18n: none,
    getters: none,
    dates: new Set(['date_add']),
    links: {},
    associations: [],
  },
  order_histories: {
    name: 'order_histories',
    singular: 'order_history',
    fields: ORDER_HISTORY_FIELDS,
    i18n: none,
    getters: none,
    dates: new Set(['date_add']),
    links: { id_employee: 'employees', id_order_state: 'order_states', id_order: 'orders' },
    associations: [],
  },
  order_cart_rules: {
    name: 'order_cart_rules',
    singular: 'order_cart_rule',
    fields: ORDER_CART_RULE_FIELDS,
    i18n: none,
    getters: none,
    dates: none,
    links: { id_order: 'orders' },
    associations: [],
  },
};
