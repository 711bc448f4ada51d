import { describeRefresh } from '../../cli/commands/analytics';
import type { RefreshResult } from '../../cli/core';

const result = (overrides: Partial<RefreshResult>): RefreshResult => ({
  runId: 7,
  status: 'succeeded',
  mode: 'incremental',
  fullReason: null,
  changed: { customers: 1, products: 0, orders: 3 },
  catalogChanged: { addresses: 0, categories: 0, manufacturers: 0, carriers: 0, countries: 0, combinations: 0, stock: 0 },
  documentsChanged: { orderDetails: 0, orderCartRules: 0, slips: 0, payments: 0, histories: 0 },
  checkpoint: new Date('2026-12-05T08:00:00Z'),
  dataQuality: [],
  durationMs: 1200,
  stepMs: {},
  ...overrides,
});

describe('the analytics summary line', () => {
  it('names the order documents and catalog rows a refresh took in, when there were any', () => {
    const line = describeRefresh(
      result({
        documentsChanged: { orderDetails: 4, orderCartRules: 0, slips: 1, payments: 2, histories: 3 },
        catalogChanged: { addresses: 0, categories: 1, manufacturers: 0, carriers: 0, countries: 0, combinations: 0, stock: 5 },
      }),
    );
    expect(line).toMatch(/: 1 customers, 0 products, 3 orders changed \(with 10 order document and 6 catalog rows\); data quality 0 checks, all passing\.$/);
  });

  it('says nothing of them when none changed', () => {
    expect(describeRefresh(result({}))).toMatch(/3 orders changed; data quality/);
  });
});
