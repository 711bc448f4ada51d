/**
 * The one place the CLI reaches into the core. Pieces built in parallel are loaded by path until they land;
 * each is then imported statically here and nothing else in cli/ changes.
 */
import type { Pool } from 'pg';
import type { AppConfig } from '../shared/config/types';
import type { EntityResource, ShopApi } from '../shared/prestashop/api';
import { syncDepsOf, type ReconcileResult, type SyncDeps, type SyncProgress, type SyncResult } from '../shared/sync';
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

export type { ReconcileResult, SyncProgress, SyncResult, SyncDeps };

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
  runtime: { createRuntime(config: AppConfig, options: { logger: Logger; telemetry?: Telemetry }): Promise<Runtime> | Runtime };
  analytics: {
    refreshAnalytics(
      deps: { pool: Pool; api?: ShopApi; log: Logger; telemetry: Telemetry; timeZone?: string },
      options: { trigger: string; full?: boolean },
    ): Promise<RefreshResult>;
  };
  sandbox: { startSandbox(options: SandboxOptions): Promise<RunningSandbox> };
}

const modulePaths: Record<keyof CoreModules, string> = {
  runtime: '../shared/runtime',
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
  return syncDepsOf(runtime);
}

export const ENTITIES: readonly EntityResource[] = ['customers', 'products', 'orders'];
