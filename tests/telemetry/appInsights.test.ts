import { execFileSync, spawn } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClientTelemetry, startTelemetry } from '../../shared/telemetry/appInsights';
import { Event, Metric } from '../../shared/telemetry/names';
import { clearRegisteredSecrets, REDACTED, registerSecret } from '../../shared/telemetry/redact';
import { noTelemetry } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { DEFAULT_CLOUD_ROLE, ingestionAuth } from '../../shared/telemetry/ingestionAuth';
import { IngestionStandIn, ManagedIdentityStandIn, TEST_INSTRUMENTATION_KEY } from './ingestionStandIn';

const root = path.resolve(__dirname, '../..');
const KEY = 'K1E2Y3K4E5Y6K7E8Y9K0E1Y2K3E4Y5K6';
const SQL_SECRET = 'sekrit-pw-4711';

/**
 * The child process is a real Node process (jest's module loader would hide `require` from the SDK's hooks): it
 * loads the Functions entry module from source, which starts telemetry before any function module loads pg; then
 * it queries PostgreSQL, serves one HTTP request, emits one event and one metric, and flushes.
 */
const childScript = `
const fs = require('node:fs');
const http = require('node:http');
const ts = require('typescript');
require.extensions['.ts'] = (module, file) => module._compile(
  ts.transpileModule(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText,
  file,
);
require('./functions/index.ts');
const telemetry = require('./shared/telemetry/appInsights.ts');
const names = require('./shared/telemetry/names.ts');
const redaction = require('./shared/telemetry/redact.ts');
const { Client } = require('pg');
(async () => {
  redaction.registerSecret(process.env.CHILD_KEY);
  const client = new Client({ connectionString: process.env.DB_URL });
  await client.connect();
  await client.query("select 1 as one -- password '${SQL_SECRET}'");
  await client.end();
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise((resolve, reject) => http.get('http://127.0.0.1:' + server.address().port + '/incoming', (res) => { res.resume(); res.on('end', resolve); }).on('error', reject));
  server.close();
  const t = telemetry.getTelemetry();
  t.event(names.Event.syncRun, { entity: 'prestashop_orders', trigger: 'timer', status: 'failed: 401 for key ' + process.env.CHILD_KEY, runId: '12', notDeclared: 'x' }, { rowsFetched: 5 });
  t.metric(names.Metric.syncRowsFetched, 42, { entity: 'prestashop_orders', trigger: 'timer', status: 'succeeded' });
  await t.flush();
  process.stdout.write('flushed\\n');
})().catch((error) => { console.error(error); process.exit(1); });
`;

function selfSignedTls(): { dir: string; key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'phc-ingest-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  return { dir, key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
}

const cloudRoles = (ingestion: IngestionStandIn): string[] => [...new Set(ingestion.envelopes.map((e) => e.tags?.['ai.cloud.role'] ?? '(none)'))];

function runChild(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', childScript], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('Application Insights from the Functions entry module (separate process, local ingestion endpoint)', () => {
  let tlsDir: string;
  let ingestion: IngestionStandIn;
  let db: TestDatabase;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    tlsDir = mkdtempSync(path.join(os.tmpdir(), 'phc-ingest-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: tlsDir, stdio: 'ignore' });
    ingestion = new IngestionStandIn({ key: readFileSync(path.join(tlsDir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(tlsDir, 'cert.pem'), 'utf8') });
    const endpoint = await ingestion.start();
    db = await createTestDatabase({ migrated: false });
    result = await runChild({
      PATH: process.env.PATH,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${TEST_INSTRUMENTATION_KEY};IngestionEndpoint=${endpoint}`,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      NODE_EXTRA_CA_CERTS: path.join(tlsDir, 'cert.pem'),
      DB_URL: db.url,
      CHILD_KEY: KEY,
      TMPDIR: tlsDir,
    });
  }, 120_000);

  afterAll(async () => {
    await ingestion?.stop();
    await db?.drop();
    if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
  });

  it('runs and flushes, with telemetry started before anything loaded pg', () => {
    expect(result.output).toContain('flushed');
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('pg was loaded before telemetry started');
    expect(ingestion.unexpected).toEqual([]);
  });

  it('is started by the first import of the entry module', () => {
    const entry = readFileSync(path.join(root, 'functions/index.ts'), 'utf8');
    expect(/^import\s+['"]([^'"]+)['"]/m.exec(entry)?.[1]).toBe('../shared/telemetry/autostart');
  });

  it('imports every function module of functions/', () => {
    const entry = readFileSync(path.join(root, 'functions/index.ts'), 'utf8');
    const imported = [...entry.matchAll(/^import\s+['"]\.\/([^'"]+)['"]/gm)].map((m) => m[1]);
    const modules = readdirSync(path.join(root, 'functions'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(imported.sort()).toEqual(modules.sort());
  });

  it('sends custom events and metrics by their names.ts names, with only the declared dimensions', () => {
    const event = ingestion.ofType('EventData').find((e) => e.name === Event.syncRun.name);
    expect(event?.properties).toEqual({ entity: 'prestashop_orders', trigger: 'timer', status: `failed: 401 for key ${REDACTED}`, runId: '12' });
    expect(event?.measurements).toEqual({ rowsFetched: 5 });
    const metric = ingestion.ofType('MetricData').find((m) => (m.metrics as Array<{ name: string }>)[0]?.name === Metric.syncRowsFetched.name);
    expect((metric?.metrics as Array<{ value: number }>)[0]?.value).toBe(42);
    expect(metric?.properties).toMatchObject({ entity: 'prestashop_orders', trigger: 'timer', status: 'succeeded' });
  });

  it('tracks the app\'s PostgreSQL queries as dependencies', () => {
    const dependencies = ingestion.ofType('RemoteDependencyData').filter((d) => String(d.type).toLowerCase().includes('postgres'));
    expect(dependencies.map((d) => String(d.data))).toContainEqual(expect.stringContaining('select 1 as one'));
  });

  it('records no request telemetry of its own (the Functions host records each invocation)', () => {
    expect(ingestion.ofType('RequestData')).toEqual([]);
  });

  it('lets no secret through in any item', () => {
    const everything = ingestion.bodies.join('\n');
    expect(everything.length).toBeGreaterThan(0);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(SQL_SECRET);
  });

  it('names its cloud role phc-analytics outside Azure (not unknown_service:node)', () => {
    expect(cloudRoles(ingestion)).toEqual([DEFAULT_CLOUD_ROLE]);
  });
});

describe('Application Insights with local authentication off (Entra tokens of the managed identity)', () => {
  const CLIENT_ID = '0f5c3a8e-6b1d-4c2e-9a7f-2d4b6e8a1c3f';
  const TOKEN = 'entra-token-for-ingestion';
  let tls: ReturnType<typeof selfSignedTls>;
  let ingestion: IngestionStandIn;
  let identity: ManagedIdentityStandIn;
  let endpoint: string;
  let db: TestDatabase;
  let result: { code: number | null; output: string };
  let refusedFromApp = -1;

  beforeAll(async () => {
    tls = selfSignedTls();
    ingestion = new IngestionStandIn({ key: tls.key, cert: tls.cert }, { bearerToken: TOKEN });
    endpoint = await ingestion.start();
    identity = new ManagedIdentityStandIn(TOKEN);
    const identityEndpoint = await identity.start();
    db = await createTestDatabase({ migrated: false });
    result = await runChild({
      PATH: process.env.PATH,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${TEST_INSTRUMENTATION_KEY};IngestionEndpoint=${endpoint}`,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD`,
      // What Azure Functions gives the worker: the managed identity endpoint and the app's name.
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER: 'identity-header-value',
      WEBSITE_SITE_NAME: 'func-phc-test',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      NODE_EXTRA_CA_CERTS: path.join(tls.dir, 'cert.pem'),
      DB_URL: db.url,
      CHILD_KEY: KEY,
      TMPDIR: tls.dir,
    });
    refusedFromApp = ingestion.refused;
  }, 120_000);

  afterAll(async () => {
    await ingestion?.stop();
    await identity?.stop();
    await db?.drop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the stand-in refuses unauthenticated ingestion, as Application Insights does with local auth off', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = https.request(new URL('v2.1/track', endpoint), { method: 'POST', ca: tls.cert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end('[]');
    });
    expect(status).toBe(401);
  });

  it('sends the app\'s own events and metrics with a token of the identity named in the authentication string', () => {
    expect(result.output).toContain('flushed');
    expect(result.code).toBe(0);
    expect(refusedFromApp).toBe(0);
    expect(ingestion.ofType('EventData').map((e) => e.name)).toContain(Event.syncRun.name);
    expect(ingestion.ofType('MetricData').flatMap((m) => (m.metrics as Array<{ name: string }>).map((x) => x.name))).toContain(Metric.syncRowsFetched.name);
    expect(identity.requests.length).toBeGreaterThan(0);
    for (const request of identity.requests) {
      expect(request).toEqual({ clientId: CLIENT_ID, header: 'identity-header-value', resource: 'https://monitor.azure.com' });
    }
  });

  it('names its cloud role after the Function App (WEBSITE_SITE_NAME)', () => {
    expect(cloudRoles(ingestion)).toEqual(['func-phc-test']);
  });
});

describe('ingestionAuth (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)', () => {
  it.each([
    [undefined, { kind: 'connection-string' }],
    ['', { kind: 'connection-string' }],
    ['Authorization=AAD', { kind: 'entra' }],
    ['ClientId=0f5c3a8e-6b1d-4c2e-9a7f-2d4b6e8a1c3f;Authorization=AAD', { kind: 'entra', clientId: '0f5c3a8e-6b1d-4c2e-9a7f-2d4b6e8a1c3f' }],
    ['authorization=aad; clientid=0F5C3A8E-6B1D-4C2E-9A7F-2D4B6E8A1C3F;', { kind: 'entra', clientId: '0F5C3A8E-6B1D-4C2E-9A7F-2D4B6E8A1C3F' }],
    ['ClientId=0f5c3a8e-6b1d-4c2e-9a7f-2d4b6e8a1c3f', { kind: 'invalid', problem: 'it has no Authorization=AAD' }],
    ['Authorization=AAD;ClientId=my-identity', { kind: 'invalid', problem: 'its ClientId is not a GUID' }],
    ['Authorization=AAD;Secret=x', { kind: 'invalid', problem: 'it names secret, which is neither Authorization nor ClientId' }],
  ])('reads %p', (value, expected) => {
    expect(ingestionAuth(value)).toEqual(expected);
  });

  it('turns telemetry off, saying why, when the string is malformed (rather than sending items that would be refused)', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../shared/telemetry/appInsights') as typeof import('../../shared/telemetry/appInsights');
      const start = fresh.startTelemetry({
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${TEST_INSTRUMENTATION_KEY}`,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=not-a-guid',
      });
      expect(start.enabled).toBe(false);
      expect(start.note).toMatch(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING .*ClientId is not a GUID.*telemetry is off/);
    });
  });
});

describe('startTelemetry', () => {
  it('stays off without a connection string, or with an unresolved Key Vault reference', () => {
    const off = startTelemetry({});
    expect(off).toMatchObject({ enabled: false, telemetry: noTelemetry });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../shared/telemetry/appInsights') as typeof import('../../shared/telemetry/appInsights');
      const reference = fresh.startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: '@Microsoft.KeyVault(VaultName=phc-kv;SecretName=ai)' });
      expect(reference.enabled).toBe(false);
      expect(reference.note).toMatch(/unresolved Key Vault reference/);
    });
  });
});

describe('createClientTelemetry', () => {
  afterEach(() => clearRegisteredSecrets());

  it('sends declared dimensions only, redacted, and reports contract problems', async () => {
    const sent: unknown[] = [];
    const problems: string[][] = [];
    const telemetry = createClientTelemetry(
      {
        trackMetric: (m) => sent.push(['metric', m]),
        trackEvent: (e) => sent.push(['event', e]),
        flush: () => Promise.resolve(sent.push('flush')).then(() => undefined),
      },
      (p) => problems.push(p),
    );
    registerSecret(KEY);
    telemetry.metric(Metric.prestashopRequestMs, 12.5, { resource: 'orders', httpStatus: '200', outcome: 'ok', url: `https://shop/api/orders?ws_key=${KEY}` });
    telemetry.event(Event.recordQuarantined, { entity: 'prestashop_orders', reason: `bad row, key ${KEY}` });
    await telemetry.flush();
    expect(sent).toEqual([
      ['metric', { name: 'phc_prestashop_request_ms', value: 12.5, properties: { resource: 'orders', httpStatus: '200', outcome: 'ok' } }],
      ['event', { name: 'PhcRecordQuarantined', properties: { entity: 'prestashop_orders', reason: `bad row, key ${REDACTED}` } }],
      'flush',
    ]);
    expect(problems).toEqual([['phc_prestashop_request_ms: dimension url is not declared']]);
  });
});
