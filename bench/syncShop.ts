/**
 * The benchmark's shop, in its own process so its memory and CPU are not counted as the sync's:
 * starts the sandbox, writes every record (display=full, secrets removed) as COPY text, one file per entity,
 * prints {"baseUrl","apiKey","files","counts"} and serves until stdin closes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { startSandbox } from '../sandbox';
import { stripSensitive } from '../shared/prestashop/sensitiveFields';

/** The streams the sync benchmark loads and checks. */
const BENCHED_STREAMS = ['customers', 'products', 'orders'] as const;

async function writeCopyFile(file: string, records: readonly { id: number }[]): Promise<void> {
  const out = createWriteStream(file);
  for (const record of records) {
    // COPY text format: a backslash must be doubled; JSON never carries raw tabs or newlines.
    const line = `${record.id}\t${JSON.stringify(stripSensitive(record)).replace(/\\/g, '\\\\')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const [orders, dir] = [Number(process.argv[2] ?? 100_000), process.argv[3] ?? '.'];
  const customers = Math.max(100, Math.round(orders / 4));
  const products = Math.max(50, Math.round(orders / 50));
  const start = Math.floor(Date.now() / 1000) - 600;
  const shop = await startSandbox({ seed: 11, orders, customers, products, clock: { epochSeconds: start, frozen: true } });
  shop.control.advance(600); // past the lag, so a first window sees every seeded record
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const entity of BENCHED_STREAMS) {
    const records = shop.control.records(entity);
    files[entity] = path.join(dir, `${entity}.copy`);
    counts[entity] = records.length;
    await writeCopyFile(files[entity], records);
  }
  process.stdout.write(`${JSON.stringify({ baseUrl: shop.baseUrl, apiKey: shop.apiKey, files, counts })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void shop.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
