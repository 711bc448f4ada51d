import { addProductStock } from './catalogMutations';
import { addressOfCustomer } from './data/addresses';
import { customerRecord } from './data/customers';
import { orderParts, type OrderSketch } from './data/orders';
import { productRecord } from './data/products';
import { applyStateChange, createOrderDocuments, normalizeRowIds, retotal } from './orderMutations';
import { asText, cloneRow, isTranslated, type Associations, type Row } from './record';
import type { ResourceName } from './resources';
import type { Shop } from './shop';
import { parseNaive } from './time';

/** A field change: translatable fields may be given as one string (set in every language). */
function assign(row: Row, changes: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'id') continue;
    if (field === 'associations' && typeof value === 'object' && value !== null) {
      row.associations = { ...(row.associations ?? {}), ...(structuredClone(value) as Associations) };
      continue;
    }
    const current = row[field];
    if (isTranslated(current) && typeof value === 'string') {
      row[field] = current.map((t) => ({ id: t.id, value }));
    } else {
      row[field] = typeof value === 'number' ? String(value) : structuredClone(value);
    }
  }
}

export interface WriteOptions {
  dateUpd?: string;
}

export function checkLocal(value: string | undefined, what: string): void {
  if (value !== undefined && (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) || Number.isNaN(parseNaive(value)))) throw new Error(`${what} must be 'YYYY-MM-DD HH:MM:SS', got "${value}"`);
}

/** The address orders of this customer use: the customer's own id, or the address added for it later. */
function addressIdOf(shop: Shop, customerId: number): number {
  const addresses = shop.table('addresses');
  if (addresses.get(customerId)?.id_customer === String(customerId)) return customerId;
  const added = addresses.changedIds().find((id) => addresses.get(id)?.id_customer === String(customerId) && addresses.get(id)?.deleted === '0');
  return added ?? customerId;
}

/** A customer added later registers with an address (the customer's id when it is free, as generated ones have). */
function addCustomerAddress(shop: Shop, customer: Row, at: number): void {
  const addresses = shop.table('addresses');
  const id = addresses.has(customer.id) || customer.id <= addresses.maxId ? addresses.maxId + 1 : customer.id;
  addresses.put(addressOfCustomer(shop.ctx, id, customer, at, at));
}

/** Inserts a record the way ObjectModel::add() does: a new id, date_add = date_upd = now (shop-local). */
export function addRecord(shop: Shop, resource: ResourceName, partial: Record<string, unknown>, nowLocal: string, options: WriteOptions = {}): number {
  checkLocal(options.dateUpd, 'dateUpd');
  const table = shop.table(resource);
  const id = table.maxId + 1;
  const upd = options.dateUpd ?? nowLocal;
  const addText = typeof partial.date_add === 'string' ? partial.date_add : upd;
  const addNaive = parseNaive(addText);
  const updNaive = parseNaive(upd);
  let row: Row;
  let sketch: OrderSketch | undefined;
  switch (resource) {
    case 'customers':
      row = customerRecord(shop.ctx, id, addNaive, updNaive);
      row.associations = structuredClone(row.associations);
      break;
    case 'products':
      row = productRecord(shop.ctx, id, addNaive, updNaive);
      break;
    case 'orders': {
      const customerId = partial.id_customer !== undefined ? Number(partial.id_customer) : undefined;
      const state = partial.current_state !== undefined ? Number(partial.current_state) : undefined;
      ({ row, sketch } = orderParts(shop.ctx, id, addNaive, updNaive, {
        ...(customerId !== undefined ? { customerId } : {}),
        ...(state !== undefined ? { state } : {}),
      }));
      const address = String(addressIdOf(shop, Number(row.id_customer)));
      row.id_address_delivery = address;
      row.id_address_invoice = address;
      break;
    }
    default: {
      const first: IteratorResult<number> = table.ids().next();
      const templateId = table.has(1) ? 1 : first.done === true ? undefined : first.value;
      const template = templateId === undefined ? undefined : table.current(templateId);
      if (!template) throw new Error(`No template record for ${resource}`);
      row = cloneRow(template);
      row.id = id;
      if ('date_add' in row) row.date_add = addText;
      if ('date_upd' in row) row.date_upd = upd;
    }
  }
  const { id_customer: _c, current_state: _s, ...rest } = partial;
  assign(row, resource === 'orders' ? rest : partial);
  if (resource === 'orders') {
    normalizeRowIds(row);
    if (partial.associations !== undefined && partial.total_products === undefined) {
      retotal(shop, row, true, sketch && { share: sketch.discountShare, freeShipping: sketch.discount === 'freeShipping' });
    }
  }
  if ('date_upd' in row) row.date_upd = upd;
  if (resource === 'products') addProductStock(shop, row);
  table.put(row);
  if (resource === 'orders') createOrderDocuments(shop, row, sketch);
  if (resource === 'customers') addCustomerAddress(shop, row, addNaive);
  return id;
}

/** Changes a record the way ObjectModel::update() does: date_upd = now (or the given time). */
export function updateRecord(
  shop: Shop,
  resource: ResourceName,
  id: number,
  changes: Record<string, unknown>,
  nowLocal: string,
  options: WriteOptions = {},
): void {
  checkLocal(options.dateUpd, 'dateUpd');
  const table = shop.table(resource);
  const current = table.get(id);
  if (!current) throw new Error(`${resource} ${id} does not exist`);
  const row = cloneRow(current);
  const { current_state: state, ...rest } = changes;
  assign(row, resource === 'orders' ? rest : changes);
  if (resource === 'orders' && changes.associations !== undefined) {
    normalizeRowIds(row);
    if (changes.total_products === undefined) retotal(shop, row, false);
  }
  if (resource === 'orders' && state !== undefined) {
    applyStateChange(shop, row, Number(state), options.dateUpd ?? nowLocal);
    if (changes.valid !== undefined) row.valid = asText(changes.valid);
  }
  if ('date_upd' in row) row.date_upd = options.dateUpd ?? nowLocal;
  table.put(row);
}
