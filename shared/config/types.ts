import type { DbSettings } from '../db/pool';
import type { EntityResource } from '../prestashop/api';

/** Every setting the app reads, typed. Built by loadConfig(env) in shared/config; tests build their own. */
export interface AppConfig {
  db: DbSettings;
  /** Where secrets come from: plain settings locally, Key Vault in Azure. */
  keyVaultUri?: string;
  prestashop: {
    /** Shop root; the client appends /api/. */
    baseUrl: string;
    /** Resolved by shared/secrets: the plain setting or the Key Vault secret. */
    apiKey: () => Promise<string>;
    /** Overrides the shop's PS_TIMEZONE. */
    timeZone?: string;
    requestTimeoutMs: number;
    pageSize: number;
    /** Most requests in flight per entity (PRESTASHOP_CONCURRENCY). */
    concurrency?: number;
    /** Multishop: restrict customers/orders/products to this shop id. */
    shopId?: number;
  };
  sync: {
    lagSeconds: number;
    overlapSeconds: number;
    /** Stop between pages after this long; undefined = no budget (CLI default). */
    timeBudgetSeconds?: number;
    reconcileMaxDeleteShare: number;
    reconcilePageSize: number;
    /** A run setting aside more than this share of what it read is partial. */
    maxRejectShare?: number;
  };
  schedules: Record<`sync_${EntityResource}` | 'reconcile', string>;
  telemetry: {
    connectionString?: string;
  };
}
