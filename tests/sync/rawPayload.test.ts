import { isStorableText, storableJson, storableText } from '../../shared/db/storableText';
import { SENSITIVE_FIELDS, stripSensitive } from '../../shared/prestashop/sensitiveFields';
import { rawPayloadOf, shopDateTimeOrNull } from '../../shared/sync/rawPayload';

describe('what raw keeps of a record', () => {
  it('drops every sensitive field, at any depth, and keeps the rest as is', () => {
    const record = {
      id: 7, email: 'a@b.c', passwd: 'hash', secure_key: 'k', reset_password_token: 't', reset_password_validity: null,
      last_passwd_gen: '2024-01-01 00:00:00', ip_registration_newsletter: '1.2.3.4',
      associations: { groups: [{ id: 3, secure_key: 'nested' }] },
    };
    expect(stripSensitive(record)).toEqual({ id: 7, email: 'a@b.c', associations: { groups: [{ id: 3 }] } });
    expect(record.passwd).toBe('hash'); // the input is not mutated
    expect(SENSITIVE_FIELDS).toEqual(expect.arrayContaining(['passwd', 'secure_key', 'reset_password_token', 'reset_password_validity', 'last_passwd_gen', 'ip_registration_newsletter']));
    expect(JSON.parse(rawPayloadOf(record).json)).toEqual({ id: 7, email: 'a@b.c', associations: { groups: [{ id: 3 }] } });
  });

  it('reads date_upd as a shop-local timestamp, zero and malformed dates as null', () => {
    expect(shopDateTimeOrNull('2024-02-29 23:59:59')).toBe('2024-02-29 23:59:59');
    expect(shopDateTimeOrNull('0000-00-00 00:00:00')).toBeNull();
    expect(shopDateTimeOrNull('2023-02-29 10:00:00')).toBeNull();
    expect(shopDateTimeOrNull('1990-05-00 00:00:00')).toBeNull();
    expect(shopDateTimeOrNull('2024-01-01')).toBeNull();
    expect(shopDateTimeOrNull(undefined)).toBeNull();
    expect(rawPayloadOf({ id: 1, date_add: '2024-01-01 00:00:00', date_upd: '2024-01-02 00:00:00' }, 'date_add').dateLocal).toBe('2024-01-01 00:00:00');
  });
});

describe('the repair rule for text PostgreSQL cannot store', () => {
  it('replaces each NUL and each unpaired surrogate by U+FFFD, and nothing else', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('cut \ud83d')).toBe('cut \ufffd');
    expect(storableText('\ude00 low first')).toBe('\ufffd low first');
    expect(storableText('two \u0000\u0000')).toBe('two \ufffd\ufffd');
    expect(storableText('whole 😀 emoji, é, \\u0000 as text')).toBe('whole 😀 emoji, é, \\u0000 as text');
    expect(isStorableText('😀')).toBe(true);
    expect(isStorableText('\ud83d')).toBe(false);
  });

  it('repairs keys and values at any depth, names the fields, and leaves clean payloads byte for byte', () => {
    const clean = { id: 1, note: 'fine 😀', name: [{ id: 1, value: 'a' }] };
    expect(storableJson(clean)).toEqual({ json: JSON.stringify(clean), repairedPaths: [] });
    const bad = { id: 2, note: 'x\u0000y', name: [{ id: 1, value: 'ok' }, { id: 2, value: 'half \ud83d' }], ['k\u0000']: 1 };
    const repaired = storableJson(bad);
    expect(JSON.parse(repaired.json)).toEqual({ id: 2, note: 'x\ufffdy', name: [{ id: 1, value: 'ok' }, { id: 2, value: 'half \ufffd' }], 'k\ufffd': 1 });
    expect(repaired.repairedPaths).toEqual(['note', 'name.1.value', 'k\ufffd (key)']);
    // the same input gives the same bytes: the payload hash of a rerun does not change
    expect(storableJson(bad).json).toBe(repaired.json);
  });

  it('does not mistake an escaped backslash for a bad escape', () => {
    const text = { note: 'C:\\u0000\\path' };
    expect(storableJson(text)).toEqual({ json: JSON.stringify(text), repairedPaths: [] });
  });
});
