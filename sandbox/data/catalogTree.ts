import type { Row } from '../record';
import { hash32, Stream } from '../random';
import type { Table } from '../table';
import { DAY, fmt, HISTORY_SPAN, translated, type GenContext } from './context';
import { MANUFACTURERS } from './catalog';

/**
 * The catalog around the products: the category tree, brands, carriers and the countries addresses use. Small
 * fixed tables; categories list their products (and count them) from the products as they are now.
 */

interface CategorySeed {
  id: number;
  parent: number;
  en: string;
  fr: string;
  position: number;
  active: boolean;
}

/** Root (1) and Home (2, the shop's root category) as PrestaShop installs them, then the shop's own tree. */
export const CATEGORY_TREE: readonly CategorySeed[] = [
  { id: 1, parent: 0, en: 'Root', fr: 'Racine', position: 0, active: true },
  { id: 2, parent: 1, en: 'Home', fr: 'Accueil', position: 0, active: true },
  { id: 3, parent: 2, en: 'Clothes', fr: 'Vêtements', position: 0, active: true },
  { id: 4, parent: 3, en: 'Men', fr: 'Hommes', position: 0, active: true },
  { id: 5, parent: 3, en: 'Women', fr: 'Femmes', position: 1, active: true },
  { id: 6, parent: 2, en: 'Accessories', fr: 'Accessoires', position: 1, active: true },
  { id: 7, parent: 6, en: 'Stationery', fr: 'Papeterie', position: 0, active: true },
  { id: 8, parent: 6, en: 'Home Accessories', fr: 'Accessoires de maison', position: 1, active: true },
  { id: 9, parent: 2, en: 'Art', fr: 'Art', position: 2, active: true },
  { id: 10, parent: 9, en: 'Limited editions', fr: 'Éditions limitées', position: 0, active: false },
];

/** A generated product's categories (Home and its default category), without building the product. */
export function baseProductCategories(seed: number, productId: number): number[] {
  return [2, 3 + (hash32(seed, Stream.products, productId, 7) % 7)];
}

function depth(id: number): number {
  let d = 0;
  for (let c = CATEGORY_TREE.find((s) => s.id === id); c && c.parent !== 0; c = CATEGORY_TREE.find((s) => s.id === c?.parent)) d += 1;
  return d;
}

function descendants(id: number): number[] {
  const children = CATEGORY_TREE.filter((c) => c.parent === id && c.active);
  return children.flatMap((c) => [c.id, ...descendants(c.id)]);
}

/** The install date of the shop (as the configurations show it) and a later edit. */
function catalogDates(ctx: GenContext, id: number, slot: number): { add: string; upd: string } {
  const installed = ctx.zone.toNaive(ctx.anchor - HISTORY_SPAN - 90 * DAY);
  const edited = hash32(ctx.seed, Stream.catalog, slot, id) % 3 === 0 ? installed + (hash32(ctx.seed, Stream.catalog, slot, id, 1) % (60 * DAY)) : installed;
  return { add: fmt(installed), upd: fmt(edited) };
}

const slug = (text: string): string => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Products in each category now: generated ones by their seed, changed and added ones by their record. */
function productsByCategory(ctx: GenContext, products: Table): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of products.ids()) {
    const own = products.isChanged(p) ? (products.get(p)?.associations?.categories ?? []).map((c) => Number(c.id)) : baseProductCategories(ctx.seed, p);
    for (const c of own) out.set(c, [...(out.get(c) ?? []), p]);
  }
  return out;
}

export function categoryRows(ctx: GenContext, products: Table): Row[] {
  const byCategory = productsByCategory(ctx, products);
  return CATEGORY_TREE.map((c) => {
    const dates = catalogDates(ctx, c.id, 1);
    const mine = byCategory.get(c.id) ?? [];
    const recursive = new Set([...mine, ...descendants(c.id).flatMap((d) => byCategory.get(d) ?? [])]);
    const children = CATEGORY_TREE.filter((s) => s.parent === c.id && s.active).sort((a, b) => a.position - b.position);
    return {
      id: c.id,
      id_parent: String(c.parent),
      level_depth: String(depth(c.id)),
      nb_products_recursive: String(recursive.size === 0 ? -1 : recursive.size),
      active: c.active ? '1' : '0',
      id_shop_default: '1',
      is_root_category: c.id === 2 ? '1' : '0',
      position: String(c.position),
      date_add: dates.add,
      date_upd: dates.upd,
      name: translated(ctx, c.en, c.fr),
      link_rewrite: translated(ctx, slug(c.en), slug(c.fr)),
      description: translated(ctx, c.id <= 2 ? '' : `<p>${c.en}</p>`, c.id <= 2 ? '' : `<p>${c.fr}</p>`),
      additional_description: translated(ctx, '', ''),
      meta_title: translated(ctx, '', ''),
      meta_description: translated(ctx, '', ''),
      meta_keywords: translated(ctx, '', ''),
      associations: {
        categories: children.map((s) => ({ id: String(s.id) })),
        products: mine.map((p) => ({ id: String(p) })),
      },
    };
  });
}

/** The brands products name (id_manufacturer), and one more the shop no longer sells. */
export function manufacturerRows(ctx: GenContext): Row[] {
  const names = [...MANUFACTURERS.slice(1), 'Maison Dupont'];
  return names.map((name, index) => {
    const id = index + 1;
    const dates = catalogDates(ctx, id, 2);
    return {
      id,
      active: id === names.length ? '0' : '1',
      link_rewrite: slug(name),
      name,
      date_add: dates.add,
      date_upd: dates.upd,
      description: translated(ctx, `<p>${name}: prints and paper goods.</p>`, `<p>${name} : impressions et papeterie.</p>`),
      short_description: translated(ctx, '', ''),
      meta_title: translated(ctx, '', ''),
      meta_description: translated(ctx, '', ''),
      meta_keywords: translated(ctx, '', ''),
      associations: { addresses: [] },
    };
  });
}

/**
 * Orders use carriers 1 to 3 (CARRIER_SHIPPING_CENTS). Carrier 4 was deleted: a carrier edited in the back office
 * is copied to a new id with the same id_reference and the old one marked deleted, so orders keep old ids.
 */
export function carrierRows(ctx: GenContext): Row[] {
  const carriers: Array<[number, string, string, string, boolean, boolean, number]> = [
    // id, name, delay (en), delay (fr), free, deleted, shipping_method
    [1, 'Click and collect', 'Pick up in-store', 'Retrait en magasin', true, false, 1],
    [2, 'My carrier', 'Delivery next day!', 'Livraison le lendemain !', false, false, 1],
    [3, 'Express', 'Delivered tomorrow before noon', 'Livré demain avant midi', false, false, 2],
    [4, 'Colissimo', 'Delivery in 2 to 3 days', 'Livraison en 2 à 3 jours', false, true, 1],
  ];
  return carriers.map(([id, name, en, fr, free, deleted, method], index) => ({
    id,
    deleted: deleted ? '1' : '0',
    is_module: '0',
    id_tax_rules_group: '1',
    id_reference: String(id),
    name,
    active: deleted ? '0' : '1',
    is_free: free ? '1' : '0',
    url: id === 1 ? '' : 'https://tracking.example.com/?parcel=@',
    shipping_handling: free ? '0' : '1',
    shipping_external: '0',
    range_behavior: '0',
    shipping_method: String(method),
    max_width: '0',
    max_height: '0',
    max_depth: '0',
    max_weight: '0.000000',
    grade: '0',
    external_module_name: '',
    need_range: free ? '0' : '1',
    position: String(index),
    delay: translated(ctx, en, fr),
  }));
}

export interface CountrySeed {
  id: number;
  iso: string;
  en: string;
  fr: string;
  zone: number;
  prefix: number;
  zip: string;
  active: boolean;
  states: boolean;
  needsDni: boolean;
  taxLabel: boolean;
}

/** Some of the countries PrestaShop installs, with their install ids (FR is 8, US 21) and zones. */
export const COUNTRIES: readonly CountrySeed[] = [
  { id: 1, iso: 'DE', en: 'Germany', fr: 'Allemagne', zone: 1, prefix: 49, zip: 'NNNNN', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 2, iso: 'AT', en: 'Austria', fr: 'Autriche', zone: 1, prefix: 43, zip: 'NNNN', active: false, states: false, needsDni: false, taxLabel: true },
  { id: 3, iso: 'BE', en: 'Belgium', fr: 'Belgique', zone: 1, prefix: 32, zip: 'NNNN', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 4, iso: 'CA', en: 'Canada', fr: 'Canada', zone: 2, prefix: 1, zip: 'LNL NLN', active: true, states: true, needsDni: false, taxLabel: false },
  { id: 6, iso: 'ES', en: 'Spain', fr: 'Espagne', zone: 1, prefix: 34, zip: 'NNNNN', active: true, states: false, needsDni: true, taxLabel: true },
  { id: 8, iso: 'FR', en: 'France', fr: 'France', zone: 1, prefix: 33, zip: 'NNNNN', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 10, iso: 'IT', en: 'Italy', fr: 'Italie', zone: 1, prefix: 39, zip: 'NNNNN', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 13, iso: 'NL', en: 'Netherlands', fr: 'Pays-Bas', zone: 1, prefix: 31, zip: 'NNNN LL', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 17, iso: 'GB', en: 'United Kingdom', fr: 'Royaume-Uni', zone: 7, prefix: 44, zip: '', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 19, iso: 'CH', en: 'Switzerland', fr: 'Suisse', zone: 7, prefix: 41, zip: 'NNNN', active: true, states: false, needsDni: false, taxLabel: true },
  { id: 21, iso: 'US', en: 'United States', fr: 'États-Unis', zone: 2, prefix: 1, zip: 'NNNNN', active: true, states: true, needsDni: false, taxLabel: false },
];

export function countryRows(ctx: GenContext): Row[] {
  const flag = (b: boolean): string => (b ? '1' : '0');
  return COUNTRIES.map((c) => ({
    id: c.id,
    id_zone: String(c.zone),
    id_currency: '0',
    call_prefix: String(c.prefix),
    iso_code: c.iso,
    active: flag(c.active),
    contains_states: flag(c.states),
    need_identification_number: flag(c.needsDni),
    need_zip_code: flag(c.zip !== ''),
    zip_code_format: c.zip,
    display_tax_label: flag(c.taxLabel),
    name: translated(ctx, c.en, c.fr),
  }));
}
