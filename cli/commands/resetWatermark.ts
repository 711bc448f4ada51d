import { Argument, Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { advisoryUnlock, tryAdvisoryLock } from '../../shared/db/advisoryLock';
import { withClient } from '../../shared/db/transaction';
import type { EntityResource } from '../../shared/prestashop/api';
import { ENTITIES as SYNC_ENTITIES, EPOCH_LOCAL } from '../../shared/sync';
import { withPool } from '../context';
import { CliError } from '../errors';
import { printJson, printLine } from '../output';
import { entitiesOf } from './sync';

const SHOP_LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function shopLocal(value: string): string {
  const v = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value} 00:00:00` : value;
  if (!SHOP_LOCAL.test(v) || Number.isNaN(Date.parse(v.replace(' ', 'T') + 'Z'))) {
    throw new InvalidArgumentError("expected a shop-local time 'YYYY-MM-DD HH:MM:SS' (or a date 'YYYY-MM-DD')");
  }
  return v;
}

export interface ResetResult {
  entity: string;
  before: string;
  after: string;
  droppedCheckpoint: boolean;
}

/**
 * Moves an entity's watermark (back, usually) and drops any half-read window, so the next sync re-reads from there.
 * Holds the entity's sync lock while doing it: refused while a sync of that entity is running.
 */
export async function resetWatermark(pool: Pool, entity: EntityResource, to: string): Promise<ResetResult> {
  const info = SYNC_ENTITIES[entity];
  return withClient(pool, async (client) => {
    if (!(await tryAdvisoryLock(client, info.syncLock))) {
      throw new CliError(`A sync of ${entity} is running right now; wait for it to finish (phc status), then rerun`);
    }
    try {
      const { rows } = await client.query<{ before: string; checkpoint: boolean }>(
        `select to_char(watermark, 'YYYY-MM-DD HH24:MI:SS') as before, in_progress_lo is not null as checkpoint
           from staging.etl_watermarks where entity = $1`,
        [info.entity],
      );
      const row = rows[0];
      if (!row) throw new CliError(`staging.etl_watermarks has no row for ${info.entity}; run phc migrate first`);
      await client.query(
        `update staging.etl_watermarks
            set watermark = $2::timestamp, in_progress_lo = null, in_progress_hi = null, in_progress_last_id = null,
                in_progress_run_id = null, updated_at = now()
          where entity = $1`,
        [info.entity, to],
      );
      return { entity: info.entity, before: row.before, after: to, droppedCheckpoint: row.checkpoint };
    } finally {
      await advisoryUnlock(client, info.syncLock);
    }
  });
}

export function resetWatermarkCommand(): Command {
  return new Command('reset-watermark')
    .description("move an entity's watermark (default: back to 1970-01-01) and drop its checkpoint; the next sync re-reads from there")
    .addArgument(new Argument('<entity>', 'whose watermark').choices(['customers', 'products', 'orders', 'all']))
    .option('--to <time>', "shop-local time 'YYYY-MM-DD HH:MM:SS' or a date", shopLocal, EPOCH_LOCAL)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Rows already in raw stay; the next sync re-reads the window and rewrites only what differs.
For a one-off backfill without moving the watermark, prefer phc sync <entity> --full-refresh.

Examples:
  $ phc reset-watermark orders --to 2026-11-01          # re-read orders changed since 1 November (shop time)
  $ phc reset-watermark all && phc sync all`,
    )
    .action(async (target: string, options: { to: string; json?: boolean }) => {
      const results = await withPool(async (pool) => {
        const out: ResetResult[] = [];
        for (const entity of entitiesOf(target)) out.push(await resetWatermark(pool, entity, options.to));
        return out;
      });
      if (options.json) return printJson(results);
      for (const r of results) {
        printLine(`${r.entity}: watermark ${r.before} -> ${r.after}${r.droppedCheckpoint ? ' (an unfinished window was dropped)' : ''}`);
      }
    });
}
