import { z } from 'zod';
import type { ReconcileResult } from './reconcile';
import type { SyncResult } from './types';

/**
 * The analytics-refresh queue message a sync sends when it changed rows. The refresh treats it as a nudge (it
 * processes everything changed since its own checkpoint), so duplicate, late or coalesced messages are harmless.
 */
export const refreshMessageSchema = z.object({
  entity: z.enum(['prestashop_customers', 'prestashop_products', 'prestashop_orders']),
  runId: z.number().int().positive(),
  changedRows: z.number().int().nonnegative(),
  /** ISO 8601 instant the run finished. */
  finishedAt: z.iso.datetime({ offset: true }),
});

export type RefreshMessage = z.infer<typeof refreshMessageSchema>;

/** The message for a run that changed rows, validated; null when nothing changed (no message is sent). */
export function refreshMessageFor(result: SyncResult, finishedAt: Date = new Date()): RefreshMessage | null {
  if (!result.changed) return null;
  return refreshMessageSchema.parse({
    entity: result.entity,
    runId: result.runId,
    changedRows: result.rowsChanged,
    finishedAt: finishedAt.toISOString(),
  });
}

/** The message for a reconciliation that marked or restored rows (deleted_at changes reach analytics too). */
export function refreshMessageForReconcile(result: ReconcileResult, finishedAt: Date = new Date()): RefreshMessage | null {
  const changedRows = result.marked + result.restored;
  if (changedRows === 0) return null;
  return refreshMessageSchema.parse({ entity: result.entity, runId: result.runId, changedRows, finishedAt: finishedAt.toISOString() });
}
