import type { AccessToken, TokenCredential } from '@azure/identity';
import { createKeyVaultSecretStore, SecretAccessError, type SecretStore } from '../../shared/secrets';
import { REDACTED, redact } from '../../shared/telemetry/redact';
import { KeyVaultStandIn, STAND_IN_TOKEN } from './keyVaultStandIn';

const credential: TokenCredential = {
  getToken: (): Promise<AccessToken> => Promise.resolve({ token: STAND_IN_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

// SecretClient against the local stand-in: plain HTTP, no retries (a refresh failure must show at once).
const clientOptions = { allowInsecureConnection: true, disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } };

let vault: KeyVaultStandIn;
let vaultUri: string;
let clock: number;
const stale: string[] = [];

function store(extra: { credential?: TokenCredential } = {}): SecretStore {
  return createKeyVaultSecretStore({
    vaultUri,
    credential: extra.credential ?? credential,
    clientOptions,
    refreshAfterMs: 10 * 60_000,
    hardExpiryMs: 60 * 60_000,
    now: () => clock,
    onStaleServe: (name) => stale.push(name),
  });
}

async function rejection(promise: Promise<unknown>): Promise<SecretAccessError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SecretAccessError)) throw new Error(`expected a SecretAccessError, got ${String(error)}`);
  return error;
}

beforeEach(async () => {
  vault = new KeyVaultStandIn();
  vaultUri = await vault.start();
  clock = 1_000_000;
  stale.length = 0;
});

afterEach(async () => {
  await vault.stop();
  expect(vault.unexpected).toEqual([]);
});

describe('Key Vault secrets through SecretClient', () => {
  it('reads a secret with the credential token after the challenge, and caches it', async () => {
    vault.secrets.set('prestashop-api-key', { value: 'KEYVALUE0000000000000000000000AB' });
    const secrets = store();
    await expect(secrets.get('prestashop-api-key')).resolves.toBe('KEYVALUE0000000000000000000000AB');
    await expect(secrets.get('prestashop-api-key')).resolves.toBe('KEYVALUE0000000000000000000000AB');
    expect(vault.reads).toEqual(['prestashop-api-key']);
    expect(vault.authorizations).toEqual([`Bearer ${STAND_IN_TOKEN}`]);
  });

  it('shares one read among concurrent callers', async () => {
    vault.secrets.set('pg-password', { value: 'concurrent-pw-1' });
    const secrets = store();
    const values = await Promise.all([secrets.get('pg-password'), secrets.get('pg-password'), secrets.get('pg-password')]);
    expect(values).toEqual(['concurrent-pw-1', 'concurrent-pw-1', 'concurrent-pw-1']);
    expect(vault.reads).toEqual(['pg-password']);
  });

  it('re-reads after the refresh interval and picks up a rotated secret', async () => {
    vault.secrets.set('pg-password', { value: 'first-password' });
    const secrets = store();
    await secrets.get('pg-password');
    vault.secrets.set('pg-password', { value: 'rotated-password' });
    clock += 9 * 60_000;
    await expect(secrets.get('pg-password')).resolves.toBe('first-password');
    clock += 2 * 60_000;
    await expect(secrets.get('pg-password')).resolves.toBe('rotated-password');
    expect(vault.reads).toEqual(['pg-password', 'pg-password']);
  });

  it('keeps serving the cached value while refreshes fail, until it expires hard', async () => {
    vault.secrets.set('pg-password', { value: 'cached-password' });
    const secrets = store();
    await secrets.get('pg-password');
    vault.failWith = 500;
    clock += 11 * 60_000;
    await expect(secrets.get('pg-password')).resolves.toBe('cached-password');
    expect(stale).toEqual(['pg-password']);
    clock += 50 * 60_000;
    const error = await rejection(secrets.get('pg-password'));
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/Could not read secret "pg-password" in Key Vault .*\(HTTP 500 InternalServerError\)/);
    vault.failWith = undefined;
    await expect(secrets.get('pg-password')).resolves.toBe('cached-password');
  });

  it('never serves a value past the secret\'s own expiry', async () => {
    vault.secrets.set('pg-password', { value: 'expiring-password', exp: 1_000 + 120 });
    const secrets = createKeyVaultSecretStore({ vaultUri, credential, clientOptions, now: () => clock * 1000, refreshAfterMs: 60_000, hardExpiryMs: 3_600_000 });
    clock = 1_000;
    await secrets.get('pg-password');
    vault.failWith = 500;
    clock = 1_000 + 90;
    await expect(secrets.get('pg-password')).resolves.toBe('expiring-password');
    clock = 1_000 + 121;
    await expect(rejection(secrets.get('pg-password'))).resolves.toBeInstanceOf(SecretAccessError);
  });

  it('explains a refused read (403) with the role to grant, and carries no token', async () => {
    vault.failWith = 403;
    const error = await rejection(store().get('prestashop-api-key'));
    expect(error.message).toContain(`Access denied to secret "prestashop-api-key" in Key Vault ${vaultUri} (HTTP 403 Forbidden)`);
    expect(error.message).toContain('"Key Vault Secrets User" role');
    expect(JSON.stringify([error.message, String(error.cause), (error.cause as Error).stack])).not.toContain(STAND_IN_TOKEN);
  });

  it('explains a missing secret (404)', async () => {
    const error = await rejection(store().get('prestashop-api-key'));
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/No secret "prestashop-api-key" in Key Vault .* Create the secret, or fix its name in PRESTASHOP_API_KEY_SECRET_NAME/);
  });

  it('explains a missing identity', async () => {
    const noIdentity: TokenCredential = {
      getToken: () => Promise.reject(Object.assign(new Error('ManagedIdentityCredential: no managed identity endpoint'), { name: 'CredentialUnavailableError' })),
    };
    const error = await rejection(store({ credential: noIdentity }).get('prestashop-api-key'));
    expect(error.message).toMatch(/No Azure identity could get a token .*managed identity.*az login/);
  });

  it('refuses a disabled secret', async () => {
    vault.secrets.set('pg-password', { value: 'disabled-password', enabled: false });
    const error = await rejection(store().get('pg-password'));
    expect(error.message).toMatch(/is disabled/);
  });

  it('registers every value read, so no log line can carry it', async () => {
    vault.secrets.set('pg-password', { value: 'registered-pw-77' });
    await store().get('pg-password');
    expect(redact('connect failed for password registered-pw-77 at 10:00')).toBe(`connect failed for password ${REDACTED} at 10:00`);
  });
});
