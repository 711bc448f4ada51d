import { createShopApi, type PrestaShopClient, type ShopApiOptions } from '../../../shared/prestashop/client';
import { capture, FakeShop } from './fakeShop';

export const KEY = 'ZQ8R2K7M4N6P1T3V5X7Z9B2D4F6H8J0L';

export interface Harness {
  shop: FakeShop;
  client: PrestaShopClient;
  captured: ReturnType<typeof capture>;
  /** Errors the test caught, scanned for the key at the end. */
  errors: unknown[];
  /** Runs a call that must fail and returns its error. */
  failure(call: () => Promise<unknown>): Promise<Error>;
  make(overrides?: Partial<ShopApiOptions>): PrestaShopClient;
}

/**
 * Per-test fake shop and client. afterEach checks that every expected request came, nothing unexpected did, and
 * that the key appears in no log line, metric or error.
 */
export function useHarness(defaults: Partial<ShopApiOptions> = {}): () => Harness {
  let current: Harness | undefined;

  beforeEach(async () => {
    const shop = await FakeShop.start(KEY);
    const captured = capture();
    const errors: unknown[] = [];
    const make = (overrides: Partial<ShopApiOptions> = {}): PrestaShopClient =>
      createShopApi({
        baseUrl: shop.baseUrl,
        apiKey: () => Promise.resolve(KEY),
        requestTimeoutMs: 2000,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 },
        random: () => 0.5,
        log: captured.log,
        telemetry: captured.telemetry,
        ...defaults,
        ...overrides,
      });
    current = {
      shop,
      captured,
      errors,
      make,
      client: make(),
      failure: async (call) => {
        try {
          await call();
        } catch (error) {
          errors.push(error);
          if (!(error instanceof Error)) throw new Error('not an Error', { cause: error });
          return error;
        }
        throw new Error('expected the call to fail');
      },
    };
  });

  afterEach(async () => {
    const h = current;
    current = undefined;
    if (!h) return;
    await h.shop.close();
    expect(h.shop.unexpected).toEqual([]);
    expect(h.shop.remaining).toEqual([]);
    const encoded = Buffer.from(`${KEY}:`).toString('base64');
    const scanned = [
      ...h.captured.lines,
      JSON.stringify(h.captured.metrics),
      ...h.shop.seen.map((r) => r.url),
      ...h.errors.flatMap((e) => describeError(e)),
    ].join('\n');
    expect(scanned).not.toContain(KEY);
    expect(scanned).not.toContain(encoded);
    expect(scanned).not.toMatch(/ws_key/i);
  });

  return () => {
    if (!current) throw new Error('harness used outside a test');
    return current;
  };
}

/** Everything an error exposes: message, stack, own fields and its causes. */
function describeError(error: unknown, depth = 0): string[] {
  if (depth > 5 || error === null || error === undefined) return [];
  if (!(error instanceof Error)) return [JSON.stringify(error) ?? ''];
  const own = Object.fromEntries(Object.entries(error));
  return [error.message, error.stack ?? '', JSON.stringify(own), ...describeError(error.cause, depth + 1)];
}
