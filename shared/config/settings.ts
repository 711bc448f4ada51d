/**
 * The one table of every setting the app reads: what it means, its default and how to fix it. loadConfig()
 * validates against it, describeSettings() publishes it, and a test holds the README and
 * local.settings.example.json to it.
 */

export type ConfigPart = 'db' | 'shop' | 'sync' | 'schedules' | 'telemetry' | 'roles' | 'host' | 'cli';

export interface SettingSpec {
  name: string;
  /** Which loaders read it; 'host' settings are read by the Functions host, 'cli' ones by the phc command only. */
  parts: readonly ConfigPart[];
  required: boolean;
  /** When it becomes required, for settings required only in some combinations. */
  requiredWhen?: string;
  /** The default, in words when it depends on something. */
  default?: string;
  meaning: string;
  /** How to fix a missing or invalid value. */
  fix: string;
  /** Never echoed in messages; registered for redaction. */
  secret?: boolean;
  /** The value local.settings.example.json carries (safe for a laptop). */
  example: string;
}

export const DEFAULT_SCHEDULES = {
  SYNC_CUSTOMERS_SCHEDULE: '0 1-59/10 * * * *',
  SYNC_PRODUCTS_SCHEDULE: '0 3-59/15 * * * *',
  SYNC_ORDERS_SCHEDULE: '0 */5 * * * *',
  RECONCILE_SCHEDULE: '0 30 2 * * *',
} as const;

export const DEFAULTS = {
  PGPORT: 5432,
  PG_POOL_MAX: 4,
  /** One refresh runs at a time and holds one transaction; the second connection covers its ledger writes. */
  PG_POOL_MAX_REFRESH: 2,
  PG_STATEMENT_TIMEOUT_MS: 300_000,
  PRESTASHOP_API_KEY_SECRET_NAME: 'prestashop-api-key',
  PRESTASHOP_TIMEOUT_MS: 30_000,
  PRESTASHOP_PAGE_SIZE: 100,
  PRESTASHOP_CONCURRENCY: 2,
  SYNC_LAG_SECONDS: 120,
  SYNC_OVERLAP_SECONDS: 300,
  /** Under Functions: well inside host.json's 10-minute functionTimeout, leaving time to commit and flush. */
  SYNC_TIME_BUDGET_SECONDS_FUNCTIONS: 420,
  RECONCILE_MAX_DELETE_SHARE: 0.05,
  SYNC_MAX_REJECT_SHARE: 0.05,
  RECONCILE_PAGE_SIZE: 1000,
  ANALYTICS_READER_STATEMENT_TIMEOUT: '120s',
} as const;

/**
 * The smallest overlap a window may have: a row can be committed a little after the date_upd it carries (a slow
 * transaction, a replica), and with less overlap such a row falls between two windows and is never read.
 */
export const MIN_OVERLAP_SECONDS = 300;

/** host.json functionTimeout, in seconds; a time budget must leave room below it. */
export const FUNCTION_TIMEOUT_SECONDS = 600;

const s = (spec: SettingSpec): SettingSpec => spec;

export const SETTINGS: readonly SettingSpec[] = [
  s({
    name: 'DATABASE_URL',
    parts: ['db'],
    required: false,
    requiredWhen: 'unless PGHOST is set',
    meaning: 'PostgreSQL connection URL, postgres://user[:password]@host:port/database. Wins over PGHOST, PGPORT, PGDATABASE and PGUSER.',
    fix: 'Set DATABASE_URL=postgres://USER@HOST:5432/DATABASE, or set PGHOST, PGDATABASE and PGUSER instead.',
    secret: true,
    example: 'postgres://postgres@127.0.0.1:5432/phc_analytics',
  }),
  s({ name: 'PGHOST', parts: ['db'], required: false, requiredWhen: 'unless DATABASE_URL is set', meaning: 'PostgreSQL server host name (e.g. myserver.postgres.database.azure.com).', fix: 'Set PGHOST to the server host name.', example: '' }),
  s({ name: 'PGPORT', parts: ['db'], required: false, default: String(DEFAULTS.PGPORT), meaning: 'PostgreSQL server port.', fix: 'Set PGPORT to a port number between 1 and 65535, or leave it empty for 5432.', example: '' }),
  s({ name: 'PGDATABASE', parts: ['db'], required: false, requiredWhen: 'with PGHOST', meaning: 'Database name.', fix: 'Set PGDATABASE to the warehouse database name (e.g. phc_analytics).', example: '' }),
  s({ name: 'PGUSER', parts: ['db'], required: false, requiredWhen: 'with PGHOST, and always with PGAUTH=entra', meaning: 'Login role; with PGAUTH=entra, the name of the Microsoft Entra principal (the managed identity) as created on the server.', fix: 'Set PGUSER to the login role (for Entra: the managed identity name registered with pgaadauth_create_principal).', example: '' }),
  s({ name: 'PGPASSWORD', parts: ['db'], required: false, requiredWhen: 'password authentication to a non-local server, unless PGPASSWORD_SECRET_NAME is used or DATABASE_URL carries the password', meaning: 'Password for PGAUTH=password (local fallback; in Azure prefer Entra or PGPASSWORD_SECRET_NAME).', fix: 'Set PGPASSWORD, or PGPASSWORD_SECRET_NAME with KEY_VAULT_URI, or use PGAUTH=entra.', secret: true, example: '' }),
  s({ name: 'PGPASSWORD_SECRET_NAME', parts: ['db'], required: false, meaning: 'Name of the Key Vault secret holding the PostgreSQL password (read through KEY_VAULT_URI, cached, re-read every 10 minutes).', fix: 'Set PGPASSWORD_SECRET_NAME to a Key Vault secret name (letters, digits and dashes), with KEY_VAULT_URI.', example: '' }),
  s({ name: 'PGAUTH', parts: ['db'], required: false, default: 'password', meaning: 'password, or entra: a Microsoft Entra token from the managed identity for every new connection (no password stored anywhere).', fix: 'Set PGAUTH to password or entra.', example: 'password' }),
  s({ name: 'AZURE_CLIENT_ID', parts: ['db', 'shop'], required: false, meaning: 'Client id of the user-assigned managed identity used for Entra tokens and Key Vault; empty for a system-assigned identity or a developer sign-in (az login).', fix: 'Set AZURE_CLIENT_ID to the identity\'s client id (a GUID), or leave it empty.', example: '' }),
  s({ name: 'PGSSLMODE', parts: ['db'], required: false, default: 'verify-full; disable for localhost, 127.0.0.1 and ::1', meaning: 'TLS to PostgreSQL: disable, require (encrypt, no certificate check) or verify-full (check chain and host name; what Azure needs).', fix: 'Set PGSSLMODE to disable, require or verify-full.', example: '' }),
  s({ name: 'PGSSLROOTCERT', parts: ['db'], required: false, default: "Node's bundled root certificates", meaning: 'PEM file of CA certificates to trust for verify-full instead of the bundled roots.', fix: 'Set PGSSLROOTCERT to the path of a readable PEM file, or leave it empty.', example: '' }),
  s({ name: 'PG_POOL_MAX', parts: ['db'], required: false, default: String(DEFAULTS.PG_POOL_MAX), meaning: 'Most connections one process opens: the phc command, and each timer function invocation (a sync or the reconciliation; each timer runs one invocation at a time).', fix: 'Set PG_POOL_MAX to a whole number from 1 to 100.', example: String(DEFAULTS.PG_POOL_MAX) }),
  s({ name: 'PG_POOL_MAX_REFRESH', parts: ['db'], required: false, default: String(DEFAULTS.PG_POOL_MAX_REFRESH), meaning: 'Most connections the refreshAnalytics queue function opens. Only the instance holding the refresh lease connects at all, so this counts once however far the queue trigger scales out (docs/deploy.md, connection budget).', fix: 'Set PG_POOL_MAX_REFRESH to a whole number from 1 to 100.', example: String(DEFAULTS.PG_POOL_MAX_REFRESH) }),
  s({ name: 'PG_STATEMENT_TIMEOUT_MS', parts: ['db'], required: false, default: String(DEFAULTS.PG_STATEMENT_TIMEOUT_MS), meaning: 'statement_timeout of every connection, in milliseconds (0 = none).', fix: 'Set PG_STATEMENT_TIMEOUT_MS to a whole number of milliseconds (0 or more).', example: String(DEFAULTS.PG_STATEMENT_TIMEOUT_MS) }),
  s({ name: 'KEY_VAULT_URI', parts: ['db', 'shop'], required: false, requiredWhen: 'when PRESTASHOP_API_KEY is not set, or with PGPASSWORD_SECRET_NAME', meaning: 'Key Vault to read secrets from with the managed identity (https://NAME.vault.azure.net/).', fix: 'Set KEY_VAULT_URI=https://<vault-name>.vault.azure.net/.', example: '' }),
  s({ name: 'PRESTASHOP_BASE_URL', parts: ['shop'], required: true, meaning: 'Shop root URL (the client appends /api/); https except for a local sandbox. Never put the key in it.', fix: 'Set PRESTASHOP_BASE_URL to the shop root, e.g. https://shop.example.com (for the sandbox, the address phc sandbox prints).', example: 'http://127.0.0.1:8080' }),
  s({ name: 'PRESTASHOP_API_KEY', parts: ['shop'], required: false, requiredWhen: 'unless KEY_VAULT_URI is set', meaning: 'Webservice key (32 characters). Wins over Key Vault when set; in Azure leave it empty (or make it a Key Vault reference).', fix: 'Set PRESTASHOP_API_KEY to the 32-character webservice key, or set KEY_VAULT_URI (and PRESTASHOP_API_KEY_SECRET_NAME) to read it from Key Vault.', secret: true, example: 'SANDBOX0TEST0KEY0PHC0ANALYTICS00' }),
  s({ name: 'PRESTASHOP_API_KEY_SECRET_NAME', parts: ['shop'], required: false, default: DEFAULTS.PRESTASHOP_API_KEY_SECRET_NAME, meaning: 'Key Vault secret holding the webservice key (cached, re-read every 10 minutes).', fix: 'Set PRESTASHOP_API_KEY_SECRET_NAME to a Key Vault secret name (letters, digits and dashes).', example: String(DEFAULTS.PRESTASHOP_API_KEY_SECRET_NAME) }),
  s({ name: 'PRESTASHOP_TIMEZONE', parts: ['shop'], required: false, default: "the shop's PS_TIMEZONE", meaning: "IANA time zone overriding the shop's PS_TIMEZONE (only when the shop reports a wrong one).", fix: 'Set PRESTASHOP_TIMEZONE to an IANA zone name such as Europe/Paris, or leave it empty.', example: '' }),
  s({ name: 'PRESTASHOP_TIMEOUT_MS', parts: ['shop'], required: false, default: String(DEFAULTS.PRESTASHOP_TIMEOUT_MS), meaning: 'Timeout of one webservice request, in milliseconds.', fix: 'Set PRESTASHOP_TIMEOUT_MS to a whole number from 1000 to 600000.', example: String(DEFAULTS.PRESTASHOP_TIMEOUT_MS) }),
  s({ name: 'PRESTASHOP_PAGE_SIZE', parts: ['shop'], required: false, default: String(DEFAULTS.PRESTASHOP_PAGE_SIZE), meaning: 'Records per page of a sync window (display=full).', fix: 'Set PRESTASHOP_PAGE_SIZE to a whole number from 1 to 5000.', example: String(DEFAULTS.PRESTASHOP_PAGE_SIZE) }),
  s({ name: 'PRESTASHOP_CONCURRENCY', parts: ['shop'], required: false, default: String(DEFAULTS.PRESTASHOP_CONCURRENCY), meaning: 'Most webservice requests in flight per entity. A window is read as several id ranges at once; 429, 503 and timeouts lower it for a while, Retry-After pauses every request. 1 reads page after page. Raise it for a backfill only if the shop has PHP workers to spare.', fix: 'Set PRESTASHOP_CONCURRENCY to a whole number from 1 to 16.', example: String(DEFAULTS.PRESTASHOP_CONCURRENCY) }),
  s({ name: 'PRESTASHOP_SHOP_ID', parts: ['shop'], required: false, meaning: 'Multishop: read only this shop id (id_shop).', fix: 'Set PRESTASHOP_SHOP_ID to the positive shop id, or leave it empty.', example: '' }),
  s({ name: 'SYNC_LAG_SECONDS', parts: ['sync'], required: false, default: String(DEFAULTS.SYNC_LAG_SECONDS), meaning: 'A window ends this long before the shop clock, so rows still being written are left for the next run.', fix: 'Set SYNC_LAG_SECONDS to a whole number of seconds from 0 to 3600.', example: String(DEFAULTS.SYNC_LAG_SECONDS) }),
  s({ name: 'SYNC_OVERLAP_SECONDS', parts: ['sync'], required: false, default: String(DEFAULTS.SYNC_OVERLAP_SECONDS), meaning: 'A window starts this long before the last watermark (widened across a DST fall-back). At least 300: a row committed a little after its date_upd would otherwise fall between two windows and never be read.', fix: `Set SYNC_OVERLAP_SECONDS to a whole number of seconds from ${MIN_OVERLAP_SECONDS} to 86400: a smaller overlap loses rows committed after their date_upd.`, example: String(DEFAULTS.SYNC_OVERLAP_SECONDS) }),
  s({ name: 'SYNC_TIME_BUDGET_SECONDS', parts: ['sync'], required: false, default: `${DEFAULTS.SYNC_TIME_BUDGET_SECONDS_FUNCTIONS} under Functions (functionTimeout is ${FUNCTION_TIMEOUT_SECONDS} s); none for the CLI`, meaning: 'A run stops cleanly between pages after this long; the next run continues.', fix: `Set SYNC_TIME_BUDGET_SECONDS to a whole number of seconds, under Functions at most ${FUNCTION_TIMEOUT_SECONDS - 60}.`, example: '420' }),
  s({ name: 'SYNC_MAX_REJECT_SHARE', parts: ['sync'], required: false, default: String(DEFAULTS.SYNC_MAX_REJECT_SHARE), meaning: 'A sync run that sets aside more than this share of the records it read (or every record of a page) ends partial (exit 3) with the first reason, instead of succeeded.', fix: 'Set SYNC_MAX_REJECT_SHARE to a number from 0 to 1 (0.05 = 5 %).', example: String(DEFAULTS.SYNC_MAX_REJECT_SHARE) }),
  s({ name: 'RECONCILE_MAX_DELETE_SHARE', parts: ['sync'], required: false, default: String(DEFAULTS.RECONCILE_MAX_DELETE_SHARE), meaning: 'A reconciliation refuses to mark more than this share of rows deleted in one sweep.', fix: 'Set RECONCILE_MAX_DELETE_SHARE to a number from 0 to 1 (0.05 = 5 %).', example: String(DEFAULTS.RECONCILE_MAX_DELETE_SHARE) }),
  s({ name: 'RECONCILE_PAGE_SIZE', parts: ['sync'], required: false, default: String(DEFAULTS.RECONCILE_PAGE_SIZE), meaning: 'Ids per page when reconciliation lists every id.', fix: 'Set RECONCILE_PAGE_SIZE to a whole number from 1 to 10000.', example: String(DEFAULTS.RECONCILE_PAGE_SIZE) }),
  s({ name: 'SYNC_CUSTOMERS_SCHEDULE', parts: ['schedules'], required: false, default: DEFAULT_SCHEDULES.SYNC_CUSTOMERS_SCHEDULE, meaning: 'NCRONTAB (six fields, with seconds) of the customers sync timer.', fix: 'Set it to a six-field NCRONTAB expression such as 0 */10 * * * *.', example: DEFAULT_SCHEDULES.SYNC_CUSTOMERS_SCHEDULE }),
  s({ name: 'SYNC_PRODUCTS_SCHEDULE', parts: ['schedules'], required: false, default: DEFAULT_SCHEDULES.SYNC_PRODUCTS_SCHEDULE, meaning: 'NCRONTAB of the products sync timer.', fix: 'Set it to a six-field NCRONTAB expression such as 0 */15 * * * *.', example: DEFAULT_SCHEDULES.SYNC_PRODUCTS_SCHEDULE }),
  s({ name: 'SYNC_ORDERS_SCHEDULE', parts: ['schedules'], required: false, default: DEFAULT_SCHEDULES.SYNC_ORDERS_SCHEDULE, meaning: 'NCRONTAB of the orders sync timer.', fix: 'Set it to a six-field NCRONTAB expression such as 0 */5 * * * *.', example: DEFAULT_SCHEDULES.SYNC_ORDERS_SCHEDULE }),
  s({ name: 'RECONCILE_SCHEDULE', parts: ['schedules'], required: false, default: DEFAULT_SCHEDULES.RECONCILE_SCHEDULE, meaning: 'NCRONTAB of the nightly delete reconciliation.', fix: 'Set it to a six-field NCRONTAB expression such as 0 30 2 * * *.', example: DEFAULT_SCHEDULES.RECONCILE_SCHEDULE }),
  s({ name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', parts: ['telemetry'], required: false, default: 'none: telemetry off', meaning: 'Application Insights connection string; telemetry (metrics, events, PostgreSQL and HTTP dependencies) is off without it.', fix: 'Set it to the connection string from the Application Insights resource (InstrumentationKey=...;IngestionEndpoint=...), or leave it empty.', secret: true, example: '' }),
  s({ name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', parts: ['telemetry'], required: false, default: "none: the connection string's key alone", meaning: 'Authorization=AAD;ClientId=<client id>: the host and the app send telemetry with Entra tokens of that managed identity (needed when the Application Insights resource has local authentication off).', fix: 'Set it to Authorization=AAD;ClientId=<the identity\'s client id> (or Authorization=AAD for a system-assigned identity), or leave it empty.', example: '' }),
  s({ name: 'OTEL_SERVICE_NAME', parts: ['telemetry'], required: false, default: 'WEBSITE_SITE_NAME, else phc-analytics', meaning: 'Cloud role name of the telemetry (ai.cloud.role). On Azure Functions the resource detector reports the Function App\'s name whatever this says.', fix: 'Set OTEL_SERVICE_NAME to a short name, or leave it empty.', example: '' }),
  s({ name: 'WEBSITE_SITE_NAME', parts: ['telemetry'], required: false, default: 'set by Azure: the Function App name', meaning: 'Name of the Function App, set by the platform; the default cloud role name of the telemetry.', fix: 'Leave it to Azure; locally leave it empty.', example: '' }),
  s({ name: 'AzureWebJobsStorage', parts: ['host'], required: true, requiredWhen: 'under the Functions host', meaning: 'Storage the Functions host uses for timers and the analytics-refresh queue (read by the host). Locally UseDevelopmentStorage=true with Azurite; in Azure identity-based (AzureWebJobsStorage__accountName).', fix: 'Set AzureWebJobsStorage (UseDevelopmentStorage=true locally, with Azurite running).', secret: true, example: 'UseDevelopmentStorage=true' }),
  s({ name: 'AzureWebJobsStorage__accountName', parts: ['host'], required: false, requiredWhen: 'in Azure, instead of AzureWebJobsStorage', meaning: 'Storage account of the Functions host reached with the managed identity (AZURE_CLIENT_ID); the analytics refresh takes its single-flight lease there too.', fix: 'Set it to the storage account name (3 to 24 lowercase letters and digits).', example: '' }),
  s({ name: 'FUNCTIONS_WORKER_RUNTIME', parts: ['host'], required: true, requiredWhen: 'under the Functions host', meaning: 'Language worker of the Functions host: node.', fix: 'Set FUNCTIONS_WORKER_RUNTIME=node.', example: 'node' }),
  s({ name: 'ETL_USER_PASSWORD', parts: ['roles'], required: false, meaning: 'Role bootstrap only: sets the etl_user login password (not needed with Entra logins).', fix: 'Set ETL_USER_PASSWORD to at least 12 characters, or leave it empty.', secret: true, example: '' }),
  s({ name: 'ANALYTICS_READER_PASSWORD', parts: ['roles'], required: false, meaning: 'Role bootstrap only: sets the analytics_reader login password for BI tools.', fix: 'Set ANALYTICS_READER_PASSWORD to at least 12 characters, or leave it empty.', secret: true, example: '' }),
  s({
    name: 'ANALYTICS_READER_STATEMENT_TIMEOUT',
    parts: ['roles'],
    required: false,
    default: DEFAULTS.ANALYTICS_READER_STATEMENT_TIMEOUT,
    meaning: "Role bootstrap only: statement_timeout of analytics_reader's sessions in this database (a default a session may change), so a BI query cannot hold the server; 0 = none.",
    fix: 'Set ANALYTICS_READER_STATEMENT_TIMEOUT to a duration such as 120s, 5min or 90000ms (a whole number with ms, s, min, h or d; milliseconds without), at most 24 days.',
    example: '',
  }),
  s({ name: 'PHC_HOME', parts: ['cli'], required: false, default: '.phc in the checkout', meaning: 'phc only: folder of the embedded demo (its PostgreSQL data and sandbox state).', fix: 'Set PHC_HOME to a writable folder, or leave it empty.', example: '' }),
];

export function settingSpec(name: string): SettingSpec {
  const spec = SETTINGS.find((setting) => setting.name === name);
  if (!spec) throw new Error(`No setting ${name} in shared/config/settings.ts`);
  return spec;
}

export interface SettingDescription {
  name: string;
  required: boolean;
  requiredWhen?: string;
  default?: string;
  meaning: string;
  /** The same text as meaning, for table renderers that expect this key. */
  description: string;
  secret: boolean;
}

/** Every setting the app (or its host) reads, for the README, `phc` help and local.settings.example.json. */
export function describeSettings(): SettingDescription[] {
  return SETTINGS.map((spec) => ({
    name: spec.name,
    required: spec.required,
    ...(spec.requiredWhen ? { requiredWhen: spec.requiredWhen } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    meaning: spec.meaning,
    description: spec.meaning,
    secret: spec.secret === true,
  }));
}

/** The settings table as Markdown, for the README. */
export function settingsMarkdown(): string {
  const rows = describeSettings().map((d) => {
    const required = d.required ? `yes${d.requiredWhen ? ` (${d.requiredWhen})` : ''}` : d.requiredWhen ? `when ${d.requiredWhen.replace(/^when /, '')}` : 'no';
    return `| \`${d.name}\` | ${required} | ${d.default ? d.default.replace(/\|/g, '\\|') : ''} | ${d.meaning.replace(/\|/g, '\\|')} |`;
  });
  return ['| setting | required | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
