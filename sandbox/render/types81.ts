import type { ResourceName } from '../resources';
import { TYPES_81_DOCUMENTS } from './types81Documents';

/**
 * The JSON type PrestaShop 8.1.2 gives each field, per resource. Read once from responses recorded on a real
 * 8.1.2 shop (customers, orders with order_rows, a single order, products in two languages and in one,
 * order_states, currencies, languages, configurations) and kept here by hand. Every field not listed is a string
 * (money, rates, decimals, flags, dates, text); a NULL stays null, and a NULL `id_*` that is not listed stays ""
 * (configurations.id_shop, id_shop_group). Language ids inside a translatable field are numbers in 8.1.
 *
 * No recording shows the products associations `tags`, `attachments` and `accessories`: their ids follow
 * PrestaShop's ObjectModel definitions (unsigned ids are integers, so numbers), like every id that was recorded.
 */

/**
 * - int: an integer column (ids, quantities, counters): a number; NULL and "" become 0, as ObjectModel's int cast does.
 * - intForDefaultLanguage: the recorded languages list mixes types: the default language (id 1, PS_LANG_DEFAULT)
 *   came back with numbers, the other with strings. Deterministic by id, whatever the list order.
 * - falseWhenEmpty: Manufacturer::getNameById gives false for a product without a manufacturer.
 * - zeroDateWhenNull: a NOT NULL DATETIME in 8.1 (the recordings show "0000-00-00 00:00:00", never null).
 * - emptyWhenNull: a nullable boolean column; 8.1's EntityMapper casts booleans to string, so NULL becomes "".
 */
export type FieldKind = 'int' | 'intForDefaultLanguage' | 'falseWhenEmpty' | 'zeroDateWhenNull' | 'emptyWhenNull';

export interface ResourceTypes {
  /** Fields that are not plain strings, by kind. */
  fields: Readonly<Record<string, FieldKind>>;
  /** Association item fields that are numbers (the rest of an item is strings). */
  associations: Readonly<Record<string, readonly string[]>>;
}

const ints = (...names: string[]): Record<string, FieldKind> => Object.fromEntries(names.map((name) => [name, 'int' as const]));

/** The language whose records come back typed in the recorded mixed list. */
export const TYPED_LANGUAGE_ID = 1;

export const TYPES_81: Readonly<Record<ResourceName, ResourceTypes>> = {
  customers: {
    fields: {
      ...ints('id_default_group', 'id_lang', 'id_gender', 'id_risk', 'max_payment_days', 'id_shop', 'id_shop_group'),
      reset_password_validity: 'zeroDateWhenNull',
    },
    associations: { groups: ['id'] },
  },
  orders: {
    fields: ints(
      'id_address_delivery', 'id_address_invoice', 'id_cart', 'id_currency', 'id_lang', 'id_customer', 'id_carrier',
      'current_state', 'invoice_number', 'delivery_number', 'id_shop_group', 'id_shop', 'round_mode', 'round_type',
    ),
    associations: { order_rows: ['id', 'product_id', 'product_attribute_id', 'product_quantity', 'id_customization'] },
  },
  products: {
    fields: {
      ...ints(
        'id_manufacturer', 'id_supplier', 'id_category_default', 'cache_default_attribute', 'id_default_image',
        'id_default_combination', 'id_tax_rules_group', 'position_in_category', 'quantity', 'id_shop_default', 'state',
        'additional_delivery_times', 'minimal_quantity', 'low_stock_threshold', 'customizable', 'text_fields',
        'uploadable_files', 'id_type_redirected', 'pack_stock_type',
      ),
      manufacturer_name: 'falseWhenEmpty',
    },
    associations: {
      categories: ['id'],
      images: ['id'],
      combinations: ['id'],
      product_option_values: ['id'],
      product_features: ['id', 'id_feature_value'],
      stock_availables: ['id', 'id_product_attribute'],
      product_bundle: ['id', 'id_product_attribute', 'quantity'],
      // Not recorded: ids by the ObjectModel definitions.
      tags: ['id'],
      attachments: ['id'],
      accessories: ['id'],
    },
  },
  order_states: { fields: {}, associations: {} },
  currencies: { fields: ints('precision', 'deleted', 'active', 'unofficial', 'modified'), associations: {} },
  languages: { fields: { active: 'intForDefaultLanguage', is_rtl: 'intForDefaultLanguage' }, associations: {} },
  configurations: { fields: {}, associations: {} },
  ...TYPES_81_DOCUMENTS,
};
