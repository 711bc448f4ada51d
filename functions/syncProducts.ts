import { app } from '@azure/functions';
import { syncJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/** Pulls the products that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncProductsHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncProducts', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, ['categories', 'manufacturers', 'products'], 'timer')).message);
}

export const syncProducts = createSyncProductsHandler();

app.timer('syncProducts', {
  schedule: '%SYNC_PRODUCTS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncProducts,
});
