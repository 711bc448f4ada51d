import type { Row } from './record';
import type { GenContext } from './data/context';
import { customerBaseDates, customerHardDeleted, customerRecord } from './data/customers';
import { orderBaseDates, orderRecord } from './data/orders';
import { productBaseDates, productRecord } from './data/products';
import { configurationRows, currencyRows, languageRows, orderStateRows } from './data/reference';
import { catalogTables } from './data/catalogTables';
import { OrderDocsCache } from './data/orderDocuments';
import { orderDocumentTables } from './data/orderDocumentTables';
import { RESOURCES, type ResourceName } from './resources';
import { ResourceTable, type Table, type TableSource } from './table';
import type { QuirkShares } from './data/quirks';
import { parseNaive, type ShopZone } from './time';
import type { PsVersion } from './version';

export interface ShopSettings {
  seed: number;
  anchor: number;
  zone: ShopZone;
  languages: 1 | 2;
  sizes: { customers: number; products: number; orders: number };
  version: PsVersion;
  psVersion: string;
  quirks: QuirkShares;
}

function staticSource(rows: Row[]): TableSource {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const baseCount = Math.max(0, ...byId.keys());
  const dateOf = (value: unknown): number => (typeof value === 'string' ? parseNaive(value) : 0);
  return {
    baseCount,
    baseAlive: (id) => byId.has(id),
    baseDates: (id) => {
      const row = byId.get(id);
      return { add: dateOf(row?.date_add), upd: dateOf(row?.date_upd) };
    },
    baseRecord: (id) => {
      const row = byId.get(id);
      if (!row) throw new Error(`No base record ${id}`);
      return row;
    },
  };
}

/** Every table of the sandbox shop, built from the settings (the generated base) alone. */
export class Shop {
  readonly ctx: GenContext;
  readonly tables: Record<ResourceName, Table>;
  /** The generated documents of recently read orders. */
  readonly docs: OrderDocsCache;

  constructor(readonly settings: ShopSettings) {
    const ctx: GenContext = {
      seed: settings.seed,
      anchor: settings.anchor,
      zone: settings.zone,
      languages: settings.languages,
      sizes: settings.sizes,
      quirks: settings.quirks,
    };
    this.ctx = ctx;
    this.docs = new OrderDocsCache(ctx);
    const customers = new ResourceTable(RESOURCES.customers, {
      baseCount: settings.sizes.customers,
      baseAlive: (id) => !customerHardDeleted(ctx, id),
      baseDates: (id) => customerBaseDates(ctx, id),
      baseRecord: (id, add, upd) => customerRecord(ctx, id, add, upd),
    });
    const products = new ResourceTable(RESOURCES.products, {
      baseCount: settings.sizes.products,
      baseAlive: () => true,
      baseDates: (id) => productBaseDates(ctx, id),
      baseRecord: (id, add, upd) => productRecord(ctx, id, add, upd),
    });
    const orders = new ResourceTable(RESOURCES.orders, {
      baseCount: settings.sizes.orders,
      baseAlive: () => true,
      baseDates: (id) => orderBaseDates(ctx, id),
      baseRecord: (id, add, upd) => orderRecord(ctx, id, add, upd),
    });
    this.tables = {
      customers,
      products,
      orders,
      order_states: new ResourceTable(RESOURCES.order_states, staticSource(orderStateRows(ctx))),
      currencies: new ResourceTable(RESOURCES.currencies, staticSource(currencyRows(ctx, settings.version))),
      languages: new ResourceTable(RESOURCES.languages, staticSource(languageRows(ctx))),
      configurations: new ResourceTable(
        RESOURCES.configurations,
        staticSource(configurationRows(ctx, settings.zone.timeZone, settings.psVersion)),
      ),
      ...orderDocumentTables({ ctx, orders, docs: this.docs }),
      ...catalogTables(ctx, products),
    };
  }

  table(resource: ResourceName): Table {
    return this.tables[resource];
  }

  /** Ids of the languages the shop has switched on (translatable fields render in these). */
  activeLanguageIds(): number[] {
    const ids: number[] = [];
    for (const id of this.tables.languages.ids()) if (this.tables.languages.get(id)?.active === '1') ids.push(id);
    return ids;
  }
}
