import { hash32, Stream } from '../random';
import { PRODUCT_NOUNS } from './catalog';

/**
 * Which generated products come in combinations (sizes), as a pure function of (seed, product id), so products,
 * order lines, combinations and stock agree without reading one another. Only products of the generated base
 * have combinations; products added later are simple.
 */

export interface Variant {
  /** 0-based position among the product's combinations; 0 is the default one. */
  slot: number;
  group: string;
  label: string;
  /** product_option_values id (the demo shop's attribute ids). */
  optionValueId: number;
  /** Price impact in cents (default currency, tax excluded): none when generated (setCombinationPrice sets one). */
  impactCents: number;
}

/** Combination ids are (product − 1) × 4 + slot + 1: at most this many combinations per product. */
export const COMBINATION_SLOTS = 4;

const SIZES: ReadonlyArray<readonly [string, number, number]> = [['S', 1, 0], ['M', 2, 0], ['L', 3, 0], ['XL', 4, 0]];
const FORMATS: ReadonlyArray<readonly [string, number, number]> = [['40x60cm', 19, 0], ['60x90cm', 20, 0], ['80x120cm', 21, 0]];

export function productVariants(seed: number, baseProducts: number, productId: number): Variant[] {
  if (productId < 1 || productId > baseProducts) return [];
  const noun = PRODUCT_NOUNS[hash32(seed, Stream.products, productId, 1) % PRODUCT_NOUNS.length]?.[0];
  const options = noun === 'printed t-shirt' || noun === 'printed sweater' ? SIZES : noun === 'framed poster' ? FORMATS : [];
  const group = options === FORMATS ? 'Dimension' : 'Size';
  return options.map(([label, optionValueId, impactCents], slot) => ({ slot, group, label, optionValueId, impactCents }));
}

export function combinationId(productId: number, slot: number): number {
  return (productId - 1) * COMBINATION_SLOTS + slot + 1;
}

/** The product and slot of a combination id. */
export function combinationSlot(id: number): { productId: number; slot: number } {
  return { productId: Math.floor((id - 1) / COMBINATION_SLOTS) + 1, slot: (id - 1) % COMBINATION_SLOTS };
}

/** The variant of a combination id, when the generated base has it. */
export function variantOf(seed: number, baseProducts: number, id: number): (Variant & { productId: number }) | undefined {
  const { productId, slot } = combinationSlot(id);
  const variant = productVariants(seed, baseProducts, productId)[slot];
  return variant ? { ...variant, productId } : undefined;
}

/** Generated stock of one combination. */
export function variantStock(seed: number, productId: number, slot: number): number {
  return hash32(seed, Stream.catalog, productId, 10 + slot) % 80;
}

/**
 * stock_availables ids: a product's own row (id_product_attribute 0) has the product's id, as the existing
 * products association shows; a combination's row comes after every product's: base products + combination id.
 */
export function stockIdOf(baseProducts: number, productId: number, attributeId: number): number {
  return attributeId === 0 ? productId : baseProducts + attributeId;
}

/** What PrestaShop writes in an order line for a combination: "Name - Size : S". */
export function variantLineName(name: string, variant: Variant): string {
  return `${name} - ${variant.group} : ${variant.label}`;
}

export function variantReference(productReference: string, variant: Variant): string {
  return `${productReference}-${variant.label}`;
}
