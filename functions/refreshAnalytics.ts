import { app, type InvocationContext } from '@azure/functions';
import { refreshAnalytics, type RefreshResult } from '../shared/analytics/refresh';
import { parseRefreshMessage } from '../shared/sync/refreshMessage';
import { blobRefreshLease, hostLeaseContainer, type RefreshLease } from '../shared/storage/refreshLease';
import { runSingleFlight } from '../shared/storage/singleFlight';
import type { SyncRuntime } from '../shared/sync/jobs';
import { getTelemetry } from '../shared/telemetry/appInsights';
import { Event, Metric } from '../shared/telemetry/names';
import type { Telemetry } from '../shared/telemetry/types';
import { ANALYTICS_REFRESH_QUEUE } from './support/refreshQueue';
import { openRefreshRuntime, type OpenRuntime } from './support/runtime';

export { ANALYTICS_REFRESH_QUEUE, openRefreshRuntime };
/** host.json extensions.queues.maxDequeueCount (a test holds them equal). */
export const MAX_DEQUEUE_COUNT = 5;

export interface RefreshHandlerDeps {
  openRuntime: OpenRuntime;
  telemetry: () => Telemetry;
  /** The single-flight lease (production: a blob lease on the host's storage account). */
  lease: () => RefreshLease;
  refresh: typeof refreshAnalytics;
}

const productionDeps: RefreshHandlerDeps = {
  openRuntime: openRefreshRuntime,
  telemetry: getTelemetry,
  lease: () => blobRefreshLease(hostLeaseContainer()),
  refresh: refreshAnalytics,
};

/**
 * A queue message is a nudge: the refresh processes everything changed since its own checkpoint, so duplicate,
 * late and out-of-order messages are harmless. A malformed one fails with one line and is retried by the host,
 * then moved to analytics-refresh-poison (host.json maxDequeueCount).
 *
 * Single flight: the queue trigger scales out to maximumInstanceCount instances, but only the instance holding the
 * refresh lease opens a pool; the others leave at once, without settings, pool or connection, after leaving a pending
 * mark that makes the holder run one more round (shared/storage/singleFlight.ts). So the refresh's connections stay
 * PG_POOL_MAX_REFRESH however far it scales, and no nudge is lost.
 */
export function createRefreshAnalyticsHandler(deps: Partial<RefreshHandlerDeps> = {}) {
  const { openRuntime, telemetry, lease, refresh } = { ...productionDeps, ...deps };
  return async function refreshAnalyticsHandler(queueItem: unknown, context: InvocationContext): Promise<void> {
    const parsed = parseRefreshMessage(queueItem);
    if (!parsed.ok) {
      const attempt = context.triggerMetadata?.dequeueCount;
      const attemptText =
        typeof attempt === 'number' ? `, attempt ${attempt}; the host moves it to ${ANALYTICS_REFRESH_QUEUE}-poison after ${MAX_DEQUEUE_COUNT}` : '';
      context.error(`refreshAnalytics: malformed ${ANALYTICS_REFRESH_QUEUE} message rejected (${parsed.problem}${attemptText})`);
      if (isLastAttempt(context)) await reportPoisoned(telemetry(), 'malformed message');
      throw new Error(`malformed ${ANALYTICS_REFRESH_QUEUE} message: ${parsed.problem}`);
    }
    const trigger = `queue:${parsed.message.entity}#${parsed.message.runId}`;
    let runtime: SyncRuntime | undefined;
    try {
      const flight = await runSingleFlight(
        lease(),
        async () => {
          runtime ??= await openRuntime(context);
          const result = await refreshOnce(runtime, refresh, trigger);
          context.log(`refreshAnalytics: run ${result.runId} ${result.status} (${result.mode}, ${result.changed.orders} orders changed)`);
        },
        { onLeaseLost: () => context.warn('refreshAnalytics: the refresh lease was lost while refreshing; another instance may refresh at the same time') },
      );
      if (flight.outcome === 'busy') {
        context.log('refreshAnalytics: another instance holds the refresh lease; it runs once more for this nudge (nothing opened here)');
      }
    } catch (error) {
      context.error(`refreshAnalytics failed: ${(error as Error).message}`);
      if (isLastAttempt(context)) await reportPoisoned(runtime?.telemetry ?? telemetry(), 'refresh failed');
      throw error;
    } finally {
      if (runtime) {
        await runtime.telemetry.flush();
        await runtime.close();
      }
    }
  };
}

function refreshOnce(runtime: SyncRuntime, refresh: typeof refreshAnalytics, trigger: string): Promise<RefreshResult> {
  const { pool, api, log, telemetry } = runtime;
  const timeZone = runtime.config.prestashop.timeZone;
  return refresh({ pool, api, log, telemetry, ...(timeZone ? { timeZone } : {}) }, { trigger });
}

function isLastAttempt(context: InvocationContext): boolean {
  const attempt = context.triggerMetadata?.dequeueCount;
  return typeof attempt === 'number' && attempt >= MAX_DEQUEUE_COUNT;
}

/** The last attempt failed: the host now moves the message to the poison queue, which the poison alert watches. */
async function reportPoisoned(telemetry: Telemetry, reason: string): Promise<void> {
  const queue = `${ANALYTICS_REFRESH_QUEUE}-poison`;
  telemetry.event(Event.poisonMessage, { queue, reason });
  telemetry.metric(Metric.poisonMessages, 1, { queue });
  await telemetry.flush();
}

export const refreshAnalyticsHandler = createRefreshAnalyticsHandler();

app.storageQueue('refreshAnalytics', {
  queueName: ANALYTICS_REFRESH_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: refreshAnalyticsHandler,
});
