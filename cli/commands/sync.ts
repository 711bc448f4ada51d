import { Argument, Command, InvalidArgumentError } from 'commander';
import { STREAMS } from '../../shared/sync/entities';
import { runStream, type SyncableStream } from '../../shared/sync/runStream';
import { globalsOf, withRuntime } from '../context';
import { SyncRunError } from '../../shared/sync';
import { SYNC_STREAMS, syncDeps, type Runtime, type SyncResult, type SyncRunOptions } from '../core';
import { CliError, PartialResult } from '../errors';
import { ExitCode } from '../exitCodes';
import { isInterruptedStatus, withInterrupt } from '../interrupt';
import { formatNumber, printJson, printLine, table } from '../output';
import { progressFor } from '../progress';

export interface SyncOptions {
  fullRefresh?: boolean;
  timeBudgetSeconds?: number;
  trigger?: string;
  quiet?: boolean;
  /** Ctrl-C: the run in flight stops, closes itself as interrupted, and no further entity starts. */
  signal?: AbortSignal;
  /** Requests in flight per entity for this run (a backfill), instead of PRESTASHOP_CONCURRENCY. */
  concurrency?: number;
}

/** What the first Ctrl-C line says while a sync runs. */
export const STOPPING_SYNC = 'stopping the sync after the page in flight; committed pages stay';

export function entitiesOf(target: string): SyncableStream[] {
  return target === 'all' ? [...SYNC_STREAMS] : [target as SyncableStream];
}

/** Runs each entity in turn (customers and products before the orders that refer to them). */
export async function syncEntities(runtime: Runtime, entities: SyncableStream[], options: SyncOptions): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const entity of entities) {
    if (options.signal?.aborted) break;
    const progress = progressFor(entity, { quiet: options.quiet });
    const expected = options.fullRefresh ? await loadedRows(runtime, entity) : undefined;
    const runOptions: SyncRunOptions = {
      trigger: options.trigger ?? 'cli',
      fullRefresh: options.fullRefresh === true,
      ...(options.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: options.timeBudgetSeconds } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => progress.update({ pages: p.pages, rowsFetched: p.rowsFetched, ...(expected ? { totalRows: expected } : {}) }),
    };
    try {
      const deps = syncDeps(runtime);
      if (options.concurrency !== undefined) deps.settings.concurrency = options.concurrency;
      results.push(await runStream(deps, entity, runOptions));
    } catch (error) {
      // The run closed itself as interrupted: what it saved is in its result, and no other entity starts.
      if (error instanceof SyncRunError && isInterruptedStatus(error.result.status)) {
        results.push(error.result);
        break;
      }
      throw error;
    } finally {
      progress.stop();
    }
  }
  return results;
}

/** The one line after Ctrl-C: what finished, what the interrupted run saved, what did not start. */
export function interruptedLine(asked: SyncableStream[], results: SyncResult[]): string {
  const parts: string[] = [];
  const done = results.filter((r) => !isInterruptedStatus(r.status)).map((r) => r.resource);
  if (done.length > 0) parts.push(`${done.join(', ')} finished`);
  for (const r of results.filter((x) => isInterruptedStatus(x.status))) {
    parts.push(
      `${r.resource} run ${r.runId} stopped after ${formatNumber(r.pages)} page(s) with ${formatNumber(r.rowsChanged)} changed row(s) saved ` +
        `(${formatNumber(r.rowsFetched)} read); it is recorded as interrupted and the next run resumes from its checkpoint`,
    );
  }
  const notStarted = asked.filter((e) => !results.some((r) => r.resource === e));
  if (notStarted.length > 0) parts.push(`${notStarted.join(', ')} not started`);
  return `interrupted: ${parts.join('; ')}`;
}

/** After Ctrl-C, exit 130 with that line (the results were printed first). */
export function throwIfInterrupted(signal: AbortSignal, asked: SyncableStream[], results: SyncResult[]): void {
  if (signal.aborted) throw new CliError(interruptedLine(asked, results), ExitCode.interrupted);
}

/** A backfill re-reads what raw already holds (plus what is new): the best estimate of its size, for time left. */
async function loadedRows(runtime: Runtime, entity: SyncableStream): Promise<number | undefined> {
  const { rows } = await runtime.pool.query<{ n: string }>(`select count(*) as n from ${STREAMS[entity].table}`);
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

function concurrencyOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('expected a whole number from 1 to 16');
  return n;
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('pull what changed in the shop since the last watermark into raw (one window per entity)')
    .addArgument(new Argument('<stream>', 'what to sync (all: every stream, in load order)').choices([...SYNC_STREAMS, 'all']))
    .option('--full-refresh', 're-read everything from 1970-01-01 (a backfill); loaded rows stay, unchanged ones are not rewritten')
    .option('--time-budget <seconds>', 'stop cleanly between pages after this long (exit 3); the next run continues', positiveSeconds)
    .option('--concurrency <n>', 'requests in flight per entity for this run, e.g. for a backfill (default PRESTASHOP_CONCURRENCY)', concurrencyOption)
    .option('--json', 'print the run results as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc sync all                               # the due window of customers, products, orders
  $ phc sync orders --full-refresh             # backfill orders from the epoch
  $ phc sync orders --full-refresh --concurrency 4   # the same, four requests at a time (ask the shop's host first)
  $ phc sync orders --time-budget 240 --json   # at most ~4 minutes, then exit 3 if unfinished

Exit codes: 0 done (or skipped because another run holds the lock), 1 failed, 2 bad usage or settings,
3 stopped by the time budget (the checkpoint is kept; rerun to continue), 130 stopped by Ctrl-C (the run is
recorded as interrupted and the next one resumes from its checkpoint; Ctrl-C twice quits at once).`,
    )
    .action(async (target: string, options: { fullRefresh?: boolean; timeBudget?: number; concurrency?: number; json?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const asked = entitiesOf(target);
      await withInterrupt({ stopping: STOPPING_SYNC }, async (signal) => {
        const results = await withRuntime(globals, (runtime) =>
          syncEntities(runtime, asked, {
            fullRefresh: options.fullRefresh,
            timeBudgetSeconds: options.timeBudget,
            ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
            quiet: options.json === true || globals.quiet === true,
            signal,
          }),
        );
        if (options.json) printJson(results);
        else syncTable(results).forEach((line) => printLine(line));
        throwIfInterrupted(signal, asked, results);
        checkSyncResults(results);
      });
    });
}
