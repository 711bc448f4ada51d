/**
 * PrestaShop fields that are credentials or personal tokens, not data (docs/prestashop-webservice.md §9): no copy of
 * a record keeps them, whatever the entity and at any depth. The one list, used by the client for rejected payloads
 * and by the raw writer and quarantine for everything they store.
 */
export const SENSITIVE_FIELDS: readonly string[] = [
  'passwd',
  'secure_key',
  'reset_password_token',
  'reset_password_validity',
  'last_passwd_gen',
  'ip_registration_newsletter',
];

const sensitive = new Set(SENSITIVE_FIELDS);

/** A copy without sensitive fields at any depth. */
export function stripSensitive<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => stripSensitive(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (sensitive.has(key)) continue;
    out[key] = field !== null && typeof field === 'object' ? stripSensitive(field) : field;
  }
  return out as T;
}

/**
 * Whether stripSensitive would drop anything. Most records (orders, products) carry no such field, and checking
 * without copying is much cheaper than the copy.
 */
export function hasSensitiveField(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasSensitiveField);
  for (const key in value) {
    if (sensitive.has(key) || hasSensitiveField((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
