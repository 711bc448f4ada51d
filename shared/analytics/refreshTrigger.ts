import { refreshMessageSchema, type RefreshMessage } from '../sync/refreshMessage';

export type ParsedRefreshMessage = { ok: true; message: RefreshMessage } | { ok: false; problem: string };

/**
 * Validates an analytics-refresh queue item. The host hands JSON messages over already parsed; a string body is
 * parsed here. The problem text names the fields, never echoes the message (it could carry anything).
 */
export function parseRefreshMessage(item: unknown): ParsedRefreshMessage {
  let value = item;
  if (typeof item === 'string') {
    try {
      value = JSON.parse(item) as unknown;
    } catch {
      return { ok: false, problem: 'not JSON' };
    }
  }
  const parsed = refreshMessageSchema.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problem };
}
