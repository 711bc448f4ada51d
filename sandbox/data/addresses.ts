import type { Row } from '../record';
import { hash32, Stream } from '../random';
import { fmt, type GenContext } from './context';
import { COUNTRIES, type CountrySeed } from './catalogTree';
import { customerBaseDates, customerHardDeleted, customerRecord } from './customers';

/**
 * One address per customer, with the customer's id (orders use the customer's id for both their delivery and
 * invoice address). A hard-deleted customer's address stays, marked deleted, as PrestaShop keeps an address that
 * orders use. Countries without states only (states are not served).
 */

const S = Stream.addresses;

/** [country iso, share, cities as [name, postcode]], the shares adding up to 1. */
const PLACES: ReadonlyArray<readonly [string, number, ReadonlyArray<readonly [string, string]>]> = [
  ['FR', 0.55, [['Paris', '75002'], ['Lyon', '69003'], ['Marseille', '13001'], ['Bordeaux', '33000'], ['Lille', '59000'], ['Nantes', '44000']]],
  ['BE', 0.09, [['Bruxelles', '1000'], ['Liège', '4000'], ['Gent', '9000']]],
  ['DE', 0.09, [['Berlin', '10115'], ['München', '80331'], ['Hamburg', '20095']]],
  ['ES', 0.07, [['Madrid', '28001'], ['Barcelona', '08001'], ['Sevilla', '41001']]],
  ['IT', 0.07, [['Roma', '00184'], ['Milano', '20121']]],
  ['NL', 0.05, [['Amsterdam', '1012 AB'], ['Rotterdam', '3011 AA']]],
  ['GB', 0.05, [['London', 'SW1A 1AA'], ['Manchester', 'M1 1AE']]],
  ['CH', 0.03, [['Genève', '1201'], ['Zürich', '8001']]],
];

const STREETS: Readonly<Record<string, readonly string[]>> = {
  FR: ['rue de la Paix', 'avenue Jean Jaurès', 'boulevard Voltaire', 'place de la République'],
  BE: ['rue Neuve', 'avenue Louise'],
  DE: ['Hauptstraße', 'Bahnhofstraße'],
  ES: ['Calle Mayor', 'Gran Vía'],
  IT: ['Via Roma', 'Corso Italia'],
  NL: ['Kalverstraat', 'Damrak'],
  GB: ['High Street', 'Station Road'],
  CH: ['Rue du Rhône', 'Bahnhofstrasse'],
};

function place(ctx: GenContext, customerId: number): { country: CountrySeed; city: string; postcode: string; street: string } {
  const u = hash32(ctx.seed, S, customerId, 1) / 4294967296;
  let acc = 0;
  let chosen = PLACES[0]!;
  for (const p of PLACES) {
    acc += p[1];
    if (u < acc) {
      chosen = p;
      break;
    }
  }
  const [iso, , cities] = chosen;
  const [city, postcode] = cities[hash32(ctx.seed, S, customerId, 2) % cities.length] ?? cities[0]!;
  const streets = STREETS[iso] ?? ['Main Street'];
  const street = streets[hash32(ctx.seed, S, customerId, 3) % streets.length] ?? 'Main Street';
  const country = COUNTRIES.find((c) => c.iso === iso) ?? COUNTRIES[0]!;
  return { country, city, postcode, street };
}

const digits = (count: number, ...parts: number[]): string =>
  Array.from({ length: count }, (_, i) => String(hash32(...parts, i) % 10)).join('');

/** The address of a generated customer (its own id), from the customer as generated. */
export function addressRecord(ctx: GenContext, customerId: number, add: number, upd: number): Row {
  const dates = customerBaseDates(ctx, customerId);
  const customer = customerRecord(ctx, customerId, dates.add, dates.upd);
  return addressOfCustomer(ctx, customerId, customer, add, upd, customerHardDeleted(ctx, customerId));
}

/** An address `id` for a customer record (a customer added later gets one when it registers). */
export function addressOfCustomer(ctx: GenContext, id: number, customer: Row, add: number, upd: number, deleted = false): Row {
  const customerId = customer.id;
  const p = place(ctx, customerId);
  const h = (slot: number): number => hash32(ctx.seed, S, customerId, slot);
  const number = 1 + (h(4) % 120);
  const address1 = p.country.iso === 'FR' || p.country.iso === 'BE' ? `${number}, ${p.street}` : `${p.street} ${number}`;
  return {
    id,
    id_customer: String(customerId),
    id_manufacturer: '0',
    id_supplier: '0',
    id_warehouse: '0',
    id_country: String(p.country.id),
    id_state: '0',
    alias: customer.id_lang === '2' ? 'Mon adresse' : 'My address',
    company: typeof customer.company === 'string' ? customer.company : '',
    lastname: String(customer.lastname),
    firstname: String(customer.firstname),
    vat_number: '',
    address1,
    address2: h(5) % 5 === 0 ? `Apt ${1 + (h(6) % 40)}${'ABCD'[h(7) % 4] ?? 'A'}` : '',
    postcode: p.postcode,
    city: p.city,
    other: '',
    phone: h(8) % 3 === 0 ? '' : `+${p.country.prefix} ${digits(9, ctx.seed, S, customerId, 9)}`,
    phone_mobile: h(10) % 2 === 0 ? `+${p.country.prefix} 6${digits(8, ctx.seed, S, customerId, 11)}` : '',
    dni: p.country.needsDni ? `${digits(8, ctx.seed, S, customerId, 12)}${'TRWAGMYFPDXBNJZSQVHLCKE'[h(13) % 23] ?? 'T'}` : '',
    deleted: deleted ? '1' : '0',
    date_add: fmt(add),
    date_upd: fmt(upd),
  };
}

/** A generated address's dates: the customer's registration; the deletion of a hard-deleted customer. */
export function addressBaseDates(ctx: GenContext, customerId: number): { add: number; upd: number } {
  const dates = customerBaseDates(ctx, customerId);
  return { add: dates.add, upd: customerHardDeleted(ctx, customerId) ? dates.upd : dates.add };
}
