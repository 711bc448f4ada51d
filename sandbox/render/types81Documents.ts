import type { CatalogName } from '../resourcesCatalog';
import type { OrderDocName } from '../resourcesOrderDocs';
import type { FieldKind, ResourceTypes } from './types81';

const ints = (...names: string[]): Record<string, FieldKind> => Object.fromEntries(names.map((name) => [name, 'int' as const]));

/**
 * JSON types of the order documents and the catalog in 8.1.2. What 8.1 does: PDO gives integer columns as PHP
 * ints and DECIMAL/DATETIME/VARCHAR columns as strings; EntityMapper then casts every TYPE_BOOL field back to a
 * string; getters answer what they compute. Recorded (order_details, order_slip, order_payments, order_histories,
 * order_cart_rules, carriers, addresses) and checked against the recordings; the others follow the same rule on
 * the `$definition` of 8.1.2 (TYPE_INT → number, everything else a string; association ids are numbers).
 */
export const TYPES_81_DOCUMENTS: Readonly<Record<OrderDocName | CatalogName, ResourceTypes>> = {
  order_details: {
    fields: ints(
      'id_order', 'product_id', 'product_attribute_id', 'product_quantity_reinjected', 'discount_quantity_applied',
      'id_order_invoice', 'id_warehouse', 'id_shop', 'id_customization', 'product_quantity', 'product_quantity_in_stock',
      'product_quantity_return', 'product_quantity_refunded', 'tax_computation_method', 'id_tax_rules_group', 'download_nb',
    ),
    associations: { taxes: ['id'] },
  },
  order_slip: {
    fields: ints('id_customer', 'id_order', 'partial', 'order_slip_type'),
    associations: { order_slip_details: ['id', 'id_order_detail', 'product_quantity'] },
  },
  order_payments: { fields: ints('id_currency', 'id_employee'), associations: {} },
  order_histories: { fields: ints('id_employee', 'id_order_state', 'id_order'), associations: {} },
  order_cart_rules: { fields: ints('id_order', 'id_cart_rule', 'id_order_invoice'), associations: {} },
  carriers: {
    fields: ints('id_tax_rules_group', 'id_reference', 'shipping_method', 'max_width', 'max_height', 'max_depth', 'grade', 'position'),
    associations: {},
  },
  addresses: { fields: ints('id_customer', 'id_manufacturer', 'id_supplier', 'id_warehouse', 'id_country', 'id_state'), associations: {} },
  // nb_products_recursive: a COUNT() (an int), or -1 for an empty category.
  categories: {
    fields: ints('id_parent', 'level_depth', 'nb_products_recursive', 'id_shop_default', 'position'),
    associations: { categories: ['id'], products: ['id'] },
  },
  manufacturers: { fields: {}, associations: { addresses: ['id'] } },
  countries: { fields: ints('id_zone', 'id_currency', 'call_prefix'), associations: {} },
  combinations: {
    fields: { ...ints('id_product', 'quantity', 'minimal_quantity', 'low_stock_threshold'), default_on: 'emptyWhenNull' },
    associations: { product_option_values: ['id'], images: ['id'] },
  },
  stock_availables: {
    fields: ints('id_product', 'id_product_attribute', 'id_shop', 'id_shop_group', 'quantity', 'out_of_stock'),
    associations: {},
  },
};
