import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCHEDULES, DEFAULTS, describeSettings } from '../../shared/config';
import {
  type BicepFile,
  getPath,
  infraDir,
  loadBicepFiles,
  objectProperties,
  propertyKey,
  propertyValue,
  repoRoot,
  resources,
  stringValue,
  type SyntaxNode,
  valueOf,
} from './bicep';

/** Settings the code reads (shared/config describeSettings()) that the Function App deliberately does not get. */
const notSetInAzure: Record<string, string> = {
  DATABASE_URL: 'PGHOST, PGPORT, PGDATABASE and PGUSER are set instead (Entra login, no password to carry)',
  PGPASSWORD: 'PGAUTH=entra: the app signs in with tokens of its managed identity',
  PGPASSWORD_SECRET_NAME: 'PGAUTH=entra: no database password exists',
  PGSSLROOTCERT: "Azure's server certificates chain to roots bundled with Node",
  PRESTASHOP_API_KEY: 'the key stays in Key Vault (KEY_VAULT_URI + PRESTASHOP_API_KEY_SECRET_NAME)',
  FUNCTIONS_WORKER_RUNTIME: 'Flex Consumption takes the runtime from functionAppConfig.runtime and rejects this setting',
  ETL_USER_PASSWORD: 'role bootstrap only (phc roles), run by the post-provision hook, not by the app',
  ANALYTICS_READER_PASSWORD: 'role bootstrap only (phc roles), run by the post-provision hook, not by the app',
  ANALYTICS_READER_STATEMENT_TIMEOUT: 'role bootstrap only (phc roles), run by the post-provision hook, not by the app',
  PHC_HOME: 'phc CLI only (embedded demo folder)',
  WEBSITE_SITE_NAME: 'set by the platform on every Function App',
  OTEL_SERVICE_NAME: 'the cloud role defaults to WEBSITE_SITE_NAME, the Function App name',
};

/** Settings read by the Functions host or the Azure SDKs rather than by our code. */
const hostSettings = new Set(['AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING']);

/** Described as secret (so redacted in logs), yet needed by the host in app settings and not a credential. */
const secretButHostNeeds: Record<string, string> = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'read by the Functions host; it only allows sending telemetry',
};

interface Setting {
  value: SyntaxNode | undefined;
  /** Set only under a condition (a ternary in the settings expression). */
  conditional: boolean;
}

const [functionApp, main] = loadBicepFiles([path.join(infraDir, 'modules', 'functionApp.bicep'), path.join(infraDir, 'main.bicep')]) as [
  BicepFile,
  BicepFile,
];

/** Every key of the appsettings object, following variables and union()/ternaries through the syntax tree. */
function appSettings(file: BicepFile): Map<string, Setting> {
  const config = resources(file.tree).find((r) => r.type.endsWith('/config') && stringValue(getPath(r.body, ['name'])) === 'appsettings');
  if (!config) throw new Error('functionApp.bicep has no appsettings config resource');
  const settings = new Map<string, Setting>();
  const vars = new Map(file.decls.filter((d) => d.kind === 'var').map((d) => [d.name, valueOf(d)]));
  const visit = (node: SyntaxNode | undefined, conditional: boolean): void => {
    if (!node) return;
    if (node.type === 'identifier' && vars.has(node.text)) return visit(vars.get(node.text), conditional);
    if (node.type === 'object') {
      for (const p of objectProperties(node)) settings.set(propertyKey(p), { value: propertyValue(p), conditional });
      return;
    }
    if (node.type === 'ternary_expression') {
      visit(node.childForFieldName('consequence') ?? undefined, true);
      visit(node.childForFieldName('alternative') ?? undefined, true);
      return;
    }
    for (const child of node.namedChildren) visit(child, conditional);
  };
  visit(getPath(config.body, ['properties']), false);
  return settings;
}

const settings = appSettings(functionApp);
const described = describeSettings();
const literal = (name: string): string | undefined => stringValue(settings.get(name)?.value);
const paramDefault = (file: BicepFile, name: string): string | undefined => {
  const decl = file.decls.find((d) => d.kind === 'param' && d.name === name);
  const value = decl ? valueOf(decl) : undefined;
  return value ? (stringValue(value) ?? value.text) : undefined;
};
/** The module parameter a setting is taken from: `name` or `string(name)`. */
const sourceParam = (setting: Setting | undefined): string | undefined => {
  const value = setting?.value;
  if (value?.type === 'identifier') return value.text;
  if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'string') {
    const [arg] = value.childForFieldName('arguments')?.namedChildren ?? [];
    return arg?.type === 'identifier' ? arg.text : undefined;
  }
  return undefined;
};

describe('Function App settings match what the code reads (shared/config describeSettings())', () => {
  it('reads a real settings table', () => {
    expect(described.map((d) => d.name)).toEqual(expect.arrayContaining(['PRESTASHOP_BASE_URL', 'KEY_VAULT_URI', 'SYNC_ORDERS_SCHEDULE']));
    expect(settings.size).toBeGreaterThan(20);
  });

  it('every setting the code reads is set on the Function App, or deliberately left out for a stated reason', () => {
    const unset = described.map((d) => d.name).filter((n) => !settings.has(n) && !settings.has(`${n}__accountName`) && !notSetInAzure[n]);
    expect(unset).toEqual([]);
    // No stale exemption: each still names a setting the code reads and the app really lacks.
    const stale = Object.keys(notSetInAzure).filter((n) => !described.some((d) => d.name === n) || settings.has(n));
    expect(stale).toEqual([]);
  });

  it('every app setting is one the code or the host reads (no typos)', () => {
    const unknown = [...settings.keys()].filter((k) => !described.some((d) => d.name === k) && !hostSettings.has(k));
    expect(unknown).toEqual([]);
  });

  it('no secret is set on the app (secrets come from Key Vault or Entra)', () => {
    const secrets = described.filter((d) => d.secret && settings.has(d.name) && !secretButHostNeeds[d.name]).map((d) => d.name);
    expect(secrets).toEqual([]);
  });

  it('host storage is identity-based through the user-assigned identity', () => {
    expect(settings.has('AzureWebJobsStorage')).toBe(false);
    expect(literal('AzureWebJobsStorage__credential')).toBe('managedidentity');
    expect(settings.get('AzureWebJobsStorage__accountName')?.value?.text).toBe('storage.name');
    expect(sourceParam(settings.get('AzureWebJobsStorage__clientId'))).toBe('identityClientId');
    expect(sourceParam(settings.get('AZURE_CLIENT_ID'))).toBe('identityClientId');
  });

  it('PostgreSQL: Entra tokens, full TLS verification, the identity as the login', () => {
    expect(literal('PGAUTH')).toBe('entra');
    expect(literal('PGSSLMODE')).toBe('verify-full');
    expect(sourceParam(settings.get('PGUSER'))).toBe('identityName');
    expect(settings.get('PGHOST')?.conditional).toBe(false);
  });

  it('one schedule setting per timer function (its %SETTING% binding expression)', () => {
    const functionsDir = path.join(repoRoot, 'functions');
    const expressions = readdirSync(functionsDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(path.join(functionsDir, f), 'utf8').matchAll(/'%([A-Za-z0-9_]+)%'/g)].map((m) => m[1] ?? ''));
    const timers = Object.keys(DEFAULT_SCHEDULES);
    expect(expressions.filter((e) => !settings.has(e))).toEqual([]);
    expect(timers.filter((t) => settings.get(t)?.conditional !== false)).toEqual([]);
  });

  it('the queue trigger connection (if named) resolves to identity-based settings', () => {
    const functionsDir = path.join(repoRoot, 'functions');
    const connections = readdirSync(functionsDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(path.join(functionsDir, f), 'utf8').matchAll(/connection:\s*'([^']+)'/g)].map((m) => m[1] ?? ''));
    expect(connections.filter((c) => !settings.has(c) && !settings.has(`${c}__accountName`) && !settings.has(`${c}__queueServiceUri`))).toEqual([]);
  });

  it('every queue the functions use is created, each with its poison queue', () => {
    const functionsDir = path.join(repoRoot, 'functions');
    const sources = readdirSync(functionsDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(functionsDir, f), 'utf8'));
    const used = new Set(
      sources.flatMap((src) => [
        ...[...src.matchAll(/queueName:\s*'([^']+)'/g)].map((m) => m[1] ?? ''),
        ...[...src.matchAll(/const [A-Z_]*QUEUE[A-Z_]*\s*=\s*'([^']+)'/g)].map((m) => m[1] ?? ''),
      ]),
    );
    const created = createdQueues();
    expect(created).toEqual(expect.arrayContaining(['analytics-refresh', 'analytics-refresh-poison']));
    expect([...used].filter((q) => !created.includes(q) || !created.includes(`${q}-poison`))).toEqual([]);
  });

  it('infra defaults equal the code defaults (shared/config DEFAULTS, DEFAULT_SCHEDULES)', () => {
    const codeDefaults: Record<string, string> = {
      ...Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, String(v)])),
      ...DEFAULT_SCHEDULES,
      SYNC_TIME_BUDGET_SECONDS: String(DEFAULTS.SYNC_TIME_BUDGET_SECONDS_FUNCTIONS),
    };
    const compared: string[] = [];
    const differences: string[] = [];
    for (const [name, setting] of settings) {
      const expected = codeDefaults[name];
      const param = sourceParam(setting);
      if (expected === undefined || !param) continue;
      compared.push(name);
      for (const file of [functionApp, main]) {
        const mainParam = file === main ? mainParamFor(param) : param;
        const actual = mainParam ? paramDefault(file, mainParam) : undefined;
        if (actual !== undefined && actual !== expected) differences.push(`${name}: ${file === main ? 'main' : 'functionApp'} ${mainParam} = ${actual}, code ${expected}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toEqual(expect.arrayContaining(['SYNC_ORDERS_SCHEDULE', 'SYNC_LAG_SECONDS', 'SYNC_TIME_BUDGET_SECONDS', 'PRESTASHOP_PAGE_SIZE']));
    expect(paramDefault(main, 'prestashopApiKeySecretName')).toBe(DEFAULTS.PRESTASHOP_API_KEY_SECRET_NAME);
  });
});

/** Queue names main.bicep passes to the storage module, with `${var}` interpolations of literal variables resolved. */
function createdQueues(): string[] {
  const vars = new Map(main.decls.filter((d) => d.kind === 'var').map((d) => [d.name, stringValue(valueOf(d))]));
  const storage = main.decls.find((d) => d.kind === 'module' && d.name === 'storage');
  const list = getPath(storage ? valueOf(storage) : undefined, ['params', 'queueNames']);
  return (list?.namedChildren ?? []).map((item) => {
    if (item.type === 'identifier') return vars.get(item.text) ?? `?${item.text}`;
    return item.text.slice(1, -1).replace(/\$\{(\w+)\}/g, (_m, name: string) => vars.get(name) ?? `?${name}`);
  });
}

/** The main.bicep parameter passed to the functionApp module's parameter `moduleParam`. */
function mainParamFor(moduleParam: string): string | undefined {
  const module = main.decls.find((d) => d.kind === 'module' && d.name === 'functionApp');
  const passed = objectProperties(getPath(module ? valueOf(module) : undefined, ['params'])).find((p) => propertyKey(p) === moduleParam);
  const value = passed ? propertyValue(passed) : undefined;
  return value?.type === 'identifier' ? value.text : undefined;
}
