import type { PoolClient } from 'pg';
import { allDeclarations, type ModelDeclaration } from '../analytics/modelRegistry';

export interface DescriptionsResult {
  relations: number;
  columns: number;
}

/** A declaration names a table, view or column the database does not have. */
export class DescriptionError extends Error {
  override name = 'DescriptionError';
}

/**
 * Sets the comment of every analytics table, view and column from the declarations in sql/models/analytics/*.yml,
 * the one source of the descriptions (BI tools show them: Metabase, Power BI, psql's \d+). Run by `phc migrate`
 * after the migrations, as the migration owner (COMMENT ON needs ownership), in the caller's transaction. Idempotent.
 * Throws, naming the file, when a declaration describes a relation or column the database does not have.
 */
export async function applyDescriptions(client: PoolClient, declarations: ModelDeclaration[] = allDeclarations()): Promise<DescriptionsResult> {
  const { rows } = await client.query<{ relation: string; kind: string; columns: string[] }>(
    `select c.relname as relation, c.relkind::text as kind,
            array(select a.attname::text from pg_attribute as a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
     from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
     where n.nspname = 'analytics' and c.relkind in ('r', 'p', 'v', 'm')`,
  );
  const relations = new Map(rows.map((row) => [row.relation, row]));
  const statements: string[] = [];
  let columns = 0;
  for (const declaration of declarations) {
    const file = `sql/models/analytics/${declaration.name}.yml`;
    const relation = relations.get(declaration.name);
    if (!relation) throw new DescriptionError(`${file} describes analytics.${declaration.name}, which the database does not have`);
    const isView = relation.kind === 'v';
    if (isView !== (declaration.kind === 'view')) {
      throw new DescriptionError(`${file} declares a ${declaration.kind}, but analytics.${declaration.name} is a ${isView ? 'view' : 'table'}`);
    }
    const target = `analytics.${client.escapeIdentifier(declaration.name)}`;
    statements.push(`comment on ${isView ? 'view' : relation.kind === 'm' ? 'materialized view' : 'table'} ${target} is ${client.escapeLiteral(declaration.description)}`);
    for (const [column, description] of Object.entries(declaration.columns)) {
      if (!relation.columns.includes(column)) throw new DescriptionError(`${file} describes column ${column}, which analytics.${declaration.name} does not have`);
      statements.push(`comment on column ${target}.${client.escapeIdentifier(column)} is ${client.escapeLiteral(description)}`);
      columns += 1;
    }
  }
  await client.query(statements.join(';\n'));
  return { relations: declarations.length, columns };
}
