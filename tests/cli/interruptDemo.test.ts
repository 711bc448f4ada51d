import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive } from '../../cli/embedded/lock';
import { buildCli, mainJs, root, waitFor } from './support/phc';

beforeAll(() => buildCli(), 180_000);

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const WRAP_ON = '\u001b[?7h';

/**
 * Ctrl-C as a terminal sends it: `script` gives phc a pseudo-terminal (so the progress bar draws, hiding the cursor),
 * and a ^C written to it reaches the whole foreground process group, as pressing the keys would.
 */
describe('Ctrl-C at a terminal during the demo', () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'phc-home-tty-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('restores the terminal, lets the run close as interrupted, stops PostgreSQL and exits 130', async () => {
    expect(existsSync('/usr/bin/script') || existsSync('/bin/script')).toBe(true);
    const command = `${process.execPath} ${mainJs} pipeline --customers 500 --products 20 --orders 20000`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: { ...process.env, PHC_HOME: home, DATABASE_URL: '', PGHOST: '', PRESTASHOP_BASE_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    await waitFor('the orders progress bar', () => /orders\s+\d+ rows/.test(output), 120_000);
    child.stdin.write('\u0003');
    const code = await exited;

    expect(code).toBe(130);
    const afterLastBar = output.slice(output.lastIndexOf(HIDE_CURSOR));
    expect(afterLastBar).toContain(SHOW_CURSOR);
    expect(afterLastBar).toContain(WRAP_ON);
    expect(output).toContain('interrupted: stopping the sync after the page in flight');
    const lines = output.split(/\r?\n/).filter((l) => l.startsWith('phc: '));
    expect(lines).toHaveLength(1);
    expect(output).not.toMatch(/^\s+at /m);
    // The server outlived the keypress (its own session), then phc stopped it.
    const pidFile = path.join(home, 'postgres', 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
    expect(pid === undefined || !processAlive(pid)).toBe(true);
    // The orders run stopped after its page and recorded itself as interrupted (needs the sync core's signal).
    expect(lines[0]).toMatch(/^phc: interrupted: (\w+, )*customers, (\w+, )*products(, \w+)* finished; orders run \d+ stopped after \d+ page\(s\) .*recorded as interrupted.*; order_slip, order_payments, order_histories not started$/);
  }, 180_000);
});
