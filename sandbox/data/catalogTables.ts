import type { Row } from '../record';
import { CATALOG_RESOURCES, type CatalogName } from '../resourcesCatalog';
import { ResourceTable, type Table, type TableSource } from '../table';
import { parseNaive } from '../time';
import { addressBaseDates, addressRecord } from './addresses';
import { carrierRows, categoryRows, countryRows, manufacturerRows } from './catalogTree';
import { combinationExists, combinationRecord, stockRecord } from './combinations';
import type { GenContext } from './context';
import { COMBINATION_SLOTS } from './variants';

const NO_DATES = { add: 0, upd: 0 };
const dateOf = (value: unknown): number => (typeof value === 'string' ? parseNaive(value) : 0);

/** A small fixed table whose rows are rebuilt when read (categories list the products as they are now). */
function rowsSource(rows: () => Row[]): TableSource {
  const find = (id: number): Row | undefined => rows().find((row) => row.id === id);
  const ids = new Set(rows().map((row) => row.id));
  return {
    baseCount: Math.max(0, ...ids),
    baseAlive: (id) => ids.has(id),
    baseDates: (id) => {
      const row = find(id);
      return { add: dateOf(row?.date_add), upd: dateOf(row?.date_upd) };
    },
    baseRecord: (id) => {
      const row = find(id);
      if (!row) throw new Error(`No base record ${id}`);
      return row;
    },
  };
}

/** The catalog and geography tables, generated from the context (addresses follow the customers). */
export function catalogTables(ctx: GenContext, products: Table): Record<CatalogName, ResourceTable> {
  const R = CATALOG_RESOURCES;
  const productCount = ctx.sizes.products;
  const categories = (): Row[] => categoryRows(ctx, products);
  return {
    categories: new ResourceTable(R.categories, rowsSource(categories)),
    manufacturers: new ResourceTable(R.manufacturers, rowsSource(() => manufacturerRows(ctx))),
    carriers: new ResourceTable(R.carriers, rowsSource(() => carrierRows(ctx))),
    countries: new ResourceTable(R.countries, rowsSource(() => countryRows(ctx))),
    addresses: new ResourceTable(R.addresses, {
      baseCount: ctx.sizes.customers,
      baseAlive: () => true,
      baseDates: (id) => addressBaseDates(ctx, id),
      baseRecord: (id, add, upd) => addressRecord(ctx, id, add, upd),
    }),
    combinations: new ResourceTable(R.combinations, {
      baseCount: productCount * COMBINATION_SLOTS,
      baseAlive: (id) => combinationExists(ctx, id),
      baseDates: () => NO_DATES,
      baseRecord: (id) => combinationRecord(ctx, id) ?? { id },
    }),
    stock_availables: new ResourceTable(R.stock_availables, {
      baseCount: productCount * (1 + COMBINATION_SLOTS),
      baseAlive: (id) => stockRecord(ctx, id) !== undefined,
      baseDates: () => NO_DATES,
      baseRecord: (id) => stockRecord(ctx, id) ?? { id },
    }),
  };
}
