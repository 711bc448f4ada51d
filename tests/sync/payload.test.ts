import { shopDateTimeOrNull, stripSecrets, SECRET_FIELDS } from '../../shared/sync/payload';

describe('payload hygiene', () => {
  it('drops every secret field, at any depth, and keeps the rest as is', () => {
    const record = {
      id: 7, email: 'a@b.c', passwd: 'hash', secure_key: 'k', reset_password_token: 't', reset_password_validity: null,
      last_passwd_gen: '2024-01-01 00:00:00', ip_registration_newsletter: '1.2.3.4',
      associations: { groups: [{ id: '3', secure_key: 'nested' }] },
    };
    expect(stripSecrets(record)).toEqual({ id: 7, email: 'a@b.c', associations: { groups: [{ id: '3' }] } });
    expect(record.passwd).toBe('hash'); // the input is not mutated
    expect(SECRET_FIELDS).toEqual(expect.arrayContaining(['passwd', 'secure_key', 'reset_password_token', 'reset_password_validity', 'last_passwd_gen']));
  });

  it('reads date_upd as a shop-local timestamp, zero and malformed dates as null', () => {
    expect(shopDateTimeOrNull('2024-02-29 23:59:59')).toBe('2024-02-29 23:59:59');
    expect(shopDateTimeOrNull('0000-00-00 00:00:00')).toBeNull();
    expect(shopDateTimeOrNull('2023-02-29 10:00:00')).toBeNull();
    expect(shopDateTimeOrNull('2024-01-01')).toBeNull();
    expect(shopDateTimeOrNull(undefined)).toBeNull();
  });
});
