import { app } from '@azure/functions';
import { syncJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/** Pulls the customers and addresses that changed since the last windows; nudges the refresh while raw holds unseen changes. */
export function createSyncCustomersHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncCustomers', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, ['customers', 'addresses'], 'timer')).message);
}

export const syncCustomers = createSyncCustomersHandler();

app.timer('syncCustomers', {
  schedule: '%SYNC_CUSTOMERS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncCustomers,
});
