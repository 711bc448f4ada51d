import { app } from '@azure/functions';
import { syncJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/** Pulls the products, categories and manufacturers that changed since the last windows; nudges the refresh while raw holds unseen changes. */
export function createSyncProductsHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncProducts', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, ['products', 'categories', 'manufacturers'], 'timer')).message);
}

export const syncProducts = createSyncProductsHandler();

app.timer('syncProducts', {
  schedule: '%SYNC_PRODUCTS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncProducts,
});
