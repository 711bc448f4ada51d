import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../shared/paths';
import { analyticsCommand } from './commands/analytics';
import { migrateCommand } from './commands/migrate';
import { pipelineCommand } from './commands/pipeline';
import { reconcileCommand } from './commands/reconcile';
import { reportCommand } from './commands/report';
import { resetWatermarkCommand } from './commands/resetWatermark';
import { rolesCommand } from './commands/roles';
import { sandboxCommand } from './commands/sandbox';
import { settingsCommand } from './commands/settings';
import { statusCommand } from './commands/status';
import { syncCommand } from './commands/sync';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('phc')
    .description('PHC Analytics: keep a PostgreSQL warehouse in step with a PrestaShop shop')
    .option('-v, --verbose', 'more log lines, and the full error chain with stacks on failure')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'only warnings and errors on stderr (no progress, no info lines)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Settings come from the environment (see README.md "Settings"); with neither DATABASE_URL nor
PRESTASHOP_BASE_URL, \`phc pipeline\` runs on an embedded PostgreSQL and the sandbox shop.

Exit codes: 0 ok, 1 failure, 2 bad usage or settings, 3 partial (time budget reached, reconciliation refused),
130 interrupted by Ctrl-C (the run is recorded as interrupted; the next one resumes from its checkpoint).

Examples:
  $ phc pipeline                 # the one-command demo, or a full cycle against your settings
  $ phc sync orders --full-refresh
  $ phc status --json`,
    );
  for (const command of [
    migrateCommand(),
    rolesCommand(),
    syncCommand(),
    reconcileCommand(),
    analyticsCommand(),
    statusCommand(),
    resetWatermarkCommand(),
    pipelineCommand(),
    reportCommand(),
    sandboxCommand(),
    settingsCommand(),
  ]) {
    program.addCommand(command);
  }
  return program;
}
