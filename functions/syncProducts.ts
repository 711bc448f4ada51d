import { app, output } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { syncJob } from '../shared/sync/jobs';
import { timerHandler } from '../shared/sync/timerHandler';

export const analyticsRefreshQueue = output.storageQueue({ queueName: 'analytics-refresh', connection: 'AzureWebJobsStorage' });

/** Pulls the products that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncProductsHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncProducts', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, 'products', 'timer')).message);
}

export const syncProducts = createSyncProductsHandler();

app.timer('syncProducts', {
  schedule: '%SYNC_PRODUCTS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncProducts,
});
