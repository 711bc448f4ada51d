/**
 * The fields the staging models cast (sql/models/staging), by source and cast. A value the cast cannot parse becomes
 * NULL in staging and is reported by the `unparseable_values` warning, found with the cast's companion predicate
 * (staging.ps_<cast>_unparseable, migration 004) on the raw text. tests/analytics/unparseableValues.test.ts holds
 * this table to the models, so a field a model starts casting cannot be forgotten here.
 */
import { CATALOG_SOURCES } from './catalogChangedKeys';
import type { ChangedSource } from './changedKeys';
import { DOCUMENT_SOURCES } from './documentChangedKeys';

export type Cast = 'id' | 'int' | 'numeric' | 'bool' | 'timestamp' | 'date';

export type FieldCasts = Readonly<Record<string, Cast>>;

/**
 * The staging column holding each field's cast value, for the fields whose column is NULL whenever the cast gave
 * NULL (not those a model wraps in coalesce). The check reads the raw text of such a field only where its column
 * is NULL: a full rebuild then re-parses almost nothing, as most values parsed.
 */
export type StagingColumns = Readonly<Record<string, string>>;

export interface RawSource {
  /** The data-quality entity: the raw table's name, as schema drift names it. */
  entity: string;
  table: string;
  /** The temp table of this refresh's changed ids, and its key column. */
  changed: string;
  changedKey: string;
  /**
   * The staging model of the raw table, keyed by changedKey, with the columns the casts land in. Without it (the order
   * documents, cast straight into their facts) every field of the scope's records is parsed.
   */
  staging?: string;
  fields: FieldCasts;
  columns?: StagingColumns;
  /** Fields of each associations.order_rows item (orders only), reported as order_rows.<field>. */
  orderRows?: { staging: string; fields: FieldCasts; columns: StagingColumns };
}

export const RAW_SOURCES: readonly RawSource[] = [
  {
    entity: 'prestashop_customers',
    table: 'raw.prestashop_customers',
    changed: 'chg_customers',
    changedKey: 'customer_id',
    staging: 'staging.stg_customers',
    fields: {
      id_default_group: 'id', id_lang: 'id', id_gender: 'id', id_shop: 'id',
      is_guest: 'bool', active: 'bool', deleted: 'bool', newsletter: 'bool', optin: 'bool',
      birthday: 'date', newsletter_date_add: 'timestamp', date_add: 'timestamp', date_upd: 'timestamp',
    },
    columns: {
      id_default_group: 'default_group_id', id_lang: 'lang_id', id_gender: 'gender_id', id_shop: 'shop_id',
      is_guest: 'is_guest', active: 'is_active', newsletter: 'is_newsletter', optin: 'is_optin',
      birthday: 'birthday', newsletter_date_add: 'newsletter_at_local', date_add: 'created_at_local', date_upd: 'updated_at_local',
    },
  },
  {
    entity: 'prestashop_products',
    table: 'raw.prestashop_products',
    changed: 'chg_products',
    changedKey: 'product_id',
    staging: 'staging.stg_products',
    fields: {
      id_manufacturer: 'id', id_supplier: 'id', id_category_default: 'id', price: 'numeric', wholesale_price: 'numeric',
      active: 'bool', is_virtual: 'bool', state: 'int', date_add: 'timestamp', date_upd: 'timestamp',
    },
    columns: {
      id_manufacturer: 'manufacturer_id', id_supplier: 'supplier_id', id_category_default: 'category_default_id',
      price: 'price_tax_excl', wholesale_price: 'wholesale_price', active: 'is_active', is_virtual: 'is_virtual', state: 'state',
      date_add: 'created_at_local', date_upd: 'updated_at_local',
    },
  },
  {
    entity: 'prestashop_orders',
    table: 'raw.prestashop_orders',
    changed: 'chg_orders',
    changedKey: 'order_id',
    staging: 'staging.stg_orders',
    fields: {
      id_customer: 'id', id_cart: 'id', id_currency: 'id', id_lang: 'id', id_carrier: 'id', id_shop: 'id',
      current_state: 'id', valid: 'bool', conversion_rate: 'numeric', total_paid_tax_incl: 'numeric',
      total_paid_tax_excl: 'numeric', total_paid_real: 'numeric', total_products: 'numeric', total_products_wt: 'numeric',
      total_discounts_tax_excl: 'numeric', total_shipping_tax_excl: 'numeric', total_wrapping_tax_excl: 'numeric',
      invoice_number: 'id', invoice_date: 'timestamp', delivery_date: 'timestamp', date_add: 'timestamp', date_upd: 'timestamp',
      id_address_delivery: 'id',
    },
    columns: {
      id_customer: 'customer_id', id_cart: 'cart_id', id_currency: 'currency_id', id_lang: 'lang_id', id_carrier: 'carrier_id',
      id_shop: 'shop_id', current_state: 'current_state_id', conversion_rate: 'conversion_rate',
      total_paid_tax_incl: 'total_paid_tax_incl', total_paid_tax_excl: 'total_paid_tax_excl', total_paid_real: 'total_paid_real',
      total_products: 'total_products', total_products_wt: 'total_products_wt', total_discounts_tax_excl: 'total_discounts_tax_excl',
      total_shipping_tax_excl: 'total_shipping_tax_excl', total_wrapping_tax_excl: 'total_wrapping_tax_excl',
      invoice_number: 'invoice_number', invoice_date: 'invoice_at_local', delivery_date: 'delivery_at_local',
      date_add: 'created_at_local', date_upd: 'updated_at_local', id_address_delivery: 'address_delivery_id',
    },
    orderRows: {
      staging: 'staging.stg_order_lines',
      fields: {
        id: 'id', product_id: 'id', product_attribute_id: 'id', id_customization: 'id', product_quantity: 'int',
        product_price: 'numeric', unit_price_tax_incl: 'numeric', unit_price_tax_excl: 'numeric',
      },
      columns: {
        id: 'order_line_id', product_id: 'product_id', product_attribute_id: 'product_attribute_id', id_customization: 'customization_id',
        product_quantity: 'quantity', product_price: 'product_price', unit_price_tax_incl: 'unit_price_tax_incl',
        unit_price_tax_excl: 'unit_price_tax_excl',
      },
    },
  },
  ...documentSources(),
  ...catalogSources(),
];

/** A raw table whose fields a model casts straight into analytics (no staging column): its changed records are parsed whole. */
function castInModels(source: ChangedSource, entity: string, fields: FieldCasts): RawSource {
  return { entity, table: source.table, changed: source.temp, changedKey: source.key, fields };
}

/**
 * The order documents' fields, as their facts cast them (sql/models/analytics: fact_order_lines for the details,
 * fact_order_discounts, fact_refunds, fact_payments, fact_order_status_changes).
 */
function documentSources(): RawSource[] {
  const d = DOCUMENT_SOURCES;
  return [
    castInModels(d.orderDetails, 'prestashop_order_details', {
      purchase_supplier_price: 'numeric', original_wholesale_price: 'numeric', product_quantity_refunded: 'int',
      product_quantity_return: 'int', total_refunded_tax_excl: 'numeric',
    }),
    castInModels(d.orderCartRules, 'prestashop_order_cart_rules', { id_cart_rule: 'id', value_tax_excl: 'numeric', deleted: 'bool' }),
    castInModels(d.slips, 'prestashop_order_slips', {
      id_order: 'id', date_add: 'timestamp', conversion_rate: 'numeric', total_products_tax_excl: 'numeric', total_shipping_tax_excl: 'numeric',
    }),
    castInModels(d.payments, 'prestashop_order_payments', { date_add: 'timestamp', id_currency: 'id', conversion_rate: 'numeric', amount: 'numeric' }),
    castInModels(d.histories, 'prestashop_order_histories', { id_order: 'id', id_order_state: 'id', date_add: 'timestamp' }),
  ];
}

/**
 * The catalog's and geography's fields, as their models cast them (stg_addresses, dim_category, dim_manufacturer,
 * dim_carrier, dim_country, dim_product_variant, fact_stock_daily). A stock quantity that does not parse counts as 0
 * in the daily snapshot, which only this warning tells apart from a real stock-out.
 */
function catalogSources(): RawSource[] {
  const c = CATALOG_SOURCES;
  return [
    castInModels(c.addresses, 'prestashop_addresses', { id_customer: 'id', id_country: 'id', id_state: 'id', deleted: 'bool' }),
    castInModels(c.categories, 'prestashop_categories', {
      id_parent: 'id', level_depth: 'int', active: 'bool', is_root_category: 'bool', position: 'int', date_add: 'timestamp', date_upd: 'timestamp',
    }),
    castInModels(c.manufacturers, 'prestashop_manufacturers', { active: 'bool', date_add: 'timestamp', date_upd: 'timestamp' }),
    castInModels(c.carriers, 'prestashop_carriers', { id_reference: 'id', active: 'bool', deleted: 'bool', is_free: 'bool', is_module: 'bool' }),
    castInModels(c.countries, 'prestashop_countries', { id_zone: 'id', call_prefix: 'int', active: 'bool', contains_states: 'bool' }),
    castInModels(c.combinations, 'prestashop_combinations', {
      id_product: 'id', price: 'numeric', wholesale_price: 'numeric', default_on: 'bool', minimal_quantity: 'int',
    }),
    castInModels(c.stock, 'prestashop_stock_availables', { id_product: 'id', id_product_attribute: 'id', quantity: 'int' }),
  ];
}

/** Reference data (staging.shop_reference), small and rebuilt whole by every refresh, so checked whole. */
export const REFERENCE_SOURCES: readonly { entity: string; resource: string; fields: FieldCasts }[] = [
  { entity: 'shop_reference.currencies', resource: 'currencies', fields: { precision: 'int', conversion_rate: 'numeric', active: 'bool', deleted: 'bool' } },
  {
    entity: 'shop_reference.order_states',
    resource: 'order_states',
    fields: { logable: 'bool', paid: 'bool', shipped: 'bool', delivery: 'bool', invoice: 'bool', hidden: 'bool', deleted: 'bool' },
  },
];

export const UNPARSEABLE_CHECK = 'unparseable_values';

const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const predicate = (record: string, field: string, cast: Cast): string => `staging.ps_${cast}_unparseable(${record}.${field})`;

/**
 * text[] of the names (with prefix) of the fields of `record` whose text the cast cannot parse. With `stg`, a field
 * is parsed only where its staging column is NULL (CASE, so the parse is skipped, not just ANDed).
 */
function badFieldsArray(record: string, fields: FieldCasts, prefix = '', stg?: { alias: string; columns: StagingColumns }): string {
  const items = Object.entries(fields).map(([field, cast]) => {
    const item = `case when ${predicate(record, field, cast)} then ${quoteLiteral(prefix + field)} end`;
    const column = stg?.columns[field];
    return column ? `case when ${stg.alias}.${column} is null then ${item} end` : item;
  });
  return `array_remove(array[${items.join(', ')}]::text[], null)`;
}

const recordColumns = (fields: FieldCasts): string => Object.keys(fields).map((f) => `${f} text`).join(', ');

/** Open issues of this check and entity, as bigint ids: they are re-checked with the changed rows. */
const openIssueIds = (entity: string): string =>
  `select issue_ids.id from (
     select staging.ps_id(issue.record_id) as id from staging.data_quality_issues as issue
     where issue.check_name = ${quoteLiteral(UNPARSEABLE_CHECK)} and issue.entity = ${quoteLiteral(entity)}
   ) as issue_ids where issue_ids.id is not null`;

/**
 * One row (id text, fields text[]) per raw record of this refresh's scope with at least one unparseable field:
 * the changed records and those already reported. Deleted raw rows are not reported (the shop no longer has them).
 * The payload is decompressed once per record (jsonb_to_record, not one -> per field), and a field's text is parsed
 * only where its staging column is NULL, an order's items only when one of its staging lines has a NULL: a value
 * that did not parse left that NULL, so most values are never parsed a second time.
 */
export function unparseableRawSql(source: RawSource): string {
  const stg = source.staging && source.columns ? { alias: 'stg', columns: source.columns } : undefined;
  const rows = source.orderRows;
  // Read only for the few orders that need it, so decompressing the payload again costs nothing overall.
  const rowsList = rows
    ? ` || case when exists (
          select from ${rows.staging} as line
          where line.${source.changedKey} = raw_rows.id and (${Object.values(rows.columns).map((c) => `line.${c} is null`).join(' or ')})
        ) then coalesce((
          select array_agg(distinct bad.field order by bad.field)
          from jsonb_to_recordset(case when jsonb_typeof(raw_rows.payload -> 'associations' -> 'order_rows') = 'array'
            then raw_rows.payload -> 'associations' -> 'order_rows' else '[]'::jsonb end) as order_row (${recordColumns(rows.fields)})
          cross join lateral unnest(${badFieldsArray('order_row', rows.fields, 'order_rows.')}) as bad (field)
        ), '{}') else '{}' end`
    : '';
  // MATERIALIZED: the list is computed once per record, not again for the filter.
  return `with checked as materialized (
      select raw_rows.id, ${badFieldsArray('fields', source.fields, '', stg)}${rowsList} as fields
      from (
        select ${source.changedKey} as id from ${source.changed}
        union
        ${openIssueIds(source.entity)}
      ) as scope
      inner join ${source.table} as raw_rows on raw_rows.id = scope.id
      ${source.staging ? `inner join ${source.staging} as stg on stg.${source.changedKey} = raw_rows.id` : ''}
      cross join lateral jsonb_to_record(raw_rows.payload) as fields (${recordColumns(source.fields)})
      where raw_rows.deleted_at is null
    )
    select checked.id::text as id, checked.fields from checked where cardinality(checked.fields) > 0`;
}

export function unparseableReferenceSql(source: (typeof REFERENCE_SOURCES)[number]): string {
  return `with checked as materialized (
      select reference.id, ${badFieldsArray('fields', source.fields)} as fields
      from staging.shop_reference as reference
      cross join lateral jsonb_to_record(reference.payload) as fields (${recordColumns(source.fields)})
      where reference.resource = ${quoteLiteral(source.resource)}
    )
    select checked.id::text as id, checked.fields from checked where cardinality(checked.fields) > 0`;
}
