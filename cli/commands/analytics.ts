import { Command } from 'commander';
import { globalsOf, withRuntime } from '../context';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import type { RefreshResult, Runtime } from '../core';
import { formatDuration, printJson, printLine } from '../output';

export async function runAnalytics(runtime: Runtime, options: { full?: boolean; trigger?: string }): Promise<RefreshResult> {
  return refreshAnalytics(
    {
      pool: runtime.pool,
      api: runtime.api,
      log: runtime.log,
      telemetry: runtime.telemetry,
      ...(runtime.config.prestashop.timeZone ? { timeZone: runtime.config.prestashop.timeZone } : {}),
    },
    { trigger: options.trigger ?? 'cli', full: options.full === true },
  );
}

/** One line: mode, what changed, and the data-quality outcome. */
export function describeRefresh(result: RefreshResult): string {
  if (result.status === 'skipped') return `Analytics already up to date (run ${result.runId} skipped: a later refresh covered it).`;
  const failing = result.dataQuality.filter((r) => r.status === 'fail');
  const { customers, products, orders } = result.changed;
  return (
    `Analytics refreshed (${result.mode}${result.fullReason ? `: ${result.fullReason}` : ''}, run ${result.runId}, ${formatDuration(result.durationMs)}): ` +
    `${customers} customers, ${products} products, ${orders} orders changed; data quality ${result.dataQuality.length} checks, ` +
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

A failing critical data-quality check keeps the previous analytics state and exits 1.`,
    )
    .action(async (options: { full?: boolean; json?: boolean }, command: Command) => {
      const result = await withRuntime(globalsOf(command), (runtime) => runAnalytics(runtime, options));
      if (options.json) printJson(result);
      else printLine(describeRefresh(result));
    });
}
