import { randomBytes } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { Client, type PoolClient } from 'pg';
import { DatabaseAuthError, entraTokenPassword, POSTGRES_ENTRA_SCOPE, secretPassword, TOKEN_REFRESH_MARGIN_MS } from '../../shared/db/auth';
import { createPool, type DbSettings } from '../../shared/db/pool';
import { createCachedSecretStore } from '../../shared/secrets';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const HOUR = 3_600_000;

/** A TokenCredential handing out numbered tokens (tokenFor(n)) that expire an hour after the fake clock's "now". */
class FakeCredential implements TokenCredential {
  readonly scopes: string[] = [];
  issued = 0;
  failure: Error | undefined;
  private readonly salt = randomBytes(4).toString('hex');
  constructor(private readonly now: () => number) {}
  tokenFor(n: number): string {
    return `token-${n}-${this.salt}`;
  }
  getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(String(scopes));
    if (this.failure) return Promise.reject(this.failure);
    this.issued += 1;
    return Promise.resolve({ token: this.tokenFor(this.issued), expiresOnTimestamp: this.now() + HOUR });
  }
}

describe('entraTokenPassword', () => {
  let clock: number;
  let credential: FakeCredential;
  beforeEach(() => {
    clock = 1_000_000;
    credential = new FakeCredential(() => clock);
  });

  it('asks for the PostgreSQL scope and reuses the token until 5 minutes before it expires', async () => {
    const password = entraTokenPassword(credential, { now: () => clock });
    const first = await password();
    expect(credential.scopes).toEqual([POSTGRES_ENTRA_SCOPE]);
    clock += HOUR - TOKEN_REFRESH_MARGIN_MS - 1;
    await expect(password()).resolves.toBe(first);
    clock += 1;
    const second = await password();
    expect(second).not.toBe(first);
    expect(credential.issued).toBe(2);
  });

  it('shares one token request among connections opening at once', async () => {
    const password = entraTokenPassword(credential, { now: () => clock });
    const tokens = await Promise.all([password(), password(), password()]);
    expect(new Set(tokens).size).toBe(1);
    expect(credential.issued).toBe(1);
  });

  it('keeps a still-valid token when a refresh fails, and fails clearly once it has expired', async () => {
    const refreshErrors: unknown[] = [];
    const password = entraTokenPassword(credential, { now: () => clock, onRefreshError: (e) => refreshErrors.push(e) });
    const token = await password();
    credential.failure = new Error(`IMDS unreachable; last token ${token}`);
    clock += HOUR - 60_000;
    await expect(password()).resolves.toBe(token);
    expect(refreshErrors).toHaveLength(1);
    clock += 60_000;
    const error = await password().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseAuthError);
    const text = `${(error as Error).message} ${String((error as Error).cause)}`;
    expect(text).toMatch(/Could not get a Microsoft Entra token for PostgreSQL.*managed identity/);
    expect(text).not.toContain(token);
  });
});

describe('password callbacks on real connections', () => {
  let db: TestDatabase;
  let role: string;
  let base: Pick<DbSettings, 'host' | 'port' | 'database'>;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    role = `phc_auth_${randomBytes(4).toString('hex')}`;
    await db.pool.query(`create role ${role} login password 'initial-password'`);
    const url = new URL(db.url);
    base = { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
  });

  afterAll(async () => {
    await db.pool.query(`drop role if exists ${role}`).catch(() => undefined);
    await db.drop();
  });

  async function setRolePassword(password: string): Promise<void> {
    const { rows } = await db.pool.query<{ sql: string }>('select format($1::text, $2::text, $3::text) as sql', ['alter role %I password %L', role, password]);
    await db.pool.query(rows[0]?.sql ?? '');
  }

  /** Whether the server asks this role for a password at all (a trust-only server never calls the callback). */
  async function serverAsksForPassword(): Promise<boolean> {
    const client = new Client({ ...base, user: role, password: 'certainly-wrong-password' });
    try {
      await client.connect();
    } catch {
      return true;
    }
    await client.end();
    return false;
  }

  it('calls the Entra callback for every new connection and refreshes a near-expiry token', async () => {
    if (!(await serverAsksForPassword())) {
      console.warn('This PostgreSQL trusts local connections: per-connection token use is proven on the embedded server only');
      return;
    }
    let clock = Date.now();
    const credential = new FakeCredential(() => clock);
    const entra = entraTokenPassword(credential, { now: () => clock });
    let callbackCalls = 0;
    const password = (): Promise<string> => {
      callbackCalls += 1;
      return entra();
    };
    // The server accepts only the token the credential is expected to hand out now, as Azure accepts only a valid one.
    await setRolePassword(credential.tokenFor(1));
    const pool = createPool({ ...base, user: role, password, sslMode: 'disable', poolMax: 3, statementTimeoutMs: 10_000 });
    try {
      const held: PoolClient[] = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      expect(callbackCalls).toBe(3);
      expect(credential.issued).toBe(1);
      const { rows } = await held[0]!.query<{ user: string }>('select current_user as user');
      expect(rows[0]?.user).toBe(role);
      held.forEach((c) => c.release(true));

      await setRolePassword(credential.tokenFor(2));
      clock += HOUR - TOKEN_REFRESH_MARGIN_MS + 1;
      const next = await pool.connect();
      next.release(true);
      expect(callbackCalls).toBe(4);
      expect(credential.issued).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('reads a Key Vault password per connection, and a rotated one after the refresh interval', async () => {
    if (!(await serverAsksForPassword())) {
      console.warn('This PostgreSQL trusts local connections: rotation is proven on the embedded server only');
      return;
    }
    let clock = 0;
    let current = 'vault-password-1';
    let reads = 0;
    const store = createCachedSecretStore(
      () => {
        reads += 1;
        return Promise.resolve({ value: current });
      },
      { now: () => clock, refreshAfterMs: 600_000 },
    );
    await setRolePassword(current);
    const pool = createPool({ ...base, user: role, password: secretPassword(store, 'pg-password'), sslMode: 'disable', poolMax: 2, statementTimeoutMs: 10_000 });
    try {
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      a.release(true);
      b.release(true);
      expect(reads).toBe(1);
      current = 'vault-password-2';
      await setRolePassword(current);
      clock += 600_000;
      const c = await pool.connect();
      c.release(true);
      expect(reads).toBe(2);
    } finally {
      await pool.end();
    }
  });
});
