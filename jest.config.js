/** Tests run against a real PostgreSQL: embedded by default, or TEST_DATABASE_URL. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  // Drops only @azure/functions' expected test-mode notices (see the file); other warnings still show.
  setupFiles: ['<rootDir>/tests/support/quietFunctionsTestMode.ts'],
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
};
