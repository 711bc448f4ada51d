import { errorsFromJson, errorsFromXml, type PrestaShopError, type PrestaShopErrorItem } from './errors';

/** How the transport reads a shop's answer or a failed fetch: media type, Retry-After, error bodies, network codes. */

const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function networkMessage(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

export function isRetryableNetwork(error: unknown): boolean {
  const code = networkCode(error);
  if (code && (RETRYABLE_NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return true;
  return /socket hang up|other side closed|ECONNRESET/i.test(networkMessage(error));
}

export function textErrors(text: string): PrestaShopErrorItem[] {
  const plain = text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain === '' ? [] : [{ code: null, message: plain.length > 300 ? `${plain.slice(0, 300)}…` : plain }];
}

export function bodyErrors(type: string, text: string): PrestaShopErrorItem[] {
  if (type === 'application/json') {
    try {
      const parsed = errorsFromJson(JSON.parse(text));
      if (parsed) return parsed;
    } catch {
      // fall through to the text
    }
  }
  if (type.includes('xml') || text.trimStart().startsWith('<?xml') || text.includes('<prestashop')) {
    const parsed = errorsFromXml(text);
    if (parsed) return parsed;
  }
  return textErrors(text);
}

export function retryReason(error: PrestaShopError): string {
  if (error.kind === 'timeout') return 'timeout';
  if (error.kind === 'network') return 'connection';
  if (error.kind === 'malformed') return 'malformed_json';
  if (error.status === 429) return 'rate_limited';
  return 'server_error';
}
