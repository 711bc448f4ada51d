import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { sqlDir } from '../paths';

/**
 * The declaration of each analytics table and view, kept beside its SQL (sql/models/analytics/<name>.yml, as dbt
 * keeps a model's YAML): what it is, its key, which rows a refresh checks, and what each column means. Adding a model
 * is its SQL file, its declaration and its step in MODEL_STEPS; the key checks of data quality follow from the
 * declaration. The descriptions become the database's comments (shared/db/descriptions.ts, after every migrate) and
 * the data dictionary of docs/data-model.md (shared/analytics/dataDictionary.ts): one source for both.
 */
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/);
const declarationSchema = z.strictObject({
  description: z.string().min(1),
  /** table (default): built by a refresh model; view: a reading view created by a migration (no checks). */
  kind: z.enum(['table', 'view']).default('table'),
  /** The grain: what one row is (a view's key is documented, not checked). */
  key: z.array(identifier).min(1),
  /**
   * all: every row on every refresh (small tables); changed_keys: the rows whose key is in that temp table of the
   * refresh; rows: that temp relation holds the rows in scope, key columns included. Tables only.
   */
  checks: z.union([z.literal('all'), z.strictObject({ changed_keys: z.string() }), z.strictObject({ rows: z.string() })]).optional(),
  /** How a row whose key is null is named in samples (SQL over the alias t). */
  null_label: z.string().optional(),
  /** Every column's description, in the table's order (COMMENT ON COLUMN, and the data dictionary). */
  columns: z.record(identifier, z.string().min(1)),
});

export type ModelDeclaration = z.infer<typeof declarationSchema> & { name: string };

const cache = new Map<string, ModelDeclaration>();

/** The declaration of analytics.<name>, read once; throws with the file and the problem when it is malformed. */
export function modelDeclaration(name: string): ModelDeclaration {
  const cached = cache.get(name);
  if (cached) return cached;
  const file = sqlDir('models', 'analytics', `${name}.yml`);
  if (!existsSync(file)) throw new Error(`analytics model ${name} has no declaration: add sql/models/analytics/${name}.yml`);
  const parsed = declarationSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`sql/models/analytics/${name}.yml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const declaration = { ...parsed.data, name };
  if (declaration.kind === 'table' && !declaration.checks) throw new Error(`sql/models/analytics/${name}.yml: checks: say which rows a refresh checks`);
  if (declaration.kind === 'view' && declaration.checks) throw new Error(`sql/models/analytics/${name}.yml: a view has no checks`);
  cache.set(name, declaration);
  return declaration;
}

/** Every declaration in sql/models/analytics, by name: the analytics tables and the reading views. */
export function allDeclarations(): ModelDeclaration[] {
  return readdirSync(sqlDir('models', 'analytics'))
    .filter((file) => file.endsWith('.yml'))
    .map((file) => file.replace(/\.yml$/, ''))
    .sort()
    .map(modelDeclaration);
}

/** The in-scope rows of a declared model for its key checks: a relation with the key columns, aliased by the caller. */
export function checkedRows(model: ModelDeclaration): string {
  const table = `analytics.${model.name}`;
  if (!model.checks) throw new Error(`analytics.${model.name} is a view: it has no checks`);
  if (model.checks === 'all') return table;
  if ('rows' in model.checks) return model.checks.rows;
  const scope = model.checks.changed_keys;
  const cols = model.key.map((k) => `t.${k}`).join(', ');
  const join = model.key.map((k) => `s.${k} = t.${k}`).join(' and ');
  return `(select ${cols} from ${table} as t inner join ${scope} as s on ${join})`;
}
