import type { SandboxStats } from '../types';

/**
 * PHP-FPM's pool: at most `capacity()` requests are processed at once, the others wait in FIFO order. The
 * capacity is read on every grant, so a fault setting can shrink or grow the pool while requests are queued.
 */
export class WorkerPool {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  private apiRequests = 0;
  private inFlightPeak = 0;
  private queuedPeak = 0;

  constructor(private readonly capacity: () => number) {}

  /** Counts an API request, whether or not it ever reaches a worker (a 429 from the hosting does not). */
  countRequest(): void {
    this.apiRequests += 1;
  }

  /** Resolves with a release function once a worker is free; calling release more than once is harmless. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.busy += 1;
        this.inFlightPeak = Math.max(this.inFlightPeak, this.busy);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.busy -= 1;
          this.drain();
        });
      };
      if (this.waiting.length === 0 && this.busy < this.capacity()) {
        grant();
        return;
      }
      this.waiting.push(grant);
      this.queuedPeak = Math.max(this.queuedPeak, this.waiting.length);
    });
  }

  /** Grants waiting requests while workers are free (after a release, or when the capacity grew). */
  drain(): void {
    while (this.waiting.length > 0 && this.busy < this.capacity()) this.waiting.shift()?.();
  }

  stats(): SandboxStats {
    return {
      apiRequests: this.apiRequests,
      inFlight: this.busy,
      queued: this.waiting.length,
      inFlightPeak: this.inFlightPeak,
      queuedPeak: this.queuedPeak,
      phpWorkers: this.capacity(),
    };
  }

  /** Counters back to zero, peaks back to what is happening now. */
  resetStats(): void {
    this.apiRequests = 0;
    this.inFlightPeak = this.busy;
    this.queuedPeak = this.waiting.length;
  }
}
