/**
 * Outside the Functions host, @azure/functions switches to test mode and says so with console.warn, once per process
 * and once per function registered: expected in every test that imports a function module, and noise in the test
 * output. Exactly those messages are dropped; every other warning goes through unchanged.
 */
const TEST_MODE_WARNINGS = [
  /^WARNING: Failed to detect the Azure Functions runtime\. Switching "@azure\/functions" package to test mode - not all features are supported\.$/,
  /^WARNING: Skipping call to register function "[^"]+" because the "@azure\/functions" package is in test mode\.$/,
  /^WARNING: Skipping call to (register|dispose) \S+ hook because the "@azure\/functions" package is in test mode\.$/,
];

export function isFunctionsTestModeWarning(args: unknown[]): boolean {
  return args.length === 1 && typeof args[0] === 'string' && TEST_MODE_WARNINGS.some((pattern) => pattern.test(args[0] as string));
}

/** How many notices were dropped in this test file (a test checks that the filter is in place). */
export const dropped = { count: 0 };

export function quietFunctionsTestMode(target: Pick<Console, 'warn'>): void {
  const warn = target.warn.bind(target);
  target.warn = (...args: unknown[]): void => {
    if (isFunctionsTestModeWarning(args)) dropped.count += 1;
    else warn(...args);
  };
}

quietFunctionsTestMode(console);
