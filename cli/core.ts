/**
 * The one place the CLI reaches into the core. Pieces built in parallel are loaded by path until they land;
 * each is then imported statically here and nothing else in cli/ changes.
 */
import type { Pool } from 'pg';
import type { AppConfig } from '../shared/config/types';
import type { EntityResource, ShopApi } from '../shared/prestashop/api';
import type { SyncDeps, SyncProgress, SyncResult } from '../shared/sync/types';
import type { Logger, Telemetry } from '../shared/telemetry/types';

export type { AppConfig };

export interface Runtime {
  config: AppConfig;
  pool: Pool;
  api: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  close(): Promise<void>;
}

export type { SyncProgress, SyncResult, SyncDeps };

export interface ReconcileResult {
  runId?: number | string | null;
  status: string;
  [field: string]: unknown;
}

export interface RefreshResult {
  status?: string;
  [field: string]: unknown;
}

export interface SandboxActivity {
  newCustomers: number;
  newOrders: number;
  updatedOrders: number;
  statusChanges: number;
  softDeletes: number;
}

export interface SandboxControl {
  simulateActivity(activity: SandboxActivity, seed?: number): unknown;
  saveState(file: string): unknown;
  loadState(file: string): unknown;
  count(resource: string): number;
}

export interface SandboxOptions {
  port?: number;
  seed?: number;
  customers?: number;
  products?: number;
  orders?: number;
  languages?: number;
  timeZone?: string;
  apiKey?: string;
}

export interface RunningSandbox {
  baseUrl: string;
  apiKey: string;
  control: SandboxControl;
  close(): Promise<void>;
}

interface CoreModules {
  config: {
    loadConfig(env: NodeJS.ProcessEnv): AppConfig;
    describeSettings(): Array<{ name: string; description?: string; required?: boolean | string; default?: unknown }>;
  };
  runtime: { createRuntime(config: AppConfig, options: { logger: Logger; telemetry?: Telemetry }): Promise<Runtime> | Runtime };
  sync: {
    runSync(
      deps: SyncDeps,
      entity: EntityResource,
      options: import('../shared/sync/types').SyncOptions,
    ): Promise<SyncResult>;
    runReconcile(deps: SyncDeps, entity: EntityResource, options: { trigger: string; maxDeleteShare?: number; force?: boolean }): Promise<ReconcileResult>;
    readStatus(pool: Pool): Promise<unknown>;
  };
  analytics: {
    refreshAnalytics(
      deps: { pool: Pool; api?: ShopApi; log: Logger; telemetry: Telemetry; timeZone?: string },
      options: { trigger: string; full?: boolean },
    ): Promise<RefreshResult>;
  };
  sandbox: { startSandbox(options: SandboxOptions): Promise<RunningSandbox> };
}

const modulePaths: Record<keyof CoreModules, string> = {
  config: '../shared/config',
  runtime: '../shared/runtime',
  sync: '../shared/sync',
  analytics: '../shared/analytics/refresh',
  sandbox: '../sandbox',
};

/** Loads a core module; a missing one means this checkout lacks that piece, which is a failure to report plainly. */
export function core<K extends keyof CoreModules>(name: K): CoreModules[K] {
  const path = modulePaths[name];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as CoreModules[K];
  } catch (error) {
    throw new Error(`This build has no ${path.replace('../', '')} module yet`, { cause: error });
  }
}

export function syncDeps(runtime: Runtime): SyncDeps {
  return {
    pool: runtime.pool,
    api: runtime.api,
    log: runtime.log,
    telemetry: runtime.telemetry,
    settings: { ...runtime.config.sync, pageSize: runtime.config.prestashop.pageSize },
  };
}

export const ENTITIES: readonly EntityResource[] = ['customers', 'products', 'orders'];
