import { KEY_RESOURCES } from '../../cli/shopErrors';
import path from 'node:path';
import { classify, CliError } from '../../cli/errors';
import { ExitCode } from '../../cli/exitCodes';
import { phcHome } from '../../cli/embedded/home';
import { ConfigError } from '../../shared/config';
import { PrestaShopError } from '../../shared/prestashop/errors';

const shopError = (status: number, extra: Partial<ConstructorParameters<typeof PrestaShopError>[1]> = {}): PrestaShopError =>
  new PrestaShopError(`PrestaShop orders: HTTP ${status} Error response Error response (http://shop.example/base/api/orders?x=1)`, {
    kind: 'http',
    status,
    resource: 'orders',
    url: 'http://shop.example/base/api/orders?output_format=JSON',
    retryable: false,
    ...extra,
  });

const systemError = (code: string, fields: Record<string, unknown>): Error => Object.assign(new Error(`${code}: something`), { code, ...fields });

describe('classify: the one line and the exit code', () => {
  it('says the database was never migrated instead of "relation does not exist"', () => {
    const error = Object.assign(new Error('relation "staging.etl_runs" does not exist'), { code: '42P01' });
    expect(classify(error)).toEqual({ line: 'the database has no PHC schema yet: run phc migrate (as the database owner), then rerun', exitCode: ExitCode.failure });
  });

  it('names a login role that does not exist (28000) and how to create it', () => {
    const error = Object.assign(new Error('role "bob" does not exist'), { code: '28000' });
    const { line, exitCode } = classify(error);
    expect(exitCode).toBe(ExitCode.failure);
    expect(line).toMatch(/^PostgreSQL has no login role "bob": check the user in DATABASE_URL .*phc roles/);
  });

  it('a 404 page or an HTML answer: PRESTASHOP_BASE_URL does not look like the webservice, said once, without the page text', () => {
    for (const error of [shopError(404), shopError(200, { kind: 'content-type' })]) {
      const { line, exitCode } = classify(new Error('sync failed', { cause: error }));
      expect(exitCode).toBe(ExitCode.failure);
      expect(line).toMatch(/^PRESTASHOP_BASE_URL \(http:\/\/shop\.example\/base\) does not look like a shop with the webservice at \/api\/ .*rewrite rule/);
      expect(line).not.toContain('Error response');
    }
    // A 404 the webservice itself sent (with its error codes) is not about the URL.
    expect(classify(shopError(404, { errors: [{ code: 131, message: 'not linked to the shop' }] })).line).not.toMatch(/does not look like/);
  });

  it('a refused key names every resource the key needs', () => {
    const { line } = classify(shopError(401));
    expect(line).toContain(`GET permission on ${KEY_RESOURCES.slice(0, -1).join(', ')} and ${KEY_RESOURCES.at(-1)}`);
    expect(KEY_RESOURCES).toEqual(expect.arrayContaining(['customers', 'products', 'orders', 'order_details', 'order_slip', 'order_payments', 'order_histories', 'stock_availables', 'order_states', 'configurations']));
  });

  it('a port in use, and PHC_HOME problems, are usage errors with their fix', () => {
    expect(classify(systemError('EADDRINUSE', { address: '127.0.0.1', port: 8080 }))).toEqual({
      line: '127.0.0.1:8080 is already in use by another program: choose another port (0 picks a free one), or stop that program',
      exitCode: ExitCode.usage,
    });
    const inHome = path.join(phcHome(), 'postgres');
    expect(classify(systemError('EACCES', { path: inHome }))).toMatchObject({ exitCode: ExitCode.usage, line: expect.stringMatching(/set PHC_HOME to a folder you can write/) as string });
    expect(classify(systemError('EEXIST', { path: phcHome() }))).toMatchObject({ exitCode: ExitCode.usage, line: expect.stringMatching(/is a file where phc needs a folder/) as string });
    expect(classify(systemError('ENOENT', { path: '/nowhere/cert.pem' }))).toMatchObject({ exitCode: ExitCode.failure, line: expect.stringMatching(/^\/nowhere\/cert\.pem does not exist/) as string });
  });

  it('settings that are simply not set are listed briefly; wrong values keep their fix', () => {
    const missing = new ConfigError([
      { setting: 'DATABASE_URL', message: 'no database is configured. Set DATABASE_URL=postgres://...', missing: true },
      { setting: 'PRESTASHOP_BASE_URL', message: 'is not set. Set PRESTASHOP_BASE_URL to the shop root', missing: true },
      { setting: 'PRESTASHOP_API_KEY', message: 'is not set, and no KEY_VAULT_URI. Set PRESTASHOP_API_KEY to the key', missing: true },
    ]);
    const { line, exitCode } = classify(missing);
    expect(exitCode).toBe(ExitCode.usage);
    expect(line).toMatch(/^Missing settings: DATABASE_URL \(or PGHOST\.\.\.\), PRESTASHOP_BASE_URL, PRESTASHOP_API_KEY \(or KEY_VAULT_URI\) are not set\. Set them in the environment/);
    expect(line.length).toBeLessThan(400);
    const invalid = new ConfigError([{ setting: 'PGPORT', message: 'must be a whole number from 1 to 65535 (got "x"). Set PGPORT to a port' }]);
    expect(classify(invalid).line).toBe('Invalid settings: PGPORT must be a whole number from 1 to 65535 (got "x"). Set PGPORT to a port');
  });

  it("keeps a command's own line, the interruption one included", () => {
    expect(classify(new CliError('interrupted: orders not started', ExitCode.interrupted))).toEqual({ line: 'interrupted: orders not started', exitCode: 130 });
  });
});
