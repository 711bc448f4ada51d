import type { Pool } from 'pg';

/**
 * Row count and an order-independent hash of every row, per table of the analytics schema (its base tables, so a
 * table added later is compared too): equal fingerprints mean an incremental refresh and a rebuild agree.
 */
export async function analyticsFingerprint(pool: Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'analytics' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
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
