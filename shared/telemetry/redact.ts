import type { Fields } from './types';

export const REDACTED = '[REDACTED]';

/**
 * Every secret value the process has seen (API key, database password, tokens), registered where it is read.
 * Process-wide on purpose: a log line written anywhere must be cleaned of a secret read anywhere.
 */
const knownSecrets = new Set<string>();
/** Short-lived values (access tokens): only the most recent are kept, so a long-lived process does not grow. */
const recentTokens = new Set<string>();
const MAX_RECENT_TOKENS = 64;
let sortedSecrets: string[] = [];

/** Values shorter than this are not matched alone (they would blank out ordinary words); patterns still apply. */
const MIN_SECRET_LENGTH = 4;

function variantsOf(value: string): string[] {
  return [value, encodeURIComponent(value), Buffer.from(value).toString('base64'), Buffer.from(`${value}:`).toString('base64')].filter(
    (variant) => variant.length >= MIN_SECRET_LENGTH,
  );
}

function resort(): void {
  // Longest first, so a secret that contains another is replaced whole.
  sortedSecrets = [...knownSecrets, ...recentTokens].sort((a, b) => b.length - a.length);
}

export function registerSecret(value: string | undefined | null, options: { shortLived?: boolean } = {}): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  const target = options.shortLived ? recentTokens : knownSecrets;
  let added = false;
  for (const variant of variantsOf(value)) {
    if (!target.has(variant)) {
      target.add(variant);
      added = true;
    }
  }
  while (recentTokens.size > MAX_RECENT_TOKENS * 4) {
    const oldest = recentTokens.values().next().value;
    if (oldest === undefined) break;
    recentTokens.delete(oldest);
  }
  if (added) resort();
}

/** For tests: forget registered values. */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
  recentTokens.clear();
  sortedSecrets = [];
}

const patterns: Array<[RegExp, string]> = [
  // HTTP authorization headers in any rendering: "Authorization: Basic x", authorization="...", {"authorization":"..."}
  [/(authorization["']?\s*[:=]\s*["']?)(?:(?:Basic|Bearer|Digest|SharedKey)\s+)?[^"'\s,;}]+/gi, `$1${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  // The PrestaShop key as a query parameter, and secret-looking key=value pairs (connection strings, query strings).
  [/\b(ws_key|password|passwd|pwd|accountkey|sharedaccesskey|sharedaccesssignature|sig|client_secret|api[_-]?key|access_token|token)(["']?\s*[=:]\s*["']?)[^&;\s"',}]+/gi, `$1$2${REDACTED}`],
  // SQL such as ALTER ROLE ... PASSWORD '...' (statement text recorded by the pg instrumentation).
  [/\b(password\s+)'(?:[^']|'')*'/gi, `$1'${REDACTED}'`],
  // Credentials inside URLs: scheme://user:password@host, and scheme://KEY:@host (a key as the Basic-auth user).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]+@/gi, `$1:${REDACTED}@`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:@/gi, `$1${REDACTED}:@`],
  // JSON Web Tokens (Entra access tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** Removes every registered secret value and every credential-shaped pattern from a text. */
export function redact(text: string): string {
  let out = text;
  for (const secret of sortedSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

const secretFieldName = /pass(word|wd)?$|secret|token|authorization|api[_-]?key|ws_key|connection_?string|credential/i;

/** Redacts field values; a field whose name says it holds a secret is blanked whatever it contains. */
export function redactFields<T extends Fields | Record<string, string>>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = secretFieldName.test(key) ? REDACTED : redact(value);
    else out[key] = value;
  }
  return out as T;
}
