import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DICTIONARY_END, DICTIONARY_START, renderDataDictionary } from '../../shared/analytics/dataDictionary';
import { allDeclarations, modelDeclaration } from '../../shared/analytics/modelRegistry';
import { applyDescriptions, DescriptionError } from '../../shared/db/descriptions';
import { migrate } from '../../shared/db/migrate';
import { withTransaction } from '../../shared/db/transaction';
import { projectRoot } from '../../shared/paths';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('descriptions of the analytics tables, views and columns', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('leave no analytics relation or column without a description once migrated', async () => {
    const { rows } = await db.pool.query<{ relation: string; column: string | null }>(
      `select c.relname as relation, null as column
       from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
       where n.nspname = 'analytics' and c.relkind in ('r', 'v', 'm', 'p') and obj_description(c.oid, 'pg_class') is null
       union all
       select cols.table_name, cols.column_name
       from information_schema.columns as cols
       join pg_namespace as n on n.nspname = cols.table_schema
       join pg_class as c on c.relnamespace = n.oid and c.relname = cols.table_name
       left join pg_description as d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = cols.ordinal_position
       where cols.table_schema = 'analytics' and d.description is null
       order by 1, 2`,
    );
    expect(rows).toEqual([]);
    const relations = await db.pool.query<{ relname: string }>(
      `select c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
       where n.nspname = 'analytics' and c.relkind in ('r', 'v', 'm', 'p') order by 1`,
    );
    expect(relations.rows.map((r) => r.relname)).toEqual(allDeclarations().map((d) => d.name));
  });

  it('are the declarations, word for word', async () => {
    const { rows } = await db.pool.query<{ relation: string; column: string; description: string }>(
      `select c.relname as relation, a.attname as column, col_description(c.oid, a.attnum) as description
       from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
       join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname = 'analytics' and c.relkind in ('r', 'v', 'm', 'p')`,
    );
    const declared = allDeclarations().flatMap((d) => Object.entries(d.columns).map(([column, description]) => ({ relation: d.name, column, description })));
    const order = (a: { relation: string; column: string }, b: { relation: string; column: string }): number =>
      a.relation.localeCompare(b.relation) || a.column.localeCompare(b.column);
    expect([...rows].sort(order)).toEqual([...declared].sort(order));
    const table = await db.pool.query<{ description: string }>("select obj_description('analytics.fact_orders'::regclass, 'pg_class') as description");
    expect(table.rows[0]?.description).toBe(modelDeclaration('fact_orders').description);
  });

  it('are set again by every migrate, even with no migration pending', async () => {
    await db.pool.query("comment on column analytics.fact_orders.order_id is 'stale'");
    const result = await migrate(db.pool);
    expect(result.applied).toEqual([]);
    expect(result.described?.columns).toBeGreaterThan(150);
    const { rows } = await db.pool.query<{ d: string }>("select col_description('analytics.fact_orders'::regclass, 1) as d");
    expect(rows[0]?.d).toBe(modelDeclaration('fact_orders').columns.order_id);
  });

  it('name the file when a declaration describes a column the table does not have', async () => {
    const wrong = { ...modelDeclaration('dim_date'), columns: { ...modelDeclaration('dim_date').columns, week_of_year: 'Not a column.' } };
    await expect(withTransaction(db.pool, (client) => applyDescriptions(client, [wrong]))).rejects.toThrow(
      new DescriptionError('sql/models/analytics/dim_date.yml describes column week_of_year, which analytics.dim_date does not have'),
    );
  });

  it('are listed in docs/data-model.md exactly as declared (npm run -s docs:data-dictionary rewrites it)', () => {
    const doc = readFileSync(path.join(projectRoot(), 'docs', 'data-model.md'), 'utf8');
    const start = doc.indexOf(DICTIONARY_START);
    const end = doc.indexOf(DICTIONARY_END);
    expect(start).toBeGreaterThan(0);
    expect(doc.slice(start + DICTIONARY_START.length, end).trim()).toBe(renderDataDictionary());
    for (const declaration of allDeclarations()) expect(doc).toContain(`#### \`analytics.${declaration.name}\``);
  });
});
