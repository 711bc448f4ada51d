import type { TokenCredential } from '@azure/identity';
import { entraTokenPassword } from '../db/auth';
import type { DbSettings, SslMode } from '../db/pool';
import type { Azure, LoadOptions } from './azureAccess';
import { isLocalHost, nonEmpty, oneOf, secretName, wholeNumber, type SettingsReader } from './reader';
import { postgresUrl, readableFile } from './schemas';
import { DEFAULTS } from './settings';

const entraCallbacks = new WeakMap<TokenCredential, () => Promise<string>>();

/** One token cache per credential for the process, however often settings are loaded. */
function entraPassword(credential: TokenCredential): () => Promise<string> {
  let callback = entraCallbacks.get(credential);
  if (!callback) {
    callback = entraTokenPassword(credential);
    entraCallbacks.set(credential, callback);
  }
  return callback;
}

const sslFromUrl: Record<string, SslMode> = {
  disable: 'disable',
  allow: 'require',
  prefer: 'require',
  require: 'require',
  'no-verify': 'require',
  'verify-ca': 'verify-full',
  'verify-full': 'verify-full',
};

/** Azure Database for PostgreSQL flexible server runs its built-in PgBouncer (transaction pooling) on this port. */
const AZURE_PGBOUNCER_PORT = 6432;

const isAzurePostgresHost = (host: string | undefined): boolean => host !== undefined && /\.postgres\.database\.azure\.com\.?$/i.test(host);

export function readDb(r: SettingsReader, azure: Azure, pool: LoadOptions['pool'] = 'default'): DbSettings {
  const auth = r.read('PGAUTH', oneOf(['password', 'entra'])) ?? 'password';
  const url = r.read('DATABASE_URL', postgresUrl);
  const pgHost = r.read('PGHOST', nonEmpty);
  const pgPort = r.read('PGPORT', wholeNumber(1, 65535));
  const pgDatabase = r.read('PGDATABASE', nonEmpty);
  const pgUser = r.read('PGUSER', nonEmpty);
  const pgPassword = r.raw('PGPASSWORD');
  const passwordSecret = r.read('PGPASSWORD_SECRET_NAME', secretName);
  const sslSetting = r.read('PGSSLMODE', oneOf(['disable', 'require', 'verify-full']));
  const sslRootCertPath = r.read('PGSSLROOTCERT', readableFile);
  const poolMax =
    pool === 'refresh'
      ? (r.read('PG_POOL_MAX_REFRESH', wholeNumber(1, 100)) ?? DEFAULTS.PG_POOL_MAX_REFRESH)
      : (r.read('PG_POOL_MAX', wholeNumber(1, 100)) ?? DEFAULTS.PG_POOL_MAX);
  const statementTimeoutMs = r.read('PG_STATEMENT_TIMEOUT_MS', wholeNumber(0, 86_400_000)) ?? DEFAULTS.PG_STATEMENT_TIMEOUT_MS;

  const target: Pick<DbSettings, 'host' | 'port' | 'database' | 'user' | 'applicationName' | 'connectionTimeoutMs'> = {};
  let host: string | undefined;
  let user: string | undefined;
  let urlPassword: string | undefined;
  let urlSsl: SslMode | undefined;
  if (url) {
    // Taken apart rather than passed on as a connection string: pg lets every URL field win over explicit options
    // (even an absent password, parsed as ''), which would silence the password callback and tlsOptions().
    host = url.hostname.replace(/^\[|\]$/g, '') || url.searchParams.get('host') || undefined;
    user = url.username ? decodeURIComponent(url.username) : undefined;
    urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    Object.assign(target, { host, port: url.port ? Number(url.port) : DEFAULTS.PGPORT, ...(database ? { database } : {}), ...(user ? { user } : {}) });
    for (const [param, value] of url.searchParams) {
      if (param === 'sslmode') {
        urlSsl = sslFromUrl[value];
        if (!urlSsl) r.problem('DATABASE_URL', `has sslmode=${value}, which is not one of ${Object.keys(sslFromUrl).join(', ')}`);
      } else if (param === 'application_name') {
        target.applicationName = value;
      } else if (param === 'connect_timeout' && /^\d+$/.test(value)) {
        target.connectionTimeoutMs = Number(value) * 1000;
      } else if (param !== 'host') {
        r.problem('DATABASE_URL', `has the parameter ${param}, which this app does not take`, 'Remove it; TLS is set with PGSSLMODE and PGSSLROOTCERT.');
      }
    }
    if (!host) r.problem('DATABASE_URL', 'names no host');
  } else if (pgHost) {
    host = pgHost;
    user = pgUser;
    Object.assign(target, { host: pgHost, port: pgPort ?? DEFAULTS.PGPORT, database: pgDatabase, user: pgUser });
    if (!pgDatabase) r.missing('PGDATABASE', 'is not set (needed with PGHOST)');
    if (!pgUser) r.missing('PGUSER', 'is not set (needed with PGHOST)');
  } else if (!r.problems.some((p) => p.setting === 'DATABASE_URL')) {
    r.missing('DATABASE_URL', 'no database is configured (neither DATABASE_URL nor PGHOST is set)');
  }

  if (target.port === AZURE_PGBOUNCER_PORT && isAzurePostgresHost(host)) {
    r.problem(
      url ? 'DATABASE_URL' : 'PGPORT',
      `points at port ${AZURE_PGBOUNCER_PORT} of ${host}, the server's built-in PgBouncer, which pools by transaction: the session locks (one run per entity, migrations, the analytics refresh) and the reconciliation's temp table would silently stop working`,
      'Use port 5432, the direct connection.',
    );
  }

  const sslMode: SslMode = sslSetting ?? urlSsl ?? (isLocalHost(host) ? 'disable' : 'verify-full');
  let password: DbSettings['password'];

  if (auth === 'entra') {
    if (!user) r.missing('PGUSER', 'is not set; PGAUTH=entra needs the Entra principal name as the user');
    if (!host) r.missing('PGHOST', 'is not set; PGAUTH=entra needs the server host name');
    if (urlPassword) r.problem('DATABASE_URL', 'carries a password, but PGAUTH=entra signs in with tokens', 'Remove the password from DATABASE_URL, or set PGAUTH=password.');
    if (passwordSecret) r.problem('PGPASSWORD_SECRET_NAME', 'is set, but PGAUTH=entra uses no password', 'Remove PGPASSWORD_SECRET_NAME, or set PGAUTH=password.');
    if (sslMode === 'disable') r.problem('PGSSLMODE', 'is disable, but an Entra token must not travel unencrypted', 'Set PGSSLMODE=verify-full (or leave it empty).');
    // The credential is built on the first connection, not while settings are read.
    password = () => entraPassword(azure.credential())();
  } else if (passwordSecret) {
    if (!azure.vaultUri) r.missing('KEY_VAULT_URI', 'is not set, but PGPASSWORD_SECRET_NAME names a Key Vault secret');
    if (urlPassword || pgPassword) r.problem('PGPASSWORD_SECRET_NAME', 'is set together with a plain password (PGPASSWORD or in DATABASE_URL)', 'Keep one: the Key Vault secret or the plain password.');
    const name = passwordSecret;
    password = () => azure.secrets().get(name);
  } else {
    password = urlPassword ?? pgPassword;
    if (!password && host && !isLocalHost(host)) {
      r.missing('PGPASSWORD', `is not set, and ${host} is not a local server`);
    }
  }

  return {
    ...target,
    ...(password !== undefined ? { password } : {}),
    sslMode,
    ...(sslRootCertPath ? { sslRootCertPath } : {}),
    poolMax,
    statementTimeoutMs,
  };
}
