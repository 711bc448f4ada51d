import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../shared/config';
import { type Declaration, infraDir, loadBicep, repoRoot, stringValue, valueOf } from './bicep';

/**
 * Flex Consumption scales each non-HTTP function on its own, up to maximumInstanceCount instances per function
 * (lowest accepted value: 40). PostgreSQL Flexible Server admits a fixed number of user connections per SKU. This
 * test computes the most connections the app can open from the Bicep parameters, host.json and the code's pool
 * settings, and fails when that leaves too little for the post-provision hook, psql and BI tools.
 */

/**
 * max_connections and the user connections left after the 15 Azure reserves, per compute size (Learn: "Limits in
 * Azure Database for PostgreSQL flexible server", maximum connections). Every size main.bicep allows must be here.
 */
const USER_CONNECTIONS: Record<string, { maxConnections: number; userConnections: number }> = {
  Standard_B1ms: { maxConnections: 50, userConnections: 35 },
  Standard_B2s: { maxConnections: 429, userConnections: 414 },
  Standard_B2ms: { maxConnections: 859, userConnections: 844 },
  Standard_D2ds_v5: { maxConnections: 859, userConnections: 844 },
  Standard_D4ds_v5: { maxConnections: 1718, userConnections: 1703 },
  Standard_E2ds_v5: { maxConnections: 1718, userConnections: 1703 },
  Standard_E4ds_v5: { maxConnections: 3437, userConnections: 3422 },
};

/**
 * Connections kept for everything that is not the Function App: the post-provision hook and an operator's phc
 * (PG_POOL_MAX each), psql, and a BI tool or two. docs/deploy.md states the same figure.
 */
const OTHER_CLIENTS = 10;

const main = loadBicep(path.join(infraDir, 'main.bicep'));
const functionApp = loadBicep(path.join(infraDir, 'modules', 'functionApp.bicep'));
const param = (name: string, file = main): Declaration => {
  const found = file.decls.find((d) => d.kind === 'param' && d.name === name);
  if (!found) throw new Error(`no param ${name}`);
  return found;
};
const defaultOf = (name: string, file = main): string => {
  const value = valueOf(param(name, file));
  return value ? (stringValue(value) ?? value.text) : '';
};
const decorator = (name: string, decoratorName: string, file = main): string | undefined =>
  param(name, file).decorators.find((d) => d.name === decoratorName)?.args[0]?.text;
const allowed = (name: string): string[] =>
  (param(name).decorators.find((d) => d.name === 'allowed')?.args[0]?.namedChildren ?? []).map((n) => stringValue(n) ?? n.text);

interface Registration {
  name: string;
  trigger: 'timer' | 'storageQueue' | 'other';
  source: string;
}

/** The functions the app registers (app.timer / app.storageQueue / ... in functions/). */
function registrations(): Registration[] {
  const dir = path.join(repoRoot, 'functions');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const source = readFileSync(path.join(dir, f), 'utf8');
      return [...source.matchAll(/app\.(\w+)\('([^']+)'/g)].map((m) => ({
        name: m[2] ?? '',
        trigger: m[1] === 'timer' ? ('timer' as const) : m[1] === 'storageQueue' ? ('storageQueue' as const) : ('other' as const),
        source,
      }));
    });
}

const host = JSON.parse(readFileSync(path.join(repoRoot, 'host.json'), 'utf8')) as { extensions: { queues: { batchSize: number; newBatchThreshold: number } } };

/** A queue function is single-flight when it opens its runtime only inside runSingleFlight's round (tests/functions prove the behaviour). */
const singleFlight = (r: Registration): boolean => {
  const flight = r.source.indexOf('runSingleFlight(');
  const opens = [...r.source.matchAll(/openRuntime\(context\)/g)].map((m) => m.index);
  return flight >= 0 && opens.length > 0 && opens.every((i) => i > flight);
};

interface Budget {
  timers: number;
  queue: number;
  total: number;
}

function appConnections(options: { instances: number; timerPool: number; refreshPool: number; singleFlightQueue: boolean }): Budget {
  const functions = registrations();
  expect(functions.filter((f) => f.trigger === 'other')).toEqual([]);
  // Timers hold a singleton lock across instances: one invocation of each at a time.
  const timers = functions.filter((f) => f.trigger === 'timer').length * options.timerPool;
  // A queue function runs batchSize + newBatchThreshold messages per instance at once, on every instance, unless
  // single-flight: then one holder connects, two while a lost lease is taken over (LEASE_SECONDS without renewal).
  const perInstance = host.extensions.queues.batchSize + host.extensions.queues.newBatchThreshold;
  const queue = functions
    .filter((f) => f.trigger === 'storageQueue')
    .reduce((sum, f) => sum + (options.singleFlightQueue && singleFlight(f) ? 2 : options.instances * perInstance) * options.refreshPool, 0);
  return { timers, queue, total: timers + queue };
}

describe('Flex Consumption instance floor', () => {
  it('maximumInstanceCount is at least 40 (the lowest Flex Consumption accepts in most regions), 40 by default', () => {
    expect(decorator('maximumInstanceCount', 'minValue')).toBe('40');
    expect(decorator('maximumInstanceCount', 'maxValue')).toBe('1000');
    expect(Number(defaultOf('maximumInstanceCount'))).toBeGreaterThanOrEqual(40);
  });

  it('a value below 40 needs the explicit opt-in parameter, off by default', () => {
    expect([decorator('maximumInstanceCountBelowFloor', 'minValue'), decorator('maximumInstanceCountBelowFloor', 'maxValue')]).toEqual(['0', '39']);
    expect(defaultOf('maximumInstanceCountBelowFloor')).toBe('0');
    const effective = main.decls.find((d) => d.kind === 'var' && d.name === 'effectiveMaximumInstanceCount');
    expect(effective && valueOf(effective)?.text).toBe('maximumInstanceCountBelowFloor > 0 ? maximumInstanceCountBelowFloor : maximumInstanceCount');
    const module = main.decls.find((d) => d.kind === 'module' && d.name === 'functionApp');
    expect(module?.node.text).toMatch(/maximumInstanceCount: effectiveMaximumInstanceCount\n/);
  });

  it('the example parameters file respects the floor', () => {
    const prod = JSON.parse(readFileSync(path.join(infraDir, 'env', 'prod.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
    expect(Number(prod.parameters.maximumInstanceCount?.value ?? 40)).toBeGreaterThanOrEqual(40);
    expect(prod.parameters.maximumInstanceCountBelowFloor).toBeUndefined();
  });
});

describe('PostgreSQL connection budget', () => {
  const sku = defaultOf('postgresSkuName');
  const instances = Number(defaultOf('maximumInstanceCount'));
  const timerPool = Number(defaultOf('postgresPoolMax'));
  const refreshPool = Number(defaultOf('postgresRefreshPoolMax'));

  it('knows the connection limit of every SKU main.bicep allows', () => {
    expect(allowed('postgresSkuName').filter((s) => !USER_CONNECTIONS[s])).toEqual([]);
    expect(sku).toBe('Standard_B1ms');
    expect(USER_CONNECTIONS[sku]).toEqual({ maxConnections: 50, userConnections: 35 });
  });

  it('the Bicep pool defaults are the code defaults (PG_POOL_MAX, PG_POOL_MAX_REFRESH)', () => {
    expect([timerPool, refreshPool]).toEqual([DEFAULTS.PG_POOL_MAX, DEFAULTS.PG_POOL_MAX_REFRESH]);
    expect([defaultOf('postgresPoolMax', functionApp), defaultOf('postgresRefreshPoolMax', functionApp)]).toEqual([String(timerPool), String(refreshPool)]);
    // A sync holds one client for its lock and needs a second for the run ledger.
    expect(decorator('postgresPoolMax', 'minValue')).toBe('2');
  });

  it('finds four timers and one queue-triggered, single-flight refresh, one message at a time per instance', () => {
    const functions = registrations();
    expect(functions.map((f) => `${f.trigger} ${f.name}`).sort()).toEqual(['storageQueue refreshAnalytics', 'timer reconcile', 'timer syncCustomers', 'timer syncOrders', 'timer syncProducts']);
    expect(functions.filter((f) => f.trigger === 'storageQueue').every(singleFlight)).toBe(true);
    expect(host.extensions.queues).toMatchObject({ batchSize: 1, newBatchThreshold: 0 });
  });

  it(`holds at the defaults on the default SKU, whatever the instance count: app + ${OTHER_CLIENTS} other clients <= user connections`, () => {
    const budget = appConnections({ instances, timerPool, refreshPool, singleFlightQueue: true });
    expect(budget).toEqual({ timers: 4 * 4, queue: 2 * 2, total: 20 });
    expect(budget.total + OTHER_CLIENTS).toBeLessThanOrEqual(USER_CONNECTIONS[sku]!.userConnections);
    // Single flight makes it independent of the scale-out: the most instances allowed changes nothing.
    expect(appConnections({ instances: 1000, timerPool, refreshPool, singleFlightQueue: true })).toEqual(budget);
    for (const size of allowed('postgresSkuName')) {
      expect([size, budget.total + OTHER_CLIENTS <= USER_CONNECTIONS[size]!.userConnections]).toEqual([size, true]);
    }
  });

  it('fails where it should: without single flight the queue trigger alone would exceed the server at the floor', () => {
    const unbounded = appConnections({ instances, timerPool, refreshPool, singleFlightQueue: false });
    expect(unbounded.queue).toBe(40 * 1 * 2);
    expect(unbounded.total + OTHER_CLIENTS).toBeGreaterThan(USER_CONNECTIONS[sku]!.userConnections);
    // and so would a timer pool that no longer fits (4 timers x 6 + 2 x 2 + 10 = 38 > 35).
    expect(appConnections({ instances, timerPool: 6, refreshPool, singleFlightQueue: true }).total + OTHER_CLIENTS).toBeGreaterThan(35);
  });
});
