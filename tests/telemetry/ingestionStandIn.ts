import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Envelope {
  name: string;
  iKey?: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
}

/**
 * A local stand-in for the Application Insights ingestion endpoint (POST /v2.1/track, JSON array, maybe gzip):
 * records every envelope and raw body; any other request is recorded as unexpected.
 */
export class IngestionStandIn {
  readonly envelopes: Envelope[] = [];
  readonly bodies: string[] = [];
  readonly unexpected: string[] = [];
  private readonly server: http.Server;

  /** With a TLS key and certificate it serves https, as the exporter requires. */
  constructor(tls?: { key: string; cert: string }) {
    this.server = tls ? https.createServer(tls, (req, res) => this.handle(req, res)) : http.createServer((req, res) => this.handle(req, res));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v2.1/track')) {
        this.unexpected.push(`${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      this.bodies.push(text);
      const parsed = JSON.parse(text) as Envelope | Envelope[];
      const list = Array.isArray(parsed) ? parsed : [parsed];
      this.envelopes.push(...list);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: list.length, itemsAccepted: list.length, errors: [] }));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const scheme = this.server instanceof https.Server ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  ofType(baseType: string): Array<Record<string, unknown>> {
    return this.envelopes.filter((e) => e.data?.baseType === baseType).map((e) => e.data?.baseData ?? {});
  }
}

export const TEST_INSTRUMENTATION_KEY = '11111111-2222-3333-4444-555555555555';
