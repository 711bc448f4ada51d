/**
 * What raw keeps of a shop record: the payload as received, minus credentials (ARCHITECTURE.md, WEBSERVICE.md §9),
 * and its shop-local date_upd as a timestamp.
 */
export const SECRET_FIELDS: readonly string[] = [
  'passwd',
  'secure_key',
  'reset_password_token',
  'reset_password_validity',
  'last_passwd_gen',
  'ip_registration_newsletter',
];

const secretSet = new Set(SECRET_FIELDS);

/** A copy without secret fields at any depth (they only occur at the top level today; nesting costs little). */
export function stripSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => stripSecrets(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (secretSet.has(key)) continue;
    out[key] = field !== null && typeof field === 'object' ? stripSecrets(field) : field;
  }
  return out as T;
}

const SHOP_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** 'YYYY-MM-DD HH:MM:SS' when it is a real calendar time; zero dates and anything else become null. */
export function shopDateTimeOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = SHOP_DATETIME.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCDate() !== d) return null;
  return value;
}
