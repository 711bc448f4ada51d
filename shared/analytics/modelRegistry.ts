import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { sqlDir } from '../paths';

/**
 * The declaration of each analytics model, kept beside its SQL (sql/models/analytics/<name>.yml, as dbt keeps a
 * model's YAML): what the table is, its key, which rows a refresh checks, and what each column means. Adding a model
 * is its SQL file, its declaration and its step in MODEL_STEPS; the key checks of data quality follow from the
 * declaration.
 */
const declarationSchema = z.strictObject({
  description: z.string().min(1),
  key: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
  /**
   * all: every row on every refresh (small tables); changed_keys: the rows whose key is in that temp table of the
   * refresh; rows: that temp relation holds the rows in scope, key columns included.
   */
  checks: z.union([z.literal('all'), z.strictObject({ changed_keys: z.string() }), z.strictObject({ rows: z.string() })]),
  /** How a row whose key is null is named in samples (SQL over the alias t). */
  null_label: z.string().optional(),
  /** Column descriptions (COMMENT ON COLUMN, and the data dictionary of docs/data-model.md). */
  columns: z.record(z.string(), z.string().min(1)).optional(),
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
  cache.set(name, declaration);
  return declaration;
}

/** The in-scope rows of a declared model for its key checks: a relation with the key columns, aliased by the caller. */
export function checkedRows(model: ModelDeclaration): string {
  const table = `analytics.${model.name}`;
  if (model.checks === 'all') return table;
  if ('rows' in model.checks) return model.checks.rows;
  const scope = model.checks.changed_keys;
  const cols = model.key.map((k) => `t.${k}`).join(', ');
  const join = model.key.map((k) => `s.${k} = t.${k}`).join(' and ');
  return `(select ${cols} from ${table} as t inner join ${scope} as s on ${join})`;
}
