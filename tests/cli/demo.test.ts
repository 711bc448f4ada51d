import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Client } from 'pg';
import type { EntityReport } from '../../cli/report';
import { buildCli, expectOneClearLine, phc, root, startPhc, waitFor } from './support/phc';

interface Report {
  mode: string;
  firstRun: boolean;
  activity: Record<string, number> | null;
  seeded: Array<{ resource: string; generated: number; inShop: number }> | null;
  entities: EntityReport[];
  kpis: Array<{ sales_date: string; orders_count: number }>;
  revenue: { days: Array<Record<string, string>>; total: Record<string, string> | null };
  quality: { failedCritical: unknown[] };
  connect: { psql: string; port: number; passwordFile: string };
}

const byEntity = (report: Report, entity: string): EntityReport => {
  const found = report.entities.find((e) => e.entity === entity);
  if (!found) throw new Error(`no ${entity} in the report`);
  return found;
};

// A deliberately small shop: these are the slowest tests of the suite.
const SMALL_SHOP = ['--customers', '40', '--products', '10', '--orders', '150'];

/** The settings of a running demo, as its demo.env gives them to another shell. */
function demoEnv(home: string): Record<string, string> {
  const text = readFileSync(path.join(home, 'demo.env'), 'utf8');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1).replace(/^'|'$/g, '').replace(/'\\''/g, "'")];
      }),
  );
}

beforeAll(() => buildCli(), 180_000);

describe('phc pipeline on embedded defaults', () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'phc-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('loads the sandbox shop, explains what it loaded, then on a second run loads only what changed in the shop', async () => {
    // The port the demo used last time, taken by another program since: the demo moves and says so (even with --json).
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const secret = (): string => randomBytes(18).toString('base64url');
    writeFileSync(path.join(home, 'embedded.json'), JSON.stringify({ port: taken, runs: 0, passwords: { admin: secret(), etl_user: secret(), analytics_reader: secret() } }), { mode: 0o600 });
    const first = await phc(['pipeline', '--json', ...SMALL_SHOP], { PHC_HOME: home }).finally(() => blocker.close());
    expect({ code: first.code, errors: first.errorLines }).toEqual({ code: 0, errors: [] });
    const one = JSON.parse(first.stdout) as Report;
    expect(one.connect.port).not.toBe(taken);
    expect(first.stderr).toContain(`port ${taken} is busy, so the embedded PostgreSQL listens on 127.0.0.1:${one.connect.port} this time`);
    expect(one.mode).toBe('embedded');
    expect(one.firstRun).toBe(true);
    expect(byEntity(one, 'orders')).toMatchObject({ rows: 150, fetchedThisRun: 150, changedThisRun: 150, status: 'succeeded', hardDeleted: 0, softDeleted: null });
    expect(byEntity(one, 'products')).toMatchObject({ rows: 10, changedThisRun: 10 });
    const customers1 = byEntity(one, 'customers');
    expect(customers1.changedThisRun).toBe(customers1.rows);
    // The generator deletes some customers, as shops do: the report says how many of the 40 are left.
    expect(one.seeded?.find((s) => s.resource === 'customers')).toEqual({ resource: 'customers', generated: 40, inShop: customers1.rows });
    expect(customers1.softDeleted).toEqual(expect.any(Number));
    // Every stream loads, documents, catalog and stock alike, not only the three timers' first streams.
    expect(one.entities.filter((e) => e.status !== 'succeeded')).toEqual([]);
    for (const stream of ['order_slip', 'order_payments', 'order_histories', 'addresses', 'categories', 'stock_availables']) {
      expect(byEntity(one, stream).rows).toBeGreaterThan(0);
    }
    expect(one.kpis.length).toBeGreaterThan(0);
    // Gross, discounts, refunds, net sales and margin of the same days (the demo's last week may be quiet): net = gross - discounts - refunds.
    expect(one.revenue.days.map((d) => d.sales_date)).toEqual(one.kpis.map((k) => k.sales_date));
    for (const day of [...one.revenue.days, ...(one.revenue.total ? [one.revenue.total] : [])]) {
      const netSales = Number(day.gross_sales_tax_excl) - Number(day.discounts_tax_excl) - Number(day.refunds_tax_excl);
      expect({ day: day.sales_date, off: Math.abs(Number(day.net_sales_tax_excl) - netSales) <= 0.02 }).toEqual({ day: day.sales_date, off: true });
    }
    expect(one.quality.failedCritical).toEqual([]);
    expect(one.connect.psql).toMatch(new RegExp(`psql -h 127\\.0\\.0\\.1 -p ${one.connect.port} -U analytics_reader phc_analytics`));

    const second = await phc(['pipeline', '--json', ...SMALL_SHOP], { PHC_HOME: home });
    expect({ code: second.code, errors: second.errorLines }).toEqual({ code: 0, errors: [] });
    const three = JSON.parse(second.stdout) as Report;
    expect(three.firstRun).toBe(false);
    const activity = three.activity ?? {};
    const newOrders = activity.newOrders ?? 0;
    expect(newOrders).toBeGreaterThan(0);
    const orders3 = byEntity(three, 'orders');
    expect(orders3.rows).toBe(150 + newOrders);
    // Only the changes: the new orders, and at most the updated and re-stated ones besides.
    expect(orders3.changedThisRun).toBeGreaterThanOrEqual(newOrders);
    expect(orders3.changedThisRun).toBeLessThanOrEqual(newOrders + (activity.updatedOrders ?? 0) + (activity.statusChanges ?? 0));
    expect(orders3.fetchedThisRun).toBeLessThan(150);
    expect(byEntity(three, 'products')).toMatchObject({ rows: 10, changedThisRun: 0 });
    // The shop's refunds and stock moves since the last run arrive too.
    expect(byEntity(three, 'order_slip').changedThisRun).toBe(activity.refunds);
    expect(byEntity(three, 'stock_availables').changedThisRun).toBeGreaterThan(0);
    expect(three.quality.failedCritical).toEqual([]);
  }, 180_000);

  it('refuses a second demo on the same folder while the first runs, leaves the first intact, and runs again once it stopped', async () => {
    const kept = startPhc(['pipeline', '--keep-running'], { PHC_HOME: home });
    try {
      await waitFor('the kept demo to print its report', () => kept.stdout().includes('stay up until Ctrl-C'), 120_000);
      const second = await phc(['pipeline'], { PHC_HOME: home });
      expect(second.code).toBe(1);
      expectOneClearLine(second, new RegExp(`^phc: the demo in ${home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is in use by another phc \\(pid ${kept.child.pid}`));
      expect(second.errorLines[0]).toContain('demo.env');

      // The first demo's PostgreSQL still answers, with its own settings.
      const env = demoEnv(home);
      const client = new Client({ host: env.PGHOST, port: Number(env.PGPORT), database: env.PGDATABASE, user: env.PGUSER, password: env.PGPASSWORD });
      await client.connect();
      await client.query('select 1');
      await client.end();
      const status = await phc(['status'], env);
      expect({ code: status.code, errors: status.errorLines }).toEqual({ code: 0, errors: [] });
    } finally {
      kept.child.kill('SIGINT');
    }
    const ended = await kept.done;
    expect({ code: ended.code, errors: ended.errorLines }).toEqual({ code: 0, errors: [] });
    expect(ended.stderr).toContain('interrupted: stopping the embedded PostgreSQL and the sandbox shop');

    const again = await phc(['pipeline'], { PHC_HOME: home });
    expect({ code: again.code, errors: again.errorLines }).toEqual({ code: 0, errors: [] });
    expect(again.stdout).toContain('Incremental load');
    expect(again.stdout).toMatch(/date\s+gross\s+discounts\s+refunds\s+net sales\s+margin/);
    expect(again.stdout).toMatch(/entity\s+rows\s+hard-deleted\s+soft-deleted\s+fetched\s+changed/);
  }, 240_000);

  it('takes the folder over when the demo that held it was killed', async () => {
    const kept = startPhc(['pipeline', '--keep-running'], { PHC_HOME: home });
    await waitFor('the kept demo to print its report', () => kept.stdout().includes('stay up until Ctrl-C'), 120_000);
    kept.child.kill('SIGKILL');
    await kept.done;
    const after = await phc(['pipeline'], { PHC_HOME: home });
    expect({ code: after.code, errors: after.errorLines }).toEqual({ code: 0, errors: [] });
    expect(after.stderr).toContain('stopping the embedded PostgreSQL an earlier run left running');
  }, 240_000);
});

describe('the demo folder phc cannot use', () => {
  let scratch: string;
  const asRoot = process.getuid?.() === 0;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'phc-home-bad-'));
    chmodSync(scratch, 0o755);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('PHC_HOME naming a file: exit 2 and one line', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await phc(['pipeline'], { PHC_HOME: file });
    expect(run.code).toBe(2);
    expectOneClearLine(run, /^phc: PHC_HOME \(.*a-file\) is a file, not a folder: set PHC_HOME to a folder/);
  });

  it('a folder phc may not write (a read-only checkout): exit 2 and one line', async () => {
    // As root every folder is writable, so the read-only case is a run as the user nobody on the checkout's .phc.
    const readOnly = path.join(scratch, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const run = asRoot
      ? await phc(['pipeline'], { PHC_HOME: '', HOME: scratch }, { uid: 65534, gid: 65534 })
      : await phc(['pipeline'], { PHC_HOME: path.join(readOnly, 'home') });
    expect(run.code).toBe(2);
    expectOneClearLine(run, /^phc: phc may not create the demo folder in .* \(permission denied\): set PHC_HOME to a folder you can write/);
    if (asRoot) expect(run.errorLines[0]).toContain(path.join(root, '.phc'));
  });

  it('a demo state phc may not read is not called invalid JSON, and nothing is deleted', async () => {
    const home = path.join(scratch, 'private');
    mkdirSync(home, { mode: 0o755 });
    const state = path.join(home, 'embedded.json');
    writeFileSync(state, '{}', { mode: 0o600 });
    // The folder is the runner's, the state file not: as root, root's file in a folder of nobody's.
    if (asRoot) chownSync(home, 65534, 65534);
    else chmodSync(state, 0o000);
    const run = asRoot ? await phc(['pipeline'], { PHC_HOME: home, HOME: scratch }, { uid: 65534, gid: 65534 }) : await phc(['pipeline'], { PHC_HOME: home });
    expect(run.code).toBe(1);
    expectOneClearLine(run, /^phc: phc may not read .*embedded\.json \(permission denied\): run phc as the user who owns/);
    expect(run.errorLines[0]).not.toMatch(/JSON|delete/);
    chmodSync(state, 0o600);
    expect(readFileSync(state, 'utf8')).toBe('{}');
  });

  it('a data folder PostgreSQL cannot reach: one line, no stack', async () => {
    // As root, PostgreSQL runs as the OS user postgres, which may not enter a 0700 folder of root's.
    const closed = path.join(scratch, 'closed');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, asRoot ? 0o700 : 0o500);
    const run = await phc(['pipeline'], { PHC_HOME: path.join(closed, 'home') });
    expect(run.code).toBe(2);
    expectOneClearLine(run, asRoot ? /^phc: embedded PostgreSQL cannot use .*OS user postgres, which may not enter .*closed\. Set PHC_HOME/ : /^phc: phc may not create the demo folder/);
    if (asRoot) chownSync(closed, 0, 0);
  });
});
