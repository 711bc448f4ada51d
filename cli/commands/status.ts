import { Command, InvalidArgumentError } from 'commander';
import { readStatus, type SyncStatus } from '../../shared/sync/status';
import { globalsOf, withWarehouse } from '../context';
import { formatLag, formatNumber, printJson, printLine, table, utcTime } from '../output';
import { describeQuality } from '../quality';

/** The shop is optional for status: one request, answered within this, or status goes on without it. */
const SHOP_CLOCK_TIMEOUT_MS = 3000;

export function positiveWhole(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    const n = Number(value);
    if (n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show watermarks and lag, checkpoints, the last runs, the last analytics refresh, data quality and open quarantine')
    .option('--json', 'print the status as JSON')
    .option('--runs <n>', 'runs to show per entity (1 to 100)', positiveWhole(100), 3)
    .addHelpText(
      'after',
      `
Needs only the database settings. The database is read first; then, when PRESTASHOP_BASE_URL is set, the shop
is asked once for its clock (lag is measured against it). Without an answer, lag is measured against this
machine's clock in the shop's time zone as the last analytics refresh stored it.
Run times are UTC; watermarks and windows are shop-local, in the zone named in the heading.

Examples:
  $ phc status
  $ phc status --json | jq '.entities[] | {resource, watermark, lagSeconds}'`,
    )
    .action(async (options: { json?: boolean; runs: number }, command: Command) => {
      const status = await withWarehouse(
        globalsOf(command),
        async (warehouse) => {
          const shopNow = warehouse.api
            ? await warehouse.api.now().catch((error: unknown) => {
                warehouse.log.warn('the shop did not answer; lag is measured against this machine\'s clock', { error: String(error) });
                return undefined;
              })
            : undefined;
          const timeZone = warehouse.config.prestashop?.timeZone;
          return readStatus(warehouse.pool, {
            runsPerEntity: options.runs,
            localNow: new Date(),
            ...(shopNow ? { shopNow } : {}),
            ...(timeZone ? { timeZone } : {}),
          });
        },
        { shopRequests: { attempts: 1, timeoutMs: SHOP_CLOCK_TIMEOUT_MS } },
      );
      if (options.json) printJson(status);
      else for (const line of renderStatus(status)) printLine(line);
    });
}

function zoneLabel(status: SyncStatus): string {
  if (!status.timeZone) return 'shop-local, time zone not known yet';
  return `shop-local, ${status.timeZone}`;
}

function lagHeading(status: SyncStatus): string {
  if (status.lagClock === 'shop') return 'lag behind the shop clock';
  if (status.lagClock === 'local') return "lag behind this machine's clock (the shop did not answer)";
  return 'lag unknown (no shop clock and no time zone)';
}

export function renderStatus(status: SyncStatus): string[] {
  const lines: string[] = [`Watermarks (${zoneLabel(status)}; ${lagHeading(status)}):`];
  lines.push(
    ...table(
      ['entity', 'watermark', 'lag', 'raw rows', 'hard-deleted', 'checkpoint (half-read window)'],
      status.entities.map((e) => [
        e.resource,
        e.synced ? e.watermark : 'never synced',
        e.lagSeconds === null ? null : formatLag(e.lagSeconds),
        e.rawRows,
        e.deletedRows,
        e.inProgress ? `${e.inProgress.lo} .. ${e.inProgress.hi} ${describeRanges(e.inProgress.ranges)}` : null,
      ]),
    ).map((l) => `  ${l}`),
  );
  lines.push('', 'Last runs (started in UTC; windows shop-local):');
  const runs = status.entities.flatMap((e) => [...e.lastRuns, ...(e.lastReconcile ? [e.lastReconcile] : [])].map((r) => ({ resource: e.resource, ...r })));
  if (runs.length === 0) lines.push('  none yet: run phc sync all (or phc pipeline)');
  else
    lines.push(
      ...table(
        ['entity', 'run', 'kind', 'status', 'started (UTC)', 'fetched', 'changed', 'quarantined', 'error'],
        runs.map((r) => [r.resource, r.runId, r.kind, r.status, utcTime(r.startedAt), r.rowsFetched, r.rowsChanged, r.rowsQuarantined, r.error]),
      ).map((l) => `  ${l}`),
    );
  lines.push('');
  const refresh = status.analytics.lastRefresh;
  if (!refresh) lines.push('Analytics: never refreshed (run phc analytics).');
  else {
    const when = utcTime(refresh.finishedAt ?? refresh.startedAt);
    const ok = status.analytics.lastSucceededAt;
    const behind = refresh.status !== 'succeeded' ? `; the last successful one finished ${ok ? `${utcTime(ok)} UTC` : 'never'}` : '';
    lines.push(`Analytics: last refresh run ${refresh.runId} ${refresh.status} ${refresh.finishedAt ? 'at' : 'started'} ${when} UTC${behind}.`);
  }
  lines.push(...describeQuality(status.dataQuality));
  lines.push('');
  if (status.quarantine.length === 0) {
    lines.push('Quarantine: empty.');
  } else {
    lines.push(`Quarantine: ${formatNumber(status.quarantine.length)} open record(s), retried on every sync run (since: UTC):`);
    lines.push(
      ...table(
        ['entity', 'id', 'attempts', 'since (UTC)', 'reason'],
        status.quarantine.map((q) => [q.entity, q.recordId, q.attempts, utcTime(q.firstSeenAt), q.reason]),
      ).map((l) => `  ${l}`),
    );
  }
  return lines;
}

function describeRanges(ranges: readonly { after: number; upTo: number | null }[]): string {
  if (ranges.length === 1) return `after id ${ranges[0]?.after ?? 0}`;
  return `${ranges.length} id ranges open, from id ${Math.min(...ranges.map((r) => r.after))}`;
}
