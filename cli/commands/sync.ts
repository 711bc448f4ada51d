import { Argument, Command, InvalidArgumentError } from 'commander';
import type { EntityResource } from '../../shared/prestashop/api';
import { ENTITIES as SYNC_ENTITIES } from '../../shared/sync/entities';
import { globalsOf, withRuntime } from '../context';
import { runSync } from '../../shared/sync';
import { ENTITIES, syncDeps, type Runtime, type SyncResult } from '../core';
import { PartialResult } from '../errors';
import { printJson, printLine, table } from '../output';
import { progressFor } from '../progress';

export interface SyncOptions {
  fullRefresh?: boolean;
  timeBudgetSeconds?: number;
  trigger?: string;
  quiet?: boolean;
}

export function entitiesOf(target: string): EntityResource[] {
  return target === 'all' ? [...ENTITIES] : [target as EntityResource];
}

/** Runs each entity in turn (customers and products before the orders that refer to them). */
export async function syncEntities(runtime: Runtime, entities: EntityResource[], options: SyncOptions): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const entity of entities) {
    const progress = progressFor(entity, { quiet: options.quiet });
    const expected = options.fullRefresh ? await loadedRows(runtime, entity) : undefined;
    try {
      const result = await runSync(syncDeps(runtime), entity, {
        trigger: options.trigger ?? 'cli',
        fullRefresh: options.fullRefresh === true,
        ...(options.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: options.timeBudgetSeconds } : {}),
        onProgress: (p) => progress.update({ pages: p.pages, rowsFetched: p.rowsFetched, ...(expected ? { totalRows: expected } : {}) }),
      });
      results.push(result);
    } finally {
      progress.stop();
    }
  }
  return results;
}

/** A backfill re-reads what raw already holds (plus what is new): the best estimate of its size, for time left. */
async function loadedRows(runtime: Runtime, entity: EntityResource): Promise<number | undefined> {
  const { rows } = await runtime.pool.query<{ n: string }>(`select count(*) as n from ${SYNC_ENTITIES[entity].table}`);
  const n = Number(rows[0]?.n ?? 0);
  return n > 0 ? n : undefined;
}

export function syncTable(results: SyncResult[]): string[] {
  return table(
    ['entity', 'status', 'fetched', 'changed', 'unchanged', 'quarantined', 'pages', 'window (shop-local)'],
    results.map((r) => [
      r.resource,
      r.status,
      r.rowsFetched,
      r.rowsChanged,
      r.rowsUnchanged,
      r.rowsQuarantined,
      r.pages,
      r.windowLo && r.windowHi ? `${r.windowLo} .. ${r.windowHi}` : null,
    ]),
  );
}

/**
 * Exit 3 when a run ended partial on purpose (its time budget, or an empty window the shop's newest date_upd
 * contradicts), so cron and CI can tell it from success. A failed run has already thrown (SyncRunError).
 */
export function checkSyncResults(results: SyncResult[]): void {
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    throw new Error(`sync failed for ${failed.map((r) => `${r.resource}: ${r.reason ?? 'see staging.etl_runs'}`).join('; ')}`);
  }
  const partial = results.filter((r) => r.status === 'partial');
  if (partial.length > 0) {
    throw new PartialResult(
      `sync of ${partial.map((r) => `${r.resource} ended partial (${r.reason ?? 'see phc status'})`).join('; ')}; what was read is saved, run it again to continue`,
    );
  }
}

export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('pull what changed in the shop since the last watermark into raw (one window per entity)')
    .addArgument(new Argument('<entity>', 'what to sync').choices(['customers', 'products', 'orders', 'all']))
    .option('--full-refresh', 're-read everything from 1970-01-01 (a backfill); loaded rows stay, unchanged ones are not rewritten')
    .option('--time-budget <seconds>', 'stop cleanly between pages after this long (exit 3); the next run continues', positiveSeconds)
    .option('--json', 'print the run results as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc sync all                               # the due window of customers, products, orders
  $ phc sync orders --full-refresh             # backfill orders from the epoch
  $ phc sync orders --time-budget 240 --json   # at most ~4 minutes, then exit 3 if unfinished

Exit codes: 0 done (or skipped because another run holds the lock), 1 failed, 2 bad usage or settings,
3 stopped by the time budget (the checkpoint is kept; rerun to continue).`,
    )
    .action(async (target: string, options: { fullRefresh?: boolean; timeBudget?: number; json?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const results = await withRuntime(globals, (runtime) =>
        syncEntities(runtime, entitiesOf(target), {
          fullRefresh: options.fullRefresh,
          timeBudgetSeconds: options.timeBudget,
          quiet: options.json === true || globals.quiet === true,
        }),
      );
      if (options.json) printJson(results);
      else syncTable(results).forEach((line) => printLine(line));
      checkSyncResults(results);
    });
}
