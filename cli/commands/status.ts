import { Command } from 'commander';
import { readStatus, type SyncStatus } from '../../shared/sync';
import { globalsOf, withRuntime } from '../context';
import { formatDuration, printJson, printLine, table } from '../output';

export function statusCommand(): Command {
  return new Command('status')
    .description('show watermarks and lag, checkpoints, the last runs of each entity, and open quarantine entries')
    .option('--json', 'print the status as JSON')
    .option('--runs <n>', 'runs to show per entity', (v) => Math.max(1, Number(v) || 5), 3)
    .addHelpText(
      'after',
      `
Lag is the shop clock minus the watermark; it needs the shop to answer (without it, lag shows as "-").

Examples:
  $ phc status
  $ phc status --json | jq '.entities[] | {resource, watermark, lagSeconds}'`,
    )
    .action(async (options: { json?: boolean; runs: number }, command: Command) => {
      const status = await withRuntime(globalsOf(command), async (runtime) => {
        const shopNow = await runtime.api.now().catch((error: unknown) => {
          runtime.log.warn('the shop clock is unavailable; lag not computed', { error: String(error) });
          return undefined;
        });
        return readStatus(runtime.pool, { runsPerEntity: options.runs, ...(shopNow ? { shopNow } : {}) });
      });
      if (options.json) printJson(status);
      else for (const line of renderStatus(status)) printLine(line);
    });
}

export function renderStatus(status: SyncStatus): string[] {
  const lines: string[] = ['Watermarks (shop-local):'];
  lines.push(
    ...table(
      ['entity', 'watermark', 'lag', 'raw rows', 'deleted', 'checkpoint'],
      status.entities.map((e) => [
        e.resource,
        e.watermark,
        e.lagSeconds === null ? null : formatDuration(e.lagSeconds * 1000),
        e.rawRows,
        e.deletedRows,
        e.inProgress ? `window ${e.inProgress.lo} .. ${e.inProgress.hi} ${describeRanges(e.inProgress.ranges)}` : null,
      ]),
    ).map((l) => `  ${l}`),
  );
  lines.push('', 'Last runs:');
  const runs = status.entities.flatMap((e) => [...e.lastRuns, ...(e.lastReconcile ? [e.lastReconcile] : [])].map((r) => ({ resource: e.resource, ...r })));
  lines.push(
    ...table(
      ['entity', 'run', 'kind', 'status', 'started', 'fetched', 'changed', 'quarantined', 'error'],
      runs.map((r) => [r.resource, r.runId, r.kind, r.status, r.startedAt.toISOString().slice(0, 19).replace('T', ' '), r.rowsFetched, r.rowsChanged, r.rowsQuarantined, r.error]),
    ).map((l) => `  ${l}`),
  );
  lines.push('');
  if (status.quarantine.length === 0) {
    lines.push('Quarantine: empty.');
  } else {
    lines.push(`Quarantine: ${status.quarantine.length} open record(s), retried on every sync run:`);
    lines.push(
      ...table(
        ['entity', 'id', 'attempts', 'since', 'reason'],
        status.quarantine.map((q) => [q.entity, q.recordId, q.attempts, q.firstSeenAt.toISOString().slice(0, 19).replace('T', ' '), q.reason]),
      ).map((l) => `  ${l}`),
    );
  }
  return lines;
}

function describeRanges(ranges: readonly { after: number; upTo: number | null }[]): string {
  if (ranges.length === 1) return `after id ${ranges[0]?.after ?? 0}`;
  return `${ranges.length} id ranges open, from id ${Math.min(...ranges.map((r) => r.after))}`;
}
