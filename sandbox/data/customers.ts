import type { Row } from '../record';
import { hash32, Rng, Stream, unit } from '../random';
import { ZERO_DATE, ZERO_DATETIME } from '../time';
import { FIRST_NAMES, LAST_NAMES } from './catalog';
import { DAY, fmt, HISTORY_SPAN, hex32, naiveBetween, type GenContext } from './context';
import { applyQuirks } from './quirks';

const S = Stream.customers;

/** Some base customers were hard-deleted from the shop; their orders remain. Never customer 1. */
export function customerHardDeleted(ctx: GenContext, id: number): boolean {
  return id > 1 && unit(ctx.seed, S, id, 1) < 0.03;
}

function softDeleted(ctx: GenContext, id: number): boolean {
  return unit(ctx.seed, S, id, 2) < 0.04;
}

/** Customers register evenly over the history (a month before the first order onwards). */
export function customerBaseDates(ctx: GenContext, id: number): { add: number; upd: number } {
  const n = Math.max(1, ctx.sizes.customers);
  const start = ctx.anchor - HISTORY_SPAN - 30 * DAY;
  const step = (HISTORY_SPAN + 30 * DAY) / n;
  const addInstant = Math.floor(start + (id - 1 + unit(ctx.seed, S, id, 3)) * step);
  const nowNaive = ctx.zone.toNaive(ctx.anchor);
  const add = naiveBetween(ctx, addInstant, Number.NEGATIVE_INFINITY, nowNaive);
  let updInstant = addInstant;
  if (softDeleted(ctx, id) || unit(ctx.seed, S, id, 4) < 0.45) {
    updInstant = addInstant + Math.floor(unit(ctx.seed, S, id, 5) * (ctx.anchor - addInstant));
  }
  return { add, upd: naiveBetween(ctx, updInstant, add, nowNaive) };
}

export function customerRecord(ctx: GenContext, id: number, add: number, upd: number): Row {
  const rng = new Rng(ctx.seed, S, id, 10);
  const guest = rng.chance(0.12);
  const deleted = softDeleted(ctx, id);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const newsletter = !guest && rng.chance(0.3);
  const group = guest ? '2' : '3';
  const groups = guest ? [{ id: '2' }] : rng.chance(0.1) ? [{ id: '3' }, { id: '1' }] : [{ id: '3' }];
  const birthday = rng.chance(0.6)
    ? `${1950 + rng.int(0, 55)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
    : ZERO_DATE;
  const email = `${first}.${last}.${id}@example.com`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9.@]/g, '');
  const row: Row = {
    id,
    id_default_group: group,
    id_lang: ctx.languages === 2 && rng.chance(0.4) ? '2' : '1',
    newsletter_date_add: newsletter ? fmt(add) : ZERO_DATETIME,
    ip_registration_newsletter: '',
    last_passwd_gen: fmt(add),
    secure_key: hex32(ctx.seed, S, id, 11),
    deleted: deleted ? '1' : '0',
    passwd: `$2y$10$${hex32(ctx.seed, S, id, 12)}${hex32(ctx.seed, S, id, 13).slice(0, 21)}`,
    lastname: last,
    firstname: first,
    email,
    id_gender: String(hash32(ctx.seed, S, id, 14) % 3),
    birthday,
    newsletter: newsletter ? '1' : '0',
    optin: rng.chance(0.2) ? '1' : '0',
    website: '',
    company: rng.chance(0.1) ? `${last} & Co / Ltd` : '',
    siret: '',
    ape: '',
    outstanding_allow_amount: '0.000000',
    show_public_prices: '0',
    id_risk: '0',
    max_payment_days: '0',
    active: deleted ? '0' : '1',
    note: '',
    is_guest: guest ? '1' : '0',
    id_shop: '1',
    id_shop_group: '1',
    date_add: fmt(add),
    date_upd: fmt(upd),
    reset_password_token: '',
    reset_password_validity: null,
    associations: { groups },
  };
  applyQuirks(ctx.quirks, ctx.seed, 'customers', row);
  return row;
}
