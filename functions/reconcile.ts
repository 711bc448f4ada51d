import { app, output, type InvocationContext, type Timer } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { reconcileAllJob, type SyncRuntime } from '../shared/sync/jobs';

export const analyticsRefreshQueue = output.storageQueue({ queueName: 'analytics-refresh', connection: 'AzureWebJobsStorage' });

/**
 * Nightly delete reconciliation of customers, products and orders. A refusal by the share guard or a failure of
 * one entity does not stop the others; the invocation then fails so it shows in monitoring (and is retried).
 * Entities whose deleted_at marks changed nudge the analytics refresh (one message each).
 */
export function createReconcileHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
    let runtime: SyncRuntime | undefined;
    try {
      runtime = await openRuntime(context);
      const { messages, failures } = await reconcileAllJob(runtime, 'timer');
      if (messages.length > 0) context.extraOutputs.set(analyticsRefreshQueue, messages);
      if (failures.length > 0) throw new Error(`reconciliation failed for ${failures.join('; ')}`);
    } catch (error) {
      context.error(`reconcile failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await runtime?.telemetry.flush();
      await runtime?.close();
    }
  };
}

export const reconcile = createReconcileHandler();

app.timer('reconcile', {
  schedule: '%RECONCILE_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { minutes: 1 }, maximumInterval: { minutes: 15 } },
  extraOutputs: [analyticsRefreshQueue],
  handler: reconcile,
});
