/** Static reference data of the sandbox shop (PrestaShop's install defaults, trimmed). */

export interface OrderStateSeed {
  id: number;
  en: string;
  fr: string;
  template: string;
  logable: boolean;
  paid: boolean;
  shipped: boolean;
  delivery: boolean;
  invoice: boolean;
  color: string;
  module: string;
}

export const ORDER_STATES: readonly OrderStateSeed[] = [
  { id: 1, en: 'Awaiting check payment', fr: 'En attente du paiement par chèque', template: 'cheque', logable: false, paid: false, shipped: false, delivery: false, invoice: false, color: '#34209E', module: 'ps_checkpayment' },
  { id: 2, en: 'Payment accepted', fr: 'Paiement accepté', template: 'payment', logable: true, paid: true, shipped: false, delivery: false, invoice: true, color: '#3498D8', module: '' },
  { id: 3, en: 'Processing in progress', fr: 'En cours de préparation', template: 'preparation', logable: true, paid: true, shipped: false, delivery: true, invoice: true, color: '#3498D8', module: '' },
  { id: 4, en: 'Shipped', fr: 'Expédié', template: 'shipped', logable: true, paid: true, shipped: true, delivery: true, invoice: true, color: '#01B887', module: '' },
  { id: 5, en: 'Delivered', fr: 'Livré', template: '', logable: true, paid: true, shipped: true, delivery: true, invoice: true, color: '#01B887', module: '' },
  { id: 6, en: 'Canceled', fr: 'Annulé', template: 'order_canceled', logable: false, paid: false, shipped: false, delivery: false, invoice: false, color: '#2C3E50', module: '' },
  // As PrestaShop installs it: a refunded order is no longer a sale (logable 0) nor paid.
  { id: 7, en: 'Refunded', fr: 'Remboursé', template: 'refund', logable: false, paid: false, shipped: false, delivery: false, invoice: true, color: '#ec2e15', module: '' },
  { id: 8, en: 'Payment error', fr: 'Erreur de paiement', template: 'payment_error', logable: false, paid: false, shipped: false, delivery: false, invoice: false, color: '#E74C3C', module: '' },
  { id: 9, en: 'On backorder (paid)', fr: 'En attente de réapprovisionnement (payé)', template: 'outofstock', logable: true, paid: true, shipped: false, delivery: false, invoice: true, color: '#3498D8', module: '' },
  { id: 10, en: 'Awaiting bank wire payment', fr: 'En attente de virement bancaire', template: 'bankwire', logable: false, paid: false, shipped: false, delivery: false, invoice: false, color: '#34209E', module: 'ps_wirepayment' },
  { id: 11, en: 'Remote payment accepted', fr: 'Paiement à distance accepté', template: 'payment', logable: true, paid: true, shipped: false, delivery: false, invoice: true, color: '#3498D8', module: '' },
  { id: 12, en: 'On backorder (not paid)', fr: 'En attente de réapprovisionnement (non payé)', template: 'outofstock', logable: false, paid: false, shipped: false, delivery: false, invoice: false, color: '#34209E', module: '' },
];

export function orderState(id: number): OrderStateSeed | undefined {
  return ORDER_STATES.find((state) => state.id === id);
}

export interface CurrencySeed {
  id: number;
  iso: string;
  numeric: string;
  en: string;
  fr: string;
  symbol: string;
  /** Rate against the default currency, in micro-units (DECIMAL(13,6)). */
  rateMicros: number;
}

export const DEFAULT_CURRENCY_ID = 1;

export const CURRENCIES: readonly CurrencySeed[] = [
  { id: 1, iso: 'EUR', numeric: '978', en: 'Euro', fr: 'euro', symbol: '€', rateMicros: 1_000_000 },
  { id: 2, iso: 'USD', numeric: '840', en: 'US Dollar', fr: 'dollar des États-Unis', symbol: '$', rateMicros: 1_089_500 },
  { id: 3, iso: 'GBP', numeric: '826', en: 'British Pound', fr: 'livre sterling', symbol: '£', rateMicros: 861_200 },
  { id: 4, iso: 'CHF', numeric: '756', en: 'Swiss Franc', fr: 'franc suisse', symbol: 'CHF', rateMicros: 947_300 },
];

export const LANGUAGES = [
  { id: 1, name: 'English (English)', iso: 'en', locale: 'en-US', code: 'en-us', lite: 'm/d/Y', full: 'm/d/Y H:i:s' },
  { id: 2, name: 'Français (French)', iso: 'fr', locale: 'fr-FR', code: 'fr-fr', lite: 'd/m/Y', full: 'd/m/Y H:i:s' },
] as const;

/** [English, French] noun pairs and adjective pairs for product names. */
export const PRODUCT_NOUNS: ReadonlyArray<readonly [string, string]> = [
  ['printed t-shirt', 'T-shirt imprimé'], ['printed sweater', 'Pull imprimé'], ['mug', 'Mug'], ['notebook', 'Carnet'],
  ['framed poster', 'Affiche encadrée'], ['cushion', 'Coussin'], ['tote bag', 'Sac cabas'], ['pencil case', 'Trousse'],
  ['water bottle', 'Gourde'], ['vector graphics', 'Graphiques vectoriels'],
];

export const PRODUCT_THEMES: ReadonlyArray<readonly [string, string]> = [
  ['Hummingbird', 'colibri'], ['Mountain fox', 'renard des montagnes'], ['Brown bear', 'ours brun'],
  ['Today is a good day', 'aujourd’hui est un bon jour'], ['The best is yet to come', 'le meilleur reste à venir'],
  ['Adventure begins', 'l’aventure commence'], ['Mistral', 'mistral'], ['Éclair', 'éclair'],
];

export const MANUFACTURERS = ['', 'Studio Design', 'Graphic Corner', 'Atelier Müller'] as const;

export const FIRST_NAMES = [
  'John', 'Jane', 'Élodie', 'Marc', 'Zoë', 'Lucas', 'Chloé', 'Noah', 'Inès', 'Hugo', 'Amélie', 'Jürgen', 'Sofia', 'Liam',
] as const;

export const LAST_NAMES = [
  'Doe', 'Martin', 'Bernard', 'Dubois', 'Müller', 'Petit', 'Durand', 'Leroy', "O'Brien", 'Moreau', 'García', 'Fournier',
] as const;

/** Carriers: id → shipping price excluding tax, in cents (carrier 1 is store pick-up). */
export const CARRIER_SHIPPING_CENTS: Readonly<Record<number, number>> = { 1: 0, 2: 700, 3: 1200 };

export const PAYMENTS = [
  { module: 'ps_wirepayment', payment: 'Bank transfer' },
  { module: 'ps_checkpayment', payment: 'Payment by check' },
  { module: 'ps_checkout', payment: 'Card / PayPal' },
] as const;

/** The shop's vouchers (cart_rules is not served; order_cart_rules copy their name). */
export const CART_RULES = {
  percent: { id: 1, name: 'Summer sale -10%', share: 0.1 },
  freeShipping: { id: 2, name: 'Free shipping' },
} as const;
