import { clearRegisteredSecrets, REDACTED, redact, redactFields, registerSecret } from '../../shared/telemetry/redact';

const KEY = 'Q7W8E9R0T1Y2U3I4O5P6A7S8D9F0G1H2';

afterEach(() => clearRegisteredSecrets());

describe('redact', () => {
  it('removes registered values, also URL-encoded and as Basic credentials', () => {
    registerSecret(KEY);
    registerSecret('p@ss word!');
    const basic = Buffer.from(`${KEY}:`).toString('base64');
    const text = redact(`key ${KEY} url-encoded ${encodeURIComponent('p@ss word!')} raw p@ss word! basic ${basic}`);
    expect(text).toBe(`key ${REDACTED} url-encoded ${REDACTED} raw ${REDACTED} basic ${REDACTED}`);
  });

  it.each([
    ['Authorization: Basic UTdXOEU5UjBUMVkyVTM=', 'Authorization: [REDACTED]'],
    ['{"authorization":"Bearer abc.def.ghi"}', '{"authorization":"[REDACTED]"}'],
    ['GET https://shop.example.com/api/orders?ws_key=SECRETKEY123&limit=2', 'GET https://shop.example.com/api/orders?ws_key=[REDACTED]&limit=2'],
    ['postgres://etl:hunter2-long@db.example.com:5432/phc', 'postgres://etl:[REDACTED]@db.example.com:5432/phc'],
    ['https://UNREGISTEREDKEY0000000000000000000:@shop.example.com/api/', 'https://[REDACTED]:@shop.example.com/api/'],
    ['Server=x;Password=hunter2-long;Database=y', 'Server=x;Password=[REDACTED];Database=y'],
    ['DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[REDACTED];EndpointSuffix=core.windows.net'],
    ["alter role etl_user with login password 'it''s-secret'", "alter role etl_user with login password '[REDACTED]'"],
    ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwaGMifQ.c2lnbmF0dXJl expired', 'token [REDACTED] expired'],
  ])('removes credential patterns: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const line = 'sync orders finished status=succeeded rowsFetched=120 window=2024-06-03 10:00:00';
    expect(redact(line)).toBe(line);
  });

  it('blanks fields whose name says they hold a secret, whatever they contain', () => {
    expect(redactFields({ password: 'x', apiKey: 'y', connectionString: 'z', entity: 'orders', rows: 3 })).toEqual({
      password: REDACTED,
      apiKey: REDACTED,
      connectionString: REDACTED,
      entity: 'orders',
      rows: 3,
    });
  });
});

describe('registerSecret', () => {
  it('keeps only the most recent short-lived tokens, and every long-lived secret', () => {
    registerSecret(KEY);
    for (let i = 0; i < 100; i += 1) registerSecret(`short-lived-token-${i}`, { shortLived: true });
    expect(redact('short-lived-token-99 and short-lived-token-50')).toBe(`${REDACTED} and ${REDACTED}`);
    expect(redact('short-lived-token-0 gone')).toBe('short-lived-token-0 gone');
    expect(redact(KEY)).toBe(REDACTED);
  });
});
