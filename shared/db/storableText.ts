/**
 * Text PostgreSQL cannot store, and the one rule that repairs it (docs/architecture.md, "What raw keeps").
 *
 * jsonb and text refuse two things a shop sends sooner or later: the NUL character (`\u0000` in PHP's JSON; text
 * columns cannot hold it at all) and unpaired UTF-16 surrogates (`\ud83d`: half of an emoji cut off by a truncated
 * MySQL column). Each such code unit becomes U+FFFD REPLACEMENT CHARACTER; nothing else changes. The rule is a pure
 * function of the input, so the same shop data always gives the same stored bytes and payload hash.
 */

const REPLACEMENT = '\ufffd';
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** What JSON.stringify writes for those code units: the cheap test before walking a value. */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export function isStorableText(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/** The text with every NUL and unpaired surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT);
}

export interface StorableJson {
  /** JSON text PostgreSQL's jsonb accepts. */
  json: string;
  /** Paths of the keys and string values that were repaired ('note', 'name.1.value'), empty when none. */
  repairedPaths: string[];
}

/**
 * JSON.stringify(value), with unstorable text repaired in keys and string values at any depth. Stringifies once
 * when there is nothing to repair (the common case).
 */
export function storableJson(value: unknown): StorableJson {
  const json = JSON.stringify(value);
  if (!UNSTORABLE_ESCAPE.test(json)) return { json, repairedPaths: [] };
  const repairedPaths: string[] = [];
  const repaired = repairValue(value, '', repairedPaths);
  return { json: JSON.stringify(repaired), repairedPaths };
}

function repairValue(value: unknown, path: string, repairedPaths: string[]): unknown {
  if (typeof value === 'string') {
    if (isStorableText(value)) return value;
    repairedPaths.push(path || '(value)');
    return storableText(value);
  }
  if (Array.isArray(value)) return value.map((item, index) => repairValue(item, join(path, String(index)), repairedPaths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    let name = key;
    if (!isStorableText(key)) {
      name = storableText(key);
      repairedPaths.push(`${join(path, name)} (key)`);
    }
    out[name] = repairValue(field, join(path, name), repairedPaths);
  }
  return out;
}

function join(path: string, part: string): string {
  return path === '' ? part : `${path}.${part}`;
}
