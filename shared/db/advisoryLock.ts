import type { PoolClient } from 'pg';
import { assertDedicatedSession } from './sessionCheck';

/**
 * Advisory lock keys: one namespace for the app, one key per job. Keys are (int4, int4) so they cannot collide
 * with single-bigint locks other tools take on the same server.
 */
export const LOCK_NAMESPACE = 0x50484321; // "PHC!"

export const LockKey = {
  migrations: 1,
  analyticsRefresh: 2,
  rawWrite: 3,
  roles: 4,
  syncCustomers: 10,
  syncProducts: 11,
  syncOrders: 12,
  syncOrderSlips: 13,
  syncOrderPayments: 14,
  syncOrderHistories: 15,
  reconcileCustomers: 20,
  reconcileProducts: 21,
  reconcileOrders: 22,
  reconcileOrderSlips: 23,
  reconcileOrderPayments: 24,
  reconcileOrderHistories: 25,
  reconcileOrderDetails: 26,
  reconcileOrderCartRules: 27,
  syncAddresses: 30,
  syncCategories: 31,
  syncManufacturers: 32,
  reconcileAddresses: 33,
  reconcileCategories: 34,
  reconcileManufacturers: 35,
  sweepCarriers: 36,
  sweepCountries: 37,
  sweepCombinations: 38,
  sweepStockAvailables: 39,
} as const;

/**
 * Session-level locks (try, wait): held until unlocked or the session ends, so they need a session of their own.
 * Both first make sure the client is not behind a transaction-mode pooler (assertDedicatedSession).
 */
export async function tryAdvisoryLock(client: PoolClient, key: number): Promise<boolean> {
  await assertDedicatedSession(client);
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [LOCK_NAMESPACE, key]);
  return rows[0]?.locked === true;
}

export async function advisoryLock(client: PoolClient, key: number): Promise<void> {
  await assertDedicatedSession(client);
  await client.query('select pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, key]);
}

export async function advisoryUnlock(client: PoolClient, key: number): Promise<void> {
  await client.query('select pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, key]);
}

/** Transaction-scoped: released by COMMIT or ROLLBACK. */
export async function tryAdvisoryXactLock(client: PoolClient, key: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1, $2) as locked', [LOCK_NAMESPACE, key]);
  return rows[0]?.locked === true;
}
