import { registerSecret } from '../telemetry/redact';

export interface FetchedSecret {
  value: string;
  /** The secret's own expiry, when its store has one; never served after it. */
  expiresOn?: Date;
}

export type SecretFetcher = (name: string) => Promise<FetchedSecret>;

export interface SecretStoreOptions {
  /** Fetch again after this long (default 10 minutes), so a rotated secret is picked up. */
  refreshAfterMs?: number;
  /** A cached value still serves while refreshes fail, up to this age (default 1 hour); then the failure surfaces. */
  hardExpiryMs?: number;
  now?: () => number;
  /** Told about a failed refresh that was covered by the cached value. */
  onStaleServe?: (name: string, error: unknown) => void;
}

export interface SecretStore {
  get(name: string): Promise<string>;
  /** Drops cached values, e.g. after the database rejected a password. */
  invalidate(name?: string): void;
}

export const DEFAULT_SECRET_REFRESH_MS = 10 * 60_000;
export const DEFAULT_SECRET_HARD_EXPIRY_MS = 60 * 60_000;

interface Entry {
  value: string;
  fetchedAt: number;
  expiresAt: number;
}

/** Caches secrets by name; concurrent readers share one fetch; every value read is registered for redaction. */
export function createCachedSecretStore(fetchSecret: SecretFetcher, options: SecretStoreOptions = {}): SecretStore {
  const refreshAfterMs = options.refreshAfterMs ?? DEFAULT_SECRET_REFRESH_MS;
  const hardExpiryMs = options.hardExpiryMs ?? DEFAULT_SECRET_HARD_EXPIRY_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<string>>();

  const load = async (name: string): Promise<string> => {
    const cached = entries.get(name);
    try {
      const fetched = await fetchSecret(name);
      registerSecret(fetched.value);
      const fetchedAt = now();
      const expiresAt = Math.min(fetchedAt + hardExpiryMs, fetched.expiresOn?.getTime() ?? Number.POSITIVE_INFINITY);
      entries.set(name, { value: fetched.value, fetchedAt, expiresAt });
      return fetched.value;
    } catch (error) {
      if (cached && now() < cached.expiresAt) {
        options.onStaleServe?.(name, error);
        return cached.value;
      }
      entries.delete(name);
      throw error;
    }
  };

  return {
    get(name) {
      const cached = entries.get(name);
      if (cached && now() - cached.fetchedAt < refreshAfterMs && now() < cached.expiresAt) return Promise.resolve(cached.value);
      const pending = inFlight.get(name);
      if (pending) return pending;
      const promise = load(name).finally(() => inFlight.delete(name));
      inFlight.set(name, promise);
      return promise;
    },
    invalidate(name) {
      if (name === undefined) entries.clear();
      else entries.delete(name);
    },
  };
}
