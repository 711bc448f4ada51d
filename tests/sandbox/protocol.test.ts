import { createHash } from 'node:crypto';
import type { Sandbox } from '../../sandbox';
import { resolveVersion } from '../../sandbox/version';
import { call, callJson, start, T0 } from './support';

/** Access, output format, headers and methods (docs/prestashop-webservice.md §1-§3). */
describe('sandbox protocol', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(() => sb.close());

  test('the key as ?ws_key= is accepted too, and never logged', async () => {
    const reply = await callJson(sb, '/api/orders?limit=1', { wsKey: true });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(sb.control.requests())).not.toContain(sb.apiKey);
  });

  test('only the exact JSON gives JSON; headers beat query parameters', async () => {
    const lower = await call(sb, '/api/orders?limit=1&output_format=json');
    expect(lower.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(lower.text.startsWith('<?xml')).toBe(true);
    const ioFormat = await call(sb, '/api/orders?limit=1', { headers: { 'Io-Format': 'JSON' } });
    expect(ioFormat.headers.get('content-type')).toBe('application/json');
    const outputFormat = await call(sb, '/api/orders?limit=1', { headers: { 'Output-Format': 'JSON' } });
    expect(outputFormat.headers.get('content-type')).toBe('application/json');
    const queryIo = await call(sb, '/api/orders?limit=1&io_format=JSON');
    expect(queryIo.headers.get('content-type')).toBe('application/json');
    const headerWins = await call(sb, '/api/orders?limit=1&output_format=JSON', { headers: { 'Io-Format': 'XML' } });
    expect(headerWins.headers.get('content-type')).toMatch(/^text\/xml/);
  });

  test('headers: Access-Time is the sandbox clock, Content-Sha1 the body hash, PSWS-Version after authentication', async () => {
    const reply = await callJson(sb, '/api/orders?limit=3');
    expect(reply.headers.get('access-time')).toBe(String(T0));
    expect(reply.headers.get('x-powered-by')).toBe('PrestaShop Webservice');
    expect(reply.headers.get('execution-time')).toMatch(/^\d+\.\d+$/);
    expect(reply.headers.get('content-sha1')).toBe(createHash('sha1').update(reply.text).digest('hex'));
    expect(reply.headers.get('psws-version')).toBe('8.1.2');
    sb.control.advance(90);
    try {
      expect((await callJson(sb, '/api/orders?limit=1')).headers.get('access-time')).toBe(String(T0 + 90));
    } finally {
      sb.control.setClock(T0);
    }
  });

  test('JSON is encoded like PHP: compact, raw UTF-8, "/" escaped', async () => {
    const currencies = await callJson(sb, '/api/currencies?display=full&filter[iso_code]=[EUR]');
    expect(currencies.text).toContain('"symbol":"€"');
    const name = await callJson(sb, '/api/configurations?display=[value]&filter[name]=[PS_SHOP_NAME]');
    expect(name.text).toBe('{"configurations":[{"value":"PHC Sandbox \\/ Demo"}]}');
  });

  test('methods: GET and HEAD only; writes answer 405 code 25, unknown methods 405 code 23', async () => {
    const post = await callJson(sb, '/api/orders', { method: 'POST' });
    expect([post.status, post.json().errors[0].code]).toEqual([405, 25]);
    const del = await callJson(sb, '/api/orders/1', { method: 'DELETE' });
    expect([del.status, del.json().errors[0].code]).toEqual([405, 25]);
    const options = await callJson(sb, '/api/orders', { method: 'OPTIONS' });
    expect([options.status, options.json().errors[0].code]).toEqual([405, 23]);
    const head = await callJson(sb, '/api/orders?limit=2', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  test('?ps_method= overrides the HTTP method, as in the dispatcher', async () => {
    const reply = await callJson(sb, '/api/orders?ps_method=PUT');
    expect([reply.status, reply.json().errors[0].code]).toEqual([405, 25]);
  });

  test('8.1: Local-Content-Sha1 gives 304 for an unchanged body; the JSON root is the empty 500 of #34794', async () => {
    const first = await callJson(sb, '/api/orders?limit=3&sort=[id_ASC]');
    const sha = first.headers.get('content-sha1')!;
    const again = await callJson(sb, '/api/orders?limit=3&sort=[id_ASC]', { headers: { 'Local-Content-Sha1': sha } });
    expect([again.status, again.text]).toEqual([304, '']);
    const root = await callJson(sb, '/api/');
    expect([root.status, root.text, root.headers.get('content-type')]).toEqual([500, '', 'text/html; charset=utf-8']);
    // PHP's own fatal error: none of the webservice's headers.
    expect([root.headers.get('psws-version'), root.headers.get('access-time'), root.headers.get('x-powered-by')]).toEqual([null, null, 'PHP/8.2.36']);
    expect((await call(sb, '/api/')).status).toBe(200);
    // 1.7 has no such cache, and its JSON root is the XML listing.
    const sb17 = await start({ version: '1.7' });
    try {
      const plain = await callJson(sb17, '/api/orders?limit=3&sort=[id_ASC]');
      const sha17 = plain.headers.get('content-sha1')!;
      expect((await callJson(sb17, '/api/orders?limit=3&sort=[id_ASC]', { headers: { 'Local-Content-Sha1': sha17 } })).status).toBe(200);
      expect((await callJson(sb17, '/api/')).status).toBe(200);
    } finally {
      await sb17.close();
    }
  });

  test('8.1 headers: PSWS-Version 0 before authentication, no Content-Sha1 but on a 200, PHP headers for a missing key', async () => {
    const badKey = await callJson(sb, '/api/orders', { key: 'X'.repeat(32) });
    expect([badKey.status, badKey.headers.get('psws-version'), badKey.headers.get('content-sha1')]).toEqual([401, '0', null]);
    const bad = await callJson(sb, '/api/orders?filter[colour]=[1]');
    expect([bad.status, bad.headers.get('psws-version'), bad.headers.get('content-sha1')]).toEqual([500, '8.1.2', null]);
    const noKey = await callJson(sb, '/api/orders', { key: null });
    expect([noKey.status, noKey.text, noKey.headers.get('content-type')]).toEqual([401, '401 Unauthorized', 'text/html; charset=utf-8']);
    expect([noKey.headers.get('x-powered-by'), noKey.headers.get('access-time')]).toEqual(['PHP/8.2.36', null]);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  test('the version: 8.1 by default, PHC_SANDBOX_VERSION when no option is given, a clear error for anything else', async () => {
    expect(resolveVersion(undefined, {})).toBe('8.1');
    expect(resolveVersion(undefined, { PHC_SANDBOX_VERSION: '1.7' })).toBe('1.7');
    expect(resolveVersion('8.1', { PHC_SANDBOX_VERSION: '1.7' })).toBe('8.1');
    expect(() => resolveVersion(undefined, { PHC_SANDBOX_VERSION: '8' })).toThrow(/PHC_SANDBOX_VERSION=8 is not supported: use '1.7' or '8.1'/);
    await expect(start({ version: '9' as never })).rejects.toThrow(/version "9" is not supported/);
  });

  test('a core resource the key may not use: 401 code 26', async () => {
    const reply = await callJson(sb, '/api/order_carriers');
    expect([reply.status, reply.json().errors[0].code]).toEqual([401, 26]);
  });

  test('forbiddenResources: a served resource answers 401 code 26 and leaves the XML root, until cleared', async () => {
    expect((await callJson(sb, '/api/order_payments?display=[id]&limit=1')).status).toBe(200);
    sb.control.setFaults({ forbiddenResources: ['order_payments', 'orders'] });
    try {
      for (const resource of ['order_payments', 'orders']) {
        const reply = await callJson(sb, `/api/${resource}?display=full&limit=1`);
        expect([resource, reply.status, reply.json()]).toEqual([
          resource,
          401,
          { errors: [{ code: 26, message: `Resource of type "${resource}" is not allowed with this authentication key` }] },
        ]);
        expect(reply.headers.get('www-authenticate')).toBeNull();
      }
      expect((await callJson(sb, '/api/order_payments/1')).status).toBe(401);
      const root = (await call(sb, '/api/')).text;
      expect(root).not.toContain('<order_payments ');
      expect(root).toContain('<order_histories ');
      expect(() => sb.control.setFaults({ forbiddenResources: 'orders' as unknown as string[] })).toThrow(/forbiddenResources/);
    } finally {
      sb.control.clearFaults();
    }
    expect((await callJson(sb, '/api/orders?display=[id]&limit=1')).status).toBe(200);
  });

  test('checks run in order: no key, then webservice disabled, then key format, then resource', async () => {
    sb.control.setFaults({ webserviceDisabled: true });
    try {
      expect((await callJson(sb, '/api/custmers', { key: null })).status).toBe(401);
      expect((await callJson(sb, '/api/custmers', { key: 'short' })).status).toBe(503);
    } finally {
      sb.control.clearFaults();
    }
    expect((await callJson(sb, '/api/custmers', { key: 'short' })).json().errors[0].code).toBe(18);
  });

  test('GET /api/ lists the resources in XML', async () => {
    const reply = await call(sb, '/api/');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/xml/);
    for (const name of ['customers', 'products', 'orders', 'order_states', 'currencies', 'languages', 'configurations']) {
      expect(reply.text).toContain(`<${name} xlink:href="${sb.baseUrl}/api/${name}" get="true"`);
    }
  });

  test('a path outside /api/ is the shop front: 404 HTML', async () => {
    const reply = await call(sb, '/index.php');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
