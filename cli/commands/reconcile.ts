import { Argument, Command, InvalidArgumentError } from 'commander';
import { globalsOf, withRuntime } from '../context';
import { runReconcile } from '../../shared/sync';
import { RECONCILE_STREAMS, syncDeps, type ReconcileResult, type ReconcileRunOptions } from '../core';
import { CliError, PartialResult } from '../errors';
import { ExitCode } from '../exitCodes';
import { withInterrupt } from '../interrupt';
import { printJson, printLine, table } from '../output';
import type { StreamName } from '../../shared/sync/entities';

/** A sweep commits only at its end: an interrupted one changed nothing. */
function interruptedLine(asked: StreamName[], done: ReconcileResult[], cause?: unknown): CliError {
  const finished = done.map((r) => r.resource);
  const stopped = asked.filter((e) => !finished.includes(e));
  const parts = [
    ...(finished.length > 0 ? [`${finished.join(', ')} reconciled`] : []),
    ...(stopped.length > 0 ? [`${stopped.join(', ')} not reconciled (a sweep commits only at its end, so nothing was marked; the next run sweeps again)`] : []),
  ];
  return new CliError(`interrupted: ${parts.join('; ')}`, ExitCode.interrupted, cause === undefined ? undefined : { cause });
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.05');
  return n;
}


export function reconcileCommand(): Command {
  return new Command('reconcile')
    .description('find records deleted in the shop: sweep every id and set or clear raw deleted_at')
    .addArgument(new Argument('<stream>', 'what to reconcile (all: every stream with ids)').choices([...RECONCILE_STREAMS, 'all']))
    .option('--max-delete-share <share>', 'refuse to mark more than this share of rows deleted in one sweep (default: the setting)', share)
    .option('--force', 'apply the sweep even above the share guard (after checking the shop really lost those records)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc reconcile all
  $ phc reconcile orders --json
  $ phc reconcile customers --force        # after confirming a mass deletion in the shop is real

Exit codes: 0 done, 1 failed, 2 bad usage or settings, 3 refused by the share guard (nothing was marked),
130 stopped by Ctrl-C (the sweep in flight commits nothing).`,
    )
    .action(async (target: string, options: { maxDeleteShare?: number; force?: boolean; json?: boolean }, command: Command) => {
      const asked: StreamName[] = target === 'all' ? [...RECONCILE_STREAMS] : [target as StreamName];
      const results = await withInterrupt({ stopping: 'stopping the sweep; nothing it read is committed' }, (signal) =>
        withRuntime(globalsOf(command), async (runtime) => {
          const out: ReconcileResult[] = [];
          for (const entity of asked) {
            if (signal.aborted) throw interruptedLine(asked, out);
            const runOptions: ReconcileRunOptions = {
              trigger: 'cli',
              ...(options.maxDeleteShare !== undefined ? { maxDeleteShare: options.maxDeleteShare } : {}),
              force: options.force === true,
              signal,
            };
            try {
              out.push(await runReconcile(syncDeps(runtime), entity, runOptions));
            } catch (error) {
              if (signal.aborted) throw interruptedLine(asked, out, error);
              throw error;
            }
          }
          return out;
        }),
      );
      if (options.json) printJson(results);
      else table(['entity', 'status', 'shop ids', 'live rows', 'marked deleted', 'restored', 'missing in raw', 'refused'], results.map((r) => [r.resource, r.status, r.shopIds, r.liveRows, r.marked, r.restored, r.missingInRaw, r.refused ? `yes (would mark ${r.wouldMark})` : 'no'])).forEach((l) => printLine(l));
      const refusedOnes = results.filter((r) => r.refused);
      if (refusedOnes.length > 0) {
        throw new PartialResult(
          `reconciliation of ${refusedOnes.map((r) => r.resource).join(', ')} was refused by the delete-share guard; check the shop, then rerun with --force if the deletions are real`,
        );
      }
    });
}
