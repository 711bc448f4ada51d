import type { InjectedFault } from '../faults';
import type { ApiResult } from './api';

/**
 * Answers of the hosting in front of PHP (a proxy, a WAF, a rate limiter): they never reach PrestaShop, so they
 * hold no PHP worker. null when the request goes through.
 */
export function hostingFaultResult(injected: InjectedFault): ApiResult | null {
  if (injected.kind === 'none') return null;
  if (injected.kind === 'timeout') return { status: 0, body: '', contentType: null, headers: {}, authenticated: false, hang: true };
  const headers: Record<string, string> = injected.retryAfter !== undefined ? { 'Retry-After': String(injected.retryAfter) } : {};
  const text = injected.status === 429 ? 'Too Many Requests' : 'Service temporarily unavailable';
  return {
    status: injected.status,
    body: `<html><head><title>${injected.status} ${text}</title></head><body><h1>${text}</h1></body></html>\n`,
    contentType: 'text/html',
    headers,
    authenticated: false,
  };
}
