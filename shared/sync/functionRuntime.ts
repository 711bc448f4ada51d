import type { InvocationContext } from '@azure/functions';
import { loadConfig } from '../config';
import { createRuntime } from '../runtime';
import { getTelemetry } from '../telemetry/appInsights';
import { createContextLogger } from '../telemetry/logger';
import type { SyncRuntime } from './jobs';

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
