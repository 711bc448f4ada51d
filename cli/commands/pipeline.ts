import { Command, InvalidArgumentError } from 'commander';
import { settingValue } from '../../shared/config';
import { closePool, createPool } from '../../shared/db/pool';
import { EPOCH_LOCAL } from '../../shared/sync/window';
import { globalsOf, loadSettings, type GlobalOptions } from '../context';
import { embeddedPipeline, type DemoPhase } from '../embedded/demo';
import { CliError } from '../errors';
import { withInterrupt } from '../interrupt';
import type { PipelineReport } from '../report';
import { cycle, emitReport, type PipelineOptions } from './pipelineCycle';
import { checkSyncResults, STOPPING_SYNC } from './sync';

/** Embedded defaults apply only when neither the database nor the shop is configured (blank counts as unset). */
export function usesEmbeddedDefaults(env: NodeJS.ProcessEnv): boolean {
  return ['DATABASE_URL', 'PGHOST', 'PRESTASHOP_BASE_URL'].every((name) => settingValue(env, name) === undefined);
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

async function configuredPipeline(globals: GlobalOptions, options: PipelineOptions, signal: AbortSignal): Promise<PipelineReport> {
  const started = Date.now();
  const config = loadSettings(process.env);
  const admin = createPool(config.db);
  try {
    const result = await cycle(admin, globals, process.env, options, signal);
    const firstRun = result.sync.some((r) => r.watermarkBefore === EPOCH_LOCAL);
    return { mode: 'configured', firstRun, activity: null, seeded: null, connect: null, durationMs: Date.now() - started, ...result.report };
  } finally {
    await closePool(admin);
  }
}

export function pipelineCommand(): Command {
  return new Command('pipeline')
    .description('migrate, sync every entity, refresh analytics and print a report; with nothing configured, on embedded PostgreSQL and the sandbox shop')
    .option('--json', 'print the report as JSON')
    .option('--keep-running', 'embedded defaults: keep PostgreSQL up after the report (for psql, Power BI, Metabase) until Ctrl-C')
    .option('--customers <n>', 'embedded defaults, first run only: customers in the new sandbox shop', count)
    .option('--products <n>', 'embedded defaults, first run only: products in the new sandbox shop', count)
    .option('--orders <n>', 'embedded defaults, first run only: orders in the new sandbox shop', count)
    .addHelpText(
      'after',
      `
With neither DATABASE_URL (or PGHOST) nor PRESTASHOP_BASE_URL set, the pipeline runs on embedded defaults:
PostgreSQL 15 in .phc/postgres (or $PHC_HOME/postgres) and a seeded sandbox shop kept in .phc/sandbox-state.json.
Each later run adds some activity to the shop and loads only those changes. Delete .phc to start afresh.
One demo runs per folder at a time: a second one is refused while the first is up.
With the settings present, it runs against your database and shop instead.

Examples:
  $ npm run pipeline                            # from a checkout: build, then this command
  $ phc pipeline --json | jq '.entities'
  $ phc pipeline --keep-running                 # then connect with the psql command it prints
  $ DATABASE_URL=postgres://... PRESTASHOP_BASE_URL=https://shop.example.com PRESTASHOP_API_KEY=... phc pipeline`,
    )
    .action(async (options: PipelineOptions, command: Command) => {
      const globals = globalsOf(command);
      const embedded = usesEmbeddedDefaults(process.env);
      const phase: DemoPhase = { stopping: embedded ? `${STOPPING_SYNC}, then stopping the embedded PostgreSQL and the sandbox shop` : STOPPING_SYNC };
      const report = await withInterrupt({ stopping: () => phase.stopping, onForcedExit: () => phase.onForcedExit?.() }, (signal) =>
        embedded ? embeddedPipeline(globals, options, signal, phase) : configuredPipeline(globals, options, signal),
      );
      emitReport(report, options);
      checkSyncResults(report.syncResults);
      const critical = report.quality?.failedCritical ?? [];
      if (critical.length > 0) {
        throw new CliError(`critical data-quality checks failed (${critical.map((c) => c.check).join(', ')}); see staging.data_quality_results and docs/runbook.md`);
      }
    });
}
