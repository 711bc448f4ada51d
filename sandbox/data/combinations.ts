import type { Row } from '../record';
import { micros } from '../record';
import { ZERO_DATE } from '../time';
import { translated, type GenContext } from './context';
import { productBasics, productStock } from './products';
import { combinationSlot, productVariants, variantOf, variantReference, variantStock } from './variants';

/**
 * Combinations and stock rows of the generated products. A combination has no dates; neither has a stock row:
 * PrestaShop changes them without touching the product's date_upd (#20465).
 */

export function combinationRecord(ctx: GenContext, id: number): Row | undefined {
  const variant = variantOf(ctx.seed, ctx.sizes.products, id);
  if (!variant) return undefined;
  const basics = productBasics(ctx.seed, variant.productId);
  const empty = translated(ctx, '', '');
  return {
    id,
    id_product: String(variant.productId),
    // 1.7 only (location and quantity left the combination in 8.0).
    location: '',
    ean13: '',
    isbn: '',
    upc: '',
    mpn: '',
    quantity: String(variantStock(ctx.seed, variant.productId, variant.slot)),
    reference: variantReference(basics.reference, variant),
    supplier_reference: '',
    wholesale_price: '0.000000',
    price: micros(variant.impactCents * 10_000),
    ecotax: '0.000000',
    weight: '0.000000',
    unit_price_impact: '0.000000',
    minimal_quantity: '1',
    low_stock_threshold: null,
    low_stock_alert: '0',
    default_on: variant.slot === 0 ? '1' : null,
    available_date: ZERO_DATE,
    available_now: empty,
    available_later: empty,
    associations: { product_option_values: [{ id: String(variant.optionValueId) }], images: [] },
  };
}

export function combinationExists(ctx: GenContext, id: number): boolean {
  const { productId, slot } = combinationSlot(id);
  return productVariants(ctx.seed, ctx.sizes.products, productId).length > slot;
}

/** Stock rows: ids 1..products are the products' own rows, then products + combination id (see stockIdOf). */
export function stockRecord(ctx: GenContext, id: number): Row | undefined {
  const products = ctx.sizes.products;
  const own = id <= products;
  const variant = own ? undefined : variantOf(ctx.seed, products, id - products);
  if (!own && !variant) return undefined;
  const productId = variant ? variant.productId : id;
  return {
    id,
    id_product: String(productId),
    id_product_attribute: String(variant ? id - products : 0),
    id_shop: '1',
    id_shop_group: '0',
    quantity: String(variant ? variantStock(ctx.seed, productId, variant.slot) : productStock(ctx, productId)),
    depends_on_stock: '0',
    out_of_stock: '2',
    location: '',
  };
}

/** A stock row for a product added later (simple: its own row only). */
export function newStockRow(id: number, productId: number, quantity: number): Row {
  return {
    id,
    id_product: String(productId),
    id_product_attribute: '0',
    id_shop: '1',
    id_shop_group: '0',
    quantity: String(quantity),
    depends_on_stock: '0',
    out_of_stock: '2',
    location: '',
  };
}
