import type { Client, Pool } from 'pg';

/** The base tables of the analytics schema (a table added later is included). */
export async function analyticsTables(db: Pool | Client): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'analytics' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name);
}

/**
 * Row count and an order-independent hash of every row, per table of the analytics schema (its base tables, so a
 * table added later is compared too): equal fingerprints mean an incremental refresh and a rebuild agree.
 */
export async function analyticsFingerprint(pool: Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await analyticsTables(pool)) {
    const { rows } = await pool.query<{ f: string }>(
      `select count(*) || ':' || coalesce(sum(hashtext(t::text)::numeric), 0) as f from analytics.${quoteIdent(name)} as t`,
    );
    out[name] = rows[0]?.f ?? '';
  }
  return out;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
