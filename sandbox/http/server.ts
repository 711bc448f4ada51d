import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from '../faults';
import type { ShopClock } from '../time';
import type { RequestLogEntry, SandboxControl } from '../types';
import { ApiHandler, type ApiResult } from './api';
import { callControl } from './controlRoutes';

export interface ServerParts {
  api: ApiHandler;
  control: SandboxControl;
  clock: ShopClock;
  faults: Faults;
  log: RequestLogEntry[];
  psVersion: string;
}

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
    if (this.parts.faults.latencyMs > 0) await sleep(this.parts.faults.latencyMs);

    let result: ApiResult;
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      result = this.parts.api.handle({ method, url, headers: req.headers });
    } else {
      result = {
        status: 404,
        body: '<!doctype html><html><head><title>404 Page not found</title></head><body><h1>Page not found</h1></body></html>\n',
        contentType: 'text/html; charset=utf-8',
        headers: {},
        authenticated: false,
      };
    }
    if (result.hang) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    let text = result.body;
    if (result.contentType === 'application/json' && result.authenticated && this.parts.faults.takeMalformed()) {
      text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
    // 8.x cache handling: a client that already holds this body gets 304 Not Modified.
    const localSha1 = req.headers['local-content-sha1'];
    if (this.parts.psVersion.startsWith('8') && result.status === 200 && localSha1 === sha1(text)) {
      result = { ...result, status: 304, contentType: null };
      text = '';
    }
    entry.status = result.status;
    const headers: Record<string, string> = {
      'Access-Time': String(this.parts.clock.now()),
      'X-Powered-By': 'PrestaShop Webservice',
      ...(result.authenticated ? { 'PSWS-Version': this.parts.psVersion } : {}),
      'Execution-Time': ((performance.now() - started) / 1000).toFixed(3),
      'Content-Sha1': sha1(text),
      ...result.headers,
      'Content-Length': String(Buffer.byteLength(text)),
    };
    if (result.contentType) headers['Content-Type'] = result.contentType;
    res.writeHead(result.status, headers);
    res.end(method === 'HEAD' ? undefined : text);
  }
}
