import { readFileSync } from 'node:fs';
import path from 'node:path';
import { phcHome } from '../../cli/embedded/home';
import { usesEmbeddedDefaults } from '../../cli/commands/pipeline';
import { ConfigError, describeSettings, loadConfig, loadConfigShopOptional, settingValue } from '../../shared/config';
import { projectRoot } from '../../shared/paths';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const DB = 'postgres://postgres@127.0.0.1:5432/phc_analytics';

function problemsOf(run: () => unknown): ConfigError['problems'] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('a blank setting is an unset one', () => {
  it('settingValue: unset, empty and blank are all undefined; values are trimmed unless secret', () => {
    expect(settingValue({}, 'PHC_HOME')).toBeUndefined();
    expect(settingValue({ PHC_HOME: '' }, 'PHC_HOME')).toBeUndefined();
    expect(settingValue({ PHC_HOME: '   ' }, 'PHC_HOME')).toBeUndefined();
    expect(settingValue({ PHC_HOME: ' /srv/phc ' }, 'PHC_HOME')).toBe('/srv/phc');
    expect(settingValue({ PGPASSWORD: ' with spaces ' }, 'PGPASSWORD', { secret: true })).toBe(' with spaces ');
  });

  it('PHC_HOME="" (as local.settings.example.json ships it) is .phc in the checkout, never the current folder', () => {
    const checkoutHome = path.join(projectRoot(), '.phc');
    expect(phcHome({ PHC_HOME: '' })).toBe(checkoutHome);
    expect(phcHome({ PHC_HOME: ' ' })).toBe(checkoutHome);
    expect(phcHome({})).toBe(checkoutHome);
    expect(phcHome({ PHC_HOME: '/tmp/phc-demo' })).toBe('/tmp/phc-demo');
  });

  it('every setting, left blank, loads as if it were not there', () => {
    const blanks = Object.fromEntries(describeSettings().map((s) => [s.name, '']));
    const withBlanks = loadConfig({ ...blanks, DATABASE_URL: DB, PRESTASHOP_BASE_URL: 'http://127.0.0.1:8080', PRESTASHOP_API_KEY: KEY });
    const without = loadConfig({ DATABASE_URL: DB, PRESTASHOP_BASE_URL: 'http://127.0.0.1:8080', PRESTASHOP_API_KEY: KEY });
    expect({ ...withBlanks, prestashop: { ...withBlanks.prestashop, apiKey: null } }).toEqual({ ...without, prestashop: { ...without.prestashop, apiKey: null } });
    // And the demo's switch: blank DATABASE_URL, PGHOST and PRESTASHOP_BASE_URL mean "nothing configured".
    expect(usesEmbeddedDefaults(blanks)).toBe(true);
    expect(usesEmbeddedDefaults({ ...blanks, PGHOST: 'db.example.com' })).toBe(false);
  });

  it('the example settings carry blanks that load under the CLI too', () => {
    const example = JSON.parse(readFileSync(path.join(projectRoot(), 'local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    expect(example.Values.PHC_HOME).toBe('');
    expect(() => loadConfig(example.Values)).not.toThrow();
  });
});

describe('settings a command needs', () => {
  it('commands that use the shop only when configured do not demand it', () => {
    const config = loadConfigShopOptional({ DATABASE_URL: DB, PRESTASHOP_BASE_URL: ' ' });
    expect(config.prestashop).toBeUndefined();
    expect(config.db).toMatchObject({ host: '127.0.0.1', database: 'phc_analytics' });
  });

  it('but check the shop settings when the shop is configured', () => {
    const problems = problemsOf(() => loadConfigShopOptional({ DATABASE_URL: DB, PRESTASHOP_BASE_URL: 'http://127.0.0.1:8080' }));
    expect(problems.map((p) => [p.setting, p.missing])).toEqual([['PRESTASHOP_API_KEY', true]]);
  });

  it('mark what is simply not set apart from what is wrong, in the order of the table', () => {
    const problems = problemsOf(() => loadConfig({ PGPORT: 'x' }));
    expect(problems.map((p) => [p.setting, p.missing === true])).toEqual([
      ['PGPORT', false],
      ['DATABASE_URL', true],
      ['PRESTASHOP_BASE_URL', true],
      ['PRESTASHOP_API_KEY', true],
    ]);
  });
});
