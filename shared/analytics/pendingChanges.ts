import type { Pool } from 'pg';
import { STREAMS } from '../sync/entities';

/**
 * Whether raw holds changes the analytics refresh has not processed yet: a row stamped after the refresh's committed
 * checkpoint (staging.analytics_state), in any raw table. The nudge to refresh is decided from this, not from what
 * one run changed, so a run that failed or was killed after committing pages is caught up by the next tick of any
 * entity. Each probe is one index lookup on last_changed_at.
 */
export async function hasPendingChanges(pool: Pool): Promise<boolean> {
  const probes = Object.values(STREAMS).map(
    (info) => `exists (select from ${info.table} where last_changed_at > (select coalesce(checkpoint, '-infinity') from staging.analytics_state))`,
  );
  const { rows } = await pool.query<{ pending: boolean }>(`select ${probes.join(' or ')} as pending`);
  return rows[0]?.pending === true;
}
