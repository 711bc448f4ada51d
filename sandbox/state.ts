import { readFileSync, writeFileSync } from 'node:fs';
import { quirkShares, type QuirkShares } from './data/quirks';
import type { ResourceName } from './resources';
import type { Shop, ShopSettings } from './shop';
import type { TableMutations } from './table';

const FORMAT = 'phc-sandbox-state/1';

/** A saved shop: the generation settings (to rebuild the same base) and only the mutations since. */
export interface SavedState {
  format: typeof FORMAT;
  seed: number;
  anchor: number;
  timeZone: string;
  languages: 1 | 2;
  sizes: ShopSettings['sizes'];
  /** Absent in files saved before quirks existed: none. */
  quirks?: QuirkShares;
  clock: number;
  tables: Partial<Record<ResourceName, TableMutations>>;
}

export function saveState(shop: Shop, file: string, clockNow: number): void {
  const tables: Partial<Record<ResourceName, TableMutations>> = {};
  for (const [name, table] of Object.entries(shop.tables) as Array<[ResourceName, Shop['tables'][ResourceName]]>) {
    const m = table.mutations();
    if (m.rows.length > 0 || m.existence.length > 0) tables[name] = m;
  }
  const s = shop.settings;
  const state: SavedState = {
    format: FORMAT,
    seed: s.seed,
    anchor: s.anchor,
    timeZone: s.zone.timeZone,
    languages: s.languages,
    sizes: s.sizes,
    quirks: s.quirks,
    clock: clockNow,
    tables,
  };
  writeFileSync(file, JSON.stringify(state));
}

export function readState(file: string): SavedState {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedState>;
  if (parsed.format !== FORMAT) throw new Error(`${file} is not a sandbox state file (${FORMAT})`);
  return parsed as SavedState;
}

/** Checks that a saved state belongs to a shop generated with the same seed, sizes, languages and zone. */
export function assertCompatible(state: SavedState, settings: ShopSettings): void {
  const mismatch: string[] = [];
  if (state.seed !== settings.seed) mismatch.push(`seed ${state.seed} ≠ ${settings.seed}`);
  if (state.timeZone !== settings.zone.timeZone) mismatch.push(`time zone ${state.timeZone} ≠ ${settings.zone.timeZone}`);
  if (state.languages !== settings.languages) mismatch.push(`languages ${state.languages} ≠ ${settings.languages}`);
  for (const key of ['customers', 'products', 'orders'] as const) {
    if (state.sizes[key] !== settings.sizes[key]) mismatch.push(`${key} ${state.sizes[key]} ≠ ${settings.sizes[key]}`);
  }
  const saved = quirkShares(state.quirks);
  for (const key of ['badTextShare', 'badDateShare'] as const) {
    if (saved[key] !== settings.quirks[key]) mismatch.push(`quirks.${key} ${saved[key]} ≠ ${settings.quirks[key]}`);
  }
  if (mismatch.length > 0) throw new Error(`The saved sandbox state does not match this sandbox: ${mismatch.join(', ')}`);
}
