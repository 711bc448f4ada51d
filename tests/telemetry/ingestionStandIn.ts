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

export interface IngestionOptions {
  /**
   * Accept only requests carrying `Authorization: Bearer <this token>`, as ingestion does for a resource with local
   * authentication off; anything else gets 401 and is counted in `refused`.
   */
  bearerToken?: string;
}

/**
 * A local stand-in for the Application Insights ingestion endpoint (POST /v2.1/track, JSON array, maybe gzip):
 * records every envelope and raw body; any other request is recorded as unexpected.
 */
export class IngestionStandIn {
  readonly envelopes: Envelope[] = [];
  readonly bodies: string[] = [];
  readonly unexpected: string[] = [];
  /** Track requests refused for a missing or wrong token. */
  refused = 0;
  private readonly server: http.Server;

  /** With a TLS key and certificate it serves https, as the exporter requires. */
  constructor(
    tls?: { key: string; cert: string },
    private readonly options: IngestionOptions = {},
  ) {
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
      if (this.options.bearerToken !== undefined && req.headers.authorization !== `Bearer ${this.options.bearerToken}`) {
        this.refused += 1;
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 401, message: 'Authorization required' }] }));
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

/**
 * A local stand-in for the App Service managed identity endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER) that
 * ManagedIdentityCredential calls on Azure Functions: it hands out `token` and records what was asked for.
 */
export class ManagedIdentityStandIn {
  readonly requests: Array<{ resource: string | null; clientId: string | null; header: string | undefined }> = [];
  private readonly server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const header = req.headers['x-identity-header'];
    this.requests.push({ resource: url.searchParams.get('resource'), clientId: url.searchParams.get('client_id'), header: Array.isArray(header) ? header[0] : header });
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: this.token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id'),
      }),
    );
  });

  constructor(readonly token: string) {}

  /** Returns the IDENTITY_ENDPOINT to give the child process. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
