import type { Sandbox } from '../../sandbox';
import { WorkerPool } from '../../sandbox/http/workers';
import { callJson, start, type Json } from './support';

const ids = (body: Json): number[] => (Array.isArray(body) ? [] : (body.orders as Array<{ id: number }>).map((o) => o.id));

/** Resolves once `check` holds, polling the sandbox's own counters (no fixed sleeps). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** A request that will hang; aborted by the returned function (the client giving up). */
function hangingRequest(sb: Sandbox, pathAndQuery: string): { abort: () => void; done: Promise<unknown> } {
  const controller = new AbortController();
  const headers = { Authorization: `Basic ${Buffer.from(`${sb.apiKey}:`).toString('base64')}` };
  const done = fetch(`${sb.baseUrl}${pathAndQuery}`, { headers, signal: controller.signal }).catch((error: unknown) => error);
  return { abort: () => controller.abort(), done };
}

describe('the PHP worker pool', () => {
  test('grants workers in FIFO order, at most capacity at once, and follows a capacity change', async () => {
    let capacity = 1;
    const pool = new WorkerPool(() => capacity);
    const order: string[] = [];
    const first = await pool.acquire();
    const waiting = ['b', 'c', 'd'].map((name) => pool.acquire().then((release) => (order.push(name), release)));
    expect(pool.stats()).toMatchObject({ inFlight: 1, queued: 3, inFlightPeak: 1, queuedPeak: 3 });
    first();
    first(); // a second release is harmless
    const b = await waiting[0]!;
    expect(order).toEqual(['b']);
    capacity = 3;
    pool.drain();
    const [c, d] = await Promise.all([waiting[1]!, waiting[2]!]);
    expect(order).toEqual(['b', 'c', 'd']);
    expect(pool.stats()).toMatchObject({ inFlight: 3, queued: 0, inFlightPeak: 3, phpWorkers: 3 });
    for (const release of [b, c, d]) release();
    pool.resetStats();
    expect(pool.stats()).toMatchObject({ apiRequests: 0, inFlight: 0, inFlightPeak: 0, queuedPeak: 0 });
  });
});

describe('sandbox PHP workers, latency and 429s', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await start({ orders: 120, customers: 20, products: 10, phpWorkers: 2 });
  });
  afterEach(() => sb.close());

  test('at most phpWorkers requests are processed at once; the rest queue; stats() and resetStats()', async () => {
    expect(sb.control.stats()).toMatchObject({ apiRequests: 0, inFlightPeak: 0, queuedPeak: 0, phpWorkers: 2 });
    sb.control.setFaults({ latencyMs: 300 });
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => callJson(sb, `/api/orders?filter[id]=[${i + 1}]`)));
    expect(replies.map((r) => ids(r.json()))).toEqual([[1], [2], [3], [4], [5], [6]]);
    expect(sb.control.stats()).toMatchObject({ apiRequests: 6, inFlight: 0, queued: 0, inFlightPeak: 2, queuedPeak: 4 });
    sb.control.resetStats();
    expect(sb.control.stats()).toMatchObject({ apiRequests: 0, inFlightPeak: 0, queuedPeak: 0 });
    // The fault setting overrides the option; clearFaults goes back to it.
    sb.control.setFaults({ phpWorkers: 5 });
    expect(sb.control.stats().phpWorkers).toBe(5);
    sb.control.clearFaults();
    expect(sb.control.stats().phpWorkers).toBe(2);
  });

  test('a hung request holds its worker until the client gives up; /__sandbox/ calls and 429s take none', async () => {
    sb.control.setFaults({ phpWorkers: 1, hangIds: [7] });
    const hung = hangingRequest(sb, '/api/orders/7?output_format=JSON');
    await until(() => sb.control.stats().inFlight === 1, 'the hung request holds the only worker');
    // Control calls answer while every worker is busy.
    const stats = (await (await fetch(`${sb.baseUrl}/__sandbox/stats`)).json()) as { result: { inFlight: number } };
    expect(stats.result.inFlight).toBe(1);
    // The hosting's 429 answers at once, with Retry-After, and the log shows it.
    sb.control.setFaults({ rate429: 1, retryAfterSeconds: 4 });
    const limited = await callJson(sb, '/api/orders?limit=1');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '4']);
    expect(sb.control.requests().at(-1)).toMatchObject({ path: '/api/orders', status: 429 });
    sb.control.setFaults({ rate429: 0 });
    // An ordinary request now waits for the worker...
    const queued = callJson(sb, '/api/orders?limit=2&sort=[id_ASC]');
    await until(() => sb.control.stats().queued === 1, 'the next request queues');
    // ...and gets it when the client of the hung one gives up.
    hung.abort();
    await hung.done;
    expect(ids((await queued).json())).toEqual([1, 2]);
    await until(() => sb.control.stats().inFlight === 0, 'the worker is free again');
    expect(sb.control.requests().find((r) => r.path === '/api/orders/7')?.status).toBe(0);
  });

  test('growing the pool with setFaults lets queued requests in at once', async () => {
    sb.control.setFaults({ phpWorkers: 1, hangIds: [3] });
    const hung = hangingRequest(sb, '/api/orders?display=full&filter[id]=[3]&output_format=JSON');
    await until(() => sb.control.stats().inFlight === 1, 'the hung request holds the worker');
    const queued = callJson(sb, '/api/orders?filter[id]=[4]');
    await until(() => sb.control.stats().queued === 1, 'the next request queues');
    sb.control.setFaults({ phpWorkers: 2 });
    expect(ids((await queued).json())).toEqual([4]);
    hung.abort();
    await hung.done;
  });

  test('latencyPerRecordMs: full records cost time (and show in the log), id-only rows nothing', async () => {
    sb.control.setFaults({ latencyPerRecordMs: 40 });
    const started = performance.now();
    const full = await callJson(sb, '/api/orders?display=full&sort=[id_ASC]&limit=10');
    // A lower bound only: the sleep guarantees it on any machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(10 * 40 - 5);
    expect(ids(full.json())).toHaveLength(10);
    await callJson(sb, '/api/orders?display=[id,date_upd]&limit=100');
    await callJson(sb, '/api/orders/5');
    const log = sb.control.requests().slice(-3);
    expect(log.map((r) => r.fullRecords)).toEqual([10, undefined, 1]);
  });
});
