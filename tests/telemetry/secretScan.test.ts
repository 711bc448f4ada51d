import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { InvocationContext } from '@azure/functions';
import { loadConfig, ConfigError, type AppConfig } from '../../shared/config';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { createKeyVaultSecretStore } from '../../shared/secrets';
import { syncJob } from '../../shared/sync/jobs';
import { Event, Metric } from '../../shared/telemetry/names';
import { createContextLogger } from '../../functions/support/contextLogger';
import { createCliLogger, describeError } from '../../shared/telemetry/logger';
import { createMemoryTelemetry, type MemoryTelemetry } from '../../shared/telemetry/memory';
import type { Fields, Logger } from '../../shared/telemetry/types';
import { startSandbox } from '../../sandbox';
import { KeyVaultStandIn, STAND_IN_TOKEN } from '../secrets/keyVaultStandIn';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * One sync of every entity, the way a timer function runs it (loadConfig under 'functions', createRuntime,
 * syncJob), with a known API key and database password; then the failure paths that carry secrets nearby: a
 * wrong key, a wrong password, invalid settings, a refused Key Vault read. Every log line (CLI and invocation
 * context), every telemetry item and every run-ledger row is scanned for those secrets.
 */

const API_KEY = `SCAN${randomBytes(14).toString('hex').toUpperCase()}`;
const WRONG_KEY = `WRNG${randomBytes(14).toString('hex').toUpperCase()}`;
const DB_PASSWORD = `db-pw-${randomBytes(8).toString('hex')}`;
const WRONG_DB_PASSWORD = `db-wrong-${randomBytes(8).toString('hex')}`;
const SECRETS = [API_KEY, WRONG_KEY, DB_PASSWORD, WRONG_DB_PASSWORD, STAND_IN_TOKEN];

/** Every line to both loggers, as a timer function and the CLI would write them. */
function teeLogger(a: Logger, b: Logger): Logger {
  const both =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Fields): void => {
      a[level](message, fields);
      b[level](message, fields);
    };
  return { debug: both('debug'), info: both('info'), warn: both('warn'), error: both('error'), child: (fields) => teeLogger(a.child(fields), b.child(fields)) };
}

describe('secret scan of a whole sync run and its failure paths', () => {
  let db: TestDatabase;
  let shop: Awaited<ReturnType<typeof startSandbox>>;
  let role: string;
  let env: NodeJS.ProcessEnv;
  const lines: string[] = [];
  const telemetry: MemoryTelemetry = createMemoryTelemetry();
  let log: Logger;
  let serverChecksPasswords = true;

  beforeAll(async () => {
    db = await createTestDatabase();
    role = `phc_scan_${randomBytes(4).toString('hex')}`;
    await db.pool.query(`create role ${role} login password '${DB_PASSWORD}'`);
    await db.pool.query(`grant pg_read_all_data, pg_write_all_data to ${role}`);
    shop = await startSandbox({ apiKey: API_KEY, seed: 11, customers: 25, products: 10, orders: 40, clock: { epochSeconds: Date.UTC(2024, 5, 3, 10) / 1000, frozen: true } });
    shop.control.advance(600);
    const url = new URL(db.url);
    url.username = role;
    url.password = DB_PASSWORD;
    env = { DATABASE_URL: url.toString(), PRESTASHOP_BASE_URL: shop.baseUrl, PRESTASHOP_API_KEY: API_KEY, PRESTASHOP_PAGE_SIZE: '10' };

    const cliOut = new PassThrough();
    cliOut.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const context = new InvocationContext({ invocationId: 'scan-1', functionName: 'syncOrders', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
    log = teeLogger(createCliLogger({ stream: cliOut, verbose: true }), createContextLogger(context, { invocationId: 'scan-1' }));
  });

  afterAll(async () => {
    await shop?.close();
    await db.pool.query(`drop owned by ${role} cascade`).catch(() => undefined);
    await db.drop();
    await db.pool.query(`drop role if exists ${role}`).catch(() => undefined);
  });

  async function withRuntime<T>(config: AppConfig, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
    const runtime = await createRuntime(config, { logger: log, telemetry });
    try {
      return await fn(runtime);
    } finally {
      await runtime.close();
    }
  }

  it('syncs every entity with the known key and password, emitting the contract names and dimensions', async () => {
    await withRuntime(loadConfig(env, { host: 'functions' }), async (runtime) => {
      for (const entity of ['customers', 'products', 'orders'] as const) {
        const { results } = await syncJob(runtime, [entity], 'timer');
        const [result] = results;
        expect(result?.status).toBe('succeeded');
        expect(result?.rowsFetched).toBeGreaterThan(0);
      }
    });
    const names = new Set(telemetry.items.map((i) => i.name));
    for (const m of [Metric.syncRowsFetched, Metric.syncRowsChanged, Metric.syncRowsUnchanged, Metric.syncPages, Metric.syncDurationMs, Metric.syncWatermarkLagSeconds, Metric.prestashopRequestMs]) {
      expect([m.name, names.has(m.name)]).toEqual([m.name, true]);
    }
    const runs = telemetry.items.filter((i) => i.name === Event.syncRun.name);
    expect(runs.map((r) => r.dimensions.entity).sort()).toEqual(['prestashop_customers', 'prestashop_orders', 'prestashop_products']);
    for (const run of runs) expect(run.dimensions).toMatchObject({ trigger: 'timer', status: 'succeeded', runId: expect.stringMatching(/^\d+$/) as unknown });
    const fetched = telemetry.items.find((i) => i.name === Metric.syncRowsFetched.name && i.dimensions.entity === 'prestashop_orders');
    expect(fetched?.dimensions).toEqual({ entity: 'prestashop_orders', trigger: 'timer', status: 'succeeded' });
    // The run id is on every line the run writes.
    const runLines = lines.filter((l) => /sync (started|finished)/.test(l));
    expect(runLines.length).toBeGreaterThanOrEqual(12);
    for (const line of runLines) expect(line).toMatch(/runId=\d+/);
  });

  it('logs a rejected key without the key', async () => {
    const config = loadConfig({ ...env, PRESTASHOP_API_KEY: WRONG_KEY }, { host: 'functions' });
    await withRuntime(config, async (runtime) => {
      await expect(syncJob(runtime, ['customers'], 'timer')).rejects.toThrow();
    });
    expect(lines.some((l) => /sync failed/.test(l))).toBe(true);
  });

  it('logs a rejected database password without the password', async () => {
    const url = new URL(env.DATABASE_URL ?? '');
    url.password = WRONG_DB_PASSWORD;
    const config = loadConfig({ ...env, DATABASE_URL: url.toString() });
    await withRuntime(config, async (runtime) => {
      try {
        await runtime.pool.query('select 1');
        serverChecksPasswords = false;
      } catch (error) {
        log.error('database connection failed', { error: describeError(error) });
        expect(describeError(error)).toMatch(/password authentication failed/);
      }
    });
    if (!serverChecksPasswords) console.warn('This PostgreSQL trusts local connections: the wrong-password path is exercised on the embedded server only');
  });

  it('logs invalid settings and a refused Key Vault read without the secrets', async () => {
    try {
      loadConfig({ ...env, PRESTASHOP_API_KEY: `${API_KEY}-x`, PRESTASHOP_BASE_URL: `http://${API_KEY}:@127.0.0.1:1/`, PGSSLMODE: 'nope' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      log.error('invalid settings', { error: describeError(error) });
    }
    const vault = new KeyVaultStandIn();
    const vaultUri = await vault.start();
    vault.failWith = 403;
    try {
      const secrets = createKeyVaultSecretStore({
        vaultUri,
        credential: { getToken: () => Promise.resolve({ token: STAND_IN_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) },
        clientOptions: { allowInsecureConnection: true, disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
      });
      const config = loadConfig({ ...env, PRESTASHOP_API_KEY: '', KEY_VAULT_URI: vaultUri }, { secretStore: secrets });
      await withRuntime(config, async (runtime) => {
        await expect(syncJob(runtime, ['orders'], 'timer')).rejects.toThrow();
      });
    } finally {
      await vault.stop();
    }
    expect(vault.unexpected).toEqual([]);
    expect(lines.some((l) => /Key Vault Secrets User/.test(l))).toBe(true);
  });

  it('finds none of the secrets in any log line, telemetry item or run-ledger row', async () => {
    const { rows } = await db.pool.query<{ row: string }>('select row_to_json(r)::text as row from staging.etl_runs r');
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const haystacks = { logLines: lines.join('\n'), telemetry: JSON.stringify(telemetry.items), runLedger: rows.map((r) => r.row).join('\n') };
    expect(lines.length).toBeGreaterThan(20);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of SECRETS) expect([where, secret.slice(0, 6), text.includes(secret)]).toEqual([where, secret.slice(0, 6), false]);
    }
  });
});
