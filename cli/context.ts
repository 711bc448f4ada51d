import type { Command } from 'commander';
import type { Pool } from 'pg';
import { loadConfig, loadConfigShopOptional, loadDbConfig, type ShopOptionalConfig } from '../shared/config';
import { closePool, createPool } from '../shared/db/pool';
import type { ShopApi } from '../shared/prestashop/api';
import { createShopApi } from '../shared/prestashop/client';
import { getTelemetry } from '../shared/telemetry/appInsights';
import { createCliLogger } from '../shared/telemetry/logger';
import type { Logger, Telemetry } from '../shared/telemetry/types';
import { openRuntime, type AppConfig, type Runtime } from './core';
import { assertWarehouseReady } from './warehouse';

export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/**
 * Log lines go to stderr so that stdout carries only the command's data (text report or --json). At a terminal the
 * info lines would only repeat the result table and break the progress bar, so they show with --verbose; in logs
 * (cron, CI) they stay, with their run ids. Warnings and errors always show.
 */
export function cliLogger(globals: GlobalOptions): Logger {
  const quiet = globals.quiet === true || (globals.verbose !== true && process.stderr.isTTY);
  return createCliLogger({ stream: process.stderr, verbose: globals.verbose === true, quiet });
}

/** Every setting, the shop's included (sync, reconcile, pipeline), validated once. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig(env, { host: 'cli' });
}

/**
 * For commands that call the shop (sync, reconcile, pipeline): opens the runtime (pool, shop client, telemetry),
 * checks the database first (reachable, migrated), runs fn, and always closes the runtime.
 */
export async function withRuntime<T>(
  globals: GlobalOptions,
  fn: (runtime: Runtime) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const config = loadSettings(env);
  const runtime = await openRuntime(config, cliLogger(globals));
  try {
    await assertWarehouseReady(runtime.pool);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** What commands that work without the shop get: the shop client only when the shop is configured. */
export interface Warehouse {
  config: ShopOptionalConfig;
  pool: Pool;
  log: Logger;
  telemetry: Telemetry;
  api?: ShopApi;
}

export interface WarehouseOptions {
  /** The shop is optional here: ask it fewer times (and sooner give up) than a sync would. */
  shopRequests?: { attempts: number; timeoutMs?: number };
}

/**
 * For commands that read the warehouse and use the shop only when it is configured (status, analytics,
 * reset-watermark): the shop settings are not demanded, and the database is checked before anything else.
 */
export async function withWarehouse<T>(
  globals: GlobalOptions,
  fn: (warehouse: Warehouse) => Promise<T>,
  options: WarehouseOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const config = loadConfigShopOptional(env, { host: 'cli' });
  const log = cliLogger(globals);
  const telemetry = getTelemetry();
  const pool = createPool(config.db);
  try {
    await assertWarehouseReady(pool);
    const shop = config.prestashop;
    const api = shop
      ? createShopApi({
          ...shop,
          log,
          telemetry,
          ...(options.shopRequests
            ? {
                requestTimeoutMs: Math.min(shop.requestTimeoutMs, options.shopRequests.timeoutMs ?? shop.requestTimeoutMs),
                retry: { maxAttempts: options.shopRequests.attempts },
              }
            : {}),
        })
      : undefined;
    return await fn({ config, pool, log, telemetry, ...(api ? { api } : {}) });
  } finally {
    try {
      await telemetry.flush();
    } finally {
      await closePool(pool);
    }
  }
}

/** For commands that need only the database (migrate, roles): no shop client, no telemetry. */
export async function withPool<T>(fn: (pool: Pool) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const pool = createPool(loadDbConfig(env));
  try {
    return await fn(pool);
  } finally {
    await closePool(pool);
  }
}
