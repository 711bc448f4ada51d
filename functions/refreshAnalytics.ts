import { app, type InvocationContext } from '@azure/functions';
import { refreshAnalytics } from '../shared/analytics/refresh';
import { parseRefreshMessage } from '../shared/analytics/refreshTrigger';
import { openFunctionRuntime, type OpenRuntime } from '../shared/sync/functionRuntime';
import { getTelemetry } from '../shared/telemetry/appInsights';
import { Event, Metric } from '../shared/telemetry/names';
import type { Telemetry } from '../shared/telemetry/types';

export const ANALYTICS_REFRESH_QUEUE = 'analytics-refresh';
/** host.json extensions.queues.maxDequeueCount (a test holds them equal). */
export const MAX_DEQUEUE_COUNT = 5;

/**
 * A queue message is a nudge: the refresh processes everything changed since its own checkpoint, so duplicate,
 * late and out-of-order messages are harmless. A malformed one fails with one line and is retried by the host,
 * then moved to analytics-refresh-poison (host.json maxDequeueCount).
 */
export function createRefreshAnalyticsHandler(openRuntime: OpenRuntime = openFunctionRuntime, telemetry: () => Telemetry = getTelemetry) {
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
    const runtime = await openRuntime(context);
    try {
      const { pool, api, log, telemetry } = runtime;
      const timeZone = runtime.config.prestashop.timeZone;
      const trigger = `queue:${parsed.message.entity}#${parsed.message.runId}`;
      const result = await refreshAnalytics({ pool, api, log, telemetry, ...(timeZone ? { timeZone } : {}) }, { trigger });
      context.log(`refreshAnalytics: run ${result.runId} ${result.status} (${result.mode}, ${result.changed.orders} orders changed)`);
    } catch (error) {
      context.error(`refreshAnalytics failed: ${(error as Error).message}`);
      if (isLastAttempt(context)) await reportPoisoned(runtime.telemetry, 'refresh failed');
      throw error;
    } finally {
      await runtime.telemetry.flush();
      await runtime.close();
    }
  };
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
