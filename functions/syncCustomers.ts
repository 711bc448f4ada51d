import { app, output } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { syncJob } from '../shared/sync/jobs';
import { timerHandler } from '../shared/sync/timerHandler';

export const analyticsRefreshQueue = output.storageQueue({ queueName: 'analytics-refresh', connection: 'AzureWebJobsStorage' });

/** Pulls the customers that changed since the last window; nudges the analytics refresh when rows changed. */
export function createSyncCustomersHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('syncCustomers', openRuntime, analyticsRefreshQueue, async (runtime) => (await syncJob(runtime, 'customers', 'timer')).message);
}

export const syncCustomers = createSyncCustomersHandler();

app.timer('syncCustomers', {
  schedule: '%SYNC_CUSTOMERS_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 5 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: syncCustomers,
});
