import { readFileSync } from 'node:fs';
import { sqlDir } from '../paths';

/** One step of a refresh: a SQL file of sql/models, run as one multi-statement query. */
export interface ModelStep {
  name: string;
  file: string;
}

/** The analytics tables the steps build: each is declared beside its SQL (shared/analytics/modelRegistry.ts). */
export function analyticsModels(): string[] {
  return MODEL_STEPS.filter((s) => s.file.startsWith('analytics/')).map((s) => s.name);
}

const step = (file: string): ModelStep => ({ name: file.replace(/^.*\//, '').replace(/\.sql$/, ''), file });

/**
 * The order every refresh runs, incremental or full. Each model reads the temp tables of changed keys
 * (chg_customers, chg_products, chg_orders, those of the catalog: shared/analytics/catalogChangedKeys.ts, and of the
 * order documents: shared/analytics/documentChangedKeys.ts) and the
 * parameters in _refresh. The lookups run first: products and orders naming a renamed one join the changed keys. The capture steps keep what the
 * changed orders contributed before and after, so the aggregates are corrected by difference.
 */
export const MODEL_STEPS: readonly ModelStep[] = [
  step('staging/stg_order_states.sql'),
  step('staging/stg_currencies.sql'),
  step('analytics/dim_order_state.sql'),
  step('analytics/dim_currency.sql'),
  step('staging/stg_addresses.sql'),
  step('analytics/dim_category.sql'),
  step('analytics/dim_manufacturer.sql'),
  step('analytics/dim_carrier.sql'),
  step('analytics/dim_country.sql'),
  step('refresh/expand_changed_keys.sql'),
  step('refresh/expand_document_keys.sql'),
  step('staging/stg_customers.sql'),
  step('staging/stg_products.sql'),
  step('staging/stg_orders.sql'),
  step('staging/stg_order_lines.sql'),
  step('refresh/capture_before.sql'),
  step('analytics/dim_date.sql'),
  step('analytics/dim_product.sql'),
  step('analytics/dim_product_variant.sql'),
  step('analytics/fact_refunds.sql'),
  step('analytics/fact_order_status_changes.sql'),
  step('analytics/fact_orders.sql'),
  step('analytics/fact_order_lines.sql'),
  step('analytics/fact_order_discounts.sql'),
  step('analytics/fact_payments.sql'),
  step('refresh/capture_after.sql'),
  step('analytics/dim_customer.sql'),
  step('analytics/kpi_daily_sales.sql'),
  step('analytics/cohort_monthly.sql'),
  step('analytics/fact_stock_daily.sql'),
];

/** Run before MODEL_STEPS by a full rebuild only. */
export const FULL_RESET_STEP: ModelStep = step('refresh/reset_for_full.sql');

const cache = new Map<string, string>();

export function modelSql(model: ModelStep): string {
  let sql = cache.get(model.file);
  if (sql === undefined) {
    sql = readFileSync(sqlDir('models', model.file), 'utf8');
    cache.set(model.file, sql);
  }
  return sql;
}
