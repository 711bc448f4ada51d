import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { startSandbox } from '../../sandbox';
import { settingValue } from '../../shared/config';
import { ianaTimeZone } from '../../shared/config/schemas';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { printJson, printLine } from '../output';

function whole(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected a whole number of at least ${min}` : `expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function timeZone(value: string): string {
  if (!ianaTimeZone.safeParse(value).success) throw new InvalidArgumentError('expected an IANA time zone name such as Europe/Paris or America/New_York');
  return value;
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

function oneOrTwo(value: string): 1 | 2 {
  if (value !== '1' && value !== '2') throw new InvalidArgumentError('expected 1 or 2');
  return value === '1' ? 1 : 2;
}

function version(value: string): '1.7' | '8.1' {
  if (value !== '1.7' && value !== '8.1') throw new InvalidArgumentError('expected 1.7 or 8.1');
  return value;
}

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.01');
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 600_000) throw new InvalidArgumentError('expected milliseconds from 0 to 600000');
  return n;
}

interface SandboxCliOptions {
  version: '1.7' | '8.1';
  phpWorkers: number;
  latencyMs: number;
  latencyPerRecordMs: number;
  badTextShare: number;
  badDateShare: number;
  port: number;
  seed: number;
  customers: number;
  products: number;
  orders: number;
  languages: 1 | 2;
  timezone: string;
  apiKey?: string;
  json?: boolean;
}

export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('serve a seeded PrestaShop webservice simulator on localhost until Ctrl-C')
    .option('--port <port>', 'port to listen on, 0 to 65535 (0 = any free port)', whole(0, 65535), 8080)
    .option('--seed <n>', 'seed of the generated store (same seed, same store)', whole(0), 1)
    .option('--customers <n>', 'customers to generate', whole(0), 300)
    .option('--products <n>', 'products to generate', whole(0), 60)
    .option('--orders <n>', 'orders to generate', whole(0), 2000)
    .option('--languages <n>', '1 or 2 active languages (2 gives multi-language fields)', oneOrTwo, 2)
    .option('--timezone <zone>', "the shop's PS_TIMEZONE (an IANA zone name)", timeZone, 'Europe/Paris')
    .option('--version <version>', 'the PrestaShop the shop answers like: 8.1 (integers as JSON numbers) or 1.7 (all strings)', version, '8.1')
    .option('--php-workers <n>', 'requests the shop serves at once; more wait their turn, like a PHP-FPM pool', whole(1, 256), 8)
    .option('--latency-ms <ms>', 'time each request takes (a real shop: 100 to 3000)', milliseconds, 0)
    .option('--latency-per-record-ms <ms>', 'more time for each full record rendered (a page of 100 orders costs more than a page of 10)', milliseconds, 0)
    .option('--bad-text-share <share>', 'share of records carrying text PostgreSQL cannot store as sent (a NUL, half an emoji)', share, 0)
    .option('--bad-date-share <share>', 'share of records carrying impossible dates or non-numeric money, as MySQL keeps them', share, 0)
    .option('--api-key <key>', 'the webservice key to accept (32 characters; default: PRESTASHOP_API_KEY, or a new random one)')
    .option('--json', 'print the address as JSON once listening')
    .addHelpText(
      'after',
      `
The key is for this local simulator only; it is printed so you can call the shop by hand.

Examples:
  $ phc sandbox --port 8080 --orders 100000
  $ phc sandbox --latency-ms 250 --latency-per-record-ms 0.5 --php-workers 8   # a realistic backfill target
  $ phc sandbox --version 1.7 --bad-text-share 0.01 --bad-date-share 0.01
  $ curl -u KEY: 'http://127.0.0.1:8080/api/orders?display=full&output_format=JSON&limit=2'
  $ PRESTASHOP_BASE_URL=http://127.0.0.1:8080 PRESTASHOP_API_KEY=KEY phc sync all`,
    )
    .action(async (options: SandboxCliOptions) => {
      const apiKey = options.apiKey ?? settingValue(process.env, 'PRESTASHOP_API_KEY') ?? randomBytes(16).toString('hex').toUpperCase();
      if (!/^[A-Za-z0-9]{32}$/.test(apiKey)) {
        throw new CliError('the webservice key must be 32 letters and digits, like a real PrestaShop key (--api-key, or PRESTASHOP_API_KEY)', ExitCode.usage);
      }
      const sandbox = await startSandbox({
        port: options.port,
        seed: options.seed,
        customers: options.customers,
        products: options.products,
        orders: options.orders,
        languages: options.languages,
        timeZone: options.timezone,
        apiKey,
        version: options.version,
        phpWorkers: options.phpWorkers,
        ...(options.badTextShare > 0 || options.badDateShare > 0 ? { quirks: { badTextShare: options.badTextShare, badDateShare: options.badDateShare } } : {}),
      }).catch((error: unknown) => {
        if (!isAddressInUse(error)) throw error;
        throw new CliError(
          `port ${options.port} on 127.0.0.1 is already in use by another program: choose another with --port (0 picks a free one), or stop that program`,
          ExitCode.usage,
          { cause: error },
        );
      });
      if (options.latencyMs > 0 || options.latencyPerRecordMs > 0) {
        sandbox.control.setFaults({ latencyMs: options.latencyMs, latencyPerRecordMs: options.latencyPerRecordMs });
      }
      if (options.json) {
        printJson({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey });
      } else {
        printLine(`Sandbox shop (answers like PrestaShop ${sandbox.version}) listening at ${sandbox.baseUrl} (Ctrl-C to stop)`);
        printLine(`  webservice key: ${sandbox.apiKey}`);
        printLine(`  try: curl -u ${sandbox.apiKey}: '${sandbox.baseUrl.replace(/\/$/, '')}/api/orders?display=full&output_format=JSON&limit=2'`);
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sandbox.close();
      process.stderr.write('sandbox stopped\n');
    });
}
