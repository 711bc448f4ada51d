import { LockKey } from '../db/advisoryLock';
import type { DateField, EntityResource } from '../prestashop/api';

export type EntityName = 'prestashop_customers' | 'prestashop_products' | 'prestashop_orders';

export interface EntityInfo {
  resource: EntityResource;
  /** The contract name used in staging.etl_watermarks, staging.etl_runs and staging.quarantine. */
  entity: EntityName;
  /** raw.<table> and raw.<table>_history; fixed identifiers, never built from input. */
  table: string;
  historyTable: string;
  /** The date a sync window filters on. */
  dateField: DateField;
  syncLock: number;
  reconcileLock: number;
}

export const ENTITIES: Readonly<Record<EntityResource, EntityInfo>> = {
  customers: {
    resource: 'customers',
    entity: 'prestashop_customers',
    table: 'raw.prestashop_customers',
    historyTable: 'raw.prestashop_customers_history',
    dateField: 'date_upd',
    syncLock: LockKey.syncCustomers,
    reconcileLock: LockKey.reconcileCustomers,
  },
  products: {
    resource: 'products',
    entity: 'prestashop_products',
    table: 'raw.prestashop_products',
    historyTable: 'raw.prestashop_products_history',
    dateField: 'date_upd',
    syncLock: LockKey.syncProducts,
    reconcileLock: LockKey.reconcileProducts,
  },
  orders: {
    resource: 'orders',
    entity: 'prestashop_orders',
    table: 'raw.prestashop_orders',
    historyTable: 'raw.prestashop_orders_history',
    dateField: 'date_upd',
    syncLock: LockKey.syncOrders,
    reconcileLock: LockKey.reconcileOrders,
  },
};

export const ENTITY_RESOURCES: readonly EntityResource[] = ['customers', 'products', 'orders'];

export function isEntityResource(value: string): value is EntityResource {
  return (ENTITY_RESOURCES as readonly string[]).includes(value);
}

export function entityOf(name: EntityName): EntityInfo {
  const info = Object.values(ENTITIES).find((e) => e.entity === name);
  if (!info) throw new Error(`Unknown entity ${name as string}`);
  return info;
}
