import type { PoolClient } from 'pg';
import { Event, Metric } from '../telemetry/names';
import type { Logger, Telemetry } from '../telemetry/types';
import { CHECK_SCOPE_SQL, SQL_CHECKS, type Severity, type SqlCheck } from './dataQualityChecks';
import { checkSchemaDrift } from './schemaDrift';

export type { Severity } from './dataQualityChecks';

export interface DataQualityResult {
  check: string;
  entity: string;
  severity: Severity;
  status: 'pass' | 'fail';
  failingCount: number;
  /** Up to SAMPLE_SIZE ids of failing rows (or drifted keys: +key appeared, -key disappeared). */
  sampleIds: string[];
  /** What the count covers (scope: Scope.all or Scope.changed) and, for some checks, what failed (e.g. fields). */
  details?: Record<string, unknown>;
}

export const SAMPLE_SIZE = 10;

/** A failing critical check: the refresh is rolled back and this error names the checks. */
export class DataQualityError extends Error {
  override name = 'DataQualityError';
  constructor(
    readonly failed: DataQualityResult[],
    readonly results: DataQualityResult[],
  ) {
    super(
      `Critical data-quality check failed: ${failed
        .map((r) => `${r.check} on ${r.entity} (${r.failingCount} rows, e.g. ${r.sampleIds.slice(0, 3).join(', ')})`)
        .join('; ')}. The refresh was rolled back; analytics keep their previous state`,
    );
  }
}

/** What a count covers, in the result's details: the whole warehouse, or what this refresh changed. */
export const Scope = {
  all: 'all rows',
  changed: 'rows changed in this refresh',
  driftedKeys: 'keys that appeared or disappeared in this refresh',
} as const;

interface CheckRun {
  failing: string;
  sample: string[] | null;
  fields: Record<string, number> | null;
}

/**
 * Runs one check. For a warning, the check's open issues are replaced by the rows failing now in the same
 * statement; the scope of every warning includes its open issues, so the count is that of the whole warehouse.
 */
async function runSqlCheck(client: PoolClient, check: SqlCheck, runId: number | null): Promise<DataQualityResult> {
  const warning = check.severity === 'warning';
  // An issue is one row per id; a critical check counts every failing row, as '(null)' labels can repeat.
  const failing = `select ${warning ? 'distinct on (rows.id) ' : ''}rows.id, rows.fields from (${check.rows}) as rows (id, fields)`;
  const ledger = warning
    ? `, removed as (
           delete from staging.data_quality_issues as issue
           where issue.check_name = $1 and issue.entity = $2
             -- NOT IN over the CTE hashes it: NOT EXISTS planned on stale statistics of the issues became a
             -- nested loop, quadratic in the failing rows.
             and issue.record_id not in (select failing.id from failing)
         ),
         recorded as (
           insert into staging.data_quality_issues as issue (check_name, entity, record_id, fields, first_run_id, last_run_id)
           select $1, $2, failing.id, failing.fields, $3, $3 from failing
           on conflict (check_name, entity, record_id) do update set fields = excluded.fields, last_run_id = excluded.last_run_id
         )`
    : '';
  const { rows } = await client.query<CheckRun>(
    `with failing as (${failing})${ledger}
     select count(*)::text as failing,
            (array_agg(failing.id order by failing.id))[1:${SAMPLE_SIZE}] as sample,
            (select jsonb_object_agg(per_field.field, per_field.n) from (
               select field, count(*) as n from failing cross join lateral unnest(failing.fields) as field group by field
             ) as per_field) as fields
     from failing`,
    warning ? [check.check, check.entity, runId] : [],
  );
  const failingCount = Number(rows[0]?.failing ?? 0);
  const fields = rows[0]?.fields;
  const share = check.shareOf ? await shareDetails(client, check.shareOf) : {};
  return {
    check: check.check,
    entity: check.entity,
    severity: check.severity,
    status: failingCount > 0 ? 'fail' : 'pass',
    failingCount,
    sampleIds: rows[0]?.sample ?? [],
    details: { scope: warning ? Scope.all : Scope.changed, ...(fields ? { fields } : {}), ...share },
  };
}

/** part / whole of a check's shareOf, to four decimals (0 when whole is), with both counts. */
async function shareDetails(client: PoolClient, shareOf: { part: string; whole: string }): Promise<{ share: number; part: number; whole: number }> {
  const { rows } = await client.query<{ part: string; whole: string }>(`select (${shareOf.part})::text as part, (${shareOf.whole})::text as whole`);
  const part = Number(rows[0]?.part ?? 0);
  const whole = Number(rows[0]?.whole ?? 0);
  return { share: whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0, part, whole };
}

/**
 * Runs every check inside the refresh transaction, after the models, and keeps the open issues of the warnings
 * (staging.data_quality_issues) and the schema-key registry up to date. `runId` is recorded with the issues.
 */
export async function runDataQualityChecks(client: PoolClient, log?: Logger, runId: number | null = null): Promise<DataQualityResult[]> {
  const results: DataQualityResult[] = [];
  await client.query(CHECK_SCOPE_SQL);
  for (const check of SQL_CHECKS) {
    const started = performance.now();
    results.push(await runSqlCheck(client, check, runId));
    log?.debug('data-quality check finished', { check: check.check, entity: check.entity, ms: Math.round(performance.now() - started) });
  }
  const started = performance.now();
  const drift = await checkSchemaDrift(client);
  results.push(...drift.map((r) => ({ ...r, details: { scope: Scope.driftedKeys } })));
  log?.debug('data-quality check finished', { check: 'schema_drift', ms: Math.round(performance.now() - started) });
  return results;
}

export const failingCritical = (results: DataQualityResult[]): DataQualityResult[] =>
  results.filter((r) => r.status === 'fail' && r.severity === 'critical');

export async function saveDataQualityResults(client: PoolClient, runId: number, results: DataQualityResult[]): Promise<void> {
  await client.query(
    `insert into staging.data_quality_results (run_id, check_name, entity, severity, status, failing_count, sample_ids, details)
     select $1, r.check_name, r.entity, r.severity, r.status, r.failing_count, r.sample_ids, coalesce(r.details, '{}')
     from jsonb_to_recordset($2::jsonb)
       as r (check_name text, entity text, severity text, status text, failing_count bigint, sample_ids text[], details jsonb)`,
    [
      runId,
      JSON.stringify(
        results.map((r) => ({
          check_name: r.check,
          entity: r.entity,
          severity: r.severity,
          status: r.status,
          failing_count: r.failingCount,
          sample_ids: r.sampleIds,
          details: r.details ?? {},
        })),
      ),
    ],
  );
}

export function reportDataQuality(telemetry: Telemetry, results: DataQualityResult[]): void {
  for (const r of results) {
    const dims = { check: r.check, entity: r.entity, severity: r.severity };
    telemetry.metric(Metric.dataQualityFailures, r.failingCount, dims);
    telemetry.event(Event.dataQualityResult, { ...dims, status: r.status }, { failingCount: r.failingCount });
  }
}
