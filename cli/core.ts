/**
 * The one place the CLI reaches into the core. A piece built in parallel is loaded by path until it lands; it is
 * then imported statically here and nothing else in cli/ changes.
 */
import type { Pool } from 'pg';
import type { AppConfig } from '../shared/config/types';
import type { EntityResource, ShopApi } from '../shared/prestashop/api';
import { syncDepsOf, type ReconcileResult, type SyncDeps, type SyncProgress, type SyncResult } from '../shared/sync';
import type { Logger, Telemetry } from '../shared/telemetry/types';

export type { AppConfig, ReconcileResult, SyncProgress, SyncResult, SyncDeps };
export type { RefreshResult } from '../shared/analytics/refresh';
export type { ActivityCounts, ActivitySummary, Sandbox, SandboxOptions } from '../sandbox';

export interface Runtime {
  config: AppConfig;
  pool: Pool;
  api: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  close(): Promise<void>;
}

interface RuntimeModule {
  createRuntime(config: AppConfig, options: { logger: Logger; telemetry?: Telemetry }): Promise<Runtime> | Runtime;
}

/** shared/runtime: loaded by path while it is being built; a checkout without it says so plainly. */
export async function createRuntime(config: AppConfig, options: { logger: Logger; telemetry?: Telemetry }): Promise<Runtime> {
  let runtimeModule: RuntimeModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    runtimeModule = require('../shared/runtime') as RuntimeModule;
  } catch (error) {
    throw new Error('This build has no shared/runtime module yet', { cause: error });
  }
  return runtimeModule.createRuntime(config, options);
}

export function syncDeps(runtime: Runtime): SyncDeps {
  return syncDepsOf(runtime);
}

export const ENTITIES: readonly EntityResource[] = ['customers', 'products', 'orders'];
