import type { Pool, PoolClient } from 'pg';
import type { ShopLocalTime } from '../prestashop/api';
import type { EntityName } from './entities';

/** An id range of a window still being read: ids above `after`, up to `upTo` included (null: no end). */
export interface OpenRange {
  after: number;
  upTo: number | null;
}

/** How far a window has been read: its bounds and the ranges still open (each with its own keyset cursor). */
export interface Checkpoint {
  lo: ShopLocalTime;
  hi: ShopLocalTime;
  ranges: OpenRange[];
  runId: number | null;
}

export interface WatermarkState {
  watermark: ShopLocalTime;
  checkpoint: Checkpoint | null;
}

// Timestamps travel as text in the shop's own format, so no time zone ever touches them.
const fmt = (column: string): string => `to_char(${column}, 'YYYY-MM-DD HH24:MI:SS')`;

export async function readWatermark(db: Pool | PoolClient, entity: EntityName): Promise<WatermarkState> {
  const { rows } = await db.query<{
    watermark: string;
    lo: string | null;
    hi: string | null;
    last_id: string | null;
    ranges: unknown;
    run_id: string | null;
  }>(
    `select ${fmt('watermark')} as watermark, ${fmt('in_progress_lo')} as lo, ${fmt('in_progress_hi')} as hi,
            in_progress_last_id as last_id, in_progress_ranges as ranges, in_progress_run_id as run_id
     from staging.etl_watermarks where entity = $1`,
    [entity],
  );
  const row = rows[0];
  if (!row) throw new Error(`staging.etl_watermarks has no row for ${entity}; run the migrations`);
  const checkpoint =
    row.lo !== null && row.hi !== null
      ? { lo: row.lo, hi: row.hi, ranges: rangesOf(row.ranges, Number(row.last_id ?? 0)), runId: row.run_id === null ? null : Number(row.run_id) }
      : null;
  return { watermark: row.watermark, checkpoint };
}

/** A checkpoint written before ranges existed holds only a cursor: one open range after it. */
function rangesOf(stored: unknown, lastId: number): OpenRange[] {
  if (!Array.isArray(stored)) return [{ after: lastId, upTo: null }];
  return stored.map((range: { after?: unknown; upTo?: unknown }) => ({
    after: Number(range.after ?? 0),
    upTo: range.upTo === null || range.upTo === undefined ? null : Number(range.upTo),
  }));
}

/**
 * Records how far the window has been read; committed in the same transaction as the page's rows.
 * in_progress_last_id keeps the lowest cursor still open, for readers that show one.
 */
export async function saveCheckpoint(client: PoolClient, entity: EntityName, checkpoint: Checkpoint): Promise<void> {
  const lowest = checkpoint.ranges.length > 0 ? Math.min(...checkpoint.ranges.map((r) => r.after)) : null;
  await client.query(
    `update staging.etl_watermarks
     set in_progress_lo = $2::timestamp, in_progress_hi = $3::timestamp, in_progress_last_id = $4,
         in_progress_ranges = $5::jsonb, in_progress_run_id = $6, updated_at = now()
     where entity = $1`,
    [entity, checkpoint.lo, checkpoint.hi, lowest, JSON.stringify(checkpoint.ranges), checkpoint.runId],
  );
}

/** The window is finished: hi becomes the watermark and the checkpoint goes, atomically. */
export async function completeWindow(client: PoolClient, entity: EntityName, hi: ShopLocalTime): Promise<void> {
  await client.query(
    `update staging.etl_watermarks
     set watermark = $2::timestamp, in_progress_lo = null, in_progress_hi = null, in_progress_last_id = null,
         in_progress_ranges = null, in_progress_run_id = null, updated_at = now()
     where entity = $1`,
    [entity, hi],
  );
}
