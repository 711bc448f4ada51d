import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dialect } from '../dialect';
import type { Faults } from '../faults';
import type { ShopClock } from '../time';
import type { RequestLogEntry, SandboxControl } from '../types';
import { ApiHandler, type ApiResult } from './api';
import { callControl } from './controlRoutes';
import { hostingFaultResult } from './hosting';
import type { WorkerPool } from './workers';

export interface ServerParts {
  api: ApiHandler;
  control: SandboxControl;
  clock: ShopClock;
  faults: Faults;
  log: RequestLogEntry[];
  dialect: Dialect;
  workers: WorkerPool;
}

/** What the recorded 8.1.2 shop ran on; sent by answers PHP gives itself (X-Powered-By). */
const PHP_POWERED_BY = 'PHP/8.2.36';

const FRONT_404: ApiResult = {
  status: 404,
  body: '<!doctype html><html><head><title>404 Page not found</title></head><body><h1>Page not found</h1></body></html>\n',
  contentType: 'text/html; charset=utf-8',
  headers: {},
  authenticated: false,
  bare: true,
};

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryRecord(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) out[key] = key === 'ws_key' ? '[redacted]' : value;
  return out;
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/**
 * The HTTP side: /__sandbox/ control calls answer at once; /api/ requests first meet the hosting (429, 5xx,
 * black holes: no PHP worker), then wait for one of the PHP workers, spend the latency holding it, and answer.
 */
export class SandboxServer {
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly parts: ServerParts) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`sandbox failure: ${(error as Error).message}`);
      });
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);

    if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
      const name = url.pathname.replace(/^\/__sandbox\/?/, '');
      const reply = callControl(this.parts.control, name, method === 'GET' ? (url.searchParams.get('args') ?? undefined) : body);
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(reply.body);
      return;
    }

    const entry: RequestLogEntry = { method, path: url.pathname, query: queryRecord(url), status: 0 };
    this.parts.log.push(entry);
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) {
      this.write(req, res, entry, FRONT_404, started);
      return;
    }
    const { faults, workers } = this.parts;
    workers.countRequest();
    const hosting = hostingFaultResult(faults.draw());
    if (hosting) {
      if (hosting.hang) this.hang(res, () => undefined);
      else this.write(req, res, entry, hosting, started);
      return;
    }
    const release = await workers.acquire();
    try {
      await sleep(faults.latencyMs);
      const result = this.parts.api.handle({ method, url, headers: req.headers });
      if (result.hang) {
        // A hung PHP script keeps its worker until the client gives up (the pool's terminate timeout).
        this.hang(res, release);
        return;
      }
      if (result.fullRecords) entry.fullRecords = result.fullRecords;
      await sleep((result.fullRecords ?? 0) * faults.latencyPerRecordMs);
      this.write(req, res, entry, result, started);
    } finally {
      if (!this.hanging.has(res)) release();
    }
  }

  /** Never answers; `release` runs once the connection closes. */
  private hang(res: ServerResponse, release: () => void): void {
    if (res.destroyed) {
      release();
      return;
    }
    this.hanging.add(res);
    res.on('close', () => {
      this.hanging.delete(res);
      release();
    });
  }

  private write(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, answer: ApiResult, started: number): void {
    const { faults, dialect, clock } = this.parts;
    let result = answer;
    let text = result.body;
    if (result.contentType === 'application/json' && result.authenticated && faults.takeMalformed()) {
      text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
    // 8.x cache handling: a client that already holds this body gets 304 Not Modified.
    if (dialect.is81 && result.status === 200 && req.headers['local-content-sha1'] === sha1(text)) {
      result = { ...result, status: 304, contentType: null };
      text = '';
    }
    entry.status = result.status;
    let headers: Record<string, string>;
    if (result.bare) {
      headers = { 'X-Powered-By': PHP_POWERED_BY, ...result.headers };
    } else {
      // 8.1.2 sends PSWS-Version: 0 before authentication and a Content-Sha1 only with a 200.
      const version = result.authenticated ? dialect.psVersion : dialect.is81 ? '0' : undefined;
      const withSha = !dialect.is81 || result.status === 200;
      headers = {
        'Access-Time': String(clock.now()),
        'X-Powered-By': 'PrestaShop Webservice',
        ...(version !== undefined ? { 'PSWS-Version': version } : {}),
        'Execution-Time': ((performance.now() - started) / 1000).toFixed(3),
        ...(withSha ? { 'Content-Sha1': sha1(text) } : {}),
        ...result.headers,
      };
    }
    headers['Content-Length'] = String(Buffer.byteLength(text));
    if (result.contentType !== null) headers['Content-Type'] = result.contentType;
    res.writeHead(result.status, headers);
    res.end(entry.method === 'HEAD' ? undefined : text);
  }
}
