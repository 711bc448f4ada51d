/** PostgreSQL SQLSTATE codes the code reacts to by name. */
export const PgError = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  duplicateObject: '42710',
  duplicateDatabase: '42P04',
  insufficientPrivilege: '42501',
  undefinedTable: '42P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  adminShutdown: '57P01',
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The database refuses one row, not the statement: a data exception (class 22: a value it cannot take), an integrity
 * constraint (class 23: a CHECK, NOT NULL, a unique key other than the one upserts resolve) or a program limit
 * (class 54: a row too large to index). Another row of the same batch would go through.
 */
export function isRowRefusal(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== undefined && /^(22|23|54)/.test(code);
}
