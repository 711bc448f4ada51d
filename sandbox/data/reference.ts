import type { Row } from '../record';
import { micros } from '../record';
import { CURRENCIES, DEFAULT_CURRENCY_ID, LANGUAGES, ORDER_STATES } from './catalog';
import type { PsVersion } from '../version';
import { DAY, HISTORY_SPAN, fmt, translated, type GenContext } from './context';

const flag = (value: boolean): string => (value ? '1' : '0');

export function orderStateRows(ctx: GenContext): Row[] {
  return ORDER_STATES.map((s) => ({
    id: s.id,
    unremovable: '1',
    delivery: flag(s.delivery),
    hidden: '0',
    send_email: flag(s.template !== ''),
    module_name: s.module,
    invoice: flag(s.invoice),
    color: s.color,
    logable: flag(s.logable),
    shipped: flag(s.shipped),
    paid: flag(s.paid),
    pdf_delivery: flag(s.shipped),
    pdf_invoice: flag(s.invoice),
    deleted: '0',
    name: translated(ctx, s.en, s.fr),
    template: translated(ctx, s.template, s.template),
  }));
}

/** 1.7-era records show `names` as the plain name and `name` translated; 8.1.2 shows the reverse. */
export function currencyRows(ctx: GenContext, version: PsVersion): Row[] {
  return CURRENCIES.map((c) => ({
    id: c.id,
    names: version === '8.1' ? translated(ctx, c.en, c.fr) : c.en,
    name: version === '8.1' ? c.en : translated(ctx, c.en, c.fr),
    symbol: translated(ctx, c.symbol, c.symbol),
    iso_code: c.iso,
    numeric_iso_code: c.numeric,
    precision: '2',
    conversion_rate: micros(c.rateMicros),
    deleted: '0',
    active: '1',
    unofficial: '0',
    modified: '0',
    pattern: translated(ctx, '', ''),
  }));
}

export function languageRows(ctx: GenContext): Row[] {
  return LANGUAGES.map((l) => ({
    id: l.id,
    name: l.name,
    iso_code: l.iso,
    locale: l.locale,
    language_code: l.code,
    active: flag(l.id <= ctx.languages),
    is_rtl: '0',
    date_format_lite: l.lite,
    date_format_full: l.full,
  }));
}

/** Configuration keys the extractor reads, with the ids a fresh 8.x install gives some of them. */
export function configurationRows(ctx: GenContext, timeZone: string, psVersion: string): Row[] {
  const installed = fmt(ctx.zone.toNaive(ctx.anchor - HISTORY_SPAN - 90 * DAY));
  const entries: Array<[number, string, string | null]> = [
    [1, 'PS_LANG_DEFAULT', '1'],
    [2, 'PS_VERSION_DB', psVersion],
    [3, 'PS_CURRENCY_DEFAULT', String(DEFAULT_CURRENCY_ID)],
    [4, 'PS_COUNTRY_DEFAULT', '8'],
    [5, 'PS_SHOP_DEFAULT', '1'],
    [6, 'PS_SHOP_NAME', 'PHC Sandbox / Demo'],
    [7, 'PS_SHOP_EMAIL', 'shop@example.com'],
    [8, 'PS_WEBSERVICE', '1'],
    [9, 'PS_ROUND_TYPE', '2'],
    [10, 'PS_PRICE_ROUND_MODE', '2'],
    [11, 'PS_OS_PAYMENT', '2'],
    [12, 'PS_OS_CANCELED', '6'],
    [13, 'PS_OS_ERROR', '8'],
    [14, 'PS_MULTISHOP_FEATURE_ACTIVE', '0'],
    [15, 'PS_LOCALE_LANGUAGE', 'en'],
    [67, 'PS_TIMEZONE', timeZone],
    [354, 'BLOCKSOCIAL_INSTAGRAM', null],
  ];
  return entries.map(([id, name, value]) => ({
    id,
    value,
    name,
    id_shop_group: null,
    id_shop: null,
    date_add: installed,
    date_upd: installed,
  }));
}
