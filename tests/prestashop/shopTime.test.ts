import { addSeconds, compareShopLocal, fallBackSecondsBetween, isShopLocalTime, shopLocalToUtc, toShopLocal } from '../../shared/prestashop/shopTime';

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';

describe('isShopLocalTime', () => {
  it.each(['2024-10-27 02:30:00', '2024-02-29 23:59:59', '1970-01-01 00:00:00'])('accepts %s', (value) => {
    expect(isShopLocalTime(value)).toBe(true);
  });

  it.each(['2024-10-27T02:30:00', '2024-10-27 02:30', '0000-00-00 00:00:00', '2023-02-29 00:00:00', '2024-13-01 00:00:00', '2024-01-01 24:00:00', ' 2024-01-01 00:00:00', ''])(
    'rejects %j',
    (value) => {
      expect(isShopLocalTime(value)).toBe(false);
    },
  );
});

describe('compareShopLocal', () => {
  it('orders times', () => {
    expect(compareShopLocal('2024-01-01 00:00:00', '2024-01-01 00:00:01')).toBeLessThan(0);
    expect(compareShopLocal('2024-01-02 00:00:00', '2024-01-01 23:59:59')).toBeGreaterThan(0);
    expect(compareShopLocal('2024-01-01 00:00:00', '2024-01-01 00:00:00')).toBe(0);
  });
});

describe('toShopLocal', () => {
  it('gives the Paris wall clock in summer and winter', () => {
    expect(toShopLocal(new Date('2024-07-01T10:00:00Z'), PARIS)).toBe('2024-07-01 12:00:00');
    expect(toShopLocal(new Date('2024-01-01T10:00:00Z'), PARIS)).toBe('2024-01-01 11:00:00');
  });

  it('shows the repeated hour twice at the Paris fall-back', () => {
    expect(toShopLocal(new Date('2024-10-27T00:30:00Z'), PARIS)).toBe('2024-10-27 02:30:00');
    expect(toShopLocal(new Date('2024-10-27T01:30:00Z'), PARIS)).toBe('2024-10-27 02:30:00');
  });

  it('rejects an unknown zone', () => {
    expect(() => toShopLocal(new Date(), 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

describe('shopLocalToUtc', () => {
  it('resolves the ambiguous Paris fall-back hour by fold', () => {
    expect(shopLocalToUtc('2024-10-27 02:30:00', PARIS).toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(shopLocalToUtc('2024-10-27 02:30:00', PARIS, 'earlier').toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(shopLocalToUtc('2024-10-27 02:30:00', PARIS, 'later').toISOString()).toBe('2024-10-27T01:30:00.000Z');
  });

  it('maps the skipped Paris spring-forward hour to the instant just after the gap', () => {
    const expected = '2024-03-31T01:00:00.000Z'; // 03:00 CEST
    expect(shopLocalToUtc('2024-03-31 02:30:00', PARIS).toISOString()).toBe(expected);
    expect(shopLocalToUtc('2024-03-31 02:00:00', PARIS, 'later').toISOString()).toBe(expected);
    expect(shopLocalToUtc('2024-03-31 03:00:00', PARIS).toISOString()).toBe(expected);
    expect(shopLocalToUtc('2024-03-31 01:59:59', PARIS).toISOString()).toBe('2024-03-31T00:59:59.000Z');
  });

  it('converts New York times on both sides of its DST changes', () => {
    expect(shopLocalToUtc('2024-07-04 12:00:00', NEW_YORK).toISOString()).toBe('2024-07-04T16:00:00.000Z');
    expect(shopLocalToUtc('2024-12-25 12:00:00', NEW_YORK).toISOString()).toBe('2024-12-25T17:00:00.000Z');
    expect(shopLocalToUtc('2024-11-03 01:30:00', NEW_YORK, 'earlier').toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(shopLocalToUtc('2024-11-03 01:30:00', NEW_YORK, 'later').toISOString()).toBe('2024-11-03T06:30:00.000Z');
    expect(shopLocalToUtc('2024-03-10 02:30:00', NEW_YORK).toISOString()).toBe('2024-03-10T07:00:00.000Z');
  });

  it('round-trips with toShopLocal outside transitions', () => {
    for (const iso of ['2023-05-05T05:05:05Z', '2024-02-29T23:00:00Z', '2024-10-27T02:00:00Z']) {
      const instant = new Date(iso);
      expect(shopLocalToUtc(toShopLocal(instant, NEW_YORK), NEW_YORK).toISOString()).toBe(instant.toISOString());
    }
  });

  it('rejects malformed local times and zones', () => {
    expect(() => shopLocalToUtc('2024-03-31T02:30:00', PARIS)).toThrow(/YYYY-MM-DD HH:MM:SS/);
    expect(() => shopLocalToUtc('2024-03-31 02:30:00', 'Paris')).toThrow(/Unknown time zone/);
  });
});

describe('addSeconds', () => {
  it('is naive wall-clock arithmetic across days, months and DST', () => {
    expect(addSeconds('2024-10-27 01:00:00', 7200)).toBe('2024-10-27 03:00:00');
    expect(addSeconds('2024-02-28 23:59:30', 60)).toBe('2024-02-29 00:00:30');
    expect(addSeconds('2024-01-01 00:05:00', -600)).toBe('2023-12-31 23:55:00');
  });
});

describe('fallBackSecondsBetween', () => {
  it('counts one hour for the Paris fall-back of 2024-10-27', () => {
    expect(fallBackSecondsBetween(new Date('2024-10-26T00:00:00Z'), new Date('2024-10-28T00:00:00Z'), PARIS)).toBe(3600);
  });

  it('counts nothing for the spring-forward or for a quiet interval', () => {
    expect(fallBackSecondsBetween(new Date('2024-03-30T00:00:00Z'), new Date('2024-04-01T00:00:00Z'), PARIS)).toBe(0);
    expect(fallBackSecondsBetween(new Date('2024-06-01T00:00:00Z'), new Date('2024-06-30T00:00:00Z'), PARIS)).toBe(0);
  });

  it('takes the transition instant as inside (from, to]', () => {
    const transition = new Date('2024-10-27T01:00:00Z');
    expect(fallBackSecondsBetween(new Date('2024-10-27T00:00:00Z'), transition, PARIS)).toBe(3600);
    expect(fallBackSecondsBetween(transition, new Date('2024-10-27T05:00:00Z'), PARIS)).toBe(0);
  });

  it('sums every fall-back over years', () => {
    expect(fallBackSecondsBetween(new Date('2020-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'), PARIS)).toBe(5 * 3600);
    expect(fallBackSecondsBetween(new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'), NEW_YORK)).toBe(3600);
    expect(fallBackSecondsBetween(new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'), 'UTC')).toBe(0);
  });

  it('is 0 for an empty or reversed interval', () => {
    expect(fallBackSecondsBetween(new Date('2024-10-28T00:00:00Z'), new Date('2024-10-26T00:00:00Z'), PARIS)).toBe(0);
  });
});
