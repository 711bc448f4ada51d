import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the few Blob service operations the refresh lease uses (create container, put, delete and
 * head a block blob, acquire/renew/release a lease), answering as the Blob REST API does, including its error codes
 * (LeaseAlreadyPresent, LeaseIdMissing, BlobNotFound, ...). Requests must carry a SharedKey authorization header,
 * as the SDK sends with Azurite's connection string; anything else is recorded as unexpected. Time is injectable,
 * so a lease can expire without waiting a minute.
 */

const ACCOUNT = 'devstoreaccount1';
/** Azurite's published development key: not a secret. */
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface StoredBlob {
  body: Buffer;
  etag: string;
  modified: Date;
  leaseId?: string;
  leaseExpires?: number;
}

export class BlobLeaseStandIn {
  readonly unexpected: string[] = [];
  /** Every handled request, as "METHOD path action" (e.g. "PUT phc-leases/analytics-refresh lease:acquire"). */
  readonly requests: string[] = [];
  private readonly containers = new Set<string>();
  private readonly blobs = new Map<string, StoredBlob>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private clock = 0;

  /** Moves the stand-in's clock on (leases expire by it). */
  advance(ms: number): void {
    this.clock += ms;
  }

  private now(): number {
    return Date.now() + this.clock;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Whether a blob exists, and whether its lease is held right now. */
  blob(container: string, name: string): { exists: boolean; leased: boolean } {
    const blob = this.blobs.get(`${container}/${name}`);
    return { exists: blob !== undefined, leased: blob !== undefined && this.leaseActive(blob) };
  }

  private leaseActive(blob: StoredBlob): boolean {
    return blob.leaseId !== undefined && (blob.leaseExpires === undefined || blob.leaseExpires > this.now());
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const [account, container, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const name = rest.join('/');
      const header = (key: string): string | undefined => {
        const value = req.headers[key];
        return Array.isArray(value) ? value[0] : value;
      };
      const describe = `${req.method} ${url.pathname}${url.search}`;
      if (account !== ACCOUNT || !container || !header('authorization')?.startsWith(`SharedKey ${ACCOUNT}:`)) {
        this.unexpected.push(describe);
        return this.error(res, 403, 'AuthenticationFailed');
      }
      const body = Buffer.concat(chunks);
      const action = url.searchParams.get('comp') === 'lease' ? `lease:${header('x-ms-lease-action') ?? '?'}` : '';
      this.requests.push(`${req.method} ${container}${name ? `/${name}` : ''}${action ? ` ${action}` : ''}`);
      if (!name) return this.handleContainer(req.method ?? '', url, container, res, describe);
      if (!this.containers.has(container)) return this.error(res, 404, 'ContainerNotFound');
      const key = `${container}/${name}`;
      const blob = this.blobs.get(key);
      if (action) return this.handleLease(action, blob, header, res);
      switch (req.method) {
        case 'PUT': {
          if (header('x-ms-blob-type') !== 'BlockBlob') break;
          if (blob && header('if-none-match') === '*') return this.error(res, 409, 'BlobAlreadyExists');
          if (blob && this.leaseActive(blob) && header('x-ms-lease-id') !== blob.leaseId) return this.error(res, 412, 'LeaseIdMissing');
          const stored: StoredBlob = { body, etag: `"0x${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}"`, modified: new Date(this.now()), ...(blob?.leaseId ? { leaseId: blob.leaseId, leaseExpires: blob.leaseExpires } : {}) };
          this.blobs.set(key, stored);
          return this.ok(res, 201, stored);
        }
        case 'HEAD':
          if (!blob) return this.error(res, 404, 'BlobNotFound');
          return this.ok(res, 200, blob, { 'content-length': String(blob.body.length), 'x-ms-blob-type': 'BlockBlob', 'x-ms-lease-state': this.leaseActive(blob) ? 'leased' : 'available' });
        case 'DELETE':
          if (!blob) return this.error(res, 404, 'BlobNotFound');
          if (this.leaseActive(blob) && header('x-ms-lease-id') !== blob.leaseId) return this.error(res, 412, 'LeaseIdMissing');
          this.blobs.delete(key);
          return this.ok(res, 202);
      }
      this.unexpected.push(describe);
      this.error(res, 400, 'UnsupportedHttpVerb');
    });
  }

  private handleContainer(method: string, url: URL, container: string, res: http.ServerResponse, describe: string): void {
    if (method === 'PUT' && url.searchParams.get('restype') === 'container') {
      if (this.containers.has(container)) return this.error(res, 409, 'ContainerAlreadyExists');
      this.containers.add(container);
      return this.ok(res, 201);
    }
    this.unexpected.push(describe);
    this.error(res, 400, 'UnsupportedHttpVerb');
  }

  private handleLease(action: string, blob: StoredBlob | undefined, header: (key: string) => string | undefined, res: http.ServerResponse): void {
    if (!blob) return this.error(res, 404, 'BlobNotFound');
    const given = header('x-ms-lease-id');
    switch (action) {
      case 'lease:acquire': {
        const proposed = header('x-ms-proposed-lease-id') ?? randomUUID();
        if (this.leaseActive(blob) && blob.leaseId !== proposed) return this.error(res, 409, 'LeaseAlreadyPresent');
        const seconds = Number(header('x-ms-lease-duration'));
        blob.leaseId = proposed;
        blob.leaseExpires = seconds === -1 ? undefined : this.now() + seconds * 1000;
        return this.ok(res, 201, blob, { 'x-ms-lease-id': proposed });
      }
      case 'lease:renew':
        // A lease that expired can still be renewed by its holder, unless someone else took the blob since.
        if (!given || blob.leaseId !== given) return this.error(res, 409, 'LeaseIdMismatchWithLeaseOperation');
        if (blob.leaseExpires !== undefined) blob.leaseExpires = this.now() + 60_000;
        return this.ok(res, 200, blob, { 'x-ms-lease-id': given });
      case 'lease:release':
        if (!given || blob.leaseId !== given) return this.error(res, 409, 'LeaseIdMismatchWithLeaseOperation');
        delete blob.leaseId;
        delete blob.leaseExpires;
        return this.ok(res, 200, blob);
    }
    this.unexpected.push(action);
    this.error(res, 400, 'InvalidHeaderValue');
  }

  private baseHeaders(): Record<string, string> {
    return { 'x-ms-request-id': randomUUID(), 'x-ms-version': '2025-05-05', date: new Date(this.now()).toUTCString() };
  }

  private ok(res: http.ServerResponse, status: number, blob?: StoredBlob, extra: Record<string, string> = {}): void {
    const tags = blob ? { etag: blob.etag, 'last-modified': blob.modified.toUTCString() } : {};
    res.writeHead(status, { ...this.baseHeaders(), ...tags, ...extra });
    res.end();
  }

  private error(res: http.ServerResponse, status: number, code: string): void {
    const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
    res.writeHead(status, { ...this.baseHeaders(), 'x-ms-error-code': code, 'content-type': 'application/xml' });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}
