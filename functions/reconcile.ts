import { app } from '@azure/functions';
import { reconcileAllJob } from '../shared/sync/jobs';
import { analyticsRefreshQueue } from './support/refreshQueue';
import { openFunctionRuntime, type OpenRuntime } from './support/runtime';
import { timerHandler } from './support/timerHandler';

export { analyticsRefreshQueue };

/**
 * Nightly: the delete reconciliation of every stream with ids, and the sweep of the streams without dates (carriers,
 * countries, variants, stock). A refusal by the share guard or a failure of one does not stop the others; the
 * invocation then fails so it shows in monitoring (and is retried). One message nudges the refresh when raw holds
 * changes it has not seen.
 */
export function createReconcileHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return timerHandler('reconcile', openRuntime, analyticsRefreshQueue, async (runtime) => {
    const { messages, failures } = await reconcileAllJob(runtime, 'timer');
    if (failures.length > 0) throw new Error(`reconciliation failed for ${failures.join('; ')}`);
    return messages.length > 0 ? messages : null;
  });
}

export const reconcile = createReconcileHandler();

app.timer('reconcile', {
  schedule: '%RECONCILE_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { minutes: 1 }, maximumInterval: { minutes: 15 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: reconcile,
});
