import { PassThrough } from 'node:stream';
import { InvocationContext } from '@azure/functions';
import { createContextLogger } from '../../functions/support/contextLogger';
import { createCliLogger, describeError } from '../../shared/telemetry/logger';
import { clearRegisteredSecrets, REDACTED, registerSecret } from '../../shared/telemetry/redact';

const KEY = 'Z1X2C3V4B5N6M7L8K9J0H1G2F3D4S5A6';

function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const fixedNow = () => new Date('2026-01-02T03:04:05.000Z');

afterEach(() => clearRegisteredSecrets());

describe('createCliLogger', () => {
  it('writes plain lines with the time, level, message and fields, and the run id on every line of a run', () => {
    const out = capture();
    const log = createCliLogger({ stream: out.stream, now: fixedNow });
    const run = log.child({ runId: 42, entity: 'orders' });
    run.info('window chosen', { lo: '2024-06-03 09:55:00', hi: '2024-06-03 10:00:00' });
    run.child({ page: 3 }).warn('page split');
    run.error('run failed', { error: 'timeout' });
    expect(out.lines()).toEqual([
      '2026-01-02T03:04:05.000Z INFO  window chosen runId=42 entity=orders lo="2024-06-03 09:55:00" hi="2024-06-03 10:00:00"',
      '2026-01-02T03:04:05.000Z WARN  page split runId=42 entity=orders page=3',
      '2026-01-02T03:04:05.000Z ERROR run failed runId=42 entity=orders error=timeout',
    ]);
  });

  it('writes debug lines only when verbose, and JSON lines when asked', () => {
    const quiet = capture();
    createCliLogger({ stream: quiet.stream, now: fixedNow }).debug('hidden');
    expect(quiet.lines()).toEqual([]);
    const json = capture();
    createCliLogger({ stream: json.stream, json: true, verbose: true, now: fixedNow }).child({ runId: 7 }).debug('shown', { pages: 2 });
    expect(json.lines().map((l) => JSON.parse(l) as unknown)).toEqual([{ time: '2026-01-02T03:04:05.000Z', level: 'debug', message: 'shown', runId: 7, pages: 2 }]);
  });

  it('removes secrets from messages and fields, whatever the caller passes', () => {
    registerSecret(KEY);
    const out = capture();
    const log = createCliLogger({ stream: out.stream, json: false, now: fixedNow });
    log.info(`request failed for https://shop.example.com/api/orders?ws_key=${KEY}`, { header: `Authorization: Basic ${Buffer.from(`${KEY}:`).toString('base64')}`, dbPassword: 'pw-in-field' });
    log.error('connect', { url: 'postgres://etl:pw-in-url-1@db/phc', detail: `key was ${KEY}` });
    const text = out.lines().join('\n');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('pw-in-field');
    expect(text).not.toContain('pw-in-url-1');
    expect(text).toContain(REDACTED);
  });
});

describe('createContextLogger', () => {
  it('logs through the invocation context at the right level, with the run id on every line, redacted', () => {
    registerSecret(KEY);
    const lines: string[] = [];
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'syncOrders', logHandler: (level, ...args) => lines.push(`${level}|${args.join(' ')}`) });
    const log = createContextLogger(context, { functionName: 'syncOrders' }).child({ runId: 9 });
    log.debug('detail');
    log.info('started');
    log.warn(`retry with key ${KEY}`);
    log.error('failed', { error: 'boom' });
    expect(lines).toEqual([
      'debug|detail functionName=syncOrders runId=9',
      'information|started functionName=syncOrders runId=9',
      `warning|retry with key ${REDACTED} functionName=syncOrders runId=9`,
      'error|failed functionName=syncOrders runId=9 error=boom',
    ]);
  });
});

describe('describeError', () => {
  it('puts an error and its causes on one redacted line', () => {
    registerSecret(KEY);
    const error = new Error('sync orders failed', { cause: new Error(`HTTP 401 for key ${KEY}`, { cause: 'socket closed' }) });
    expect(describeError(error)).toBe(`sync orders failed: HTTP 401 for key ${REDACTED}: socket closed`);
  });
});
