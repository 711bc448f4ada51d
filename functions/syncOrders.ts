import { app } from '@azure/functions';
import { syncJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/**
 * Pulls what changed since the last windows: orders (with their details and cart rules), then credit slips, payments
 * and status history, in one time budget; nudges the analytics refresh while raw holds changes it has not seen.
 */
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
