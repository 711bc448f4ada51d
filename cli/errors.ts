import { redact } from '../shared/telemetry/redact';
import { CliError, PartialResult } from './cliError';
import { chain, field, messageOf, oneLine } from './errorChain';
import { configLine, systemErrorLine } from './errorLines';
import { ExitCode, type ExitCodeValue } from './exitCodes';
import { interruption } from './interrupt';
import { postgresLine } from './postgresErrors';
import { shopLine } from './shopErrors';

export { interruption, CliError, PartialResult };
export { chain, field, messageOf, oneLine };

export interface Classified {
  line: string;
  exitCode: ExitCodeValue;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/**
 * Turns any error into the single line `phc` prints and the exit code it returns. Known causes (no server, wrong
 * password, shop refusing the key, bad settings, a folder phc may not write) get a sentence saying what to do;
 * others keep their own message.
 */
export function classify(error: unknown): Classified {
  const errors = chain(error);
  const top = errors[0];
  if (top instanceof CliError) return { line: oneLine(top.message), exitCode: top.exitCode };
  if (interruption.signalled) {
    return { line: 'interrupted; what was committed stays, and the next run resumes from the checkpoints', exitCode: ExitCode.interrupted };
  }
  for (const e of errors) {
    const name = field(e, 'name');
    if (name === 'ConfigError') return { line: oneLine(configLine(e)), exitCode: ExitCode.usage };
    if (name === 'MigrationError') return { line: oneLine(messageOf(e)), exitCode: ExitCode.failure };
  }
  for (const e of errors) {
    const known = postgresLine(e) ?? shopLine(e, errors);
    if (known) return { line: oneLine(known.line), exitCode: known.exitCode };
  }
  for (const e of errors) {
    const known = systemErrorLine(e);
    if (known) return { line: oneLine(known.line), exitCode: known.exitCode };
  }
  for (const e of errors) {
    const code = field(e, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) {
      const address = [field(e, 'address'), field(e, 'port')]
        .filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
        .join(':');
      return {
        line: `Cannot reach ${describeTarget(errors)}${address ? ` at ${address}` : ''} (${code}). Check the host and port in the settings, and that the server is running.`,
        exitCode: ExitCode.failure,
      };
    }
  }
  return { line: oneLine(messageOf(top)), exitCode: ExitCode.failure };
}

function describeTarget(errors: unknown[]): string {
  const text = errors.map(messageOf).join(' ').toLowerCase();
  if (/prestashop|shop|webservice|fetch/.test(text)) return 'the shop (PRESTASHOP_BASE_URL)';
  if (/postgres|database|pg\b|connect/.test(text)) return 'PostgreSQL (DATABASE_URL or PGHOST)';
  return 'a server';
}

/** The stack of every error in the chain, for --verbose. */
export function verboseDetail(error: unknown): string {
  return chain(error)
    .map((e, i) => `${i === 0 ? '' : 'caused by: '}${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    .map(redact)
    .join('\n');
}
