import { simulateActivity, type ActivityCounts, type ActivitySummary } from './activity';
import { setCombinationPrice, setStock } from './catalogMutations';
import type { DocumentActivityCounts } from './documentActivity';
import { addPayment, changeOrderState, refund, removeOrderLine, type PaymentInput, type RefundLine } from './orderMutations';
import { listQuirks, type QuirkEntry } from './data/quirks';
import type { Dialect } from './dialect';
import type { Faults, FaultOptions } from './faults';
import type { WorkerPool } from './http/workers';
import { addRecord, checkLocal, updateRecord } from './mutate';
import { fullSpec } from './render/spec';
import { isResourceName, type ResourceName } from './resources';
import { Shop } from './shop';
import { assertCompatible, readState, saveState } from './state';
import type { ShopClock } from './time';
import type { EventOptions, RecordWriteOptions, RenderedRecord, RequestLogEntry, SandboxControl, SandboxStats } from './types';

/** Holds the current shop; loadState may rebuild it from another anchor. */
export interface ShopHolder {
  shop: Shop;
}

function checkResource(resource: string): ResourceName {
  if (!isResourceName(resource)) throw new Error(`Unknown sandbox resource "${resource}"`);
  return resource;
}

export class Control implements SandboxControl {
  private activityCalls = 0;

  constructor(
    private readonly holder: ShopHolder,
    private readonly clock: ShopClock,
    private readonly faults: Faults,
    private readonly log: RequestLogEntry[],
    private readonly dialect: Dialect,
    private readonly workers: WorkerPool,
  ) {}

  private get shop(): Shop {
    return this.holder.shop;
  }

  now(): number {
    return this.clock.now();
  }

  setClock(epochSeconds: number): void {
    if (!Number.isFinite(epochSeconds)) throw new Error('setClock needs epoch seconds');
    this.clock.set(epochSeconds);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new Error('advance needs seconds');
    this.clock.advance(seconds);
  }

  shopLocalNow(): string {
    return this.shop.settings.zone.format(this.clock.now());
  }

  add(resource: ResourceName, partialFields: Record<string, unknown> = {}, options: RecordWriteOptions = {}): number {
    return addRecord(this.shop, checkResource(resource), partialFields, this.shopLocalNow(), options);
  }

  update(resource: ResourceName, id: number, changes: Record<string, unknown>, options: RecordWriteOptions = {}): void {
    updateRecord(this.shop, checkResource(resource), id, changes, this.shopLocalNow(), options);
  }

  /** The back office's soft delete: deleted=1 and date_upd bumped. */
  softDeleteCustomer(id: number): void {
    this.update('customers', id, { deleted: '1' });
  }

  hardDelete(resource: ResourceName, id: number): void {
    const table = this.shop.table(checkResource(resource));
    if (!table.has(id)) throw new Error(`${resource} ${id} does not exist`);
    table.setAlive(id, false);
  }

  restore(resource: ResourceName, id: number): void {
    const table = this.shop.table(checkResource(resource));
    if (id > table.maxId || !table.current(id)) throw new Error(`${resource} ${id} never existed`);
    table.setAlive(id, true);
  }

  private render(resource: ResourceName, id: number): RenderedRecord | undefined {
    const table = this.shop.table(resource);
    const row = table.get(id);
    if (!row) return undefined;
    return this.dialect.jsonRecord(this.dialect.def(resource), row, fullSpec(this.shop.activeLanguageIds())) as RenderedRecord;
  }

  records(resource: ResourceName): RenderedRecord[] {
    const table = this.shop.table(checkResource(resource));
    const out: RenderedRecord[] = [];
    for (const id of table.ids()) {
      const record = this.render(resource, id);
      if (record) out.push(record);
    }
    return out;
  }

  count(resource: ResourceName): number {
    return this.shop.table(checkResource(resource)).count();
  }

  get(resource: ResourceName, id: number): RenderedRecord | undefined {
    return this.render(checkResource(resource), id);
  }

  setFaults(faults: FaultOptions): void {
    this.faults.set(faults);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  quirks(): QuirkEntry[] {
    return listQuirks(this.shop);
  }

  stats(): SandboxStats {
    return this.workers.stats();
  }

  resetStats(): void {
    this.workers.resetStats();
  }

  requests(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry, query: { ...entry.query } }));
  }

  resetRequests(): void {
    this.log.length = 0;
  }

  /** The time of a back-office action: the given shop-local time (checked) or the clock. */
  private at(options: EventOptions | undefined): string {
    checkLocal(options?.at, 'at');
    return options?.at ?? this.shopLocalNow();
  }

  changeOrderState(orderId: number, stateId: number, options: EventOptions & { employeeId?: number } = {}): number {
    return changeOrderState(this.shop, orderId, stateId, this.at(options), options.employeeId ?? 1);
  }

  addPayment(orderId: number, payment: PaymentInput & EventOptions = {}): number {
    const { at: _at, ...input } = payment;
    return addPayment(this.shop, orderId, input, this.at(payment));
  }

  refund(orderId: number, lines: RefundLine[], shipping: boolean | number | string = false, options: EventOptions = {}): number {
    if (!Array.isArray(lines)) throw new Error('refund needs a list of { detailId, quantity }');
    return refund(this.shop, orderId, lines, shipping, this.at(options));
  }

  removeOrderLine(orderId: number, detailId: number, options: EventOptions = {}): void {
    removeOrderLine(this.shop, orderId, detailId, this.at(options));
  }

  setStock(productId: number, attributeId: number, quantity: number): number {
    return setStock(this.shop, productId, attributeId, quantity);
  }

  setCombinationPrice(combinationId: number, price: string | number): void {
    setCombinationPrice(this.shop, combinationId, price);
  }

  simulateActivity(counts: ActivityCounts & DocumentActivityCounts, seed?: number): ActivitySummary {
    this.activityCalls += 1;
    return simulateActivity(this.shop, counts, seed ?? this.activityCalls, this.shopLocalNow());
  }

  saveState(file: string): void {
    saveState(this.shop, file, this.clock.now());
  }

  /** Rebuilds the generated base from the saved anchor when it differs, then replays the mutations. */
  loadState(file: string): void {
    const state = readState(file);
    assertCompatible(state, this.shop.settings);
    const shop = new Shop({ ...this.shop.settings, anchor: state.anchor });
    for (const [name, mutations] of Object.entries(state.tables)) {
      if (mutations) shop.table(checkResource(name)).applyMutations(mutations);
    }
    this.holder.shop = shop;
  }
}
