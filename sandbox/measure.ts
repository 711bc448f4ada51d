import { startSandbox } from './index';

/**
 * Start-up time and memory of a large sandbox (not a test: nothing here asserts a duration).
 * Run: npx tsc -p tsconfig.build.json && node --expose-gc dist/sandbox/measure.js [orders]
 */
export async function measureSandbox(orders: number): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  const sandbox = await startSandbox({ orders, customers: Math.max(50, Math.floor(orders / 10)), products: 500, clock: { epochSeconds: Date.UTC(2024, 5, 3, 10) / 1000, frozen: true } });
  const startMs = performance.now() - started;
  gc?.();
  const after = process.memoryUsage();
  const auth = { Authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString('base64')}` };
  const timed = async (query: string): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${sandbox.baseUrl}${query}`, { headers: auth });
    await res.text();
    return performance.now() - t;
  };
  const probeMs = await timed('/api/orders?display=[id,date_upd]&date=1&sort=[date_upd_DESC,id_DESC]&limit=1&output_format=JSON');
  const pageMs = await timed(
    '/api/orders?date=1&display=full&filter[date_upd]=[2022-03-01 00:00:00,2022-03-31 23:59:59]&filter[id]=>[0]&sort=[id_ASC]&limit=100&output_format=JSON',
  );
  const window = 'filter[date_add]=[2022-03-01 00:00:00,2022-03-31 23:59:59]';
  const paymentsPageMs = await timed(`/api/order_payments?date=1&display=full&${window}&filter[id]=>[0]&sort=[id_ASC]&limit=100&output_format=JSON`);
  const historiesWindowMs = await timed(`/api/order_histories?date=1&display=[id,id_order,date_add]&${window}&output_format=JSON`);
  const someOrders = Array.from({ length: 100 }, (_, i) => Math.floor(orders / 2) + i * 7).join('|');
  const detailsByOrderMs = await timed(`/api/order_details?display=full&filter[id_order]=[${someOrders}]&output_format=JSON`);
  await sandbox.close();
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return {
    orders,
    startMs: Math.round(startMs),
    heapUsedMb: mb(after.heapUsed - before.heapUsed),
    arrayBuffersMb: mb(after.arrayBuffers - before.arrayBuffers),
    rssMb: mb(after.rss),
    probeMs: Math.round(probeMs),
    keysetPageMs: Math.round(pageMs),
    paymentsPageMs: Math.round(paymentsPageMs),
    historiesWindowMs: Math.round(historiesWindowMs),
    detailsByOrderMs: Math.round(detailsByOrderMs),
  };
}

if (require.main === module) {
  measureSandbox(Number(process.argv[2] ?? 1_000_000))
    .then((result) => console.log(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
