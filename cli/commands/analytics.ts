import { Command } from 'commander';
import { globalsOf, withWarehouse, type Warehouse } from '../context';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import type { RefreshResult } from '../core';
import { formatDuration, printJson, printLine } from '../output';

/** The shop is asked for reference data when it is configured; without it the stored copy is used. */
export async function runAnalytics(runtime: Warehouse, options: { full?: boolean; trigger?: string }): Promise<RefreshResult> {
  const timeZone = runtime.config.prestashop?.timeZone;
  return refreshAnalytics(
    {
      pool: runtime.pool,
      ...(runtime.api ? { api: runtime.api } : {}),
      log: runtime.log,
      telemetry: runtime.telemetry,
      ...(timeZone ? { timeZone } : {}),
    },
    { trigger: options.trigger ?? 'cli', full: options.full === true },
  );
}

/** One line: mode, what changed, and the data-quality outcome. */
export function describeRefresh(result: RefreshResult): string {
  if (result.status === 'skipped') return `Analytics already up to date (run ${result.runId} skipped: a later refresh covered it).`;
  const failing = result.dataQuality.filter((r) => r.status === 'fail');
  const { customers, products, orders } = result.changed;
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  const [documents, catalog] = [sum(result.documentsChanged), sum(result.catalogChanged)];
  const more = documents + catalog > 0 ? ` (with ${documents} order document and ${catalog} catalog rows)` : '';
  return (
    `Analytics refreshed (${result.mode}${result.fullReason ? `: ${result.fullReason}` : ''}, run ${result.runId}, ${formatDuration(result.durationMs)}): ` +
    `${customers} customers, ${products} products, ${orders} orders changed${more}; data quality ${result.dataQuality.length} checks, ` +
    `${failing.length === 0 ? 'all passing' : `${failing.length} warning(s): ${failing.map((f) => `${f.check} on ${f.entity}`).join(', ')}`}.`
  );
}

export function analyticsCommand(): Command {
  return new Command('analytics')
    .description('refresh staging and analytics from raw: only what changed since the last refresh, or everything with --full')
    .option('--full', 'rebuild every staging and analytics table from raw (replay); gives the same result as the incremental path')
    .option('--json', 'print the refresh result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc analytics            # what the queue-triggered function does after each load
  $ phc analytics --full     # replay all of raw into analytics (after fixing a model or a bad load)

Needs only the database settings; with PRESTASHOP_BASE_URL set, the shop's reference data (order states,
currencies, languages, time zone) is reloaded first, and the stored copy is used when the shop does not answer.
A failing critical data-quality check keeps the previous analytics state and exits 1.`,
    )
    .action(async (options: { full?: boolean; json?: boolean }, command: Command) => {
      // The shop only refreshes reference data here: one quick try, and the stored copy when it does not answer.
      const result = await withWarehouse(globalsOf(command), (warehouse) => runAnalytics(warehouse, options), { shopRequests: { attempts: 1 } });
      if (options.json) printJson(result);
      else printLine(describeRefresh(result));
    });
}
