import type { PoolClient } from 'pg';
import { fillEveryChangedKeys, type ChangedRange, type ChangedSource } from './changedKeys';

/** The catalog and geography streams (raw tables of migration 009) a refresh follows, and their changed-id tables. */
export const CATALOG_SOURCES = {
  addresses: { table: 'raw.prestashop_addresses', temp: 'chg_addresses', key: 'address_id' },
  categories: { table: 'raw.prestashop_categories', temp: 'chg_categories', key: 'category_id' },
  manufacturers: { table: 'raw.prestashop_manufacturers', temp: 'chg_manufacturers', key: 'manufacturer_id' },
  carriers: { table: 'raw.prestashop_carriers', temp: 'chg_carriers', key: 'carrier_id' },
  countries: { table: 'raw.prestashop_countries', temp: 'chg_countries', key: 'country_id' },
  combinations: { table: 'raw.prestashop_combinations', temp: 'chg_combinations', key: 'variant_id' },
  stock: { table: 'raw.prestashop_stock_availables', temp: 'chg_stock', key: 'stock_id' },
} as const satisfies Record<string, ChangedSource>;

export type CatalogCounts = Record<keyof typeof CATALOG_SOURCES, number>;

/**
 * Fills chg_addresses, chg_categories, chg_manufacturers, chg_carriers, chg_countries, chg_combinations and chg_stock
 * the way createChangedKeys fills the first three: the raw ids stamped in the range, or every id for a rebuild.
 * The lookup models turn these into the products and orders to refresh (sql/models/refresh/expand_changed_keys.sql).
 */
export async function createCatalogChangedKeys(client: PoolClient, range: ChangedRange): Promise<CatalogCounts> {
  return fillEveryChangedKeys(client, CATALOG_SOURCES, range);
}
