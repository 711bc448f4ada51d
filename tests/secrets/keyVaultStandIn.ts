import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_TOKEN = 'kv-access-token-3f9a1c';

export interface StandInSecret {
  value: string;
  enabled?: boolean;
  /** Unix seconds, as Key Vault sends it. */
  exp?: number;
}

/**
 * A local stand-in for the Key Vault data plane, faithful where SecretClient relies on it: the first request of a
 * client comes without a token and gets a 401 challenge, later ones carry `Bearer <token>`; GET /secrets/<name>/
 * answers the current version. Anything else is recorded as unexpected, which fails the test.
 */
export class KeyVaultStandIn {
  readonly secrets = new Map<string, StandInSecret>();
  readonly reads: string[] = [];
  readonly unexpected: string[] = [];
  readonly authorizations: string[] = [];
  /** Answer the next reads with this status instead (e.g. 403, 500). */
  failWith: number | undefined;
  private server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const match = /^\/secrets\/([0-9A-Za-z-]+)\/?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match || !url.searchParams.get('api-version')) {
      this.unexpected.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
      return;
    }
    const authorization = req.headers.authorization;
    if (!authorization) {
      res
        .writeHead(401, { 'WWW-Authenticate': 'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"' })
        .end();
      return;
    }
    this.authorizations.push(authorization);
    if (authorization !== `Bearer ${STAND_IN_TOKEN}`) {
      this.unexpected.push(`wrong authorization on ${req.url}`);
      res.writeHead(401).end();
      return;
    }
    const name = match[1] ?? '';
    this.reads.push(name);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    if (this.failWith) {
      json(this.failWith, { error: { code: this.failWith === 403 ? 'Forbidden' : 'InternalServerError', message: `stand-in failure ${this.failWith}` } });
      return;
    }
    const secret = this.secrets.get(name);
    if (!secret) {
      json(404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } });
      return;
    }
    json(200, {
      value: secret.value,
      id: `https://phc-kv.vault.azure.net/secrets/${name}/0123456789abcdef0123456789abcdef`,
      attributes: { enabled: secret.enabled ?? true, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: 'Recoverable', ...(secret.exp ? { exp: secret.exp } : {}) },
    });
  }
}
