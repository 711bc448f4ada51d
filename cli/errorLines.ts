import { existsSync } from 'node:fs';
import path from 'node:path';
import { field, messageOf } from './errorChain';
import { demoEnvFile, phcHome } from './embedded/home';
import { ExitCode } from './exitCodes';
import type { KnownLine } from './postgresErrors';

interface Problem {
  setting: string;
  message: string;
  missing: boolean;
}

function problemsOf(error: unknown): Problem[] {
  const problems = field(error, 'problems');
  if (!Array.isArray(problems)) return [];
  return problems.map((p) => ({ setting: String(field(p, 'setting')), message: String(field(p, 'message')), missing: field(p, 'missing') === true }));
}

const ALTERNATIVES: Record<string, string> = {
  DATABASE_URL: 'DATABASE_URL (or PGHOST...)',
  PRESTASHOP_API_KEY: 'PRESTASHOP_API_KEY (or KEY_VAULT_URI)',
};

/** While the demo runs with --keep-running, its settings are one command away. */
function demoHint(missing: Problem[]): string {
  if (!missing.some((p) => p.setting === 'DATABASE_URL')) return '';
  const file = demoEnvFile(phcHome());
  if (!existsSync(file)) return '';
  const shown = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  return ` To use the demo, keep it up with npm run -s phc -- pipeline --keep-running and, in another shell, run set -a && . ${shown} && set +a.`;
}

/**
 * The settings line: settings that are simply not set are named in a short list (with where to set them), values
 * that are wrong are each given with their fix.
 */
export function configLine(error: unknown): string {
  const problems = problemsOf(error);
  if (problems.length === 0) return messageOf(error);
  const missing = problems.filter((p) => p.missing);
  const invalid = problems.filter((p) => !p.missing);
  const names = [...new Set(missing.map((p) => ALTERNATIVES[p.setting] ?? p.setting))];
  const notSet = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set`;
  if (invalid.length === 0) {
    const only = missing.length === 1 ? missing[0] : undefined;
    const fix = only ? only.message.replace(/^.*?\.\s+/, '') : 'Set them in the environment (see README "Settings", or phc settings).';
    return `Missing settings: ${notSet}. ${fix}${demoHint(missing)}`;
  }
  const wrong = invalid.map((p) => `${p.setting} ${p.message}`).join('; ');
  return `Invalid settings: ${wrong}${notSet ? `; besides, ${notSet}` : ''}`;
}

/** Node's own errors (a folder phc may not write, a port in use), with the path or address they name. */
export function systemErrorLine(error: unknown): KnownLine | undefined {
  const code = field(error, 'code');
  if (typeof code !== 'string') return undefined;
  const where = field(error, 'path');
  const target = typeof where === 'string' ? where : undefined;
  const home = phcHome();
  const inHome = target !== undefined && (target === home || target.startsWith(`${home}${path.sep}`));
  const homeFix = 'set PHC_HOME to a folder you can write (or leave it empty for .phc in the checkout)';
  switch (code) {
    case 'EADDRINUSE': {
      const address = [field(error, 'address'), field(error, 'port')].filter((x) => typeof x === 'string' || typeof x === 'number').map(String).join(':');
      return { line: `${address || 'the port'} is already in use by another program: choose another port (0 picks a free one), or stop that program`, exitCode: ExitCode.usage };
    }
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      if (!target) return undefined;
      return {
        line: `phc may not write ${target} (${code === 'EROFS' ? 'read-only file system' : 'permission denied'}): ${inHome ? homeFix : 'fix its permissions, or run phc as a user who may'}`,
        exitCode: inHome ? ExitCode.usage : ExitCode.failure,
      };
    case 'EEXIST':
    case 'ENOTDIR':
      if (!target) return undefined;
      return {
        line: `${target} is a file where phc needs a folder: ${inHome ? 'set PHC_HOME to a folder (or leave it empty for .phc in the checkout)' : 'move that file away'}`,
        exitCode: inHome ? ExitCode.usage : ExitCode.failure,
      };
    case 'ENOENT':
      if (!target) return undefined;
      return { line: `${target} does not exist: check the path (and the settings that name it), or reinstall with npm ci`, exitCode: ExitCode.failure };
    default:
      return undefined;
  }
}
