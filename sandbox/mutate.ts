import { orderState } from './data/catalog';
import { customerRecord } from './data/customers';
import { orderMoney, orderRecord } from './data/orders';
import { productRecord } from './data/products';
import { asText, cloneRow, isTranslated, parseMicros, roundToCents, type Associations, type Row } from './record';
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

/** Keeps an order's totals consistent with its rows after the rows change (shipping and discounts kept). */
const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

function retotal(row: Row): void {
  const rows = row.associations?.order_rows ?? [];
  let products = 0;
  let productsWt = 0;
  for (const item of rows) {
    const qty = Number(item.product_quantity ?? '0');
    products += parseMicros(item.unit_price_tax_excl ?? '0') * qty;
    productsWt += parseMicros(item.unit_price_tax_incl ?? '0') * qty;
  }
  const p = roundToCents(products);
  const pw = roundToCents(productsWt);
  const share = p > 0 ? parseMicros(text(row.total_discounts_tax_excl, '0')) / parseMicros(text(row.total_products, '1')) : 0;
  const state = orderState(Number(row.current_state));
  const money = orderMoney({
    priced: { rows, productsMicros: p, productsWtMicros: pw },
    shippingExclMicros: parseMicros(text(row.total_shipping_tax_excl, '0')),
    discountShare: Number.isFinite(share) ? share : 0,
    paid: state?.paid ?? false,
  });
  Object.assign(row, money);
}

/** What OrderHistory::changeIdOrderState does to the order: state, valid = logable, payment, invoice, delivery. */
function applyState(row: Row, stateId: number, nowLocal: string): void {
  const state = orderState(stateId);
  if (!state) throw new Error(`Unknown order state ${stateId}`);
  row.current_state = String(stateId);
  row.valid = state.logable ? '1' : '0';
  if (state.paid) row.total_paid_real = row.total_paid;
  if (state.invoice && row.invoice_number === '0') {
    row.invoice_number = String(row.id);
    row.invoice_date = nowLocal;
  }
  if (state.shipped && row.delivery_number === '0') row.delivery_number = String(row.id);
  if (state.shipped && state.delivery) row.delivery_date = nowLocal;
}

export interface WriteOptions {
  dateUpd?: string;
}

function checkLocal(value: string | undefined, what: string): void {
  if (value !== undefined && (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) || Number.isNaN(parseNaive(value)))) throw new Error(`${what} must be 'YYYY-MM-DD HH:MM:SS', got "${value}"`);
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
      row = orderRecord(shop.ctx, id, addNaive, updNaive, {
        ...(customerId !== undefined ? { customerId } : {}),
        ...(state !== undefined ? { state } : {}),
      });
      break;
    }
    default: {
      const template = table.current(1);
      if (!template) throw new Error(`No template record for ${resource}`);
      row = cloneRow(template);
      row.id = id;
      if ('date_add' in row) row.date_add = addText;
      if ('date_upd' in row) row.date_upd = upd;
    }
  }
  const { id_customer: _c, current_state: _s, ...rest } = partial;
  assign(row, resource === 'orders' ? rest : partial);
  if (resource === 'orders' && partial.associations !== undefined && partial.total_products === undefined) retotal(row);
  if ('date_upd' in row) row.date_upd = upd;
  table.put(row);
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
  if (resource === 'orders' && state !== undefined) {
    applyState(row, Number(state), options.dateUpd ?? nowLocal);
    if (changes.valid !== undefined) row.valid = asText(changes.valid);
  }
  if (resource === 'orders' && changes.associations !== undefined && changes.total_products === undefined) retotal(row);
  if ('date_upd' in row) row.date_upd = options.dateUpd ?? nowLocal;
  table.put(row);
}

