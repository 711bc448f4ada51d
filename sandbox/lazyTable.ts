import type { Filter } from './query/parse';
import type { Row } from './record';
import type { ResourceDef } from './resources';
import type { Table, TableMutations } from './table';
import { parseNaive } from './time';

/** Where a lazy table's generated records come from: nothing is computed before it is asked for. */
export interface LazySource {
  /** The highest id the generated records may use (it may grow, e.g. with the orders). */
  baseMaxId(): number;
  baseHas(id: number): boolean;
  /** Called only for ids baseHas accepts. */
  baseRecord(id: number): Row;
  /** Naive seconds; called only for ids baseHas accepts. */
  baseDates(id: number): { add: number; upd: number };
  /** Ascending ids that can match the filters, when they name the parent (e.g. id_order); null otherwise. */
  baseCandidates?(filters: readonly Filter[]): number[] | null;
  /**
   * The source alone decides which ids exist, changed or not (order_details follow their order's rows: a line
   * removed from the order takes its detail with it, whatever was changed in the detail before).
   */
  existenceFromBase?: boolean;
}

const naiveOf = (value: unknown): number => (typeof value === 'string' ? parseNaive(value) : 0);

/**
 * A resource whose records are derived on demand (from their order, or their product), so a million orders cost
 * nothing until their documents are read. Only changed and added records and hidden ids are kept.
 */
export class LazyTable implements Table {
  private readonly overrides = new Map<number, Row>();
  private readonly hidden = new Set<number>();
  private topOverride = 0;

  constructor(
    readonly def: ResourceDef,
    private readonly source: LazySource,
  ) {}

  get maxId(): number {
    return Math.max(this.source.baseMaxId(), this.topOverride);
  }

  has(id: number): boolean {
    if (!Number.isInteger(id) || id < 1 || id > this.maxId || this.hidden.has(id)) return false;
    if (this.overrides.has(id) && this.source.existenceFromBase !== true) return true;
    return this.source.baseHas(id);
  }

  get(id: number): Row | undefined {
    return this.has(id) ? this.current(id) : undefined;
  }

  current(id: number): Row | undefined {
    const changed = this.overrides.get(id);
    if (changed) return changed;
    return Number.isInteger(id) && id >= 1 && this.source.baseHas(id) ? this.source.baseRecord(id) : undefined;
  }

  dateAddOf(id: number): number {
    const changed = this.overrides.get(id);
    if (changed) return naiveOf(changed.date_add);
    return this.source.baseHas(id) ? this.source.baseDates(id).add : 0;
  }

  dateUpdOf(id: number): number {
    const changed = this.overrides.get(id);
    if (changed) return naiveOf(changed.date_upd);
    return this.source.baseHas(id) ? this.source.baseDates(id).upd : 0;
  }

  isChanged(id: number): boolean {
    return this.overrides.has(id);
  }

  typedArrays(): null {
    return null;
  }

  candidates(filters: readonly Filter[]): number[] | null {
    const base = this.source.baseCandidates?.(filters) ?? null;
    if (base === null) return null;
    if (this.overrides.size === 0) return base;
    return [...new Set([...base, ...this.overrides.keys()])].sort((a, b) => a - b);
  }

  put(row: Row): void {
    const id = row.id;
    if (!Number.isInteger(id) || id < 1) throw new Error(`Invalid id ${String(id)} for ${this.def.name}`);
    this.overrides.set(id, row);
    this.hidden.delete(id);
    if (id > this.topOverride) this.topOverride = id;
  }

  setAlive(id: number, alive: boolean): void {
    if (!Number.isInteger(id) || id < 1 || id > this.maxId) throw new Error(`Unknown ${this.def.name} id ${id}`);
    if (alive) this.hidden.delete(id);
    else this.hidden.add(id);
  }

  *ids(): Generator<number> {
    const max = this.maxId;
    for (let id = 1; id <= max; id += 1) if (this.has(id)) yield id;
  }

  /** Walks every id: cheap for the catalog, a scan of every order's documents for the order tables. */
  count(): number {
    let n = 0;
    for (const _ of this.ids()) n += 1;
    return n;
  }

  changedIds(): number[] {
    return [...this.overrides.keys()];
  }

  mutations(): TableMutations {
    return { maxId: this.maxId, rows: [...this.overrides.values()], existence: [...this.hidden].map((id) => [id, 0]) };
  }

  applyMutations(m: TableMutations): void {
    for (const row of m.rows) this.put(row);
    for (const [id, flag] of m.existence) {
      if (flag === 1) this.hidden.delete(id);
      else this.hidden.add(id);
    }
  }
}
