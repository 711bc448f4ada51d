import { app, output, type InvocationContext, type Timer } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { syncJob, type SyncRuntime } from '../shared/sync/jobs';

export const analyticsRefreshQueue = output.storageQueue({ queueName: 'analytics-refresh', connection: 'AzureWebJobsStorage' });

/** Pulls the orders that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncOrdersHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return async function syncOrders(_timer: Timer, context: InvocationContext): Promise<void> {
    let runtime: SyncRuntime | undefined;
    try {
      runtime = await openRuntime(context);
      const { message } = await syncJob(runtime, 'orders', 'timer');
      if (message) context.extraOutputs.set(analyticsRefreshQueue, message);
    } catch (error) {
      context.error(`syncOrders failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await runtime?.telemetry.flush();
      await runtime?.close();
    }
  };
}

export const syncOrders = createSyncOrdersHandler();

app.timer('syncOrders', {
  schedule: '%SYNC_ORDERS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncOrders,
});
