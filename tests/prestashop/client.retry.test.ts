import { Metric } from '../../shared/telemetry/names';
import { PrestaShopError } from '../../shared/prestashop/errors';
import { parseRetryAfter } from '../../shared/prestashop/transport';
import { fixture, json } from './support/fakeShop';
import { useHarness } from './support/harness';

const harness = useHarness();
const FULL = { display: 'full', output_format: 'JSON' };
const OK = json(fixture('currencies-list-full.json'));

function retryDelays(lines: string[]): number[] {
  return lines.filter((l) => l.startsWith('warn PrestaShop request failed, retrying')).map((l) => (JSON.parse(l.slice(l.indexOf('{'))) as { delayMs: number }).delayMs);
}

describe('retries', () => {
  it('waits as long as Retry-After says on 429', async () => {
    const h = harness();
    h.shop.expect('/api/currencies', FULL, json('', 429, { 'Retry-After': '1' })).expect('/api/currencies', FULL, OK);
    const { records } = await h.client.listAll('currencies');
    expect(records).toHaveLength(1);
    expect(retryDelays(h.captured.lines)).toEqual([1000]);
    expect(h.captured.metrics.filter((m) => m.name === Metric.prestashopRetries.name)).toEqual([
      { name: Metric.prestashopRetries.name, value: 1, dimensions: { resource: 'currencies', reason: 'rate_limited' } },
    ]);
  });

  it('backs off exponentially with full jitter from the injected random source', async () => {
    const h = harness();
    const client = h.make({ random: () => 0.5, retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 60, maxTotalMs: 10_000 } });
    const unavailable = { status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'Content-Type': 'text/html' } };
    h.shop.expect('/api/currencies', FULL, unavailable).expect('/api/currencies', FULL, unavailable).expect('/api/currencies', FULL, unavailable).expect('/api/currencies', FULL, OK);
    await client.listAll('currencies');
    // 0.5 × min(60, 20·2^(n-1)): 10, 20, 30 (capped).
    expect(retryDelays(h.captured.lines)).toEqual([10, 20, 30]);
  });

  it('retries a request that times out', async () => {
    const h = harness();
    const client = h.make({ requestTimeoutMs: 150 });
    h.shop.expect('/api/currencies', FULL, 'hang').expect('/api/currencies', FULL, OK);
    expect((await client.listAll('currencies')).records).toHaveLength(1);
    expect(h.captured.metrics.find((m) => m.name === Metric.prestashopRetries.name)?.dimensions.reason).toBe('timeout');
    expect(h.captured.metrics.find((m) => m.name === Metric.prestashopRequestMs.name)?.dimensions).toEqual({ resource: 'currencies', httpStatus: 'none', outcome: 'timeout' });
  });

  it('retries a connection reset', async () => {
    const h = harness();
    h.shop.expect('/api/currencies', FULL, 'reset').expect('/api/currencies', FULL, OK);
    expect((await h.client.listAll('currencies')).records).toHaveLength(1);
    expect(h.captured.metrics.find((m) => m.name === Metric.prestashopRetries.name)?.dimensions.reason).toBe('connection');
  });

  it.each([
    [400, 'error-400-bad-filter.json'],
    [401, 'error-401.json'],
    [403, '{"errors":[{"code":132,"message":"No permission for this shop"}]}'],
    [404, '{"errors":[{"code":999,"message":"No shop"}]}'],
    [405, '{"errors":[{"code":23,"message":"Method not allowed"}]}'],
  ])('does not retry %i', async (status, body) => {
    const h = harness();
    h.shop.expect('/api/currencies', FULL, json(body.endsWith('.json') ? fixture(body) : body, status));
    const error = await h.failure(() => h.client.listAll('currencies'));
    expect(error).toMatchObject({ status, retryable: false });
    expect(h.shop.seen).toHaveLength(1);
  });

  it('stops at maxAttempts', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.shop.expect('/api/currencies', FULL, json('{"errors":[{"code":5,"message":"x"}]}', 502));
    const error = await h.failure(() => h.client.listAll('currencies'));
    expect(error.message).toMatch(/gave up after 3 attempts/);
  });

  it('gives up when the next wait would pass the total time budget', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 2000 } });
    h.shop.expect('/api/currencies', FULL, json('', 429, { 'Retry-After': '30' }));
    const error = await h.failure(() => client.listAll('currencies'));
    expect(error).toBeInstanceOf(PrestaShopError);
    expect(error.message).toMatch(/waiting 30000 ms more would pass the 2000 ms retry budget/);
    expect(h.shop.seen).toHaveLength(1);
  });

  it('retries malformed JSON on a 200 twice, then fails', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 10_000 } });
    for (let i = 0; i < 3; i++) h.shop.expect('/api/currencies', FULL, json('{"currencies":[{"id":1,'));
    const error = await h.failure(() => client.listAll('currencies'));
    expect(error).toMatchObject({ kind: 'malformed', status: 200 });
    expect(h.shop.seen).toHaveLength(3);
  });

  it('recovers when malformed JSON was transient', async () => {
    const h = harness();
    h.shop.expect('/api/currencies', FULL, json('{"curr')).expect('/api/currencies', FULL, OK);
    expect((await h.client.listAll('currencies')).records).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    const h = harness();
    const client = h.make({ retry: { maxAttempts: 3, baseDelayMs: 5000, maxDelayMs: 5000, maxTotalMs: 60_000 }, random: () => 1 });
    h.shop.expect('/api/currencies', FULL, json('', 429, { 'Retry-After': '5' }));
    const controller = new AbortController();
    const pending = h.failure(() => client.listAll('currencies', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ kind: 'aborted' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T08:00:00Z'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
