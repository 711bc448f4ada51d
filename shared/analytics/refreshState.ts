import type { PoolClient } from 'pg';
import { readShopSettings, type ReferenceData } from './referenceData';

/**
 * What a refresh starts from: the committed checkpoint with the time zone and default language it was built in,
 * and the shop's settings now. A change of either makes the refresh a full rebuild.
 */
export interface AnalyticsState {
  checkpoint: Date | null;
  timeZone: string | null;
  defaultLangId: number | null;
}

export interface RefreshParams {
  timeZone: string;
  defaultLangId: number | null;
  defaultCurrencyId: number | null;
}

/** The shop's settings for this refresh: the reference data just loaded, else the stored copy; the time zone checked. */
export async function refreshParams(client: PoolClient, timeZoneOverride: string | undefined, reference: ReferenceData | undefined): Promise<RefreshParams> {
  const settings = reference?.settings ?? (await readShopSettings(client));
  const timeZone = timeZoneOverride ?? settings?.timeZone ?? 'UTC';
  try {
    await client.query('savepoint time_zone_check');
    await client.query('select now() at time zone $1', [timeZone]);
    await client.query('release savepoint time_zone_check');
  } catch (error) {
    throw new Error(`The shop time zone "${timeZone}" is unknown to PostgreSQL; set PRESTASHOP_TIMEZONE to an IANA name`, { cause: error });
  }
  return { timeZone, defaultLangId: settings?.defaultLangId ?? null, defaultCurrencyId: settings?.defaultCurrencyId ?? null };
}

/** Why this refresh must rebuild everything, or null when it can go by difference. */
export function whyFull(requestedFull: boolean, state: AnalyticsState, params: RefreshParams): string | null {
  if (requestedFull) return 'requested';
  if (state.checkpoint === null) return 'first refresh';
  if (state.timeZone !== params.timeZone) return `time zone changed from ${state.timeZone} to ${params.timeZone}`;
  if (state.defaultLangId !== params.defaultLangId) return 'default language changed';
  return null;
}

/** The committed checkpoint, locked for this refresh. */
export async function readState(client: PoolClient): Promise<AnalyticsState> {
  const { rows } = await client.query<{ checkpoint: Date | null; time_zone: string | null; default_lang_id: string | null }>(
    'select checkpoint, time_zone, default_lang_id from staging.analytics_state for update',
  );
  const row = rows[0];
  return {
    checkpoint: row?.checkpoint ?? null,
    timeZone: row?.time_zone ?? null,
    defaultLangId: row?.default_lang_id == null ? null : Number(row.default_lang_id),
  };
}
