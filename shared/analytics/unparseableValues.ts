/**
 * The fields the staging models cast (sql/models/staging), by source and cast. A value the cast cannot parse becomes
 * NULL in staging and is reported by the `unparseable_values` warning, found with the cast's companion predicate
 * (staging.ps_<cast>_unparseable, migration 004) on the raw text. tests/analytics/unparseableValues.test.ts holds
 * this table to the models, so a field a model starts casting cannot be forgotten here.
 */
export type Cast = 'id' | 'int' | 'numeric' | 'bool' | 'timestamp' | 'date';

export type FieldCasts = Readonly<Record<string, Cast>>;

export interface RawSource {
  /** The data-quality entity: the raw table's name, as schema drift names it. */
  entity: string;
  table: string;
  /** The temp table of this refresh's changed ids, and its key column. */
  changed: string;
  changedKey: string;
  fields: FieldCasts;
  /** Fields of each associations.order_rows item (orders only), reported as order_rows.<field>. */
  orderRowFields?: FieldCasts;
}

export const RAW_SOURCES: readonly RawSource[] = [
  {
    entity: 'prestashop_customers',
    table: 'raw.prestashop_customers',
    changed: 'chg_customers',
    changedKey: 'customer_id',
    fields: {
      id_default_group: 'id', id_lang: 'id', id_gender: 'id', id_shop: 'id',
      is_guest: 'bool', active: 'bool', deleted: 'bool', newsletter: 'bool', optin: 'bool',
      birthday: 'date', newsletter_date_add: 'timestamp', date_add: 'timestamp', date_upd: 'timestamp',
    },
  },
  {
    entity: 'prestashop_products',
    table: 'raw.prestashop_products',
    changed: 'chg_products',
    changedKey: 'product_id',
    fields: {
      id_manufacturer: 'id', id_supplier: 'id', id_category_default: 'id', price: 'numeric', wholesale_price: 'numeric',
      active: 'bool', is_virtual: 'bool', state: 'int', date_add: 'timestamp', date_upd: 'timestamp',
    },
  },
  {
    entity: 'prestashop_orders',
    table: 'raw.prestashop_orders',
    changed: 'chg_orders',
    changedKey: 'order_id',
    fields: {
      id_customer: 'id', id_cart: 'id', id_currency: 'id', id_lang: 'id', id_carrier: 'id', id_shop: 'id',
      current_state: 'id', valid: 'bool', conversion_rate: 'numeric', total_paid_tax_incl: 'numeric',
      total_paid_tax_excl: 'numeric', total_paid_real: 'numeric', total_products: 'numeric', total_products_wt: 'numeric',
      total_discounts_tax_excl: 'numeric', total_shipping_tax_excl: 'numeric', total_wrapping_tax_excl: 'numeric',
      invoice_number: 'id', invoice_date: 'timestamp', delivery_date: 'timestamp', date_add: 'timestamp', date_upd: 'timestamp',
    },
    orderRowFields: {
      id: 'id', product_id: 'id', product_attribute_id: 'id', id_customization: 'id', product_quantity: 'int',
      product_price: 'numeric', unit_price_tax_incl: 'numeric', unit_price_tax_excl: 'numeric',
    },
  },
];

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

/** text[] of the names (with prefix) of the fields of `record` whose text the cast cannot parse. */
function badFieldsArray(record: string, fields: FieldCasts, prefix = ''): string {
  const items = Object.entries(fields).map(
    ([field, cast]) => `case when staging.ps_${cast}_unparseable(${record}.${field}) then ${quoteLiteral(prefix + field)} end`,
  );
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
 */
export function unparseableRawSql(source: RawSource): string {
  const top = badFieldsArray('fields', source.fields);
  const rows = source.orderRowFields
    ? ` || coalesce((
          select array_agg(distinct bad.field order by bad.field)
          from jsonb_to_recordset(case when jsonb_typeof(raw_rows.payload -> 'associations' -> 'order_rows') = 'array'
            then raw_rows.payload -> 'associations' -> 'order_rows' else '[]'::jsonb end) as order_row (${recordColumns(source.orderRowFields)})
          cross join lateral unnest(${badFieldsArray('order_row', source.orderRowFields, 'order_rows.')}) as bad (field)
        ), '{}')`
    : '';
  return `select checked.id::text as id, checked.fields
    from (
      select raw_rows.id, ${top}${rows} as fields
      from ${source.table} as raw_rows
      inner join (
        select ${source.changedKey} as id from ${source.changed}
        union
        ${openIssueIds(source.entity)}
      ) as scope on scope.id = raw_rows.id
      cross join lateral jsonb_to_record(raw_rows.payload) as fields (${recordColumns(source.fields)})
      where raw_rows.deleted_at is null
    ) as checked
    where cardinality(checked.fields) > 0`;
}

export function unparseableReferenceSql(source: (typeof REFERENCE_SOURCES)[number]): string {
  return `select checked.id::text as id, checked.fields
    from (
      select reference.id, ${badFieldsArray('fields', source.fields)} as fields
      from staging.shop_reference as reference
      cross join lateral jsonb_to_record(reference.payload) as fields (${recordColumns(source.fields)})
      where reference.resource = ${quoteLiteral(source.resource)}
    ) as checked
    where cardinality(checked.fields) > 0`;
}
