import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(run.nodeScript).toContain("client.query('select * from pgaadauth_create_principal($1, false, false)', [name])");
    expect(run.nodeScript).toContain("client.query('select 1 from pg_catalog.pg_roles where rolname = $1', [name])");
    expect(run.nodeScript).toContain("database: 'postgres'");
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
