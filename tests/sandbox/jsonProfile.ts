/**
 * The shape of a JSON document without its values: for every path ("$.orders[].associations.order_rows[].id",
 * all items of an array merged) the JSON types seen there, and for every object path the sets of field names.
 * Two documents agree when one's types and field sets are among the other's.
 */

export type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

export interface JsonProfile {
  types: Map<string, Set<JsonType>>;
  /** Object path → field-name sets, each as its sorted names joined by ",". */
  fields: Map<string, Set<string>>;
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

function add<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

export function profile(value: unknown, into: JsonProfile = { types: new Map(), fields: new Map() }, path = '$'): JsonProfile {
  add(into.types, path, jsonType(value));
  if (Array.isArray(value)) {
    for (const item of value) profile(item, into, `${path}[]`);
  } else if (typeof value === 'object' && value !== null) {
    add(into.fields, path, Object.keys(value).sort().join(','));
    for (const [key, item] of Object.entries(value)) profile(item, into, `${path}.${key}`);
  }
  return into;
}

/** One profile holding every type and field set of several. */
export function mergeProfiles(profiles: readonly JsonProfile[]): JsonProfile {
  const out: JsonProfile = { types: new Map(), fields: new Map() };
  for (const p of profiles) {
    for (const [path, types] of p.types) for (const type of types) add(out.types, path, type);
    for (const [path, sets] of p.fields) for (const set of sets) add(out.fields, path, set);
  }
  return out;
}

export interface CompareOptions {
  /**
   * Types are compared with these instead of `theirs`: every answer of the shop for the same resource, so that a
   * field whose type depends on the value (manufacturer_name: a name, or false) is judged on all that was seen.
   */
  typesFrom?: JsonProfile;
  /** A single record thinned by array_filter: its field set is not compared, nor are fields it lacks. */
  thinned?: boolean;
}

const listed = (set: Set<string> | undefined): string => [...(set ?? [])].map((s) => `{${s}}`).join(' or ');
const SCALARS: ReadonlySet<JsonType> = new Set(['null', 'string', 'number', 'boolean']);

/**
 * What `ours` shows that the shop never does: a path it does not have, a type it never sends there, a set of
 * field names it never sends there (for `associations`, any association it sends: an empty one is left out),
 * and every path of `theirs` down to record fields ("$.orders[].reference") that ours lacks. An empty list
 * means the shapes agree.
 */
export function profileDifferences(ours: JsonProfile, theirs: JsonProfile, options: CompareOptions = {}): string[] {
  const out: string[] = [];
  const typesFrom = options.typesFrom ?? theirs;
  for (const [path, types] of ours.types) {
    const here = theirs.types.get(path);
    const anywhere = typesFrom.types.get(path);
    if (!here && !anywhere) {
      out.push(`${path}: not in the recorded answers`);
      continue;
    }
    for (const type of types) {
      const seen = here?.has(type) || (SCALARS.has(type) && anywhere?.has(type));
      if (!seen) out.push(`${path}: ${type} where the shop sends ${[...(here ?? anywhere ?? [])].join(' or ')}`);
    }
  }
  for (const [path, sets] of ours.fields) {
    if (path.endsWith('.associations')) {
      const names = new Set([...(typesFrom.fields.get(path) ?? [])].flatMap((set) => set.split(',')));
      for (const set of sets) for (const name of set.split(',')) if (!names.has(name)) out.push(`${path}.${name}: no such association in the recorded answers`);
      continue;
    }
    if (options.thinned && path.split('.').length === 2) continue;
    const known = theirs.fields.get(path);
    for (const set of sets) if (!known?.has(set)) out.push(`${path}: fields {${set}} where the shop sends ${listed(known)}`);
  }
  if (!options.thinned) {
    for (const path of theirs.types.keys()) {
      if (path.split('.').length <= 3 && !ours.types.has(path)) out.push(`${path}: recorded but missing`);
    }
  }
  return out;
}
