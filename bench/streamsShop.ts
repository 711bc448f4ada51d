/**
 * The shop of the every-stream benchmark (bench/shopScale.ts), in its own process so its memory and CPU are not the
 * pipeline's. Starts the sandbox with every resource, prints {"baseUrl","apiKey"}, then answers one command a line
 * on stdin with one JSON line on stdout:
 *   activity <seconds>   a day of shop life spread over the next <seconds> of shop time (orders, refunds,
 *                        payments, state changes, removed lines, stock and price changes, a few hard deletes),
 *                        then the clock moves past the sync lag
 *   dump <dir>           every record of every stream as COPY text (display=full, secrets removed, unstorable text
 *                        repaired by the one rule raw applies), one file a stream, with the counts
 * and closes when stdin ends.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startSandbox, type Sandbox } from '../sandbox';
import { storableJson } from '../shared/db/storableText';
import { stripSensitive } from '../shared/prestashop/sensitiveFields';
import { STREAM_NAMES, STREAMS } from '../shared/sync/entities';

const LAG_PAST = 600;

async function writeCopyFile(file: string, records: readonly { id: number }[]): Promise<void> {
  const out = createWriteStream(file);
  for (const record of records) {
    // COPY text format: a backslash must be doubled; JSON never carries raw tabs or newlines.
    const line = `${record.id}\t${storableJson(stripSensitive(record)).json.replace(/\\/g, '\\\\')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function dump(shop: Sandbox, dir: string): Promise<unknown> {
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const stream of STREAM_NAMES) {
    const records = shop.control.records(STREAMS[stream].resource);
    files[stream] = path.join(dir, `${stream}.copy`);
    counts[stream] = records.length;
    await writeCopyFile(files[stream], records);
  }
  return { files, counts };
}

/** About 1% of the orders change in a day, with their documents; a few records disappear for good. */
function activity(shop: Sandbox, orders: number, seconds: number): unknown {
  const since = shop.control.now();
  shop.control.advance(seconds);
  const share = (n: number): number => Math.max(1, Math.round(orders * n));
  const summary = shop.control.simulateActivity({
    newCustomers: share(0.001), newOrders: share(0.005), updatedOrders: share(0.003), statusChanges: share(0.003),
    softDeletes: share(0.0001), refunds: share(0.001), removedLines: share(0.0005), stockChanges: share(0.0005),
    priceChanges: share(0.0002), spreadSince: since,
  });
  const customers = shop.control.records('customers');
  const gone = customers.slice(0, Math.max(1, Math.round(customers.length * 0.0005))).map((c) => c.id);
  for (const id of gone) shop.control.hardDelete('customers', id);
  shop.control.advance(LAG_PAST);
  const counts: Record<string, unknown> = { hardDeletedCustomers: gone.length };
  for (const [kind, ids] of Object.entries(summary) as [string, unknown][]) counts[kind] = Array.isArray(ids) ? ids.length : ids;
  return counts;
}

async function main(): Promise<void> {
  const orders = Number(process.argv[2] ?? 100_000);
  const start = Math.floor(Date.now() / 1000) - 2 * 86_400;
  const shop = await startSandbox({
    seed: 17, orders, customers: Math.max(100, Math.round(orders / 4)), products: Math.max(50, Math.round(orders / 50)),
    clock: { epochSeconds: start, frozen: true },
  });
  shop.control.advance(LAG_PAST); // past the lag, so a first window sees every seeded record
  process.stdout.write(`${JSON.stringify({ baseUrl: shop.baseUrl, apiKey: shop.apiKey })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.split(' ');
    const result = command === 'dump' ? await dump(shop, arg ?? '.') : activity(shop, orders, Number(arg ?? 3600));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  await shop.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
