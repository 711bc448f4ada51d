import type { Pool } from 'pg';
import type { AppConfig } from './config/types';
import { closePool, createPool } from './db/pool';
import type { ShopApi } from './prestashop/api';
import { createShopApi } from './prestashop/client';
import { noTelemetry, type Logger, type Telemetry } from './telemetry/types';

/** What every entry point (functions, phc) works with; nothing in it knows which host runs it. */
export interface Runtime {
  config: AppConfig;
  pool: Pool;
  api: ShopApi;
  log: Logger;
  telemetry: Telemetry;
  /** Flushes telemetry and closes the pool; safe to call twice. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  /** noTelemetry unless given (functions pass getTelemetry(), started by the entry module). */
  telemetry?: Telemetry;
}

/** The composition root: one pool and one shop client over the given settings. Opens no connection yet. */
export function createRuntime(config: AppConfig, options: RuntimeOptions): Promise<Runtime> {
  const telemetry = options.telemetry ?? noTelemetry;
  const log = options.logger;
  const pool = createPool(config.db);
  const api = createShopApi({ ...config.prestashop, log, telemetry });
  let closed: Promise<void> | undefined;
  return Promise.resolve({
    config,
    pool,
    api,
    log,
    telemetry,
    close() {
      closed ??= (async () => {
        try {
          await telemetry.flush();
        } finally {
          await closePool(pool);
        }
      })();
      return closed;
    },
  });
}
