import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REFRESH_LEASE_CONTAINER } from '../../shared/storage/refreshLease';
import {
  bicepFiles,
  type BicepFile,
  type Declaration,
  descendants,
  getPath,
  hasDecorator,
  infraDir,
  loadBicep,
  loadBicepFiles,
  loadBicepSources,
  relative,
  resources,
  stringValue,
  valueOf,
} from './bicep';

/** What `azd up` in a Flex Consumption region depends on, beyond syntax: parameters azd fills, outputs, wiring. */

const files = loadBicepFiles(bicepFiles());
const main = loadBicep(path.join(infraDir, 'main.bicep'));
const mainParam = (name: string): Declaration => {
  const found = main.decls.find((d) => d.kind === 'param' && d.name === name);
  if (!found) throw new Error(`main.bicep has no param ${name}`);
  return found;
};
const allowed = (decl: Declaration): string[] =>
  (decl.decorators.find((d) => d.name === 'allowed')?.args[0]?.namedChildren ?? []).map((n) => stringValue(n) ?? n.text);
const parameters = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> };

const secureParams = (f: BicepFile): Set<string> => new Set(f.decls.filter((d) => d.kind === 'param' && hasDecorator(d, 'secure')).map((d) => d.name));
const secretName = (name: string): boolean => /password|connection_?string|token|instrumentationkey/i.test(name) || (/secret|api_?key/i.test(name) && !/name$/i.test(name));

/** Outputs are stored in the deployment history in clear: none may be a secret, a connection string or a key. */
function outputProblems(f: BicepFile): string[] {
  const secure = secureParams(f);
  return f.decls
    .filter((d) => d.kind === 'output')
    .flatMap((o) => {
      const value = valueOf(o);
      const reasons: string[] = [];
      if (secretName(o.name)) reasons.push('named like a secret');
      if (/ConnectionString|InstrumentationKey|listKeys|listSecrets|\.list\w*\(/.test(value?.text ?? '')) reasons.push('reads a connection string or keys');
      for (const identifier of value ? descendants(value, 'identifier') : []) if (secure.has(identifier.text)) reasons.push(`returns @secure() ${identifier.text}`);
      return reasons.map((r) => `${o.name}: ${r}`);
    });
}

describe('no secret leaves a module as an output', () => {
  it.each(files.map((f) => [relative(f.file), f] as const))('%s: no output is a secret, a connection string or a key', (_n, f) => {
    expect(outputProblems(f)).toEqual([]);
  });

  it('the check catches a connection string, a @secure() value and a secret-looking name', () => {
    const [bad] = loadBicepSources([
      "@secure()\nparam adminPassword string\nresource ai 'Microsoft.Insights/components@2020-02-02' existing = {\n  name: 'ai'\n}\n" +
        'output connection string = ai.properties.ConnectionString\noutput pw string = adminPassword\noutput apiKey string = \'x\'\noutput apiKeySecretName string = \'y\'\n',
    ]);
    expect(outputProblems(bad!)).toEqual(['connection: reads a connection string or keys', 'pw: returns @secure() adminPassword', 'apiKey: named like a secret']);
  });

  it('the Function App reads the Application Insights connection string itself, from the resource', () => {
    const functionApp = loadBicep(path.join(infraDir, 'modules', 'functionApp.bicep'));
    expect(functionApp.source).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights\.properties\.ConnectionString/);
    const component = resources(functionApp.tree).find((r) => r.type === 'Microsoft.Insights/components');
    expect(component?.existing).toBe(true);
  });
});

describe('parameters azd fills', () => {
  it('the PostgreSQL admin\'s principal type comes from azd (AZURE_PRINCIPAL_TYPE), never from a default', () => {
    const type = mainParam('postgresEntraAdminPrincipalType');
    expect(valueOf(type)).toBeUndefined();
    expect(allowed(type)).toEqual(['User', 'Group', 'ServicePrincipal']);
    expect(parameters.parameters.postgresEntraAdminPrincipalType?.value).toBe('${AZURE_PRINCIPAL_TYPE}');
    // ...for the principal whose object id azd passes with it.
    expect(parameters.parameters.postgresEntraAdminObjectId?.value).toBe('${AZURE_PRINCIPAL_ID}');
  });

  it('the location is an azd location limited to regions with Flex Consumption', () => {
    const location = mainParam('location');
    expect(location.decorators.find((d) => d.name === 'metadata')?.args[0]?.text.replace(/\s+/g, ' ')).toBe("{ azd: { type: 'location' } }");
    const regions = allowed(location);
    expect(regions).toEqual(expect.arrayContaining(['westeurope', 'northeurope', 'eastus', 'eastus2', 'swedencentral', 'uksouth']));
    expect(regions.every((r) => /^[a-z0-9]+$/.test(r))).toBe(true);
    expect(regions).not.toContain('eastus2euap'); // a canary region, not for production
    expect(parameters.parameters.location?.value).toBe('${AZURE_LOCATION}');
  });
});

describe('wiring the code depends on', () => {
  it('creates the lease container the refresh takes its single-flight lease in', () => {
    const lease = main.decls.find((d) => d.kind === 'var' && d.name === 'leaseContainerName');
    expect(stringValue(lease && valueOf(lease))).toBe(REFRESH_LEASE_CONTAINER);
    const storage = loadBicep(path.join(infraDir, 'modules', 'storage.bicep'));
    const containers = resources(storage.tree).filter((r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers.map((c) => getPath(c.body, ['name'])?.text)).toContain('leaseContainerName');
  });

  it('app settings: the template owns them all, with one documented way to add more (template settings win)', () => {
    const functionApp = loadBicep(path.join(infraDir, 'modules', 'functionApp.bicep'));
    expect(functionApp.source).toMatch(/properties: union\(extraSettings, settings, optionalSettings\)/);
    expect(functionApp.source).toMatch(/REPLACES the app's settings on every provision/);
    const module = main.decls.find((d) => d.kind === 'module' && d.name === 'functionApp');
    expect(module?.node.text).toMatch(/extraSettings: functionAppExtraSettings/);
  });

  it('diagnostic settings send Key Vault audit events, PostgreSQL logs and storage writes to the workspace', () => {
    const diagnostics = loadBicep(path.join(infraDir, 'modules', 'diagnostics.bicep'));
    const settings = resources(diagnostics.tree).filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    const byScope = Object.fromEntries(settings.map((s) => [getPath(s.body, ['scope'])?.text ?? '', s]));
    expect(Object.keys(byScope).sort()).toEqual(['blobService', 'queueService', 'server', 'vault']);
    for (const setting of settings) expect(getPath(setting.body, ['properties', 'workspaceId'])?.text).toBe('workspaceId');
    const categories = (scope: string): string[] =>
      descendants(getPath(byScope[scope]?.body, ['properties', 'logs'])!, 'object_property')
        .filter((p) => p.namedChildren[0]?.text === 'category')
        .map((p) => stringValue(p.namedChildren[1]) ?? p.namedChildren[1]?.text ?? '');
    expect(categories('vault')).toEqual(['AuditEvent']);
    expect(categories('server')).toEqual(['PostgreSQLLogs']);
    expect(diagnostics.source).toMatch(/var storageCategories = concat\(\['StorageWrite', 'StorageDelete'\], logStorageReads \? \['StorageRead'\] : \[\]\)/);
    expect(main.source).toMatch(/module diagnostics 'modules\/diagnostics.bicep' = if \(diagnosticSettingsEnabled\)/);
  });

  it('Application Insights refuses key-only telemetry by default', () => {
    expect(valueOf(mainParam('applicationInsightsDisableLocalAuth'))?.text).toBe('true');
  });
});
