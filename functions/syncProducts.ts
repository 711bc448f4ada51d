import { app, output, type InvocationContext, type Timer } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { syncJob, type SyncRuntime } from '../shared/sync/jobs';

export const analyticsRefreshQueue = output.storageQueue({ queueName: 'analytics-refresh', connection: 'AzureWebJobsStorage' });

/** Pulls the products that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncProductsHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return async function syncProducts(_timer: Timer, context: InvocationContext): Promise<void> {
    let runtime: SyncRuntime | undefined;
    try {
      runtime = await openRuntime(context);
      const { message } = await syncJob(runtime, 'products', 'timer');
      if (message) context.extraOutputs.set(analyticsRefreshQueue, message);
    } catch (error) {
      context.error(`syncProducts failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await runtime?.telemetry.flush();
      await runtime?.close();
    }
  };
}

export const syncProducts = createSyncProductsHandler();

app.timer('syncProducts', {
  schedule: '%SYNC_PRODUCTS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncProducts,
});
