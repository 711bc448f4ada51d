import { storableText } from '../db/storableText';
import { redact, redactFields } from './redact';
import type { Fields, Logger } from './types';

export type Level = 'debug' | 'info' | 'warn' | 'error';

function renderValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/** "message key=value key2="two words"", fields in the order given, undefined fields left out. */
export function formatLine(message: string, fields: Fields): string {
  const tail = Object.entries(fields)
    .filter((entry): entry is [string, string | number | boolean | null] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${renderValue(value)}`)
    .join(' ');
  return redact(tail ? `${message} ${tail}` : message);
}

/**
 * An error and its causes on one line ("a: b: c"), redacted, for log lines and run ledgers. The one description of
 * an error the app writes anywhere: no credential, and text PostgreSQL can store (shared/db/storableText.ts).
 */
export function describeError(error: unknown, maxLength = 2000): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof Error) {
      if (!parts.some((part) => part.includes(current instanceof Error ? current.message : ''))) parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : (JSON.stringify(current) ?? 'unknown error'));
      break;
    }
  }
  return storableText(redact(parts.join(': '))).slice(0, maxLength);
}

/** A logger whose lines (redacted, bound fields first) go to `write`; hosts give their own sink. */
export function makeLogger(write: (level: Level, message: string, fields: Fields) => void, bound: Fields): Logger {
  const emit = (level: Level) => (message: string, fields?: Fields) =>
    write(level, message, redactFields({ ...bound, ...fields }));
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => makeLogger(write, { ...bound, ...fields }),
  };
}

export interface CliLoggerOptions {
  /** Where lines go; stderr by default so stdout stays for the command's own output. */
  stream?: NodeJS.WritableStream;
  /** One JSON object per line instead of plain text. */
  json?: boolean;
  /** Also write debug lines. */
  verbose?: boolean;
  /** Only warnings and errors. */
  quiet?: boolean;
  fields?: Fields;
  now?: () => Date;
}

/** CLI: plain "time level message key=value" lines (or JSON lines), one per call. */
export function createCliLogger(options: CliLoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => new Date());
  return makeLogger((level, message, fields) => {
    if (level === 'debug' && !options.verbose) return;
    if (options.quiet && (level === 'debug' || level === 'info')) return;
    const time = now().toISOString();
    const line = options.json
      ? redact(JSON.stringify({ time, level, message, ...fields }))
      : `${time} ${level.toUpperCase().padEnd(5)} ${formatLine(message, fields)}`;
    stream.write(`${line}\n`);
  }, options.fields ?? {});
}
