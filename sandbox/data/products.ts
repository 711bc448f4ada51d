import type { Row } from '../record';
import { micros } from '../record';
import { hash32, Stream, unit } from '../random';
import { ZERO_DATE } from '../time';
import { MANUFACTURERS, PRODUCT_NOUNS, PRODUCT_THEMES } from './catalog';
import { DAY, HISTORY_SPAN, fmt, naiveBetween, translated, type GenContext } from './context';
import { applyQuirks } from './quirks';
import { combinationId, productVariants, stockIdOf, variantStock } from './variants';

const S = Stream.products;

export interface ProductBasics {
  en: string;
  fr: string;
  reference: string;
  /** Price excluding tax in cents, in the default currency. */
  priceCents: number;
  /** Tax rate in hundredths of a percent (2000 = 20 %). */
  taxRateBp: number;
  taxRulesGroup: string;
}

/** A product's price excluding tax (cents, default currency) and tax rate, without building its names. */
export function productPrice(seed: number, id: number): { priceCents: number; taxRateBp: number } {
  const noun = PRODUCT_NOUNS[hash32(seed, S, id, 1) % PRODUCT_NOUNS.length] ?? PRODUCT_NOUNS[0]!;
  const reduced = noun[0] === 'notebook' || noun[0] === 'vector graphics';
  return { priceCents: (5 + (hash32(seed, S, id, 3) % 120)) * 100 + 90, taxRateBp: reduced ? 550 : 2000 };
}

/** The parts of a product an order row copies; pure in (seed, id) so orders never need the product record. */
export function productBasics(seed: number, id: number): ProductBasics {
  const noun = PRODUCT_NOUNS[hash32(seed, S, id, 1) % PRODUCT_NOUNS.length] ?? PRODUCT_NOUNS[0]!;
  const theme = PRODUCT_THEMES[hash32(seed, S, id, 2) % PRODUCT_THEMES.length] ?? PRODUCT_THEMES[0]!;
  const price = productPrice(seed, id);
  return {
    en: `${theme[0]} ${noun[0]}`,
    fr: `${noun[1]} ${theme[1]}`,
    reference: `demo_${id}`,
    priceCents: price.priceCents,
    taxRateBp: price.taxRateBp,
    taxRulesGroup: price.taxRateBp === 550 ? '2' : '1',
  };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The product's weight (micro-units of kg), as its record shows it. */
export function productWeightMicros(seed: number, id: number): number {
  return (hash32(seed, S, id, 12) % 900) * 1000 + 100_000;
}

/** The product's cost price (wholesale_price) in micro-units of the default currency. */
export function productWholesaleMicros(seed: number, id: number): number {
  return Math.round(productBasics(seed, id).priceCents * 0.4) * 10_000;
}

/** Stock of a simple product; a product with combinations holds the sum of its combinations' stock. */
export function productStock(ctx: GenContext, id: number): number {
  const variants = productVariants(ctx.seed, ctx.sizes.products, id);
  if (variants.length === 0) return hash32(ctx.seed, S, id, 8) % 300;
  return variants.reduce((sum, v) => sum + variantStock(ctx.seed, id, v.slot), 0);
}

export function productBaseDates(ctx: GenContext, id: number): { add: number; upd: number } {
  const nowNaive = ctx.zone.toNaive(ctx.anchor);
  const addInstant = Math.floor(ctx.anchor - HISTORY_SPAN - 60 * DAY + unit(ctx.seed, S, id, 4) * 50 * DAY);
  const add = naiveBetween(ctx, addInstant, Number.NEGATIVE_INFINITY, nowNaive);
  const u = unit(ctx.seed, S, id, 5);
  const updInstant = addInstant + Math.floor(u * u * (ctx.anchor - addInstant));
  return { add, upd: naiveBetween(ctx, updInstant, add, nowNaive) };
}

export function productRecord(ctx: GenContext, id: number, add: number, upd: number): Row {
  const basics = productBasics(ctx.seed, id);
  const h = (slot: number): number => hash32(ctx.seed, S, id, slot);
  const manufacturer = h(6) % MANUFACTURERS.length;
  const category = String(3 + (h(7) % 7));
  const stock = productStock(ctx, id);
  const variants = productVariants(ctx.seed, ctx.sizes.products, id);
  const defaultCombination = variants.length > 0 ? String(combinationId(id, 0)) : '0';
  const active = h(9) % 20 !== 0;
  const images = h(10) % 4 === 0 ? [] : [{ id: String(id * 2 - 1) }, { id: String(id * 2) }];
  const empty = translated(ctx, '', '');
  const row: Row = {
    id,
    id_manufacturer: String(manufacturer),
    id_supplier: manufacturer === 0 ? '0' : '1',
    id_category_default: category,
    new: null,
    cache_default_attribute: defaultCombination,
    id_default_image: images.length > 0 ? String(id * 2 - 1) : '',
    id_default_combination: defaultCombination,
    id_tax_rules_group: basics.taxRulesGroup,
    position_in_category: String(h(11) % 12),
    manufacturer_name: MANUFACTURERS[manufacturer] ?? '',
    quantity: String(stock),
    type: 'simple',
    id_shop_default: '1',
    reference: basics.reference,
    supplier_reference: '',
    location: '',
    width: '0.000000',
    height: '0.000000',
    depth: '0.000000',
    weight: micros(productWeightMicros(ctx.seed, id)),
    quantity_discount: '0',
    ean13: h(13) % 3 === 0 ? String(3_000_000_000_000 + (h(14) % 999_999_999)) : '',
    isbn: '',
    upc: '',
    mpn: '',
    cache_is_pack: '0',
    cache_has_attachments: '0',
    is_virtual: '0',
    state: '1',
    additional_delivery_times: '1',
    delivery_in_stock: empty,
    delivery_out_stock: empty,
    product_type: variants.length > 0 ? 'combinations' : 'standard',
    on_sale: '0',
    online_only: '0',
    ecotax: '0.000000',
    minimal_quantity: '1',
    low_stock_threshold: null,
    low_stock_alert: '0',
    price: micros(basics.priceCents * 10_000),
    wholesale_price: micros(productWholesaleMicros(ctx.seed, id)),
    unity: '',
    // A column of its own since 8.0 (only the 8.1 field list shows it): no unit price set.
    unit_price: '0.000000',
    unit_price_ratio: '0.000000',
    additional_shipping_cost: '0.000000',
    customizable: '0',
    text_fields: '0',
    uploadable_files: '0',
    active: active ? '1' : '0',
    redirect_type: '301-category',
    id_type_redirected: '0',
    available_for_order: '1',
    available_date: ZERO_DATE,
    show_condition: '0',
    condition: 'new',
    show_price: '1',
    indexed: '1',
    visibility: 'both',
    advanced_stock_management: '0',
    date_add: fmt(add),
    date_upd: fmt(upd),
    pack_stock_type: '3',
    meta_description: empty,
    meta_keywords: empty,
    meta_title: empty,
    link_rewrite: translated(ctx, slug(basics.en), slug(basics.fr)),
    name: translated(ctx, basics.en, basics.fr),
    description: translated(
      ctx,
      `<p>${basics.en}: designed in our studio, printed on demand.</p>`,
      `<p>${basics.fr} : conçu dans notre atelier, imprimé à la demande.</p>`,
    ),
    description_short: translated(ctx, `<p>${basics.en}</p>`, `<p>${basics.fr}</p>`),
    available_now: empty,
    available_later: empty,
    associations: {
      categories: [{ id: '2' }, { id: category }],
      images,
      combinations: variants.map((v) => ({ id: String(combinationId(id, v.slot)) })),
      product_option_values: variants.map((v) => ({ id: String(v.optionValueId) })),
      product_features: [],
      tags: [],
      stock_availables: [
        { id: String(id), id_product_attribute: '0' },
        ...variants.map((v) => {
          const attribute = combinationId(id, v.slot);
          return { id: String(stockIdOf(ctx.sizes.products, id, attribute)), id_product_attribute: String(attribute) };
        }),
      ],
      attachments: [],
      accessories: [],
      product_bundle: [],
    },
  };
  applyQuirks(ctx.quirks, ctx.seed, 'products', row);
  return row;
}
