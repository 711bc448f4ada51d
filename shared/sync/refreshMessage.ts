import { z } from 'zod';
import { STREAMS, type EntityName } from './entities';
import type { ReconcileResult } from './reconcile';
import type { SyncResult } from './types';

/**
 * The analytics-refresh queue message a sync sends when it changed rows. The refresh treats it as a nudge (it
 * processes everything changed since its own checkpoint), so duplicate, late or coalesced messages are harmless.
 */
export const refreshMessageSchema = z.object({
  entity: z.enum(Object.values(STREAMS).map((s) => s.entity) as [EntityName, ...EntityName[]]),
  runId: z.number().int().positive(),
  changedRows: z.number().int().nonnegative(),
  /** ISO 8601 instant the run finished. */
  finishedAt: z.iso.datetime({ offset: true }),
});

export type RefreshMessage = z.infer<typeof refreshMessageSchema>;

/**
 * The message after a run, validated; null when raw holds nothing the refresh has not seen (no message is sent).
 * `pending` comes from the warehouse (shared/analytics/pendingChanges.ts), not from this run's counts, so changes a
 * failed or killed earlier run committed still reach analytics.
 */
export function refreshMessageFor(result: SyncResult, pending: boolean, finishedAt: Date = new Date()): RefreshMessage | null {
  if (!pending) return null;
  return refreshMessageSchema.parse({
    entity: result.entity,
    runId: result.runId,
    changedRows: result.rowsChanged,
    finishedAt: finishedAt.toISOString(),
  });
}

/** The message after a reconciliation, on the same rule (deleted_at changes reach analytics too). */
export function refreshMessageForReconcile(result: ReconcileResult, pending: boolean, finishedAt: Date = new Date()): RefreshMessage | null {
  if (!pending) return null;
  const changedRows = result.marked + result.restored;
  return refreshMessageSchema.parse({ entity: result.entity, runId: result.runId, changedRows, finishedAt: finishedAt.toISOString() });
}

export type ParsedRefreshMessage = { ok: true; message: RefreshMessage } | { ok: false; problem: string };

/**
 * Validates an analytics-refresh queue item. The host hands JSON messages over already parsed; a string body is
 * parsed here. The problem text names the fields, never echoes the message (it could carry anything).
 */
export function parseRefreshMessage(item: unknown): ParsedRefreshMessage {
  let value = item;
  if (typeof item === 'string') {
    try {
      value = JSON.parse(item) as unknown;
    } catch {
      return { ok: false, problem: 'not JSON' };
    }
  }
  const parsed = refreshMessageSchema.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problem };
}
