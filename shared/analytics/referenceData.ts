import type { PoolClient } from 'pg';
import { storableJson } from '../db/storableText';
import type { ReferenceResource, ShopApi, ShopRecord } from '../prestashop/api';
import type { Logger } from '../telemetry/types';

/** The shop settings the analytics models depend on. */
export interface ShopSettings {
  defaultCurrencyId: number | null;
  defaultLangId: number | null;
  timeZone: string | null;
  timeZoneSource: string | null;
}

export interface ReferenceData {
  orderStates: ShopRecord[];
  currencies: ShopRecord[];
  languages: ShopRecord[];
  settings: ShopSettings;
}

/** Only these configuration values are kept: the configurations table also holds module credentials. */
export const CONFIGURATION_NAMES = { currency: 'PS_CURRENCY_DEFAULT', lang: 'PS_LANG_DEFAULT', timeZone: 'PS_TIMEZONE' } as const;

/**
 * Reads the reference tables whole (PrestaShop gives them no dates, so there is nothing to be incremental about)
 * and the shop's defaults. The time zone is the override when given, else the client's (api.now(), which applies
 * the PRESTASHOP_TIMEZONE setting), else PS_TIMEZONE.
 */
export async function fetchReferenceData(
  api: ShopApi,
  options: { timeZoneOverride?: string; log?: Logger; signal?: AbortSignal } = {},
): Promise<ReferenceData> {
  const call = options.signal ? { signal: options.signal } : {};
  const list = async (resource: ReferenceResource): Promise<ShopRecord[]> => {
    const { records, rejected } = await api.listAll(resource, call);
    if (rejected.length > 0) {
      options.log?.warn('reference records rejected by the client', { resource, rejected: rejected.length });
    }
    return records;
  };
  const [orderStates, currencies, languages, configurations, now] = await Promise.all([
    list('order_states'),
    list('currencies'),
    list('languages'),
    list('configurations'),
    api.now(call),
  ]);
  const psTimeZone = configurationValue(configurations, CONFIGURATION_NAMES.timeZone);
  const timeZone = options.timeZoneOverride ?? (now.timeZone || psTimeZone);
  return {
    orderStates,
    currencies,
    languages,
    settings: {
      defaultCurrencyId: toId(configurationValue(configurations, CONFIGURATION_NAMES.currency)),
      defaultLangId: toId(configurationValue(configurations, CONFIGURATION_NAMES.lang)),
      timeZone: timeZone ?? null,
      timeZoneSource: options.timeZoneOverride ? 'override' : now.timeZone ? 'shop clock' : psTimeZone ? 'PS_TIMEZONE' : null,
    },
  };
}

/** A configuration's value; the shop-wide row (id_shop and id_shop_group empty) wins over per-shop rows. */
export function configurationValue(configurations: ShopRecord[], name: string): string | null {
  const rows = configurations
    .filter((row) => row.name === name)
    .sort((a, b) => scopeRank(a) - scopeRank(b) || a.id - b.id);
  const value = rows[0]?.value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function scopeRank(row: ShopRecord): number {
  const shop = row.id_shop;
  const group = row.id_shop_group;
  return (shop === '' || shop === undefined || shop === null ? 0 : 2) + (group === '' || group === undefined || group === null ? 0 : 1);
}

function toId(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** Replaces the stored reference tables and settings; runs inside the refresh transaction. */
export async function saveReferenceData(client: PoolClient, data: ReferenceData): Promise<void> {
  const tables: [ReferenceResource, ShopRecord[]][] = [
    ['order_states', data.orderStates],
    ['currencies', data.currencies],
    ['languages', data.languages],
  ];
  for (const [resource, records] of tables) {
    await client.query('delete from staging.shop_reference where resource = $1', [resource]);
    const unique = new Map(records.map((record) => [record.id, record]));
    await client.query(
      `insert into staging.shop_reference (resource, id, payload)
       select $1, id, payload from unnest($2::bigint[], $3::jsonb[]) as rows (id, payload)`,
      [resource, [...unique.keys()], [...unique.values()].map((record) => storableJson(record).json)],
    );
  }
  const s = data.settings;
  await client.query(
    `insert into staging.shop_settings (singleton, default_currency_id, default_lang_id, time_zone, time_zone_source, loaded_at)
     values (true, $1, $2, $3, $4, now())
     on conflict (singleton) do update set
       default_currency_id = excluded.default_currency_id, default_lang_id = excluded.default_lang_id,
       time_zone = excluded.time_zone, time_zone_source = excluded.time_zone_source, loaded_at = excluded.loaded_at`,
    [s.defaultCurrencyId, s.defaultLangId, s.timeZone, s.timeZoneSource],
  );
}

export async function readShopSettings(client: PoolClient): Promise<ShopSettings | null> {
  const { rows } = await client.query<{
    default_currency_id: string | null;
    default_lang_id: string | null;
    time_zone: string | null;
    time_zone_source: string | null;
  }>('select default_currency_id, default_lang_id, time_zone, time_zone_source from staging.shop_settings');
  const row = rows[0];
  if (!row) return null;
  return {
    defaultCurrencyId: row.default_currency_id === null ? null : Number(row.default_currency_id),
    defaultLangId: row.default_lang_id === null ? null : Number(row.default_lang_id),
    timeZone: row.time_zone,
    timeZoneSource: row.time_zone_source,
  };
}
