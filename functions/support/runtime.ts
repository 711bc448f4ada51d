import type { InvocationContext } from '@azure/functions';
import { loadConfig } from '../../shared/config';
import { createRuntime } from '../../shared/runtime';
import type { SyncRuntime } from '../../shared/sync/jobs';
import { getTelemetry } from '../../shared/telemetry/appInsights';
import { createContextLogger } from './contextLogger';

/** How a timer function gets its runtime; tests pass one built on their own database and sandbox shop. */
export type OpenRuntime = (context: InvocationContext) => Promise<SyncRuntime>;

/**
 * Production: settings from the app settings (with the Functions time budget), lines through the invocation
 * context, the process-wide Application Insights client (started by the entry module before pg loads).
 */
export const openFunctionRuntime: OpenRuntime = async (context) => {
  const config = loadConfig(process.env, { host: 'functions' });
  const log = createContextLogger(context, { invocationId: context.invocationId, functionName: context.functionName });
  return await createRuntime(config, { logger: log, telemetry: getTelemetry() });
};

/** The refresh's runtime: like the timers', but its pool is PG_POOL_MAX_REFRESH (the connection budget). */
export const openRefreshRuntime: OpenRuntime = async (context) => {
  const config = loadConfig(process.env, { host: 'functions', pool: 'refresh' });
  const log = createContextLogger(context, { invocationId: context.invocationId, functionName: context.functionName });
  return await createRuntime(config, { logger: log, telemetry: getTelemetry() });
};
