import { redact } from '../shared/telemetry/redact';
import { ExitCode, type ExitCodeValue } from './exitCodes';

/** An error whose message is already the one line the user should read, with the exit code to use. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by commands that finished with a partial result; the result was already printed. */
export class PartialResult extends CliError {
  override name = 'PartialResult';
  constructor(message: string) {
    super(message, ExitCode.partial);
  }
}

/** Set when the user pressed Ctrl-C: whatever fails afterwards fails because of it. */
export const interruption = { signalled: false };

interface Classified {
  line: string;
  exitCode: ExitCodeValue;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 10) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

function name(error: unknown): unknown {
  return field(error, 'name');
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Collapses a message to one line and removes anything that looks like a credential. */
export function oneLine(text: string): string {
  return redact(text.replace(/\s*\n\s*/g, ' ').trim());
}

/**
 * Turns any error into the single line `phc` prints and the exit code it returns. Known causes (no server, wrong
 * password, shop refusing the key, bad settings) get a sentence saying what to do; others keep their own message.
 */
export function classify(error: unknown): Classified {
  if (interruption.signalled) {
    return { line: 'interrupted; what was committed stays, and the next run resumes from the checkpoints', exitCode: ExitCode.interrupted };
  }
  const errors = chain(error);
  const top = errors[0];
  if (top instanceof CliError) return { line: oneLine(top.message), exitCode: top.exitCode };

  for (const e of errors) {
    const name = field(e, 'name');
    if (name === 'ConfigError') {
      const problems = field(e, 'problems');
      const line = Array.isArray(problems)
        ? `Invalid settings: ${problems.map((p) => `${String(field(p, 'setting'))} ${String(field(p, 'message'))}`).join('; ')}`
        : messageOf(e);
      return { line: oneLine(line), exitCode: ExitCode.usage };
    }
    if (name === 'MigrationError') {
      return { line: oneLine(messageOf(e)), exitCode: ExitCode.failure };
    }
  }

  for (const e of errors) {
    const code = field(e, 'code');
    const status = field(e, 'status');
    const msg = messageOf(e);
    if (code === '28P01' || /password authentication failed/i.test(msg)) {
      return { line: `PostgreSQL refused the login: ${oneLine(msg)}. Check the user and password in DATABASE_URL (or PGUSER/PGPASSWORD).`, exitCode: ExitCode.failure };
    }
    if (code === '42501') {
      return {
        line: `PostgreSQL: ${oneLine(msg)}. This login lacks the privilege: migrate and roles run as the database owner or admin, the app as etl_user (see README "Settings").`,
        exitCode: ExitCode.failure,
      };
    }
    if (code === '42704' && /role/i.test(msg)) {
      return { line: `PostgreSQL: ${oneLine(msg)}. Create that login first (on Azure: select pgaadauth_create_principal(...) as the Entra admin), then rerun.`, exitCode: ExitCode.failure };
    }
    if (code === '3D000') {
      return { line: `PostgreSQL: ${oneLine(msg)}. Create the database or fix the database name in DATABASE_URL.`, exitCode: ExitCode.failure };
    }
    if (name(e) === 'PrestaShopError' && (field(e, 'kind') === 'network' || field(e, 'kind') === 'timeout')) {
      const url = field(e, 'url');
      const origin = typeof url === 'string' && URL.canParse(url) ? ` at ${new URL(url).origin}` : '';
      const innermost = messageOf(errors[errors.length - 1]);
      const why = field(e, 'kind') === 'timeout' ? 'no answer in time' : innermost;
      return {
        line: `Cannot reach the shop${origin} (PRESTASHOP_BASE_URL): ${oneLine(why)}. Check the URL and that the shop answers on /api/.`,
        exitCode: ExitCode.failure,
      };
    }
    if (status === 401 || status === 403) {
      return {
        line: `The shop refused the webservice key (HTTP ${String(status)}): check PRESTASHOP_API_KEY (or the Key Vault secret) and that the key is active with GET permission on customers, products, orders.`,
        exitCode: ExitCode.failure,
      };
    }
    if (status === 503) {
      return { line: `The shop's webservice is switched off (HTTP 503): enable it in PrestaShop (Advanced parameters > Webservice), then rerun.`, exitCode: ExitCode.failure };
    }
  }

  for (const e of errors) {
    const code = field(e, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) {
      const address = [field(e, 'address'), field(e, 'port')]
        .filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
        .join(':');
      const where = address;
      return {
        line: `Cannot reach ${describeTarget(errors)}${where ? ` at ${where}` : ''} (${code}). Check the host and port in the settings, and that the server is running.`,
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
