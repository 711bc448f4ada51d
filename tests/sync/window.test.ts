import { computeWindow, EPOCH_LOCAL } from '../../shared/sync/window';

const shopNow = (iso: string, timeZone: string, local: string) => ({ utc: new Date(iso), local, timeZone });

describe('computeWindow', () => {
  it('takes hi from the shop clock minus the lag and lo from the watermark minus the overlap', () => {
    const w = computeWindow({
      now: shopNow('2024-06-01T10:00:00Z', 'Europe/Paris', '2024-06-01 12:00:00'),
      watermark: '2024-06-01 11:50:00',
      lagSeconds: 120,
      overlapSeconds: 300,
    });
    expect(w).toEqual({ lo: '2024-06-01 11:45:00', hi: '2024-06-01 11:58:00', fallBackSeconds: 0 });
  });

  it('uses the shop time zone, not the machine one (a shop in New York)', () => {
    const w = computeWindow({
      now: shopNow('2024-01-15T15:00:00Z', 'America/New_York', '2024-01-15 10:00:00'),
      watermark: '2024-01-15 09:00:00',
      lagSeconds: 60,
      overlapSeconds: 600,
    });
    expect(w.hi).toBe('2024-01-15 09:59:00');
    expect(w.lo).toBe('2024-01-15 08:50:00');
  });

  it('widens lo by the repeated hour when the wall clock fell back after the watermark', () => {
    // Paris, 2024-10-27: 03:00 CEST became 02:00 CET at 01:00 UTC. Watermark 02:50 in the first pass (00:50 UTC).
    const w = computeWindow({
      now: shopNow('2024-10-27T02:10:00Z', 'Europe/Paris', '2024-10-27 03:10:00'),
      watermark: '2024-10-27 02:50:00',
      lagSeconds: 120,
      overlapSeconds: 300,
    });
    expect(w.fallBackSeconds).toBe(3600);
    expect(w.lo).toBe('2024-10-27 01:45:00');
    expect(w.hi).toBe('2024-10-27 03:08:00');
  });

  it('keeps lo at or below hi inside the repeated hour', () => {
    const w = computeWindow({
      now: shopNow('2024-10-27T01:10:00Z', 'Europe/Paris', '2024-10-27 02:10:00'),
      watermark: '2024-10-27 02:58:00',
      lagSeconds: 120,
      overlapSeconds: 300,
    });
    expect(w.hi).toBe('2024-10-27 02:08:00');
    expect(w.lo).toBe('2024-10-27 01:53:00');
  });

  it('starts a full refresh at the epoch and never goes below it', () => {
    const now = shopNow('2024-06-01T10:00:00Z', 'UTC', '2024-06-01 10:00:00');
    expect(computeWindow({ now, watermark: '2024-05-01 00:00:00', lagSeconds: 0, overlapSeconds: 300, fullRefresh: true }).lo).toBe(EPOCH_LOCAL);
    expect(computeWindow({ now, watermark: EPOCH_LOCAL, lagSeconds: 0, overlapSeconds: 300 }).lo).toBe(EPOCH_LOCAL);
  });
});
