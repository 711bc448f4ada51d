import { Command } from 'commander';
import { migrate } from '../../shared/db/migrate';
import { withPool } from '../context';
import { printJson, printLine } from '../output';

export async function runMigrate(pool: import('pg').Pool, log: (line: string) => void): Promise<{ applied: string[]; alreadyApplied: number }> {
  return migrate(pool, { log });
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending SQL migrations (sql/migrations) as the database owner; safe to run twice or concurrently')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ phc migrate
  $ DATABASE_URL=postgres://admin@db.example.com/phc_analytics?sslmode=verify-full phc migrate --json

An edited landed migration is refused (checksum mismatch): restore it and add a new numbered file instead.`,
    )
    .action(async (options: { json?: boolean }) => {
      const result = await withPool((pool) => runMigrate(pool, (line) => process.stderr.write(`${line}\n`)));
      if (options.json) printJson(result);
      else if (result.applied.length === 0) printLine(`Database is up to date (${result.alreadyApplied} migrations applied before).`);
      else printLine(`Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}.`);
    });
}
