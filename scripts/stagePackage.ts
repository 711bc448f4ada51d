/**
 * Stages the Function App's deployment package: what azd zips (azure.yaml services.api.dist) and what
 * `func azure functionapp publish` or a zip deploy can ship. Only what runs in Azure goes in:
 *
 *   host.json, package.json, package-lock.json   the host's and npm's view of the app
 *   dist/<modules reachable from package.json main> the compiled functions and the shared core they import
 *   sql/                                           the analytics models the refresh reads at run time
 *   node_modules/                                  production dependencies only (`npm ci --omit=dev`)
 *
 * then removes from node_modules what Node never loads (type declarations, source maps, TypeScript sources,
 * Markdown), keeping licence files. Run after `npm run build`:
 *
 *   node dist/scripts/stagePackage.js [--out DIR] [--from-local] [--json]
 *
 * --from-local copies the production packages from this checkout's node_modules (by the lockfile) instead of asking
 * the registry: the measurement in tests/infra/deploymentPackage.test.ts uses it offline. The deployment itself uses
 * npm ci, so the package holds exactly what the lockfile pins.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface StageOptions {
  root: string;
  out: string;
  fromLocal?: boolean;
}

export interface PackageStats {
  files: number;
  bytes: number;
  /** Of which under node_modules. */
  dependencyFiles: number;
  dependencyBytes: number;
  packages: number;
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
}

/** Never loaded by Node at run time; licence files are kept whatever their extension. */
const PRUNED = /(\.map|\.d\.[cm]?ts|\.tsbuildinfo|\.md|\.markdown)$|(?<!\.d)\.[cm]?ts$/i;
const KEPT = /^(licen[cs]e|notice|copying)/i;

/** The compiled modules package.json `main` loads, following relative require() calls. */
export function reachableModules(root: string, main: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const target = path.resolve(path.dirname(file), match[1] ?? '');
      const candidates = [target, `${target}.js`, path.join(target, 'index.js')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (!found) throw new Error(`${path.relative(root, file)} requires ${match[1]}, which is not built`);
      visit(found);
    }
  };
  visit(path.join(root, main));
  return [...seen].map((f) => path.relative(root, f)).sort();
}

function productionPackages(root: string): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const entries = Object.entries(lock.packages).filter(([key, entry]) => key.startsWith('node_modules/') && !entry.dev);
  const platformSpecific = entries.filter(([, entry]) => entry.os ?? entry.cpu).map(([key]) => key);
  if (platformSpecific.length > 0) {
    throw new Error(`production packages built for one platform would ship this machine's build: ${platformSpecific.join(', ')}`);
  }
  return entries.map(([key]) => key);
}

/** Copies each production package of the lockfile from the checkout (nested node_modules come as their own entries). */
function copyLocalDependencies(root: string, out: string): void {
  for (const key of productionPackages(root)) {
    const from = path.join(root, key);
    if (!existsSync(from)) throw new Error(`${key} is in the lockfile but not installed; run npm ci first`);
    cpSync(from, path.join(out, key), { recursive: true, filter: (src) => src === from || (!src.slice(from.length).split(path.sep).includes('node_modules') && !pruned(path.basename(src))) });
  }
}

const pruned = (name: string): boolean => PRUNED.test(name) && !KEPT.test(name);

function prune(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) prune(full);
    else if (pruned(entry.name)) rmSync(full);
  }
}

export function measure(dir: string): PackageStats {
  const stats: PackageStats = { files: 0, bytes: 0, dependencyFiles: 0, dependencyBytes: 0, packages: 0 };
  const walk = (current: string, inDependencies: boolean): void => {
    const underNodeModules = path.basename(current) === 'node_modules' || (path.basename(current).startsWith('@') && path.basename(path.dirname(current)) === 'node_modules');
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (underNodeModules && !entry.name.startsWith('@') && !entry.name.startsWith('.')) stats.packages += 1;
        walk(full, inDependencies || entry.name === 'node_modules');
      } else {
        const size = statSync(full).size;
        stats.files += 1;
        stats.bytes += size;
        if (inDependencies) {
          stats.dependencyFiles += 1;
          stats.dependencyBytes += size;
        }
      }
    }
  };
  walk(dir, false);
  return stats;
}

export function stagePackage(options: StageOptions): PackageStats {
  const { root, out } = options;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of ['host.json', 'package.json', 'package-lock.json']) cpSync(path.join(root, file), path.join(out, file));
  for (const module of reachableModules(root, pkg.main)) cpSync(path.join(root, module), path.join(out, module));
  cpSync(path.join(root, 'sql'), path.join(out, 'sql'), { recursive: true });
  // azd reads the ignore file of the folder it zips; nothing here is to be left out (it skips this file itself).
  writeFileSync(path.join(out, '.funcignore'), '# Staged by scripts/stagePackage.ts: everything here is deployed.\n');
  if (options.fromLocal) {
    copyLocalDependencies(root, out); // leaves the pruned files behind as it copies
  } else {
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
    prune(path.join(out, 'node_modules'));
  }
  return measure(out);
}

function main(argv: string[]): void {
  const root = path.resolve(__dirname, '..', '..');
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(root, outIndex >= 0 ? (argv[outIndex + 1] ?? '') : path.join('.deploy', 'api'));
  const stats = stagePackage({ root, out, fromLocal: argv.includes('--from-local') });
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ out, ...stats })}\n`);
  } else {
    const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
    process.stdout.write(
      `Staged ${path.relative(root, out) || out}: ${stats.files} files, ${mb(stats.bytes)} MB (dependencies: ${stats.packages} packages, ${stats.dependencyFiles} files, ${mb(stats.dependencyBytes)} MB)\n`,
    );
  }
}

if (require.main === module) main(process.argv.slice(2));
