import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Pool } from 'pg';
import { readDashboard, type Dashboard } from '../../shared/analytics/report/dashboard';
import { dashboardHtml } from '../../shared/analytics/report/html';
import { formatValue } from '../../shared/analytics/report/svg';
import { CliError } from '../cliError';
import { withPool } from '../context';
import { ExitCode } from '../exitCodes';
import { printJson, printLine, table } from '../output';

/**
 * The warehouse has the reading views this report draws from. Checked on the analytics schema alone, so the
 * report also runs as analytics_reader, which cannot read the migration ledger.
 */
async function assertReportable(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ ready: boolean }>(
    "select to_regclass('analytics.kpi_product_stock_outs') is not null and to_regclass('analytics.daily_sales') is not null as ready",
  );
  if (rows[0]?.ready !== true) {
    throw new CliError('the warehouse has no analytics reading views yet: run phc migrate (as the database owner) and phc analytics, then rerun', ExitCode.failure);
  }
}

export async function buildDashboard(pool: Pool): Promise<Dashboard> {
  await assertReportable(pool);
  return readDashboard(pool);
}

function printText(dashboard: Dashboard): void {
  printLine(`Sales up to ${dashboard.asOf ?? '(no orders yet)'}, tax excluded, ${dashboard.currency ?? 'default currency'}.`);
  table(['headline', 'value'], dashboard.headlines.map((h) => [h.label, formatValue(h.value, h.unit)])).forEach((l) => printLine(l));
  const top = dashboard.charts.find((c) => c.spec.id === 'top-products');
  if (top && top.rows.length > 0) {
    printLine('');
    table(['top product (90 days)', 'revenue'], top.rows.map((r) => [r.product_name ?? null, r.revenue_tax_excl ?? null])).forEach((l) => printLine(l));
  }
  printLine('');
  printLine('The whole starter dashboard: phc report --html --output dashboard.html');
}

export function reportCommand(): Command {
  return new Command('report')
    .description('the starter dashboard from the warehouse: headline KPIs, or one static HTML page of charts with --html')
    .option('--html', 'write the dashboard as one static HTML page (inline SVG charts, no script, nothing fetched)')
    .option('--output <file>', 'with --html: write the page to this file instead of stdout')
    .option('--json', 'print the dashboard data as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc report                                  # headline numbers of the last 30 days with orders
  $ phc report --html --output dashboard.html   # open it in any browser, attach it to a mail
  $ phc report --json | jq '.headlines'

Needs only the database settings, and reads only the analytics schema: it runs as analytics_reader too. Each chart
is one of the example queries of sql/examples (docs/analyst-guide.md explains them).`,
    )
    .action(async (options: { html?: boolean; output?: string; json?: boolean }) => {
      if (options.output && !options.html) throw new CliError('--output goes with --html', ExitCode.usage);
      const dashboard = await withPool((pool) => buildDashboard(pool));
      if (options.json) return printJson(dashboard);
      if (!options.html) return printText(dashboard);
      const html = dashboardHtml(dashboard, new Date());
      if (!options.output) return void process.stdout.write(html);
      try {
        writeFileSync(options.output, html);
      } catch (error) {
        throw new CliError(`cannot write ${options.output}: ${(error as Error).message}. Choose a folder you can write to`, ExitCode.usage, { cause: error });
      }
      process.stderr.write(`dashboard written to ${path.resolve(options.output)}\n`);
    });
}
