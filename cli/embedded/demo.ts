import { loadSyncConfig } from '../../shared/config';
import { closePool, createPool } from '../../shared/db/pool';
import type { Pool } from 'pg';
import { cycle, emitReport, pipelineLog, type CycleResult, type PipelineOptions } from '../commands/pipelineCycle';
import type { GlobalOptions } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { activityWords, type PipelineReport } from '../report';
import { ensureHome, phcHome, readState, writeDemoEnv, writePgpass, writeState, type EmbeddedState } from './home';
import { lockDemo } from './lock';
import { EMBEDDED_DATABASE, startEmbeddedDatabase, type EmbeddedDatabase } from './postgres';
import { DEFAULT_DEMO_SIZE, savedShopSize, startDemoShop, type DemoShop, type DemoShopSize } from './shop';

/** What the first Ctrl-C says it does, by phase of the demo. */
export interface DemoPhase {
  stopping: string;
  /** What a second Ctrl-C does before phc exits at once: save the shop, so no later run reuses its new ids. */
  onForcedExit?: () => void;
}

function adminPool(url: string): Pool {
  return createPool({ connectionString: url, sslMode: 'disable', poolMax: 2, statementTimeoutMs: 5 * 60_000 });
}

function describeActivity(activity: DemoShop['activity']): string {
  if (!activity) return 'none';
  return Object.entries(activity)
    .map(([k, v]) => activityWords(k, v))
    .join(', ');
}

function interruptedBeforeSync(): CliError {
  return new CliError('interrupted before the sync started: nothing was loaded; the demo stays as it was', ExitCode.interrupted);
}

/** The sizes of a new demo shop, or those of the saved one (which cannot change size). */
function shopSize(home: string, options: PipelineOptions, log: (line: string) => void): DemoShopSize {
  const asked: DemoShopSize = {
    customers: options.customers ?? DEFAULT_DEMO_SIZE.customers,
    products: options.products ?? DEFAULT_DEMO_SIZE.products,
    orders: options.orders ?? DEFAULT_DEMO_SIZE.orders,
  };
  const existing = savedShopSize(home);
  if (existing && (options.customers ?? options.products ?? options.orders) !== undefined) {
    log(`the demo shop exists already (${existing.customers} customers, ${existing.products} products, ${existing.orders} orders); sizes apply to a new one: delete ${home} to start afresh`);
  }
  return existing ?? asked;
}

/**
 * The one-command demo: an embedded PostgreSQL 15 and the sandbox shop in PHC_HOME (default .phc in the checkout),
 * locked against a second demo on the same folder, then the pipeline cycle and its report. With --keep-running both
 * servers stay up until Ctrl-C. The shop's state is saved however the run ends, so the next run never replays this
 * run's activity with the same ids.
 */
export async function embeddedPipeline(globals: GlobalOptions, options: PipelineOptions, signal: AbortSignal, phase: DemoPhase): Promise<PipelineReport> {
  const started = Date.now();
  const log = pipelineLog(globals, options);
  const home = phcHome();
  ensureHome(home);
  const lock = await lockDemo(home, (message) => process.stderr.write(`phc: warning: ${message}\n`));
  try {
    const state = readState(home);
    writeState(home, state); // the generated passwords first: an interrupted initialisation must not lose them
    const size = shopSize(home, options, log);
    log(`embedded defaults: PostgreSQL 15 in ${home}/postgres, sandbox shop state in ${home}/sandbox-state.json`);
    const notice = (line: string): void => {
      if (!globals.quiet) process.stderr.write(`${line}\n`);
    };
    const db = await startEmbeddedDatabase(home, state, log, notice);
    try {
      state.port = db.port;
      writeState(home, state);
      if (signal.aborted) throw interruptedBeforeSync();
      return await withDemoShop(home, state, size, log, signal, async (shop, save) => {
        phase.onForcedExit = save;
        const report = await runCycle(db, shop, state, home, globals, options, signal, started);
        save(); // now, not only at the end: a demo killed while it is kept running must not lose this run's shop
        if (options.keepRunning) {
          emitReport(report, options);
          phase.stopping = 'stopping the embedded PostgreSQL and the sandbox shop; the shop state is saved';
          await new Promise<void>((resolve) => {
            if (signal.aborted) resolve();
            else signal.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        return report;
      });
    } finally {
      await db.stop();
    }
  } finally {
    await lock.release();
  }
}

async function withDemoShop<T>(
  home: string,
  state: EmbeddedState,
  size: DemoShopSize,
  log: (line: string) => void,
  signal: AbortSignal,
  body: (shop: DemoShop, save: () => void) => Promise<T>,
): Promise<T> {
  const lastShopClock = state.shopClock ? Date.parse(state.shopClock) / 1000 : undefined;
  const run = state.runs;
  const shop = await startDemoShop(home, {
    run,
    size,
    lagSeconds: loadSyncConfig(process.env).lagSeconds,
    ...(lastShopClock ? { lastShopClock } : {}),
  });
  const save = (): void => {
    state.shopClock = new Date(shop.save() * 1000).toISOString();
    state.runs = run + 1;
    writeState(home, state);
  };
  try {
    log(
      shop.firstRun
        ? `sandbox shop: new store (${size.customers} customers, ${size.products} products, ${size.orders} orders) at ${shop.sandbox.baseUrl}`
        : `sandbox shop: reloaded, with new activity since the last run (${describeActivity(shop.activity)}) at ${shop.sandbox.baseUrl}`,
    );
    if (signal.aborted) throw interruptedBeforeSync();
    return await body(shop, save);
  } finally {
    // Whatever happened, the shop's activity of this run is kept: the next run builds on it with new ids.
    save();
    await shop.sandbox.close().catch(() => undefined);
  }
}

async function runCycle(
  db: EmbeddedDatabase,
  shop: DemoShop,
  state: EmbeddedState,
  home: string,
  globals: GlobalOptions,
  options: PipelineOptions,
  signal: AbortSignal,
  started: number,
): Promise<PipelineReport> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The runtime connects as etl_user, like the Function App: least privilege is part of the demo.
    ...db.envFor('etl_user', state.passwords.etl_user),
    PRESTASHOP_BASE_URL: shop.sandbox.baseUrl,
    PRESTASHOP_API_KEY: shop.sandbox.apiKey,
  };
  delete env.DATABASE_URL;
  // Written first: while --keep-running waits, another shell can use them (and the lock message points at them).
  const envFile = writeDemoEnv(home, env);
  const pgpass = writePgpass(home, db.port, EMBEDDED_DATABASE, 'analytics_reader', state.passwords.analytics_reader);
  const admin = adminPool(db.adminUrl);
  let result: CycleResult;
  try {
    result = await cycle(admin, globals, env, options, signal, { etl_user: state.passwords.etl_user, analytics_reader: state.passwords.analytics_reader });
  } finally {
    await closePool(admin);
  }
  return {
    mode: 'embedded',
    firstRun: shop.firstRun,
    activity: shop.activity,
    seeded: shop.firstRun
      ? (['customers', 'products', 'orders'] as const).map((resource) => ({ resource, generated: shop.size[resource], inShop: shop.inShop[resource] }))
      : null,
    connect: {
      psql: `PGPASSFILE=${pgpass} psql -h 127.0.0.1 -p ${db.port} -U analytics_reader ${EMBEDDED_DATABASE}`,
      note: options.keepRunning
        ? `PostgreSQL and the sandbox shop stay up until Ctrl-C. To run phc against them from another shell: set -a && . ${envFile} && set +a`
        : 'The embedded server stops when phc does: add --keep-running (npm run -s phc -- pipeline --keep-running) to keep it up.',
      port: db.port,
      passwordFile: pgpass,
    },
    durationMs: Date.now() - started,
    ...result.report,
  };
}
