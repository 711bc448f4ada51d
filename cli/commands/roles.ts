import { Command } from 'commander';
import type { Pool } from 'pg';
import { bootstrapRoles, grantRoleTo, ROLE_NAMES, RolePrivilegeError, type RoleName, type RolePasswords } from '../../shared/db/roles';
import { DEFAULTS, loadRoleSettings } from '../../shared/config';
import { withPool } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { printJson, printLine } from '../output';

export interface RolesResult {
  roles: RoleName[];
  passwordsSet: RoleName[];
  readerStatementTimeout: string;
  granted: Array<{ role: RoleName; member: string }>;
}

export async function runRoles(
  pool: Pool,
  passwords: RolePasswords,
  grants: Array<{ role: RoleName; member: string }>,
  readerStatementTimeout: string = DEFAULTS.ANALYTICS_READER_STATEMENT_TIMEOUT,
): Promise<RolesResult> {
  try {
    await bootstrapRoles(pool, passwords, { readerStatementTimeout });
  } catch (error) {
    // The login is the wrong one: a setting to change, nothing was attempted.
    if (error instanceof RolePrivilegeError) throw new CliError(error.message, ExitCode.usage, { cause: error });
    throw error;
  }
  for (const grant of grants) await grantRoleTo(pool, grant.role, grant.member);
  return { roles: [...ROLE_NAMES], passwordsSet: ROLE_NAMES.filter((r) => passwords[r] !== undefined), readerStatementTimeout, granted: grants };
}

export function rolesCommand(): Command {
  return new Command('roles')
    .description('create etl_user and analytics_reader (idempotent) and re-apply their grants; run as the database admin after migrate')
    .option('--grant-to <principal>', 'also make this existing login a member of the role given by --role (e.g. the Function App identity)')
    .option('--role <role>', `role to grant with --grant-to: ${ROLE_NAMES.join(' or ')}`, 'etl_user')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Settings read: DATABASE_URL (an admin login: CREATEROLE and owner of the database and the warehouse tables, as
after phc migrate), ETL_USER_PASSWORD and ANALYTICS_READER_PASSWORD (optional: a role without one keeps its
password; on Azure with Entra authentication none is needed), ANALYTICS_READER_STATEMENT_TIMEOUT (default
${DEFAULTS.ANALYTICS_READER_STATEMENT_TIMEOUT}).

Examples:
  $ ETL_USER_PASSWORD=... ANALYTICS_READER_PASSWORD=... phc roles
  $ phc roles --grant-to func-phc-prod          # the Function App's Entra principal inherits etl_user
  $ phc roles --grant-to alice@contoso.com --role analytics_reader`,
    )
    .action(async (options: { grantTo?: string; role: string; json?: boolean }) => {
      if (!(ROLE_NAMES as readonly string[]).includes(options.role)) {
        throw new CliError(`--role must be one of ${ROLE_NAMES.join(', ')} (got "${options.role}")`, ExitCode.usage);
      }
      const grants = options.grantTo ? [{ role: options.role as RoleName, member: options.grantTo }] : [];
      // Passwords come from settings only; a role without one keeps its password (none is needed with Entra logins).
      const { passwords, readerStatementTimeout } = loadRoleSettings(process.env);
      const result = await withPool((pool) => runRoles(pool, passwords, grants, readerStatementTimeout));
      if (options.json) return printJson(result);
      printLine(
        `Roles ready: ${result.roles.join(', ')}${result.passwordsSet.length ? ` (passwords set for ${result.passwordsSet.join(', ')})` : ''}; ` +
          `analytics_reader statement_timeout ${result.readerStatementTimeout}.`,
      );
      for (const g of result.granted) printLine(`Granted ${g.role} to ${g.member}.`);
    });
}
