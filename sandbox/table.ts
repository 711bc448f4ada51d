import type { Filter } from './query/parse';
import type { ResourceDef } from './resources';
import type { Row } from './record';
import { parseNaive } from './time';

/**
 * What lists, single records and the control need from a resource's records, whether they are kept in typed
 * arrays (ResourceTable) or derived on demand from their order (LazyTable). Dates are naive seconds (0 for a
 * resource without that date).
 */
export interface Table {
  readonly def: ResourceDef;
  /** The highest id that may exist (ids above it do not). */
  readonly maxId: number;
  has(id: number): boolean;
  /** The current record, or undefined when the id does not exist. Do not mutate the result. */
  get(id: number): Row | undefined;
  /** The last known version of an id even when it is hard-deleted (for restore). */
  current(id: number): Row | undefined;
  dateAddOf(id: number): number;
  dateUpdOf(id: number): number;
  /** Whether the record was changed (or added) since generation. */
  isChanged(id: number): boolean;
  /** Ids of the changed (or added) records. */
  changedIds(): number[];
  /** The typed arrays behind has/dateAddOf/dateUpdOf, when the table keeps them (the hot loop of lists reads them). */
  typedArrays(): { alive: Uint8Array; dateAdd: Float64Array; dateUpd: Float64Array } | null;
  /** Ids that can match these filters, ascending, when the table can narrow them cheaply; null: scan every id. */
  candidates(filters: readonly Filter[]): number[] | null;
  put(row: Row): void;
  setAlive(id: number, alive: boolean): void;
  ids(): Generator<number>;
  count(): number;
  mutations(): TableMutations;
  applyMutations(m: TableMutations): void;
}

/** Where a table's base (generated) records come from. */
export interface TableSource {
  /** Number of base ids (1..baseCount); some may be absent (baseAlive false). */
  baseCount: number;
  baseAlive(id: number): boolean;
  /** Base date_add/date_upd of an id, in naive seconds (0 for resources without dates). */
  baseDates(id: number): { add: number; upd: number };
  /** The base record; dates are given so they agree with the typed arrays. */
  baseRecord(id: number, add: number, upd: number): Row;
}

function naiveOf(value: unknown): number {
  return typeof value === 'string' ? parseNaive(value) : 0;
}

/**
 * One resource: compact typed arrays per id (dates, alive flag) plus a map of changed records.
 * Base records are regenerated on demand, so a million orders cost a few dozen megabytes.
 */
export class ResourceTable implements Table {
  maxId = 0;
  dateAdd = new Float64Array(0);
  dateUpd = new Float64Array(0);
  alive = new Uint8Array(0);
  private aliveCount = 0;
  private readonly overrides = new Map<number, Row>();

  constructor(
    readonly def: ResourceDef,
    private readonly source: TableSource,
  ) {
    this.ensureCapacity(source.baseCount + 1);
    for (let id = 1; id <= source.baseCount; id += 1) {
      const dates = source.baseDates(id);
      this.dateAdd[id] = dates.add;
      this.dateUpd[id] = dates.upd;
      if (source.baseAlive(id)) {
        this.alive[id] = 1;
        this.aliveCount += 1;
      }
    }
    this.maxId = source.baseCount;
  }

  get baseCount(): number {
    return this.source.baseCount;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.alive.length) return;
    const capacity = Math.max(size, Math.ceil(this.alive.length * 1.5), 16);
    const grow = <T extends Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.dateAdd = grow(this.dateAdd, (n) => new Float64Array(n));
    this.dateUpd = grow(this.dateUpd, (n) => new Float64Array(n));
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
  }

  count(): number {
    return this.aliveCount;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.maxId && this.alive[id] === 1;
  }

  /** The current record, or undefined when the id does not exist. Do not mutate the result. */
  get(id: number): Row | undefined {
    if (!this.has(id)) return undefined;
    return this.current(id);
  }

  dateAddOf(id: number): number {
    return this.dateAdd[id] ?? 0;
  }

  dateUpdOf(id: number): number {
    return this.dateUpd[id] ?? 0;
  }

  candidates(): number[] | null {
    return null;
  }

  typedArrays(): { alive: Uint8Array; dateAdd: Float64Array; dateUpd: Float64Array } {
    return { alive: this.alive, dateAdd: this.dateAdd, dateUpd: this.dateUpd };
  }

  /** Ids of the changed (or added) records, in the order they were first changed. */
  changedIds(): number[] {
    return [...this.overrides.keys()];
  }

  /** Whether the record was changed (or added) since generation. */
  isChanged(id: number): boolean {
    return this.overrides.has(id);
  }

  /** The last known version of an id even when it is hard-deleted (for restore). */
  current(id: number): Row | undefined {
    const changed = this.overrides.get(id);
    if (changed) return changed;
    if (id < 1 || id > this.source.baseCount) return undefined;
    return this.source.baseRecord(id, this.dateAdd[id] ?? 0, this.dateUpd[id] ?? 0);
  }

  /** Stores a new version of a record (insert or update) and makes it exist. */
  put(row: Row): void {
    const id = row.id;
    if (!Number.isInteger(id) || id < 1) throw new Error(`Invalid id ${String(id)} for ${this.def.name}`);
    this.ensureCapacity(id + 1);
    this.overrides.set(id, row);
    this.dateAdd[id] = naiveOf(row.date_add);
    this.dateUpd[id] = naiveOf(row.date_upd);
    if (this.alive[id] !== 1) {
      this.alive[id] = 1;
      this.aliveCount += 1;
    }
    if (id > this.maxId) this.maxId = id;
  }

  setAlive(id: number, alive: boolean): void {
    if (id < 1 || id > this.maxId) throw new Error(`Unknown ${this.def.name} id ${id}`);
    const now = this.alive[id] === 1;
    if (now === alive) return;
    this.alive[id] = alive ? 1 : 0;
    this.aliveCount += alive ? 1 : -1;
  }

  *ids(): Generator<number> {
    for (let id = 1; id <= this.maxId; id += 1) if (this.alive[id] === 1) yield id;
  }

  /** Only what changed since generation: changed rows and ids whose existence differs from the base. */
  mutations(): TableMutations {
    const existence: Array<[number, 0 | 1]> = [];
    for (let id = 1; id <= this.maxId; id += 1) {
      const expected = id <= this.source.baseCount ? this.source.baseAlive(id) : this.overrides.has(id);
      const actual = this.alive[id] === 1;
      if (expected !== actual) existence.push([id, actual ? 1 : 0]);
    }
    return { maxId: this.maxId, rows: [...this.overrides.values()], existence };
  }

  applyMutations(m: TableMutations): void {
    for (const row of m.rows) this.put(row);
    for (const [id, flag] of m.existence) {
      this.ensureCapacity(id + 1);
      if (id > this.maxId) this.maxId = id;
      this.setAlive(id, flag === 1);
    }
  }
}

export interface TableMutations {
  maxId: number;
  rows: Row[];
  existence: Array<[number, 0 | 1]>;
}
