/** What the sandbox knows about each resource: field order (copied from the fixtures), i18n, getters, links. */

import { CATALOG_RESOURCES, catalogResources81, type CatalogName } from './resourcesCatalog';
import { ORDER_DOC_RESOURCES, type OrderDocName } from './resourcesOrderDocs';
import type { PsVersion } from './version';

export type ResourceName =
  | 'customers'
  | 'products'
  | 'orders'
  | 'order_states'
  | 'currencies'
  | 'languages'
  | 'configurations'
  | OrderDocName
  | CatalogName;

export const ENTITY_RESOURCES = ['customers', 'products', 'orders'] as const;
export type EntityName = (typeof ENTITY_RESOURCES)[number];

export interface AssociationDef {
  name: string;
  nodeType: string;
  /** The resource the items point to (XML xlink); absent for virtual entities such as order_rows. */
  api?: string;
  /** Item fields, in order. */
  fields: readonly string[];
}

export interface ResourceDef {
  name: ResourceName;
  /** The key a list is served under when it is not the resource name (order_slip lists as order_slips). */
  listKey?: string;
  singular: string;
  fields: readonly string[];
  i18n: ReadonlySet<string>;
  /** Fields computed by a getter: displayable but not filterable (code 34). */
  getters: ReadonlySet<string>;
  /** Fields holding a date or datetime, compared as DATETIME. */
  dates: ReadonlySet<string>;
  /** Foreign keys rendered with xlink:href in XML. */
  links: Readonly<Record<string, string>>;
  associations: readonly AssociationDef[];
  /** Unsorted lists come back by id (a tiny table read by its primary key, as recorded), not scrambled. */
  listedById?: boolean;
}

const CUSTOMER_FIELDS = [
  'id', 'id_default_group', 'id_lang', 'newsletter_date_add', 'ip_registration_newsletter', 'last_passwd_gen',
  'secure_key', 'deleted', 'passwd', 'lastname', 'firstname', 'email', 'id_gender', 'birthday', 'newsletter', 'optin',
  'website', 'company', 'siret', 'ape', 'outstanding_allow_amount', 'show_public_prices', 'id_risk',
  'max_payment_days', 'active', 'note', 'is_guest', 'id_shop', 'id_shop_group', 'date_add', 'date_upd',
  'reset_password_token', 'reset_password_validity',
] as const;

const PRODUCT_FIELDS = [
  'id', 'id_manufacturer', 'id_supplier', 'id_category_default', 'new', 'cache_default_attribute', 'id_default_image',
  'id_default_combination', 'id_tax_rules_group', 'position_in_category', 'manufacturer_name', 'quantity', 'type',
  'id_shop_default', 'reference', 'supplier_reference', 'location', 'width', 'height', 'depth', 'weight',
  'quantity_discount', 'ean13', 'isbn', 'upc', 'mpn', 'cache_is_pack', 'cache_has_attachments', 'is_virtual', 'state',
  'additional_delivery_times', 'delivery_in_stock', 'delivery_out_stock', 'product_type', 'on_sale', 'online_only',
  'ecotax', 'minimal_quantity', 'low_stock_threshold', 'low_stock_alert', 'price', 'wholesale_price', 'unity',
  'unit_price_ratio', 'additional_shipping_cost', 'customizable', 'text_fields', 'uploadable_files', 'active',
  'redirect_type', 'id_type_redirected', 'available_for_order', 'available_date', 'show_condition', 'condition',
  'show_price', 'indexed', 'visibility', 'advanced_stock_management', 'date_add', 'date_upd', 'pack_stock_type',
  'meta_description', 'meta_keywords', 'meta_title', 'link_rewrite', 'name', 'description', 'description_short',
  'available_now', 'available_later',
] as const;

const ORDER_FIELDS = [
  'id', 'id_address_delivery', 'id_address_invoice', 'id_cart', 'id_currency', 'id_lang', 'id_customer', 'id_carrier',
  'current_state', 'module', 'invoice_number', 'invoice_date', 'delivery_number', 'delivery_date', 'valid', 'date_add',
  'date_upd', 'shipping_number', 'note', 'id_shop_group', 'id_shop', 'secure_key', 'payment', 'recyclable', 'gift',
  'gift_message', 'mobile_theme', 'total_discounts', 'total_discounts_tax_incl', 'total_discounts_tax_excl',
  'total_paid', 'total_paid_tax_incl', 'total_paid_tax_excl', 'total_paid_real', 'total_products',
  'total_products_wt', 'total_shipping', 'total_shipping_tax_incl', 'total_shipping_tax_excl', 'carrier_tax_rate',
  'total_wrapping', 'total_wrapping_tax_incl', 'total_wrapping_tax_excl', 'round_mode', 'round_type',
  'conversion_rate', 'reference',
] as const;

export const ORDER_ROW_FIELDS = [
  'id', 'product_id', 'product_attribute_id', 'product_quantity', 'product_name', 'product_reference',
  'product_ean13', 'product_isbn', 'product_upc', 'product_price', 'id_customization', 'unit_price_tax_incl',
  'unit_price_tax_excl',
] as const;

const ORDER_STATE_FIELDS = [
  'id', 'unremovable', 'delivery', 'hidden', 'send_email', 'module_name', 'invoice', 'color', 'logable', 'shipped',
  'paid', 'pdf_delivery', 'pdf_invoice', 'deleted', 'name', 'template',
] as const;

const CURRENCY_FIELDS = [
  'id', 'names', 'name', 'symbol', 'iso_code', 'numeric_iso_code', 'precision', 'conversion_rate', 'deleted', 'active',
  'unofficial', 'modified', 'pattern',
] as const;

const LANGUAGE_FIELDS = [
  'id', 'name', 'iso_code', 'locale', 'language_code', 'active', 'is_rtl', 'date_format_lite', 'date_format_full',
] as const;

const CONFIGURATION_FIELDS = ['id', 'value', 'name', 'id_shop_group', 'id_shop', 'date_add', 'date_upd'] as const;

const idList = (name: string, nodeType: string, api: string): AssociationDef => ({ name, nodeType, api, fields: ['id'] });

export const RESOURCES: Readonly<Record<ResourceName, ResourceDef>> = {
  customers: {
    name: 'customers',
    singular: 'customer',
    fields: CUSTOMER_FIELDS,
    i18n: new Set(),
    getters: new Set(),
    dates: new Set(['newsletter_date_add', 'last_passwd_gen', 'birthday', 'date_add', 'date_upd', 'reset_password_validity']),
    links: { id_default_group: 'groups', id_lang: 'languages' },
    associations: [idList('groups', 'group', 'groups')],
  },
  products: {
    name: 'products',
    singular: 'product',
    fields: PRODUCT_FIELDS,
    i18n: new Set([
      'delivery_in_stock', 'delivery_out_stock', 'meta_description', 'meta_keywords', 'meta_title', 'link_rewrite', 'name',
      'description', 'description_short', 'available_now', 'available_later',
    ]),
    getters: new Set(['id_default_image', 'id_default_combination', 'position_in_category', 'manufacturer_name', 'quantity', 'type']),
    dates: new Set(['available_date', 'date_add', 'date_upd']),
    links: {
      id_manufacturer: 'manufacturers', id_supplier: 'suppliers', id_category_default: 'categories',
      id_default_combination: 'combinations', id_tax_rules_group: 'tax_rule_groups',
    },
    associations: [
      idList('categories', 'category', 'categories'),
      idList('images', 'image', 'images'),
      idList('combinations', 'combination', 'combinations'),
      idList('product_option_values', 'product_option_value', 'product_option_values'),
      { name: 'product_features', nodeType: 'product_feature', api: 'product_features', fields: ['id', 'id_feature_value'] },
      idList('tags', 'tag', 'tags'),
      { name: 'stock_availables', nodeType: 'stock_available', api: 'stock_availables', fields: ['id', 'id_product_attribute'] },
      idList('attachments', 'attachment', 'attachments'),
      idList('accessories', 'product', 'products'),
      { name: 'product_bundle', nodeType: 'product', api: 'products', fields: ['id', 'id_product_attribute', 'quantity'] },
    ],
  },
  orders: {
    name: 'orders',
    singular: 'order',
    fields: ORDER_FIELDS,
    i18n: new Set(),
    getters: new Set(['shipping_number']),
    dates: new Set(['invoice_date', 'delivery_date', 'date_add', 'date_upd']),
    links: {
      id_address_delivery: 'addresses', id_address_invoice: 'addresses', id_cart: 'carts', id_currency: 'currencies',
      id_lang: 'languages', id_customer: 'customers', id_carrier: 'carriers', current_state: 'order_states',
    },
    associations: [{ name: 'order_rows', nodeType: 'order_row', fields: ORDER_ROW_FIELDS }],
  },
  order_states: {
    name: 'order_states',
    singular: 'order_state',
    fields: ORDER_STATE_FIELDS,
    i18n: new Set(['name', 'template']),
    getters: new Set(),
    dates: new Set(),
    links: {},
    associations: [],
  },
  currencies: {
    name: 'currencies',
    singular: 'currency',
    fields: CURRENCY_FIELDS,
    i18n: new Set(['name', 'symbol', 'pattern']),
    getters: new Set(['names']),
    dates: new Set(),
    links: {},
    associations: [],
  },
  languages: {
    name: 'languages',
    singular: 'language',
    fields: LANGUAGE_FIELDS,
    i18n: new Set(),
    getters: new Set(),
    dates: new Set(),
    links: {},
    associations: [],
    listedById: true,
  },
  configurations: {
    name: 'configurations',
    singular: 'configuration',
    fields: CONFIGURATION_FIELDS,
    i18n: new Set(),
    getters: new Set(),
    dates: new Set(['date_add', 'date_upd']),
    links: {},
    associations: [],
  },
  ...ORDER_DOC_RESOURCES,
  ...CATALOG_RESOURCES,
};

/** The key of a list answer (JSON) and of the list element (XML). */
export function listKeyOf(def: ResourceDef): string {
  return def.listKey ?? def.name;
}

/** PrestaShop 8 made product.unit_price a column of its own: the 8.1.2 recordings show it right after unity. */
const PRODUCT_FIELDS_81: readonly string[] = PRODUCT_FIELDS.flatMap((field) => (field === 'unity' ? [field, 'unit_price'] : [field]));

/** The resources as an 8.1 shop describes them (the same as 1.7 but for the product fields). */
export const RESOURCES_81: Readonly<Record<ResourceName, ResourceDef>> = {
  ...RESOURCES,
  products: { ...RESOURCES.products, fields: PRODUCT_FIELDS_81 },
  ...catalogResources81(),
};

export function resourceDefs(version: PsVersion): Readonly<Record<ResourceName, ResourceDef>> {
  return version === '8.1' ? RESOURCES_81 : RESOURCES;
}

export function isResourceName(name: string): name is ResourceName {
  return Object.prototype.hasOwnProperty.call(RESOURCES, name);
}

/** Core resource names as a real shop lists them (ksort), for the code 27 "did you mean" message. */
export const CORE_RESOURCE_LIST = [
  'addresses', 'attachments', 'carriers', 'cart_rules', 'carts', 'categories', 'combinations', 'configurations',
  'contacts', 'content_management_system', 'countries', 'currencies', 'customer_messages', 'customer_threads',
  'customers', 'customizations', 'deliveries', 'employees', 'groups', 'guests', 'image_types', 'images', 'languages',
  'manufacturers', 'messages', 'order_carriers', 'order_cart_rules', 'order_details', 'order_histories',
  'order_invoices', 'order_payments', 'order_slip', 'order_states', 'orders', 'price_ranges',
  'product_customization_fields', 'product_feature_values', 'product_features', 'product_option_values',
  'product_options', 'product_suppliers', 'products', 'search', 'shop_groups', 'shop_urls', 'shops',
  'specific_price_rules', 'specific_prices', 'states', 'stock_availables', 'stock_movement_reasons', 'stock_movements',
  'stocks', 'stores', 'suppliers', 'supply_order_details', 'supply_order_histories', 'supply_order_receipt_histories',
  'supply_order_states', 'supply_orders', 'tags', 'tax_rule_groups', 'tax_rules', 'taxes', 'translated_configurations',
  'warehouse_product_locations', 'warehouses', 'weight_ranges', 'zones',
] as const;
