import { Command } from 'commander';
import { globalsOf, withRuntime } from '../context';
import { core } from '../core';
import { printJson, printLine } from '../output';

export function statusCommand(): Command {
  return new Command('status')
    .description('show watermarks and lag, the last runs, and open quarantine entries')
    .option('--json', 'print the status as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc status
  $ phc status --json | jq '.watermarks'`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const status = await withRuntime(globalsOf(command), (runtime) => core('sync').readStatus(runtime.pool));
      if (options.json) printJson(status);
      else for (const line of renderStatus(status)) printLine(line);
    });
}

export function renderStatus(status: unknown): string[] {
  return JSON.stringify(status, null, 2).split('\n');
}
