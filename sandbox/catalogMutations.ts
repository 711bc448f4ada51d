import { newStockRow } from './data/combinations';
import { asText, cloneRow, micros, parseMicros, type Row } from './record';
import type { Shop } from './shop';

/**
 * Catalog changes PrestaShop makes without touching the product's date_upd (#20465): stock and combination
 * prices. The product's quantity (a getter reading the stock) follows the stock, its date_upd does not move.
 */

function productOf(shop: Shop, productId: number): Row {
  const product = shop.table('products').get(productId);
  if (!product) throw new Error(`products ${productId} does not exist`);
  return product;
}

/** The stock_availables id of a product (attributeId 0) or of one of its combinations. */
export function stockIdFor(shop: Shop, productId: number, attributeId: number): number {
  const product = productOf(shop, productId);
  const entry = product.associations?.stock_availables?.find((s) => Number(s.id_product_attribute) === attributeId);
  if (!entry) throw new Error(attributeId === 0 ? `products ${productId} has no stock row` : `combinations ${attributeId} is not a combination of product ${productId}`);
  return Number(entry.id);
}

/** Writes a quantity; for a combination, the product's own row becomes the sum of its combinations' rows. */
function writeStock(shop: Shop, productId: number, attributeId: number, quantity: number): number {
  const stock = shop.table('stock_availables');
  const id = stockIdFor(shop, productId, attributeId);
  const row = stock.get(id);
  if (!row) throw new Error(`stock_availables ${id} does not exist`);
  stock.put({ ...cloneRow(row), quantity: String(quantity) });
  const product = cloneRow(productOf(shop, productId));
  const entries = product.associations?.stock_availables ?? [];
  let total = quantity;
  if (attributeId !== 0) {
    const combinations = shop.table('combinations');
    const combination = combinations.get(attributeId);
    // 1.7 still showed a quantity on the combination.
    if (combination) combinations.put({ ...cloneRow(combination), quantity: String(quantity) });
    total = entries.filter((e) => Number(e.id_product_attribute) !== 0).reduce((sum, e) => sum + Number(stock.get(Number(e.id))?.quantity ?? 0), 0);
    const own = entries.find((e) => Number(e.id_product_attribute) === 0);
    const ownRow = own ? stock.get(Number(own.id)) : undefined;
    if (ownRow) stock.put({ ...cloneRow(ownRow), quantity: String(total) });
  }
  product.quantity = String(total);
  shop.table('products').put(product);
  return id;
}

/** setStock: returns the stock_availables id written. */
export function setStock(shop: Shop, productId: number, attributeId: number, quantity: number): number {
  if (!Number.isInteger(quantity)) throw new Error(`setStock needs a whole quantity, got ${String(quantity)}`);
  if (!Number.isInteger(attributeId) || attributeId < 0) throw new Error(`setStock needs a combination id or 0, got ${String(attributeId)}`);
  const combinations = (productOf(shop, productId).associations?.combinations ?? []).length;
  if (attributeId === 0 && combinations > 0) throw new Error(`products ${productId} has combinations: its stock is theirs, set a combination's`);
  return writeStock(shop, productId, attributeId, quantity);
}

/** Puts quantities back in stock (a refund before shipping reinjects them). */
export function addStock(shop: Shop, productId: number, attributeId: number, delta: number): void {
  const stock = shop.table('stock_availables');
  let current: number;
  try {
    current = Number(stock.get(stockIdFor(shop, productId, attributeId))?.quantity ?? 0);
  } catch {
    return; // A product deleted since: nothing to put back.
  }
  writeStock(shop, productId, attributeId, current + delta);
}

/** setCombinationPrice: the combination's price impact (tax excluded, default currency). */
export function setCombinationPrice(shop: Shop, combinationId: number, price: string | number): void {
  const combinations = shop.table('combinations');
  const row = combinations.get(combinationId);
  if (!row) throw new Error(`combinations ${combinationId} does not exist`);
  const value = parseMicros(String(price));
  if (!Number.isFinite(value)) throw new Error(`setCombinationPrice needs a price, got "${String(price)}"`);
  combinations.put({ ...cloneRow(row), price: micros(value) });
}

/** A product added later gets its own stock row (after every generated one) and points to it. */
export function addProductStock(shop: Shop, product: Row): void {
  const stock = shop.table('stock_availables');
  const id = stock.maxId + 1;
  stock.put(newStockRow(id, product.id, Number(asText(product.quantity)) || 0));
  product.associations = { ...product.associations, stock_availables: [{ id: String(id), id_product_attribute: '0' }] };
}
