import { app, type InvocationContext, type Timer } from '@azure/functions';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { reconcileAllJob } from '../shared/sync/jobs';

/**
 * Nightly delete reconciliation of customers, products and orders. A refusal by the share guard or a failure of
 * one entity does not stop the others; the invocation then fails so it shows in monitoring (and is retried).
 * Marks and restores reach analytics through last_changed_at: the next sync's queue message picks them up.
 */
export function createReconcileHandler(openRuntime: OpenRuntime = openFunctionRuntime) {
  return async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
    const runtime = await openRuntime(context);
    try {
      const { failures } = await reconcileAllJob(runtime, 'timer');
      if (failures.length > 0) throw new Error(`reconciliation failed for ${failures.join('; ')}`);
    } catch (error) {
      context.error(`reconcile failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await runtime.telemetry.flush();
      await runtime.close();
    }
  };
}

export const reconcile = createReconcileHandler();

app.timer('reconcile', {
  schedule: '%RECONCILE_SCHEDULE%',
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { minutes: 1 }, maximumInterval: { minutes: 15 } },
  handler: reconcile,
});
