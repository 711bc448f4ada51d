import { Command } from 'commander';
import { globalsOf, withRuntime } from '../context';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import type { RefreshResult, Runtime } from '../core';
import { printJson, printLine } from '../output';

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

/** A one-line summary of whatever numbers the refresh reports. */
export function describeRefresh(result: RefreshResult): string {
  const parts = Object.entries(result)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k} ${String(v)}`);
  return `Analytics refreshed${parts.length ? `: ${parts.join(', ')}` : ''}.`;
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
