/** PostgreSQL SQLSTATE codes the code reacts to by name. */
export const PgError = {
  uniqueViolation: '23505',
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
