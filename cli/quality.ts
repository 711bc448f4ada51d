import type { QualitySummary } from '../shared/sync/status';
import { formatNumber, utcTime } from './output';

/** What a failing check usually means, for the readers of the report and the status. */
const CHECK_HINTS: Record<string, string> = {
  fk_order_customer: 'orders of customers deleted in the shop (they still count in the KPIs)',
  fk_line_product: 'order lines of products deleted in the shop',
  order_totals_match_lines: "orders whose total_products differs from their lines' sum",
  schema_drift: 'the shop JSON gained or lost keys',
  unparseable_values: 'records with a value the casts could not read (loaded with that field empty; details name the fields)',
  lines_without_cost: 'products sold without a purchase or wholesale price: their orders have no margin',
  payments_match_orders: "order references whose payments differ from their orders' total_paid_real",
  refunds_within_order_total: 'credit slips above their order total',
  line_refunds_match_slips: "order lines whose refunded amount differs from their slips' lines",
};

/** The data-quality summary: one line, then one per failing check. */
export function describeQuality(q: QualitySummary): string[] {
  if (q.runId === null) return [`Data quality: no checks have run yet (they run with every analytics refresh); ${formatNumber(q.openQuarantine)} record(s) in quarantine.`];
  const failed = [...q.failedCritical.map((f) => ({ ...f, sev: 'critical' })), ...q.failedWarning.map((f) => ({ ...f, sev: 'warning' }))];
  const lines = [
    `Data quality (refresh run ${q.runId}${q.checkedAt ? `, ${utcTime(q.checkedAt)} UTC` : ''}): ${q.checks} checks, ` +
      `${q.failedCritical.length} critical and ${q.failedWarning.length} warning failures; ${formatNumber(q.openQuarantine)} record(s) in quarantine.`,
  ];
  for (const f of failed) {
    const hint = CHECK_HINTS[f.check];
    lines.push(`  ${f.sev.padEnd(8)} ${f.check} (${f.entity}): ${formatNumber(f.failing)} row(s)${hint ? `: ${hint}` : ''}`);
  }
  if (failed.length > 0) lines.push('  Warnings publish and are reported; critical failures keep the previous analytics (docs/data-model.md).');
  return lines;
}
