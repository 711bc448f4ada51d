import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  ConfigError,
  loadConfig,
  loadDbConfig,
  loadRolePasswords,
  loadRoleSettings,
  loadSchedules,
  loadShopConfig,
  DEFAULT_SCHEDULES,
} from '../../shared/config';
import type { SecretStore } from '../../shared/secrets';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

const local = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/phc_analytics',
  PRESTASHOP_BASE_URL: 'http://127.0.0.1:8080',
  PRESTASHOP_API_KEY: KEY,
  ...extra,
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const failingCredential: TokenCredential = {
  getToken: () => Promise.reject(new Error('no credential expected in this test')),
};

describe('loadConfig', () => {
  it('reads a laptop setup with defaults for everything else', async () => {
    const config = loadConfig(local());
    expect(config.db).toEqual({ host: '127.0.0.1', port: 5432, database: 'phc_analytics', user: 'postgres', sslMode: 'disable', poolMax: 4, statementTimeoutMs: 300_000 });
    expect(config.db.password).toBeUndefined();
    expect(config.prestashop).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', requestTimeoutMs: 30_000, pageSize: 100 });
    await expect(config.prestashop.apiKey()).resolves.toBe(KEY);
    expect(config.sync).toEqual({ lagSeconds: 120, overlapSeconds: 300, reconcileMaxDeleteShare: 0.05, reconcilePageSize: 1000, maxRejectShare: 0.05 });
    expect(config.schedules).toEqual({
      sync_customers: DEFAULT_SCHEDULES.SYNC_CUSTOMERS_SCHEDULE,
      sync_products: DEFAULT_SCHEDULES.SYNC_PRODUCTS_SCHEDULE,
      sync_orders: DEFAULT_SCHEDULES.SYNC_ORDERS_SCHEDULE,
      reconcile: DEFAULT_SCHEDULES.RECONCILE_SCHEDULE,
    });
    expect(config.telemetry).toEqual({});
    expect(config.keyVaultUri).toBeUndefined();
  });

  it('gives Functions a time budget inside functionTimeout and the CLI none unless set', () => {
    expect(loadConfig(local(), { host: 'functions' }).sync.timeBudgetSeconds).toBe(420);
    expect(loadConfig(local()).sync.timeBudgetSeconds).toBeUndefined();
    expect(loadConfig(local({ SYNC_TIME_BUDGET_SECONDS: '3600' })).sync.timeBudgetSeconds).toBe(3600);
    const error = configError(() => loadConfig(local({ SYNC_TIME_BUDGET_SECONDS: '600' }), { host: 'functions' }));
    expect(error.message).toMatch(/SYNC_TIME_BUDGET_SECONDS: must be at most 540/);
  });

  it('refuses window settings that lose data: an overlap below 300 s, a negative lag', () => {
    const error = configError(() => loadConfig(local({ SYNC_OVERLAP_SECONDS: '0', SYNC_LAG_SECONDS: '-5' })));
    const bySetting = Object.fromEntries(error.problems.map((p) => [p.setting, p.message]));
    expect(Object.keys(bySetting).sort()).toEqual(['SYNC_LAG_SECONDS', 'SYNC_OVERLAP_SECONDS']);
    expect(bySetting.SYNC_OVERLAP_SECONDS).toMatch(/at least 300/);
    expect(bySetting.SYNC_OVERLAP_SECONDS).toMatch(/loses rows committed after their date_upd/);
    expect(loadConfig(local({ SYNC_OVERLAP_SECONDS: '300', SYNC_LAG_SECONDS: '0' })).sync).toMatchObject({ overlapSeconds: 300, lagSeconds: 0 });
  });

  it('reads the concurrency and the share of set-aside records a run tolerates', () => {
    expect(loadConfig(local()).prestashop.concurrency).toBe(2);
    expect(loadConfig(local({ PRESTASHOP_CONCURRENCY: '4', SYNC_MAX_REJECT_SHARE: '0.1' }))).toMatchObject({ prestashop: { concurrency: 4 }, sync: { maxRejectShare: 0.1 } });
    const error = configError(() => loadConfig(local({ PRESTASHOP_CONCURRENCY: '0', SYNC_MAX_REJECT_SHARE: '2' })));
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['PRESTASHOP_CONCURRENCY', 'SYNC_MAX_REJECT_SHARE']);
  });

  it('lists every missing setting at once, each with how to fix it', () => {
    const error = configError(() => loadConfig({}));
    expect(error.problems.map((p) => p.setting)).toEqual(['DATABASE_URL', 'PRESTASHOP_BASE_URL', 'PRESTASHOP_API_KEY']);
    expect(error.message).toContain('Invalid settings (3 problems)');
    expect(error.message).toMatch(/DATABASE_URL: no database is configured .*Set DATABASE_URL=postgres:\/\//);
    expect(error.message).toMatch(/PRESTASHOP_BASE_URL: is not set\. Set PRESTASHOP_BASE_URL to the shop root/);
    expect(error.message).toMatch(/PRESTASHOP_API_KEY: is not set, and no KEY_VAULT_URI to read it from\. Set PRESTASHOP_API_KEY/);
  });

  it('lists every invalid value at once with the value (for non-secrets) and the fix', () => {
    const error = configError(() =>
      loadConfig(
        local({
          PGSSLMODE: 'maybe',
          PG_POOL_MAX: '0',
          PRESTASHOP_TIMEZONE: 'Mars/Olympus_Mons',
          PRESTASHOP_PAGE_SIZE: 'lots',
          SYNC_ORDERS_SCHEDULE: '*/5 * * * *',
          RECONCILE_MAX_DELETE_SHARE: '2',
          PGAUTH: 'kerberos',
          AZURE_CLIENT_ID: 'my-identity',
        }),
      ),
    );
    const bySetting = Object.fromEntries(error.problems.map((p) => [p.setting, p.message]));
    expect(Object.keys(bySetting).sort()).toEqual(
      ['AZURE_CLIENT_ID', 'PGAUTH', 'PGSSLMODE', 'PG_POOL_MAX', 'PRESTASHOP_PAGE_SIZE', 'PRESTASHOP_TIMEZONE', 'RECONCILE_MAX_DELETE_SHARE', 'SYNC_ORDERS_SCHEDULE'].sort(),
    );
    expect(bySetting.PGSSLMODE).toBe('must be one of disable, require, verify-full (got "maybe"). Set PGSSLMODE to disable, require or verify-full.');
    expect(bySetting.PG_POOL_MAX).toMatch(/^must be at least 1 \(got "0"\)\. Set PG_POOL_MAX/);
    expect(bySetting.PRESTASHOP_TIMEZONE).toMatch(/^is not an IANA time zone name \(got "Mars\/Olympus_Mons"\)\. Set PRESTASHOP_TIMEZONE to an IANA zone name/);
    expect(bySetting.PRESTASHOP_PAGE_SIZE).toMatch(/^must be a whole number from 1 to 5000/);
    expect(bySetting.SYNC_ORDERS_SCHEDULE).toMatch(/six-field NCRONTAB/);
    expect(bySetting.RECONCILE_MAX_DELETE_SHARE).toMatch(/^must be at most 1/);
    expect(bySetting.PGAUTH).toMatch(/must be one of password, entra/);
    expect(bySetting.AZURE_CLIENT_ID).toMatch(/is not a client id/);
  });

  it('never echoes a secret value in its messages', () => {
    const secrets = {
      PRESTASHOP_API_KEY: 'not-a-key-but-secret-Zq8v',
      DATABASE_URL: 'postgres://etl:Pa55-word-Zq8v@db.example.com:5432/phc?sslmode=sometimes',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'Endpoint=secret-Zq8v-endpoint',
      ETL_USER_PASSWORD: 'short-Zq8v',
    };
    const error = configError(() => loadConfig({ ...local(), ...secrets }));
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'DATABASE_URL', 'PRESTASHOP_API_KEY']);
    const roleError = configError(() => loadRolePasswords(secrets));
    for (const message of [error.message, roleError.message]) {
      expect(message).not.toContain('Zq8v');
    }
    expect(roleError.message).toMatch(/ETL_USER_PASSWORD: is shorter than 12 characters\. Set ETL_USER_PASSWORD/);
  });

  it('reports an unresolved Key Vault reference with what to check', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://phc-kv.vault.azure.net/secrets/prestashop-api-key/)';
    const error = configError(() => loadConfig(local({ PRESTASHOP_API_KEY: reference, PGPASSWORD: '@Microsoft.KeyVault(VaultName=phc-kv;SecretName=pg)' })));
    const message = error.problems.find((p) => p.setting === 'PRESTASHOP_API_KEY')?.message ?? '';
    expect(message).toContain('unresolved Key Vault reference');
    expect(message).toContain(reference);
    expect(message).toContain('"Key Vault Secrets User" role');
    expect(message).toContain('@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)');
    expect(error.problems.map((p) => p.setting)).toContain('PGPASSWORD');
  });

  it('does nothing at import time', () => {
    const saved = process.env;
    process.env = {};
    try {
      jest.isolateModules(() => {
        expect(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          require('../../shared/config');
        }).not.toThrow();
      });
    } finally {
      process.env = saved;
    }
  });
});

describe('database settings', () => {
  it('takes DATABASE_URL apart, so that pg cannot let URL fields override the password callback or TLS options', () => {
    const db = loadDbConfig({ DATABASE_URL: 'postgresql://etl:p%40ss-word@db.example.com:6432/phc?sslmode=require&application_name=x&connect_timeout=5' });
    expect(db).toEqual({ host: 'db.example.com', port: 6432, database: 'phc', user: 'etl', password: 'p@ss-word', sslMode: 'require', applicationName: 'x', connectionTimeoutMs: 5000, poolMax: 4, statementTimeoutMs: 300_000 });
    expect(db.connectionString).toBeUndefined();
    const error = configError(() => loadDbConfig({ DATABASE_URL: 'postgres://u@localhost/db?sslrootcert=/tmp/x.pem' }));
    expect(error.message).toMatch(/DATABASE_URL: has the parameter sslrootcert, which this app does not take\. Remove it; TLS is set with PGSSLMODE and PGSSLROOTCERT/);
  });

  it('uses a Key Vault password or an Entra token with DATABASE_URL too', async () => {
    const secretStore: SecretStore = { get: () => Promise.resolve('from-the-vault'), invalidate: () => undefined };
    const db = loadDbConfig({ DATABASE_URL: 'postgres://etl@db.example.com/phc', PGPASSWORD_SECRET_NAME: 'pg', KEY_VAULT_URI: 'https://phc-kv.vault.azure.net' }, { secretStore });
    await expect((db.password as () => Promise<string>)()).resolves.toBe('from-the-vault');
    expect(db).toMatchObject({ host: 'db.example.com', user: 'etl', database: 'phc', sslMode: 'verify-full' });
  });

  it('defaults to verify-full for a remote server and disable for a local one; PGSSLMODE wins', () => {
    const remote = { PGHOST: 'phc.postgres.database.azure.com', PGDATABASE: 'phc', PGUSER: 'etl_user', PGPASSWORD: 'pw-123456' };
    expect(loadDbConfig(remote)).toMatchObject({ host: remote.PGHOST, port: 5432, database: 'phc', user: 'etl_user', password: 'pw-123456', sslMode: 'verify-full' });
    expect(loadDbConfig({ ...remote, PGSSLMODE: 'require', PGPORT: '5433' })).toMatchObject({ sslMode: 'require', port: 5433 });
    expect(loadDbConfig({ DATABASE_URL: 'postgres://u@localhost/db' }).sslMode).toBe('disable');
    expect(loadDbConfig({ DATABASE_URL: 'postgres://u@[::1]/db' }).sslMode).toBe('disable');
  });

  it('needs PGDATABASE and PGUSER with PGHOST, and a password for a remote server', () => {
    const error = configError(() => loadDbConfig({ PGHOST: 'db.example.com' }));
    expect(error.problems.map((p) => p.setting)).toEqual(['PGDATABASE', 'PGUSER', 'PGPASSWORD']);
    expect(error.message).toMatch(/PGPASSWORD: is not set, and db\.example\.com is not a local server\. Set PGPASSWORD, or PGPASSWORD_SECRET_NAME with KEY_VAULT_URI, or use PGAUTH=entra/);
  });

  it('signs in with Entra tokens for each connection, over TLS, with no password anywhere', async () => {
    const calls: string[] = [];
    const credential: TokenCredential = {
      getToken: (scopes) => {
        calls.push(String(scopes));
        return Promise.resolve({ token: 'entra-token-1', expiresOnTimestamp: Date.now() + 3_600_000 } satisfies AccessToken);
      },
    };
    const env = { PGAUTH: 'entra', PGHOST: 'phc.postgres.database.azure.com', PGDATABASE: 'phc', PGUSER: 'phc-func-identity' };
    const db = loadDbConfig(env, { credential });
    expect(db.sslMode).toBe('verify-full');
    expect(typeof db.password).toBe('function');
    const password = db.password as () => Promise<string>;
    await expect(password()).resolves.toBe('entra-token-1');
    expect(calls).toEqual(['https://ossrdbms-aad.database.windows.net/.default']);
    // Loading the settings again reuses the token cache of the same credential.
    await (loadDbConfig(env, { credential }).password as () => Promise<string>)();
    expect(calls).toHaveLength(1);
  });

  it('rejects Entra combinations that cannot work', () => {
    const error = configError(() =>
      loadDbConfig({ PGAUTH: 'entra', DATABASE_URL: 'postgres://:pw@phc.postgres.database.azure.com/phc', PGSSLMODE: 'disable', PGPASSWORD_SECRET_NAME: 'pg' }, { credential: failingCredential }),
    );
    expect(error.problems.map((p) => p.setting)).toEqual(['PGUSER', 'DATABASE_URL', 'PGPASSWORD_SECRET_NAME', 'PGSSLMODE']);
    expect(error.message).not.toContain(':pw@');
  });

  it('reads the password from Key Vault when PGPASSWORD_SECRET_NAME is set, and needs KEY_VAULT_URI for it', async () => {
    const asked: string[] = [];
    const secretStore: SecretStore = { get: (name) => (asked.push(name), Promise.resolve('vault-password')), invalidate: () => undefined };
    const db = loadDbConfig(
      { PGHOST: 'db.example.com', PGDATABASE: 'phc', PGUSER: 'etl_user', PGPASSWORD_SECRET_NAME: 'pg-etl-password', KEY_VAULT_URI: 'https://phc-kv.vault.azure.net/' },
      { secretStore, credential: failingCredential },
    );
    await expect((db.password as () => Promise<string>)()).resolves.toBe('vault-password');
    expect(asked).toEqual(['pg-etl-password']);
    const error = configError(() => loadDbConfig({ PGHOST: 'db.example.com', PGDATABASE: 'phc', PGUSER: 'etl_user', PGPASSWORD_SECRET_NAME: 'pg', PGPASSWORD: 'also-one' }));
    expect(error.problems.map((p) => p.setting)).toEqual(['KEY_VAULT_URI', 'PGPASSWORD_SECRET_NAME']);
  });

  it('needs only the database settings for database-only commands', () => {
    expect(() => loadDbConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/phc' })).not.toThrow();
  });

  it("refuses Azure's built-in PgBouncer (port 6432), whose transaction pooling breaks session locks", () => {
    const entra = { PGAUTH: 'entra', PGHOST: 'phc.postgres.database.azure.com', PGDATABASE: 'phc', PGUSER: 'phc-func-identity' };
    const viaPort = configError(() => loadDbConfig({ ...entra, PGPORT: '6432' }, { credential: failingCredential }));
    expect(viaPort.problems.map((p) => p.setting)).toEqual(['PGPORT']);
    expect(viaPort.message).toMatch(
      /PGPORT: points at port 6432 of phc\.postgres\.database\.azure\.com, the server's built-in PgBouncer, which pools by transaction: .*session locks.*\. Use port 5432, the direct connection\./,
    );
    const viaUrl = configError(() => loadDbConfig({ DATABASE_URL: 'postgres://etl_user:pw@phc.postgres.database.azure.com:6432/phc' }));
    expect(viaUrl.problems.map((p) => p.setting)).toEqual(['DATABASE_URL']);
    expect(viaUrl.message).not.toContain('pw@');
    // The direct port, and port 6432 elsewhere (a server of one's own), are fine.
    expect(loadDbConfig({ ...entra, PGPORT: '5432' }, { credential: failingCredential }).port).toBe(5432);
    expect(loadDbConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:6432/phc' }).port).toBe(6432);
  });

  it('rejects a root certificate file that does not exist', () => {
    const error = configError(() => loadDbConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', PGSSLROOTCERT: '/nonexistent/root.pem' }));
    expect(error.message).toMatch(/PGSSLROOTCERT: names no readable file \(got "\/nonexistent\/root\.pem"\)/);
  });
});

describe('role settings', () => {
  it("read analytics_reader's statement_timeout as PostgreSQL takes it, 120s by default", () => {
    expect(loadRoleSettings({})).toEqual({ passwords: {}, readerStatementTimeout: '120s' });
    expect(loadRoleSettings({ ANALYTICS_READER_STATEMENT_TIMEOUT: '5 min', ANALYTICS_READER_PASSWORD: 'reader-password-1' })).toEqual({
      passwords: { analytics_reader: 'reader-password-1' },
      readerStatementTimeout: '5min',
    });
    expect(loadRoleSettings({ ANALYTICS_READER_STATEMENT_TIMEOUT: '90000' }).readerStatementTimeout).toBe('90000ms');
    expect(loadRoleSettings({ ANALYTICS_READER_STATEMENT_TIMEOUT: '0' }).readerStatementTimeout).toBe('0ms');
    for (const bad of ['two minutes', '120 seconds', '-5s', '1.5s', "1s'; drop table x; --", '30d']) {
      const error = configError(() => loadRoleSettings({ ANALYTICS_READER_STATEMENT_TIMEOUT: bad }));
      expect(error.message).toMatch(/ANALYTICS_READER_STATEMENT_TIMEOUT: is not a duration PostgreSQL accepts for a timeout .*Set ANALYTICS_READER_STATEMENT_TIMEOUT to a duration such as 120s/);
    }
  });
});

describe('shop settings', () => {
  it('reads the key from Key Vault under the default secret name when no plain key is set', async () => {
    const asked: string[] = [];
    const secretStore: SecretStore = { get: (name) => (asked.push(name), Promise.resolve(KEY)), invalidate: () => undefined };
    const shop = loadShopConfig({ PRESTASHOP_BASE_URL: 'https://shop.example.com/', KEY_VAULT_URI: 'https://phc-kv.vault.azure.net' }, { secretStore });
    expect(shop.baseUrl).toBe('https://shop.example.com');
    await expect(shop.apiKey()).resolves.toBe(KEY);
    expect(asked).toEqual(['prestashop-api-key']);
  });

  it('says so when the Key Vault secret is not a webservice key, without showing it', async () => {
    const secretStore: SecretStore = { get: () => Promise.resolve('wrong-thing-Zq8v'), invalidate: () => undefined };
    const shop = loadShopConfig({ PRESTASHOP_BASE_URL: 'https://shop.example.com', KEY_VAULT_URI: 'https://phc-kv.vault.azure.net', PRESTASHOP_API_KEY_SECRET_NAME: 'ps-key' }, { secretStore });
    const error = await shop.apiKey().then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/Secret "ps-key" in Key Vault https:\/\/phc-kv\.vault\.azure\.net is not a PrestaShop webservice key/);
    expect(error?.message).not.toContain('Zq8v');
  });

  it('refuses shop URLs that would leak the key or point at the API path', () => {
    for (const [url, reason] of [
      [`https://${KEY}:@shop.example.com`, /carries credentials/],
      [`https://shop.example.com/?ws_key=${KEY}`, /carries credentials/],
      ['http://shop.example.com', /use https/],
      ['https://shop.example.com/api/', /ends in \/api/],
      ['ftp://shop.example.com', /is not an http\(s\) URL/],
    ] as const) {
      const error = configError(() => loadShopConfig({ PRESTASHOP_BASE_URL: url, PRESTASHOP_API_KEY: KEY }));
      expect(error.problems[0]?.message).toMatch(reason);
    }
  });

  it('validates the optional overrides', () => {
    const shop = loadShopConfig(local({ PRESTASHOP_TIMEZONE: 'Europe/Paris', PRESTASHOP_SHOP_ID: '2', PRESTASHOP_TIMEOUT_MS: '5000', PRESTASHOP_PAGE_SIZE: '250' }));
    expect(shop).toMatchObject({ timeZone: 'Europe/Paris', shopId: 2, requestTimeoutMs: 5000, pageSize: 250 });
  });
});

describe('schedules', () => {
  it('take a valid NCRONTAB per timer and keep the defaults for the rest', () => {
    expect(loadSchedules({ SYNC_ORDERS_SCHEDULE: '0  */2 * * * *' })).toMatchObject({ sync_orders: '0 */2 * * * *', reconcile: DEFAULT_SCHEDULES.RECONCILE_SCHEDULE });
    expect(() => loadSchedules({ RECONCILE_SCHEDULE: 'every night' })).toThrow(/RECONCILE_SCHEDULE: is not a six-field NCRONTAB/);
  });
});
