import { app } from '@azure/functions';
import { syncJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/** Pulls the orders that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncOrdersHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncOrders', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, ['orders', 'order_slip', 'order_payments', 'order_histories'], 'timer')).message);
}

export const syncOrders = createSyncOrdersHandler();

app.timer('syncOrders', {
  schedule: '%SYNC_ORDERS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncOrders,
});
