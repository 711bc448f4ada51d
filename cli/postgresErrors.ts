import { PgError } from '../shared/db/errors';
import { field, messageOf, oneLine } from './errorChain';
import { ExitCode, type ExitCodeValue } from './exitCodes';

export interface KnownLine {
  line: string;
  exitCode: ExitCodeValue;
}

/** SQLSTATE codes of login failures, besides those shared/db names. */
const INVALID_PASSWORD = '28P01';
const INVALID_AUTHORIZATION = '28000';
const UNDEFINED_OBJECT = '42704';
const INVALID_CATALOG = '3D000';

/** What a PHC migration creates: a missing one of these means the database was never migrated. */
const PHC_SCHEMAS = /relation "(raw|staging|analytics)\./;

/** The line for a PostgreSQL error, or undefined when it is not one we know. */
export function postgresLine(error: unknown): KnownLine | undefined {
  const code = field(error, 'code');
  const msg = messageOf(error);
  const failure = (line: string): KnownLine => ({ line, exitCode: ExitCode.failure });
  if (code === INVALID_PASSWORD || /password authentication failed/i.test(msg)) {
    return failure(`PostgreSQL refused the login: ${oneLine(msg)}. Check the user and password in DATABASE_URL (or PGUSER/PGPASSWORD).`);
  }
  if (code === INVALID_AUTHORIZATION) {
    const role = /role "([^"]+)" does not exist/.exec(msg)?.[1];
    if (role) {
      return failure(
        `PostgreSQL has no login role "${role}": check the user in DATABASE_URL (or PGUSER), or create that login first ` +
          `(phc roles creates etl_user and analytics_reader; on Azure, select pgaadauth_create_principal(...) as the Entra admin).`,
      );
    }
    return failure(`PostgreSQL does not accept this login: ${oneLine(msg)}. Check the user, the database and the server's pg_hba.conf (or the firewall rules on Azure).`);
  }
  if (code === PgError.insufficientPrivilege) {
    return failure(`PostgreSQL: ${oneLine(msg)}. This login lacks the privilege: migrate and roles run as the database owner or admin, the app as etl_user (see README "Settings").`);
  }
  if (code === UNDEFINED_OBJECT && /role/i.test(msg)) {
    return failure(`PostgreSQL: ${oneLine(msg)}. Create that login first (on Azure: select pgaadauth_create_principal(...) as the Entra admin), then rerun.`);
  }
  if (code === INVALID_CATALOG) {
    return failure(`PostgreSQL: ${oneLine(msg)}. Create the database (createdb NAME) or fix the database name in DATABASE_URL.`);
  }
  if (code === PgError.undefinedTable && PHC_SCHEMAS.test(msg)) return failure(NO_SCHEMA_LINE);
  return undefined;
}

export const NO_SCHEMA_LINE = 'the database has no PHC schema yet: run phc migrate (as the database owner), then rerun';
