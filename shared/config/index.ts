import type { DbSettings } from '../db/pool';
import type { RolePasswords, RoleSettings } from '../db/roles';
import { readAzure, type Azure, type LoadOptions } from './azureAccess';
import { readDb } from './dbSettings';
import { SettingsReader, decimal, guid, secretName, settingValue, storageAccountName, wholeNumber } from './reader';
import { appInsightsConnectionString, ianaTimeZone, ncrontab, postgresDuration, prestashopKey, rolePassword, shopUrl } from './schemas';
import { DEFAULT_SCHEDULES, DEFAULTS, FUNCTION_TIMEOUT_SECONDS, MIN_OVERLAP_SECONDS } from './settings';
import type { AppConfig } from './types';

export { ConfigError, type ConfigProblem } from './errors';
export { describeSettings, settingsMarkdown, DEFAULTS, DEFAULT_SCHEDULES, SETTINGS, type ConfigPart, type SettingDescription, type SettingSpec } from './settings';
export type { AppConfig } from './types';
export { settingValue } from './reader';
export type { LoadOptions } from './azureAccess';

function readShop(r: SettingsReader, azure: Azure): AppConfig['prestashop'] {
  const baseUrl = r.read('PRESTASHOP_BASE_URL', shopUrl);
  if (baseUrl === undefined && !r.problems.some((p) => p.setting === 'PRESTASHOP_BASE_URL')) r.missing('PRESTASHOP_BASE_URL');
  const plainKey = r.read('PRESTASHOP_API_KEY', prestashopKey);
  const keySecret = r.read('PRESTASHOP_API_KEY_SECRET_NAME', secretName) ?? DEFAULTS.PRESTASHOP_API_KEY_SECRET_NAME;
  const timeZone = r.read('PRESTASHOP_TIMEZONE', ianaTimeZone);
  const requestTimeoutMs = r.read('PRESTASHOP_TIMEOUT_MS', wholeNumber(1000, 600_000)) ?? DEFAULTS.PRESTASHOP_TIMEOUT_MS;
  const pageSize = r.read('PRESTASHOP_PAGE_SIZE', wholeNumber(1, 5000)) ?? DEFAULTS.PRESTASHOP_PAGE_SIZE;
  const shopId = r.read('PRESTASHOP_SHOP_ID', wholeNumber(1, 2_147_483_647));
  const concurrency = r.read('PRESTASHOP_CONCURRENCY', wholeNumber(1, 16)) ?? DEFAULTS.PRESTASHOP_CONCURRENCY;

  let apiKey: () => Promise<string>;
  if (plainKey !== undefined) {
    apiKey = () => Promise.resolve(plainKey);
  } else if (azure.vaultUri) {
    const vault = azure.vaultUri;
    apiKey = async () => {
      const key = await azure.secrets().get(keySecret);
      if (!prestashopKey.safeParse(key).success) {
        throw new Error(`Secret "${keySecret}" in Key Vault ${vault} is not a PrestaShop webservice key (32 letters and digits). Store the key itself in it.`);
      }
      return key;
    };
  } else {
    if (!r.problems.some((p) => p.setting === 'PRESTASHOP_API_KEY')) r.missing('PRESTASHOP_API_KEY', 'is not set, and no KEY_VAULT_URI to read it from');
    apiKey = () => Promise.reject(new Error('PRESTASHOP_API_KEY is not set'));
  }
  return {
    baseUrl: baseUrl ?? '',
    apiKey,
    ...(timeZone ? { timeZone } : {}),
    requestTimeoutMs,
    pageSize,
    concurrency,
    ...(shopId !== undefined ? { shopId } : {}),
  };
}

function readSync(r: SettingsReader, host: 'functions' | 'cli'): AppConfig['sync'] {
  const maxBudget = host === 'functions' ? FUNCTION_TIMEOUT_SECONDS - 60 : 7 * 86_400;
  const budget = r.read('SYNC_TIME_BUDGET_SECONDS', wholeNumber(1, maxBudget));
  const timeBudgetSeconds = budget ?? (host === 'functions' ? DEFAULTS.SYNC_TIME_BUDGET_SECONDS_FUNCTIONS : undefined);
  return {
    lagSeconds: r.read('SYNC_LAG_SECONDS', wholeNumber(0, 3600)) ?? DEFAULTS.SYNC_LAG_SECONDS,
    overlapSeconds: r.read('SYNC_OVERLAP_SECONDS', wholeNumber(MIN_OVERLAP_SECONDS, 86_400)) ?? DEFAULTS.SYNC_OVERLAP_SECONDS,
    ...(timeBudgetSeconds !== undefined ? { timeBudgetSeconds } : {}),
    reconcileMaxDeleteShare: r.read('RECONCILE_MAX_DELETE_SHARE', decimal(0, 1)) ?? DEFAULTS.RECONCILE_MAX_DELETE_SHARE,
    reconcilePageSize: r.read('RECONCILE_PAGE_SIZE', wholeNumber(1, 10_000)) ?? DEFAULTS.RECONCILE_PAGE_SIZE,
    maxRejectShare: r.read('SYNC_MAX_REJECT_SHARE', decimal(0, 1)) ?? DEFAULTS.SYNC_MAX_REJECT_SHARE,
  };
}

function readSchedules(r: SettingsReader): AppConfig['schedules'] {
  const read = (name: keyof typeof DEFAULT_SCHEDULES): string => r.read(name, ncrontab)?.replace(/\s+/g, ' ') ?? DEFAULT_SCHEDULES[name];
  return {
    sync_customers: read('SYNC_CUSTOMERS_SCHEDULE'),
    sync_products: read('SYNC_PRODUCTS_SCHEDULE'),
    sync_orders: read('SYNC_ORDERS_SCHEDULE'),
    reconcile: read('RECONCILE_SCHEDULE'),
  };
}

function readTelemetry(r: SettingsReader): AppConfig['telemetry'] {
  const connectionString = r.read('APPLICATIONINSIGHTS_CONNECTION_STRING', appInsightsConnectionString);
  return connectionString ? { connectionString } : {};
}

function load<T>(env: NodeJS.ProcessEnv, read: (r: SettingsReader) => T): T {
  const reader = new SettingsReader(env);
  const result = read(reader);
  reader.throwIfProblems();
  return result;
}

/**
 * Every setting the app reads, validated at once: a ConfigError lists every problem, each with its setting and
 * how to fix it. Nothing is read at import time; secrets are read later, when first used, through config.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): AppConfig {
  return load(env, (r) => {
    const azure = readAzure(r, options);
    return {
      db: readDb(r, azure, options.pool),
      ...(azure.vaultUri ? { keyVaultUri: azure.vaultUri } : {}),
      prestashop: readShop(r, azure),
      sync: readSync(r, options.host ?? 'cli'),
      schedules: readSchedules(r),
      telemetry: readTelemetry(r),
    };
  });
}

/** AppConfig for commands that work without the shop and use it only when it is configured. */
export type ShopOptionalConfig = Omit<AppConfig, 'prestashop'> & { prestashop?: AppConfig['prestashop'] };

/**
 * For commands that read the warehouse and call the shop only when it is configured (`phc status`, `phc analytics`,
 * `phc reset-watermark`): the shop settings are validated when PRESTASHOP_BASE_URL is set, and not demanded otherwise.
 */
export function loadConfigShopOptional(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): ShopOptionalConfig {
  return load(env, (r) => {
    const azure = readAzure(r, options);
    const db = readDb(r, azure);
    const prestashop = settingValue(env, 'PRESTASHOP_BASE_URL') !== undefined ? readShop(r, azure) : undefined;
    return {
      db,
      ...(azure.vaultUri ? { keyVaultUri: azure.vaultUri } : {}),
      ...(prestashop ? { prestashop } : {}),
      sync: readSync(r, options.host ?? 'cli'),
      schedules: readSchedules(r),
      telemetry: readTelemetry(r),
    };
  });
}

/** Only the database settings (e.g. `phc migrate`, role bootstrap). */
export function loadDbConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): DbSettings {
  return load(env, (r) => readDb(r, readAzure(r, options)));
}

/** Only the shop settings (e.g. `phc sandbox` checks, a client on its own). */
export function loadShopConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): AppConfig['prestashop'] {
  return load(env, (r) => readShop(r, readAzure(r, options)));
}

export function loadSyncConfig(env: NodeJS.ProcessEnv = process.env, options: Pick<LoadOptions, 'host'> = {}): AppConfig['sync'] {
  return load(env, (r) => readSync(r, options.host ?? 'cli'));
}

/** The timer schedules alone: function modules read them when they register, before any other setting matters. */
export function loadSchedules(env: NodeJS.ProcessEnv = process.env): AppConfig['schedules'] {
  return load(env, readSchedules);
}

export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env): AppConfig['telemetry'] {
  return load(env, readTelemetry);
}

/** Where the Functions host keeps its blobs: a connection string (Azurite locally) or an account reached with the identity. */
export type HostStorage = { connectionString: string } | { accountName: string; clientId?: string };

/** The host storage settings (AzureWebJobsStorage, or AzureWebJobsStorage__accountName with AZURE_CLIENT_ID). */
export function loadHostStorage(env: NodeJS.ProcessEnv = process.env): HostStorage {
  return load(env, (r) => {
    const connectionString = r.raw('AzureWebJobsStorage');
    const accountName = r.read('AzureWebJobsStorage__accountName', storageAccountName);
    const clientId = r.read('AZURE_CLIENT_ID', guid);
    if (connectionString) return { connectionString };
    if (accountName) return { accountName, ...(clientId ? { clientId } : {}) };
    r.missing('AzureWebJobsStorage__accountName', 'is not set, and neither is AzureWebJobsStorage');
    return { connectionString: '' };
  });
}

function readRolePasswords(r: SettingsReader): RolePasswords {
  const etl = r.read('ETL_USER_PASSWORD', rolePassword);
  const reader = r.read('ANALYTICS_READER_PASSWORD', rolePassword);
  return { ...(etl ? { etl_user: etl } : {}), ...(reader ? { analytics_reader: reader } : {}) };
}

/** Role bootstrap only: the optional login passwords of etl_user and analytics_reader. */
export function loadRolePasswords(env: NodeJS.ProcessEnv = process.env): RolePasswords {
  return load(env, readRolePasswords);
}

/** Role bootstrap (`phc roles`): the login passwords and analytics_reader's statement_timeout. */
export function loadRoleSettings(env: NodeJS.ProcessEnv = process.env): RoleSettings {
  return load(env, (r) => ({
    passwords: readRolePasswords(r),
    readerStatementTimeout: r.read('ANALYTICS_READER_STATEMENT_TIMEOUT', postgresDuration) ?? DEFAULTS.ANALYTICS_READER_STATEMENT_TIMEOUT,
  }));
}
