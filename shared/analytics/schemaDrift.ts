import type { PoolClient } from 'pg';
import type { DataQualityResult } from './dataQuality';

/** The keys of the top level of one raw entity's changed payloads. */
function topLevelKeys(entity: 'customers' | 'products' | 'orders', changedKey: string) {
  return {
    entity: `prestashop_${entity}`,
    keys: `select distinct k.key from raw.prestashop_${entity} as r
      inner join chg_${entity} as c on c.${changedKey} = r.id
      cross join lateral jsonb_object_keys(r.payload) as k (key)`,
    rows: `select count(*) from chg_${entity}`,
  };
}

/** Where payload keys are collected: the top level of each raw entity, and the items of orders' order_rows. */
const SOURCES = [
  topLevelKeys('customers', 'customer_id'),
  topLevelKeys('products', 'product_id'),
  topLevelKeys('orders', 'order_id'),
  {
    entity: 'prestashop_orders.order_rows',
    keys: `select distinct k.key from raw.prestashop_orders as r
      inner join chg_orders as c on c.order_id = r.id
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(r.payload -> 'associations' -> 'order_rows') = 'array'
          then r.payload -> 'associations' -> 'order_rows' else '[]'::jsonb end) as item (value)
      cross join lateral jsonb_object_keys(case when jsonb_typeof(item.value) = 'object' then item.value else '{}'::jsonb end) as k (key)`,
    rows: `select count(*) from raw.prestashop_orders as r inner join chg_orders as c on c.order_id = r.id
      where jsonb_array_length(case when jsonb_typeof(r.payload -> 'associations' -> 'order_rows') = 'array'
        then r.payload -> 'associations' -> 'order_rows' else '[]'::jsonb end) > 0`,
  },
];

/**
 * Compares the keys of the rows changed in this refresh with the per-entity registry (staging.schema_keys):
 * a key never seen (or seen missing before) has appeared; a registered key that none of the changed rows carries
 * has disappeared. The first rows of an entity only fill the registry. Drift is a warning: the models read
 * fields by name and tolerate missing ones, but someone should look.
 */
export async function checkSchemaDrift(client: PoolClient): Promise<DataQualityResult[]> {
  const results: DataQualityResult[] = [];
  for (const source of SOURCES) {
    const { rows } = await client.query<{ appeared: string[]; disappeared: string[]; first_load: boolean; changed: string }>(
      `with seen as (${source.keys}),
       registered as (
         select json_key, missing_since from staging.schema_keys where entity = $1
       )
       select
         coalesce(array(select seen.key from seen left join registered on registered.json_key = seen.key
           where registered.json_key is null or registered.missing_since is not null order by seen.key), '{}') as appeared,
         coalesce(array(select registered.json_key from registered
           where registered.missing_since is null and not exists (select from seen where seen.key = registered.json_key)
           order by registered.json_key), '{}') as disappeared,
         not exists (select from registered) as first_load,
         (${source.rows})::text as changed`,
      [source.entity],
    );
    const row = rows[0];
    if (!row || Number(row.changed) === 0) {
      results.push(pass(source.entity));
      continue;
    }
    await client.query(
      `insert into staging.schema_keys (entity, json_key)
       select $1, key from unnest($2::text[]) as keys (key)
       on conflict (entity, json_key) do update set last_seen_at = now(), missing_since = null`,
      [source.entity, row.appeared],
    );
    await client.query(
      `update staging.schema_keys set missing_since = now() where entity = $1 and json_key = any($2::text[])`,
      [source.entity, row.disappeared],
    );
    await client.query(
      `update staging.schema_keys set last_seen_at = now()
       where entity = $1 and missing_since is null and not (json_key = any($2::text[]))`,
      [source.entity, row.disappeared],
    );
    const drift = row.first_load ? [] : [...row.appeared.map((k) => `+${k}`), ...row.disappeared.map((k) => `-${k}`)];
    results.push({
      check: 'schema_drift',
      entity: source.entity,
      severity: 'warning',
      status: drift.length > 0 ? 'fail' : 'pass',
      failingCount: drift.length,
      sampleIds: drift.slice(0, 50),
    });
  }
  return results;
}

const pass = (entity: string): DataQualityResult => ({
  check: 'schema_drift',
  entity,
  severity: 'warning',
  status: 'pass',
  failingCount: 0,
  sampleIds: [],
});
