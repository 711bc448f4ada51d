import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { settingsMarkdown } from '../../cli/commands/settings';
import { describeSettings } from '../../shared/config';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

interface Compose {
  services: Record<string, { image: string; ports?: string[] }>;
}

describe('README and docker-compose.yml', () => {
  const readme = read('README.md');

  it('docker-compose.yml parses and has the services the README names', () => {
    const compose = parse(read('docker-compose.yml')) as Compose;
    expect(Object.keys(compose.services).sort()).toEqual(['azurite', 'postgres']);
    expect(compose.services.postgres?.image).toBe('postgres:15');
    expect(compose.services.azurite?.image).toMatch(/azurite/);
    for (const name of Object.keys(compose.services)) expect(readme).toContain(`**${name}**`);
  });

  it('starts with the two set-up commands, which exist as npm scripts', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.split('\n').filter((l) => l.trim()).map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && npm run pipeline', 'npm ci && npm test']);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.pipeline).toContain('pipeline');
    expect(scripts.test).toBeDefined();
  });

  it('lists every setting the app reads, as phc settings --markdown prints them', () => {
    const missing = describeSettings().filter((s) => !readme.includes(`| \`${s.name}\` |`));
    expect(missing.map((s) => s.name)).toEqual([]);
    const block = readme.slice(readme.indexOf('<!-- settings:start'), readme.indexOf('<!-- settings:end'));
    expect(block.split('\n').slice(1).filter((l) => l.startsWith('|'))).toEqual(settingsMarkdown());
  });

  it('the func start walk-through uses the shop, key and database that local.settings.example.json names', () => {
    const example = (JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> }).Values;
    const section = readme.slice(readme.indexOf('## Running under `func start` with Azurite'));
    const steps = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const sandbox = steps.split('\n').find((l) => l.includes('phc -- sandbox')) ?? '';
    expect(/--api-key (\S+)/.exec(sandbox)?.[1]).toBe(example.PRESTASHOP_API_KEY);
    expect(/--port (\d+)/.exec(sandbox)?.[1]).toBe(new URL(example.PRESTASHOP_BASE_URL ?? '').port);
    const database = new URL(example.DATABASE_URL ?? '').pathname.slice(1);
    expect(steps).toMatch(new RegExp(`^createdb .* ${database}\\b`, 'm'));
    expect(steps).toContain(`DATABASE_URL=${example.DATABASE_URL} npm run -s phc -- migrate`);
    // npx asks before installing a package unless told --yes; a prompt in a background job just stops.
    expect(steps).toMatch(/^npx --yes azurite /m);
    expect(readme).not.toMatch(/Azurite needs Node 22/);
  });
});
