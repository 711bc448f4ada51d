import { Argument, Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { advisoryUnlock, tryAdvisoryLock } from '../../shared/db/advisoryLock';
import { withClient } from '../../shared/db/transaction';
import { compareShopLocal, isShopLocalTime, toShopLocal } from '../../shared/prestashop/shopTime';
import { EPOCH_LOCAL } from '../../shared/sync';
import { STREAMS, WINDOWED_STREAMS, type WindowedStreamName } from '../../shared/sync/entities';
import { readStatus } from '../../shared/sync/status';
import { globalsOf, withWarehouse, type Warehouse } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { printJson, printLine } from '../output';

/** A real calendar time 'YYYY-MM-DD HH:MM:SS' (or a date, meaning midnight), not before the epoch baseline. */
export function shopLocal(value: string): string {
  const v = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()} 00:00:00` : value.trim();
  if (!isShopLocalTime(v)) {
    throw new InvalidArgumentError("expected a shop-local time 'YYYY-MM-DD HH:MM:SS' (or a date 'YYYY-MM-DD')");
  }
  if (compareShopLocal(v, EPOCH_LOCAL) < 0) {
    throw new InvalidArgumentError(`${v} is before ${EPOCH_LOCAL}, the baseline a full re-read starts from; leave --to out to go back to it`);
  }
  return v;
}

/** No zone is more than 14 hours ahead of UTC: without the shop's zone, the latest shop-local "now" there can be. */
const MAX_UTC_OFFSET_HOURS = 14;

/**
 * The shop's wall clock now, to refuse a watermark in the future (the next window would then start after rows the
 * shop has not even written yet, and skip them when they come). The shop clock when the shop answers; else this
 * machine's clock in the shop's zone (the setting, or the one the last analytics refresh stored); else the latest
 * wall clock on Earth.
 */
async function shopClock(warehouse: Warehouse): Promise<{ local: string; described: string }> {
  const now = await warehouse.api?.now().catch(() => undefined);
  if (now) return { local: now.local, described: `the shop clock (${now.local} ${now.timeZone})` };
  const status = await readStatus(warehouse.pool, warehouse.config.prestashop?.timeZone ? { timeZone: warehouse.config.prestashop.timeZone } : {});
  if (status.timeZone) {
    const local = toShopLocal(new Date(), status.timeZone);
    return { local, described: `the shop's time now (${local} ${status.timeZone}, by this machine's clock)` };
  }
  const local = toShopLocal(new Date(Date.now() + MAX_UTC_OFFSET_HOURS * 3_600_000), 'UTC');
  return { local, described: `the latest local time anywhere now (${local})` };
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
export async function resetWatermark(pool: Pool, entity: WindowedStreamName, to: string): Promise<ResetResult> {
  const info = STREAMS[entity];
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
    .addArgument(new Argument('<stream>', 'whose watermark (a stream read in windows, or all)').choices([...WINDOWED_STREAMS, 'all']))
    .option('--to <time>', "shop-local time 'YYYY-MM-DD HH:MM:SS' or a date", shopLocal, EPOCH_LOCAL)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Rows already in raw stay; the next sync re-reads the window and rewrites only what differs. A time before
1970-01-01 00:00:00 or after the shop's clock is refused (exit 2). Needs only the database settings; with
PRESTASHOP_BASE_URL set, the shop is asked once for its clock.
For a one-off backfill without moving the watermark, prefer phc sync <entity> --full-refresh.

Examples:
  $ phc reset-watermark orders --to 2026-11-01          # re-read orders changed since 1 November (shop time)
  $ phc reset-watermark all && phc sync all`,
    )
    .action(async (target: string, options: { to: string; json?: boolean }, command: Command) => {
      const results = await withWarehouse(
        globalsOf(command),
        async (warehouse) => {
          const clock = await shopClock(warehouse);
          if (compareShopLocal(options.to, clock.local) > 0) {
            throw new CliError(
              `--to ${options.to} is later than ${clock.described}: the next sync would skip every change until then. Give a time in the past (shop-local)`,
              ExitCode.usage,
            );
          }
          const out: ResetResult[] = [];
          for (const entity of target === 'all' ? WINDOWED_STREAMS : [target as WindowedStreamName]) out.push(await resetWatermark(warehouse.pool, entity, options.to));
          return out;
        },
        { shopRequests: { attempts: 1, timeoutMs: 5000 } },
      );
      if (options.json) return printJson(results);
      for (const r of results) {
        printLine(`${r.entity}: watermark ${r.before} -> ${r.after}${r.droppedCheckpoint ? ' (an unfinished window was dropped)' : ''}`);
      }
    });
}
