import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Recording } from './realShopRecordings';

/** A request the stand-in answers with a recorded response: its path and what its query must say. */
export type RecordedReply = Pick<Recording, 'status' | 'headers' | 'body'>;

export interface RecordedRoute {
  path: string;
  when: (query: URLSearchParams) => boolean;
  /** A recorded response, or one built from recorded rows for this query (e.g. the rows of the orders asked for). */
  reply: RecordedReply | ((query: URLSearchParams) => RecordedReply);
}

const NOT_FORWARDED = new Set(['host', 'date', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A stand-in for a real shop that answers with responses recorded from one: the first route that matches a request
 * answers it (with the recorded status, headers and body); anything else is answered 418 and recorded as unexpected,
 * so the test fails.
 */
export class RecordedShop {
  readonly unexpected: string[] = [];
  readonly requests: URL[] = [];
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(key: string, routes: () => readonly RecordedRoute[]): Promise<RecordedShop> {
    const authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    const holder: { shop?: RecordedShop } = {};
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      holder.shop?.requests.push(url);
      const route = routes().find((r) => r.path === url.pathname && r.when(url.searchParams));
      if (req.headers.authorization !== authorization || !route) {
        holder.shop?.unexpected.push(`${req.method ?? ''} ${decodeURIComponent(url.pathname + url.search)}${route ? ' (wrong key)' : ''}`);
        res.writeHead(418, { 'Content-Type': 'text/plain' }).end('unexpected request');
        return;
      }
      const reply = typeof route.reply === 'function' ? route.reply(url.searchParams) : route.reply;
      const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !NOT_FORWARDED.has(name)));
      res.writeHead(reply.status, headers).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.shop = new RecordedShop(server, `http://127.0.0.1:${port}/`);
    return holder.shop;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Query helpers for routes. */
export const query = {
  is: (name: string, value: string) => (q: URLSearchParams) => q.get(name) === value,
  all:
    (...tests: ((q: URLSearchParams) => boolean)[]) =>
    (q: URLSearchParams) =>
      tests.every((t) => t(q)),
};
