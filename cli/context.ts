import type { Command } from 'commander';
import type { Pool } from 'pg';
import { loadConfig, loadDbConfig } from '../shared/config';
import { closePool, createPool } from '../shared/db/pool';
import { createCliLogger } from '../shared/telemetry/logger';
import type { Logger } from '../shared/telemetry/types';
import { openRuntime, type AppConfig, type Runtime } from './core';

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

/** Settings from the environment (or the embedded defaults' environment), validated once. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig(env, { host: 'cli' });
}

/** Opens the runtime (pool, shop client, telemetry), runs fn, and always closes it. */
export async function withRuntime<T>(
  globals: GlobalOptions,
  fn: (runtime: Runtime) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const config = loadSettings(env);
  const runtime = await openRuntime(config, cliLogger(globals));
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
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
