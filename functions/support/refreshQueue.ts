import { output } from '@azure/functions';

/** The analytics-refresh queue (contract): timers and the nightly reconciliation nudge the refresh through it. */
export const ANALYTICS_REFRESH_QUEUE = 'analytics-refresh';

/** The one output binding every function that nudges the refresh declares. */
export const analyticsRefreshQueue = output.storageQueue({ queueName: ANALYTICS_REFRESH_QUEUE, connection: 'AzureWebJobsStorage' });
