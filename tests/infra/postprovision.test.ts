import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './bicep';

/**
 * The azd post-provision hook, run with stand-ins for npm, node, az and curl that record how they were called
 * (no Azure here). PostgreSQL itself is not involved: the hook only drives `phc` and one pgaadauth call.
 */

const hook = path.join(repoRoot, 'scripts', 'postprovision.sh');

interface Run {
  status: number | null;
  stderr: string;
  calls: string[];
  nodeScript: string;
}

function runHook(env: Record<string, string>, stubs: Record<string, string> = {}): Run {
  const dir = mkdtempSync(path.join(tmpdir(), 'phc-hook-'));
  try {
    const log = path.join(dir, 'calls.log');
    const record = `printf '%s|PGHOST=%s PGUSER=%s PGDATABASE=%s PGAUTH=%s PGSSLMODE=%s DATABASE_URL=%s\\n' "$(basename "$0") $*" "$PGHOST" "$PGUSER" "$PGDATABASE" "$PGAUTH" "$PGSSLMODE" "\${DATABASE_URL:-}" >> "${log}"`;
    const defaults: Record<string, string> = {
      npm: record,
      az: record,
      curl: `${record}\nprintf '203.0.113.7'`,
      node: `${record}\ncat > "${path.join(dir, 'node-script.js')}"`,
    };
    for (const [name, body] of Object.entries({ ...defaults, ...stubs })) {
      const file = path.join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, 0o755);
    }
    const result = spawnSync('sh', [hook], {
      cwd: repoRoot,
      env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir, DATABASE_URL: 'postgres://someone@elsewhere/db', ...env },
      encoding: 'utf8',
    });
    const read = (file: string): string => {
      try {
        return readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return '';
      }
    };
    return { status: result.status, stderr: result.stderr, calls: read('calls.log').split('\n').filter(Boolean), nodeScript: read('node-script.js') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outputs = {
  POSTGRES_HOST: 'psql-phc-abc.postgres.database.azure.com',
  POSTGRES_DATABASE: 'phc_analytics',
  POSTGRES_SERVER_NAME: 'psql-phc-abc',
  POSTGRES_ADMIN_PRINCIPAL_NAME: 'admin@contoso.com',
  FUNCTION_IDENTITY_NAME: 'id-phc-abc',
  FUNCTION_IDENTITY_PRINCIPAL_ID: '6A1B2C3D-0000-4000-8000-00000000ABCD',
  AZURE_RESOURCE_GROUP: 'rg-phc-prod',
  POSTGRES_PRIVATE_ACCESS: 'false',
};

const command = (call: string): string => call.split('|')[0] ?? '';

describe('scripts/postprovision.sh (azd post-provision hook)', () => {
  it('migrates, bootstraps roles, creates the identity principal and grants it etl_user, as the Entra admin', () => {
    const run = runHook(outputs);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls.map(command)).toEqual([
      'curl -fsS --max-time 10 https://api.ipify.org',
      expect.stringMatching(/^az postgres flexible-server firewall-rule create --resource-group rg-phc-prod --name psql-phc-abc --rule-name postprovision-\d+ --start-ip-address 203\.0\.113\.7 --end-ip-address 203\.0\.113\.7 --output none$/),
      'npm run -s phc -- migrate',
      'npm run -s phc -- roles',
      'node -',
      'npm run -s phc -- roles --grant-to id-phc-abc --role etl_user',
      expect.stringMatching(/^az postgres flexible-server firewall-rule delete --resource-group rg-phc-prod --name psql-phc-abc --rule-name postprovision-\d+ --yes --output none$/),
    ]);
    // Every phc call signs in as the admin with an Entra token over verified TLS; DATABASE_URL cannot win.
    for (const call of run.calls.filter((c) => c.startsWith('npm'))) {
      expect(call.split('|')[1]).toBe(
        'PGHOST=psql-phc-abc.postgres.database.azure.com PGUSER=admin@contoso.com PGDATABASE=phc_analytics PGAUTH=entra PGSSLMODE=verify-full DATABASE_URL=',
      );
    }
    expect(run.nodeScript).toContain("database: 'postgres'");
    expect(run.nodeScript).not.toMatch(/pgaadauth_create_principal\(/); // never by display name
  });

  it('stops before touching anything when an infra output is missing, and says which', () => {
    const { POSTGRES_HOST: _omitted, ...rest } = outputs;
    const run = runHook(rest);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('POSTGRES_HOST is not set');
    expect(run.calls).toEqual([]);
  });

  it('stops at the first failing step and still removes its firewall rule', () => {
    const run = runHook(outputs, {
      npm: `printf '%s\\n' "npm $*" >> "$(dirname "$0")/calls.log"; case "$*" in *migrate*) exit 3;; esac`,
    });
    expect(run.status).not.toBe(0);
    const calls = run.calls.map(command);
    expect(calls).toContain('npm run -s phc -- migrate');
    expect(calls).not.toContain('npm run -s phc -- roles');
    expect(calls[calls.length - 1]).toMatch(/^az postgres flexible-server firewall-rule delete /);
  });

  it('adds no firewall rule for a private server', () => {
    const run = runHook({ ...outputs, POSTGRES_PRIVATE_ACCESS: 'true' });
    expect(run.status).toBe(0);
    expect(run.calls.map(command).filter((c) => c.startsWith('az') || c.startsWith('curl'))).toEqual([]);
  });
});

/**
 * The hook's principal step (the node script it pipes to node), run with stand-in `pg` and `@azure/identity`
 * modules: the pg stand-in answers pgaadauth_list_principals and pg_roles from the scenario and records every call.
 */
function runPrincipalStep(script: string, scenario: { principals: Array<Record<string, string | boolean>>; plainRoles: string[] }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'phc-principal-'));
  try {
    const calls = path.join(dir, 'calls.json');
    mkdirSync(path.join(dir, 'node_modules', 'pg'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', '@azure', 'identity'), { recursive: true });
    writeFileSync(
      path.join(dir, 'node_modules', '@azure', 'identity', 'index.js'),
      "exports.DefaultAzureCredential = class { getToken(scope) { return Promise.resolve({ token: 'entra-token-for ' + scope }); } };",
    );
    writeFileSync(
      path.join(dir, 'node_modules', 'pg', 'index.js'),
      `const fs = require('fs');
const scenario = ${JSON.stringify(scenario)};
const log = [];
const save = () => fs.writeFileSync(${JSON.stringify(calls)}, JSON.stringify(log));
exports.Client = class {
  constructor(options) { log.push({ connect: { database: options.database, user: options.user, password: options.password, ssl: options.ssl } }); save(); }
  connect() { return Promise.resolve(); }
  end() { return Promise.resolve(); }
  query(text, params) {
    log.push({ text, params }); save();
    if (text.includes('pgaadauth_list_principals')) return Promise.resolve({ rows: scenario.principals, rowCount: scenario.principals.length });
    if (text.includes('pg_roles')) { const n = scenario.plainRoles.includes(params[0]) ? 1 : 0; return Promise.resolve({ rows: n ? [{ '?column?': 1 }] : [], rowCount: n }); }
    if (text.includes('pgaadauth_create_principal_with_oid')) return Promise.resolve({ rows: [{ pgaadauth_create_principal_with_oid: 'Created role for ' + params[0] }], rowCount: 1 });
    return Promise.reject(new Error('unexpected query: ' + text));
  }
};`,
    );
    const result = spawnSync(process.execPath, ['-'], {
      cwd: dir,
      input: script,
      env: { PATH: '/usr/bin:/bin', PGHOST: outputs.POSTGRES_HOST, PGUSER: outputs.POSTGRES_ADMIN_PRINCIPAL_NAME, FUNCTION_IDENTITY_NAME: outputs.FUNCTION_IDENTITY_NAME, FUNCTION_IDENTITY_PRINCIPAL_ID: outputs.FUNCTION_IDENTITY_PRINCIPAL_ID },
      encoding: 'utf8',
    });
    let log: Array<{ text?: string; params?: unknown[]; connect?: Record<string, unknown> }> = [];
    try {
      log = JSON.parse(readFileSync(calls, 'utf8')) as typeof log;
    } catch {
      // no call made
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, log };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the PostgreSQL principal of the Function App identity (by object id)', () => {
  const script = runHook(outputs).nodeScript;
  const oid = outputs.FUNCTION_IDENTITY_PRINCIPAL_ID.toLowerCase();
  const created = (log: ReturnType<typeof runPrincipalStep>['log']) => log.filter((c) => c.text?.includes('pgaadauth_create_principal_with_oid'));

  it('connects to the postgres database as the Entra admin, with a token for Azure Database for PostgreSQL', () => {
    const run = runPrincipalStep(script, { principals: [], plainRoles: [] });
    expect(run.log[0]?.connect).toEqual({ database: 'postgres', user: 'admin@contoso.com', password: 'entra-token-for https://ossrdbms-aad.database.windows.net/.default', ssl: { rejectUnauthorized: true } });
  });

  it('creates the principal for the identity\'s object id (never by display name) when no role of that name exists', () => {
    const run = runPrincipalStep(script, { principals: [{ rolname: 'someone-else', principalType: 'user', objectId: 'x' }], plainRoles: [] });
    expect(run.status).toBe(0);
    expect(created(run.log)).toEqual([{ text: "select * from pgaadauth_create_principal_with_oid($1, $2, 'service', false, false)", params: ['id-phc-abc', oid] }]);
    expect(run.stdout).toContain(`Created PostgreSQL principal id-phc-abc for the Function App's managed identity (object id ${oid})`);
  });

  it('leaves an existing principal of the same object id alone (the hook runs on every provision)', () => {
    const run = runPrincipalStep(script, { principals: [{ rolname: 'id-phc-abc', principalType: 'service', objectId: oid.toUpperCase(), isAdmin: false }], plainRoles: ['id-phc-abc'] });
    expect(run.status).toBe(0);
    expect(created(run.log)).toEqual([]);
    expect(run.stdout).toContain('already exists for object id');
  });

  it('refuses a role of that name mapped to another Entra object (a display-name collision)', () => {
    const run = runPrincipalStep(script, { principals: [{ rolname: 'id-phc-abc', principalType: 'service', objectId: '11111111-2222-3333-4444-555555555555' }], plainRoles: ['id-phc-abc'] });
    expect(run.status).toBe(1);
    expect(created(run.log)).toEqual([]);
    expect(run.stderr).toMatch(/role id-phc-abc is mapped to Entra object 11111111-2222-3333-4444-555555555555, not to the Function App's identity/);
  });

  it('refuses a plain (non-Entra) role of that name instead of accepting it silently', () => {
    const run = runPrincipalStep(script, { principals: [], plainRoles: ['id-phc-abc'] });
    expect(run.status).toBe(1);
    expect(created(run.log)).toEqual([]);
    expect(run.stderr).toMatch(/a PostgreSQL role named id-phc-abc exists but is not an Entra principal/);
  });
});
