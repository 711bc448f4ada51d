import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runReconcile } from '../../shared/sync/reconcile';
import { runSync } from '../../shared/sync/runSync';
import { expectRawEqualsShop, historyCount, lastRun, rawPayloads, shopPayloads, startSyncEnv, watermarkOf, type SyncEnv } from './support';

const root = path.resolve(__dirname, '../..');

/** Compiles the child script (and what it imports) with the project's compiler options: ts-node is not installed. */
function compileChild(outDir: string): string {
  const config = path.join(outDir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(root, 'tsconfig.json'),
      compilerOptions: { outDir, rootDir: root, types: ['node'], sourceMap: false, incremental: false, noEmitOnError: false },
      files: [path.join(root, 'tests/sync/fixtures/syncChild.ts')],
      include: [],
    }),
  );
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    // Type errors elsewhere in the tree still emit JavaScript; only a missing output is fatal (checked below).
    void error;
  }
  return path.join(outDir, 'tests/sync/fixtures/syncChild.js');
}

describe('a sync process killed mid-window', () => {
  let env: SyncEnv;
  let outDir: string;
  let child: string;

  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'phc-sync-child-'));
    child = compileChild(outDir);
  }, 120_000);

  afterEach(async () => {
    await env?.close();
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Starts the child sync; resolves with the child once it has committed `pages` pages (then the caller kills it). */
  async function startChild(pages: number, concurrency: number): Promise<{ kill: () => Promise<void> }> {
    const proc = spawn(process.execPath, [child], {
      env: {
        ...process.env, NODE_PATH: path.join(root, 'node_modules'), CHILD_DATABASE_URL: env.db.url, CHILD_SHOP_URL: env.shop.baseUrl,
        CHILD_SHOP_KEY: env.shop.apiKey, CHILD_PAGE_SIZE: '20', CHILD_CONCURRENCY: String(concurrency),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: proc.stdout }).on('line', (line) => {
        if ((JSON.parse(line) as { page?: number }).page !== undefined && ++seen >= pages) resolve();
      });
      proc.once('exit', () => reject(new Error(`child ended after ${seen} pages: ${stderr}`)));
    });
    return {
      kill: async () => {
        proc.kill('SIGKILL');
        await exited;
      },
    };
  }

  it('after several kills at random moments of a first load, with the shop changing in between, one run makes raw equal to the shop', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 900 });
    env.shop.control.setFaults({ latencyMs: 40 });
    let seed = 20_240_603;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let kill = 0; kill < 4; kill++) {
      const running = await startChild(1 + random(4), 1 + (kill % 3));
      await running.kill();
      // The shop goes on between runs: new orders, changed ones, one hard delete.
      env.shop.control.advance(30 + random(120));
      const ids = [...shopPayloads(env.shop, 'orders').keys()];
      for (let i = 0; i < 5; i++) env.shop.control.update('orders', ids[random(ids.length)]!, { note: `between kills ${kill}` });
      env.shop.control.add('orders');
      env.shop.control.hardDelete('orders', ids[random(ids.length)]!);
    }
    env.shop.control.clearFaults();
    env.shop.control.advance(300);
    const final = await runSync({ ...env.deps, settings: { ...env.deps.settings, concurrency: 3 } }, 'orders', { trigger: 'test' });
    expect(final.status).toBe('succeeded');
    await runReconcile(env.deps, 'orders', { trigger: 'test' });
    await expectRawEqualsShop(env, 'orders');
  }, 120_000);

  it('resumes from its checkpoint: nothing missing, nothing duplicated', async () => {
    env = await startSyncEnv({ customers: 0, products: 0, orders: 300 });
    env.shop.control.setFaults({ latencyMs: 100 }); // 15 pages take seconds: the kill lands mid-window
    const proc = spawn(process.execPath, [child], {
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), CHILD_DATABASE_URL: env.db.url, CHILD_SHOP_URL: env.shop.baseUrl, CHILD_SHOP_KEY: env.shop.apiKey, CHILD_PAGE_SIZE: '20' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: proc.stdout });
    const firstLine = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      proc.once('exit', () => reject(new Error(`child ended before a page: ${stderr}`)));
    });
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(JSON.parse(firstLine)).toMatchObject({ page: 1 });

    const checkpoint = await watermarkOf(env.db.pool, 'orders');
    expect(checkpoint.watermark).toBe('1970-01-01 00:00:00');
    expect(checkpoint.lastId).not.toBeNull();
    const loaded = await rawPayloads(env.db.pool, 'orders');
    expect(loaded.size).toBeGreaterThanOrEqual(20);
    expect(loaded.size).toBeLessThan(300);
    expect(Math.max(...loaded.keys())).toBe(checkpoint.lastId);
    expect(await lastRun(env.db.pool, 'orders')).toMatchObject({ status: 'running' });

    env.shop.control.clearFaults();
    const rerun = await runSync(env.deps, 'orders', { trigger: 'test' });
    expect(rerun).toMatchObject({ status: 'succeeded', resumed: true, windowLo: checkpoint.lo, windowHi: checkpoint.hi, rowsChanged: 300 - loaded.size });
    expect(rerun.rowsFetched).toBe(300 - loaded.size); // only ids after the checkpoint were read again
    await expectRawEqualsShop(env, 'orders');
    expect(await historyCount(env.db.pool, 'orders')).toBe(300);
    const { rows } = await env.db.pool.query("select count(*)::int as n from staging.etl_runs where status = 'running'");
    expect(rows[0].n).toBe(0); // the killed run is closed as abandoned
  });
});
