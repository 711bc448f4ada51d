import type { AssociationDef, ResourceDef } from './resources';

/**
 * Catalog and geography. carriers and addresses in the order a real PrestaShop 8.1.2 lists them (recorded); the
 * others in ObjectModel::getWebserviceParameters' order (id, the webservice `fields`, then the `$definition`
 * fields, hidden ones left out) as classes/Category.php, Manufacturer.php, Country.php, Combination.php and
 * stock/StockAvailable.php of 8.1.2 define them. Where 1.7.8 differs, the 1.7 list is kept apart.
 */

const CATEGORY_FIELDS_17 = [
  'id', 'id_parent', 'level_depth', 'nb_products_recursive', 'active', 'id_shop_default', 'is_root_category',
  'position', 'date_add', 'date_upd', 'name', 'link_rewrite', 'description', 'meta_title', 'meta_description',
  'meta_keywords',
] as const;

/** 8.0 added the translatable additional_description, after description. */
const CATEGORY_FIELDS_81: readonly string[] = CATEGORY_FIELDS_17.flatMap((f) => (f === 'description' ? [f, 'additional_description'] : [f]));

const MANUFACTURER_FIELDS = [
  'id', 'active', 'link_rewrite', 'name', 'date_add', 'date_upd', 'description', 'short_description', 'meta_title',
  'meta_description', 'meta_keywords',
] as const;

const CARRIER_FIELDS = [
  'id', 'deleted', 'is_module', 'id_tax_rules_group', 'id_reference', 'name', 'active', 'is_free', 'url',
  'shipping_handling', 'shipping_external', 'range_behavior', 'shipping_method', 'max_width', 'max_height', 'max_depth',
  'max_weight', 'grade', 'external_module_name', 'need_range', 'position', 'delay',
] as const;

const ADDRESS_FIELDS = [
  'id', 'id_customer', 'id_manufacturer', 'id_supplier', 'id_warehouse', 'id_country', 'id_state', 'alias', 'company',
  'lastname', 'firstname', 'vat_number', 'address1', 'address2', 'postcode', 'city', 'other', 'phone', 'phone_mobile',
  'dni', 'deleted', 'date_add', 'date_upd',
] as const;

const COUNTRY_FIELDS = [
  'id', 'id_zone', 'id_currency', 'call_prefix', 'iso_code', 'active', 'contains_states', 'need_identification_number',
  'need_zip_code', 'zip_code_format', 'display_tax_label', 'name',
] as const;

/** 1.7.8: stock still had a column on the combination (quantity), and location. */
const COMBINATION_FIELDS_17 = [
  'id', 'id_product', 'location', 'ean13', 'isbn', 'upc', 'mpn', 'quantity', 'reference', 'supplier_reference',
  'wholesale_price', 'price', 'ecotax', 'weight', 'unit_price_impact', 'minimal_quantity', 'low_stock_threshold',
  'low_stock_alert', 'default_on', 'available_date',
] as const;

/** 8.x: no quantity (stock_availables hold it) and no location; translatable availability labels. */
const COMBINATION_FIELDS_81 = [
  'id', 'id_product', 'ean13', 'isbn', 'upc', 'mpn', 'reference', 'supplier_reference', 'wholesale_price', 'price',
  'ecotax', 'weight', 'unit_price_impact', 'minimal_quantity', 'low_stock_threshold', 'low_stock_alert', 'default_on',
  'available_date', 'available_now', 'available_later',
] as const;

const STOCK_AVAILABLE_FIELDS = [
  'id', 'id_product', 'id_product_attribute', 'id_shop', 'id_shop_group', 'quantity', 'depends_on_stock',
  'out_of_stock', 'location',
] as const;

const none: ReadonlySet<string> = new Set<string>();
const ids = (name: string, nodeType: string, api: string): AssociationDef => ({ name, nodeType, api, fields: ['id'] });

export const CATALOG_NAMES = [
  'categories', 'manufacturers', 'carriers', 'addresses', 'countries', 'combinations', 'stock_availables',
] as const;
export type CatalogName = (typeof CATALOG_NAMES)[number];

/** The 1.7 field lists; catalogResources81() gives the 8.1 ones. */
export const CATALOG_RESOURCES: Readonly<Record<CatalogName, ResourceDef>> = {
  categories: {
    name: 'categories',
    singular: 'category',
    fields: CATEGORY_FIELDS_17,
    i18n: new Set(['name', 'link_rewrite', 'description', 'additional_description', 'meta_title', 'meta_description', 'meta_keywords']),
    getters: new Set(['nb_products_recursive']),
    dates: new Set(['date_add', 'date_upd']),
    links: { id_parent: 'categories' },
    associations: [ids('categories', 'category', 'categories'), ids('products', 'product', 'products')],
  },
  manufacturers: {
    name: 'manufacturers',
    singular: 'manufacturer',
    fields: MANUFACTURER_FIELDS,
    i18n: new Set(['description', 'short_description', 'meta_title', 'meta_description', 'meta_keywords']),
    getters: new Set(['link_rewrite']),
    dates: new Set(['date_add', 'date_upd']),
    links: {},
    associations: [ids('addresses', 'address', 'addresses')],
  },
  carriers: {
    name: 'carriers',
    singular: 'carrier',
    fields: CARRIER_FIELDS,
    i18n: new Set(['delay']),
    getters: new Set(['id_tax_rules_group']),
    dates: none,
    links: { id_tax_rules_group: 'tax_rule_groups' },
    associations: [],
  },
  addresses: {
    name: 'addresses',
    singular: 'address',
    fields: ADDRESS_FIELDS,
    i18n: none,
    getters: none,
    dates: new Set(['date_add', 'date_upd']),
    links: {
      id_customer: 'customers', id_manufacturer: 'manufacturers', id_supplier: 'suppliers', id_warehouse: 'warehouse',
      id_country: 'countries', id_state: 'states',
    },
    associations: [],
  },
  countries: {
    name: 'countries',
    singular: 'country',
    fields: COUNTRY_FIELDS,
    i18n: new Set(['name']),
    getters: none,
    dates: none,
    links: { id_zone: 'zones', id_currency: 'currencies' },
    associations: [],
  },
  combinations: {
    name: 'combinations',
    singular: 'combination',
    fields: COMBINATION_FIELDS_17,
    i18n: new Set(['available_now', 'available_later']),
    getters: none,
    dates: new Set(['available_date']),
    links: { id_product: 'products' },
    associations: [ids('product_option_values', 'product_option_value', 'product_option_values'), ids('images', 'image', 'images')],
  },
  stock_availables: {
    name: 'stock_availables',
    singular: 'stock_available',
    fields: STOCK_AVAILABLE_FIELDS,
    i18n: none,
    getters: none,
    dates: none,
    links: { id_product: 'products', id_product_attribute: 'combinations', id_shop: 'shops', id_shop_group: 'shop_groups' },
    associations: [],
  },
};

export function catalogResources81(): Readonly<Record<CatalogName, ResourceDef>> {
  return {
    ...CATALOG_RESOURCES,
    categories: { ...CATALOG_RESOURCES.categories, fields: CATEGORY_FIELDS_81 },
    combinations: { ...CATALOG_RESOURCES.combinations, fields: COMBINATION_FIELDS_81 },
  };
}
