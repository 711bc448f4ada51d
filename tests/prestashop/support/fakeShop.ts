import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A strict stand-in for a PrestaShop webservice: it answers only the requests it was told to expect, in order
 * (method, path, the exact set of query parameters, the Basic-auth header with the key as user name), and records
 * anything else as unexpected so the test fails.
 */

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Destroy the socket without answering (connection reset). */
  | 'reset'
  /** Never answer (the client's timeout must fire). */
  | 'hang';

export interface Expectation {
  path: string;
  query: Record<string, string>;
  reply: Reply;
  /** Another Authorization value (or none) than the default one. */
  authorization?: string | null;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export const json = (body: string, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers: { 'Content-Type': 'application/json', ...headers },
});

export const xml = (body: string, status: number): Reply => ({ status, body, headers: { 'Content-Type': 'text/xml;charset=utf-8' } });

export const text = (body: string, status: number): Reply => ({ status, body, headers: { 'Content-Type': 'text/plain' } });

export class FakeShop {
  readonly seen: SeenRequest[] = [];
  readonly unexpected: string[] = [];
  private readonly pending: Expectation[] = [];
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  static async start(key: string): Promise<FakeShop> {
    const holder: { shop?: FakeShop } = {};
    const server = createServer((req, res) => holder.shop?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.shop = new FakeShop(server, `http://127.0.0.1:${port}/`, key);
    return holder.shop;
  }

  get authorization(): string {
    return `Basic ${Buffer.from(`${this.key}:`).toString('base64')}`;
  }

  expect(path: string, query: Record<string, string>, reply: Reply, authorization?: string | null): this {
    this.pending.push({ path, query, reply, ...(authorization === undefined ? {} : { authorization }) });
    return this;
  }

  /** Expectations not yet consumed. */
  get remaining(): Expectation[] {
    return [...this.pending];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const next = this.pending[0];
    const query = Object.fromEntries(url.searchParams);
    const problems: string[] = [];
    if (!next) problems.push('no request expected');
    else {
      if (req.method !== 'GET') problems.push(`method ${req.method}`);
      if (url.pathname !== next.path) problems.push(`path ${url.pathname} != ${next.path}`);
      if ([...url.searchParams.keys()].length !== Object.keys(query).length) problems.push('repeated query parameter');
      if (JSON.stringify(sorted(query)) !== JSON.stringify(sorted(next.query))) problems.push(`query ${JSON.stringify(sorted(query))} != ${JSON.stringify(sorted(next.query))}`);
      const wantedAuth = next.authorization === undefined ? this.authorization : next.authorization;
      if ((req.headers.authorization ?? null) !== wantedAuth) problems.push(`authorization header ${req.headers.authorization ?? '(none)'}`);
    }
    if (problems.length > 0 || !next) {
      this.unexpected.push(`${req.method} ${req.url}: ${problems.join('; ')}`);
      res.writeHead(418, { 'Content-Type': 'text/plain' }).end('unexpected request');
      return;
    }
    this.pending.shift();
    const reply = next.reply;
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    if (reply === 'hang') return;
    res.writeHead(reply.status, { 'Access-Time': '1717236000', 'X-Powered-By': 'PrestaShop Webservice', ...reply.headers });
    res.end(reply.body ?? '');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function sorted(query: Record<string, string>): [string, string][] {
  return Object.entries(query).sort(([a], [b]) => a.localeCompare(b));
}

/** Captures log lines and telemetry so a test can scan them (for the key, among others). */
export function capture(): {
  lines: string[];
  log: import('../../../shared/telemetry/types').Logger;
  telemetry: import('../../../shared/telemetry/types').Telemetry;
  metrics: { name: string; value: number; dimensions: Record<string, string> }[];
} {
  const lines: string[] = [];
  const metrics: { name: string; value: number; dimensions: Record<string, string> }[] = [];
  const log = {
    debug: (m: string, f?: object) => lines.push(`debug ${m} ${JSON.stringify(f ?? {})}`),
    info: (m: string, f?: object) => lines.push(`info ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m: string, f?: object) => lines.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
    error: (m: string, f?: object) => lines.push(`error ${m} ${JSON.stringify(f ?? {})}`),
    child: () => log,
  };
  const telemetry = {
    metric: (definition: { name: string }, value: number, dimensions: Record<string, string>) => {
      metrics.push({ name: definition.name, value, dimensions });
    },
    event: (definition: { name: string }, dimensions: Record<string, string>) => {
      lines.push(`event ${definition.name} ${JSON.stringify(dimensions)}`);
    },
    flush: () => Promise.resolve(),
  };
  return { lines, log, telemetry, metrics };
}
