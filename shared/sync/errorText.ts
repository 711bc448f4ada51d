import { storableText } from '../db/storableText';

/**
 * One line describing an error and its causes, fit for logs and staging.etl_runs.error: credentials that may
 * appear in URLs or headers are masked (ws_key query parameters, user:password@ in URLs, Basic/Bearer tokens).
 */
export function errorText(error: unknown, maxLength = 2000): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : typeof current === 'string' ? current : JSON.stringify(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return storableText(redact(parts.join(': caused by: ') || 'unknown error')).slice(0, maxLength);
}

export function redact(text: string): string {
  return text
    .replace(/(ws_key=)[^&\s"']+/gi, '$1***')
    .replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]+/g, '$1 ***');
}
