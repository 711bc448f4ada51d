import { dropped, quietFunctionsTestMode } from '../support/quietFunctionsTestMode';

describe("the test setup that drops @azure/functions' test-mode notices", () => {
  it('drops exactly those notices and passes every other warning through', () => {
    const seen: unknown[][] = [];
    const target = { warn: (...args: unknown[]) => void seen.push(args) };
    quietFunctionsTestMode(target);
    target.warn('WARNING: Failed to detect the Azure Functions runtime. Switching "@azure/functions" package to test mode - not all features are supported.');
    target.warn('WARNING: Skipping call to register function "syncOrders" because the "@azure/functions" package is in test mode.');
    target.warn('WARNING: Skipping call to register appStart hook because the "@azure/functions" package is in test mode.');
    target.warn('WARNING: something else entirely');
    target.warn('WARNING: Skipping call to register function "syncOrders" because the "@azure/functions" package is in test mode.', 'with more');
    expect(seen).toEqual([
      ['WARNING: something else entirely'],
      ['WARNING: Skipping call to register function "syncOrders" because the "@azure/functions" package is in test mode.', 'with more'],
    ]);
  });

  it('is installed for every test file: registering a function here drops its two notices', () => {
    const before = dropped.count;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../functions/syncOrders');
    });
    expect(dropped.count - before).toBe(2);
  });
});
