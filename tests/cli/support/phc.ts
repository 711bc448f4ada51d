import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '../../..');
export const mainJs = path.join(root, 'dist/cli/main.js');

/**
 * Builds dist/ once for the file, as `npm run build` does; the CLI then runs as a real child process. Type errors
 * are the typecheck step's business (tsc still emits): only a missing output is fatal here.
 */
export function buildCli(): void {
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    void error;
  }
  if (!existsSync(mainJs)) throw new Error(`${mainJs} was not built by tsc -p tsconfig.build.json`);
}

/** Settings that would point phc away from what a test gives it. */
const INHERITED = [
  'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE', 'PGAUTH',
  'PRESTASHOP_BASE_URL', 'PRESTASHOP_API_KEY', 'KEY_VAULT_URI', 'PRESTASHOP_TIMEZONE', 'PHC_HOME',
  'APPLICATIONINSIGHTS_CONNECTION_STRING', 'TEST_DATABASE_URL', 'PHC_TEST_ADMIN_URL',
];

export interface PhcRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The lines phc wrote about its own failure ("phc: ..."). */
  errorLines: string[];
}

export async function phc(args: string[], env: Record<string, string>): Promise<PhcRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED) delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, errorLines: stderr.split('\n').filter((l) => l.startsWith('phc: ')) }));
  });
}

/** One clear line: exactly one "phc: ..." line and no stack frames, whatever else was logged before it. */
export function expectOneClearLine(run: PhcRun, mentions: RegExp): void {
  expect(run.errorLines).toHaveLength(1);
  expect(run.errorLines[0]).toMatch(mentions);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}
