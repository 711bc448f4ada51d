import type { Page, ShopRecord } from '../../shared/prestashop/api';
import { createShopApi, type PrestaShopClient, type ShopApiOptions } from '../../shared/prestashop/client';
import { PrestaShopError } from '../../shared/prestashop/errors';
import { languageValue } from '../../shared/prestashop/schemas';
import { addSeconds, compareShopLocal } from '../../shared/prestashop/shopTime';
import { startSandbox } from '../../sandbox';
import { capture } from './support/fakeShop';

/** The client against the sandbox shop: the same behaviours as the fixture tests, end to end over HTTP. */

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type SandboxOptions = NonNullable<Parameters<typeof startSandbox>[0]>;

const T0 = Date.UTC(2024, 5, 3, 10, 0, 0) / 1000; // 2024-06-03 12:00:00 in Paris
const LO = '1970-01-01 00:00:00';

let shop: Sandbox | undefined;
let captured: ReturnType<typeof capture>;

async function start(options: SandboxOptions = {}, client: Partial<ShopApiOptions> = {}): Promise<{ shop: Sandbox; api: PrestaShopClient }> {
  shop = await startSandbox({ seed: 11, customers: 40, products: 15, orders: 120, clock: { epochSeconds: T0, frozen: true }, ...options });
  captured = capture();
  const s = shop;
  const api = createShopApi({
    baseUrl: s.baseUrl,
    apiKey: () => Promise.resolve(s.apiKey),
    requestTimeoutMs: 1_000,
    retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 30_000 },
    random: () => 0.5,
    log: captured.log,
    telemetry: captured.telemetry,
    ...client,
  });
  return { shop: s, api };
}

afterEach(async () => {
  const s = shop;
  shop = undefined;
  if (!s) return;
  const scanned = [...captured.lines, JSON.stringify(captured.metrics), JSON.stringify(s.control.requests())].join('\n');
  await s.close();
  expect(scanned).not.toContain(s.apiKey);
});

async function walk(api: PrestaShopClient, resource: 'orders' | 'customers' | 'products', hi: string, pageSize: number, lo = LO): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of api.keysetPages({ resource, window: { field: 'date_upd', lo, hi }, afterId: 0, pageSize, display: 'full' })) pages.push(page);
  return pages;
}

function idsInWindow(s: Sandbox, resource: 'orders' | 'customers' | 'products', hi: string, lo = LO): number[] {
  return s.control
    .records(resource)
    .filter((r) => compareShopLocal(String(r.date_upd), lo) >= 0 && compareShopLocal(String(r.date_upd), hi) <= 0)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

const recordIds = (pages: Page[]): number[] => pages.flatMap((p) => p.records.map((r: ShopRecord) => r.id));

describe('client against the sandbox', () => {
  it('walks a window by keyset: every record once, pages by id, the right requests', async () => {
    const { shop: s, api } = await start();
    const hi = s.control.shopLocalNow();
    const pages = await walk(api, 'orders', hi, 25);
    const expected = idsInWindow(s, 'orders', hi);
    expect(expected.length).toBeGreaterThan(25);
    expect(recordIds(pages)).toEqual(expected);
    expect(pages.flatMap((p) => p.rejected)).toEqual([]);
    expect(pages.at(-1)?.last).toBe(true);
    // every page, plus the highest-id probe that confirms the short last page ends the window
    const requests = s.control.requests().filter((r) => r.path === '/api/orders' && r.query.sort === '[id_ASC]');
    expect(requests).toHaveLength(pages.length);
    for (const r of requests) {
      expect(r.query).toMatchObject({ display: 'full', date: '1', output_format: 'JSON', sort: '[id_ASC]', limit: '25', 'filter[date_upd]': `[${LO},${hi}]` });
      expect(r.query['filter[id]']).toMatch(/^>\[\d+\]$/);
      expect(r.status).toBe(200);
    }
    const order = pages[0]?.records[0];
    expect((order?.associations as { order_rows?: unknown[] } | undefined)?.order_rows?.length).toBeGreaterThan(0);
  });

  it('sees an update with a later date_upd in the next window only', async () => {
    const { shop: s, api } = await start();
    const hi = s.control.shopLocalNow();
    const first = idsInWindow(s, 'customers', hi);
    s.control.advance(600);
    const target = first[0] as number;
    s.control.update('customers', target, { note: 'changed' });
    const later = s.control.shopLocalNow();
    expect(recordIds(await walk(api, 'customers', hi, 10))).not.toContain(target);
    expect(recordIds(await walk(api, 'customers', later, 10, addSeconds(hi, 1)))).toEqual([target]);
  });

  it('gets through 429, 5xx and timeouts by retrying (a page that times out is split, its records retried alone)', async () => {
    const { shop: s, api } = await start({}, { requestTimeoutMs: 300 });
    const hi = s.control.shopLocalNow();
    const expected = idsInWindow(s, 'orders', hi);
    s.control.setFaults({ rate429: 0.15, rate5xx: 0.15, timeoutRate: 0.1, retryAfterSeconds: 0 });
    const pages = await walk(api, 'orders', hi, 20);
    s.control.clearFaults();
    expect(recordIds(pages)).toEqual(expected);
    const statuses = new Set(s.control.requests().map((r) => r.status));
    expect(statuses.has(429)).toBe(true);
    expect([...statuses].some((st) => st >= 500)).toBe(true);
    const reasons = new Set(captured.metrics.filter((m) => m.name === 'phc_prestashop_retries').map((m) => m.dimensions.reason));
    expect([...reasons]).toEqual(expect.arrayContaining(['rate_limited', 'server_error']));
    expect(reasons.has('timeout') || reasons.has('poison_split')).toBe(true);
  });

  it('isolates a poison record and loads the rest of its page', async () => {
    const { shop: s, api } = await start();
    const hi = s.control.shopLocalNow();
    const expected = idsInWindow(s, 'orders', hi);
    const poison = expected[7] as number;
    s.control.setFaults({ poisonIds: [poison] });
    const pages = await walk(api, 'orders', hi, 20);
    expect(recordIds(pages)).toEqual(expected.filter((id) => id !== poison));
    const rejected = pages.flatMap((p) => p.rejected);
    expect(rejected).toEqual([{ id: poison, reason: expect.stringMatching(/^shop answers 500 for this record: #\d+ \[PHP/), payload: null }]);
    expect(pages.map((p) => p.lastId)).toContain(Math.max(...expected.slice(0, 20)));
  });

  it('retries malformed JSON and fails fast when the webservice is off', async () => {
    const { shop: s, api } = await start();
    s.control.setFaults({ malformedJsonNext: 1 });
    expect((await api.listAll('currencies')).records.length).toBeGreaterThan(0);
    s.control.setFaults({ webserviceDisabled: true });
    s.control.resetRequests();
    const error = await api.listAll('currencies').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrestaShopError);
    expect(error).toMatchObject({ status: 503, codes: [22], retryable: false });
    expect(s.control.requests()).toHaveLength(1);
  });

  it('reports a window query swallowed into an empty 200 as incomplete, and the newest change of the whole shop', async () => {
    const { shop: s, api } = await start();
    const hi = s.control.shopLocalNow();
    s.control.setFaults({ swallowedSqlErrorNext: 1 });
    await expect(walk(api, 'orders', hi, 20)).rejects.toMatchObject({ kind: 'incomplete' });
    const newest = await api.newestChange('orders', 'date_upd');
    const all = s.control.records('orders');
    const maxDate = all.map((r) => String(r.date_upd)).sort().at(-1);
    expect(newest?.date).toBe(maxDate);
    expect(compareShopLocal(newest?.date ?? '', LO)).toBeGreaterThan(0);
  });

  it('takes the shop clock from Access-Time in PS_TIMEZONE, the override winning', async () => {
    const { shop: s, api } = await start({ timeZone: 'America/New_York' });
    s.control.setClock(Date.UTC(2024, 10, 3, 5, 30, 0) / 1000); // 01:30 EDT, before the fall-back
    expect(await api.now()).toEqual({ utc: new Date('2024-11-03T05:30:00Z'), local: '2024-11-03 01:30:00', timeZone: 'America/New_York' });
    s.control.advance(3600); // 01:30 EST, the repeated hour
    expect(await api.now()).toMatchObject({ local: '2024-11-03 01:30:00' });
    const overridden = createShopApi({ baseUrl: s.baseUrl, apiKey: () => Promise.resolve(s.apiKey), requestTimeoutMs: 1000, timeZone: 'Europe/Paris' });
    expect(await overridden.now()).toMatchObject({ local: '2024-11-03 07:30:00', timeZone: 'Europe/Paris' });
  });

  it.each(['1.7', '8.1'] as const)('fetches single records from a %s shop, null for a missing id', async (version) => {
    const { shop: s, api } = await start({ version, languages: 2 });
    const id = s.control.records('products')[0]?.id as number;
    const product = await api.fetchById('products', id);
    expect(product?.id).toBe(id);
    expect(typeof languageValue(product?.name, 2)).toBe('string');
    expect(await api.fetchById('orders', 999_999)).toBeNull();
  });

  it('reads empty lists in the 8.x shape and the id pages for reconciliation', async () => {
    const { shop: s, api } = await start({ emptyListShape: 'keyed' });
    expect(recordIds(await walk(api, 'orders', '1971-01-01 00:00:00', 10))).toEqual([]);
    const pages: number[][] = [];
    for await (const page of api.keysetPages({ resource: 'customers', afterId: 0, pageSize: 15, display: 'ids' })) pages.push(page.records.map((r) => r.id));
    expect(pages.flat()).toEqual(s.control.records('customers').map((r) => r.id).sort((a, b) => a - b));
  });
});
