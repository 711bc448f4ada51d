import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { hasDecorator, infraDir, isNullableParam, loadBicep, repoRoot, valueOf } from './bicep';

interface AzureYaml {
  name?: string;
  infra?: { provider?: string; path?: string; module?: string };
  services?: Record<string, { project?: string; language?: string; host?: string }>;
  hooks?: Record<string, { posix?: { shell?: string; run?: string }; windows?: { shell?: string; run?: string } }>;
}

interface ParametersFile {
  parameters: Record<string, { value?: unknown; reference?: unknown }>;
}

const loadYaml = (): AzureYaml => parse(readFileSync(path.join(repoRoot, 'azure.yaml'), 'utf8')) as AzureYaml;
const readParameters = (file: string): ParametersFile => JSON.parse(readFileSync(path.join(infraDir, file), 'utf8')) as ParametersFile;

const main = loadBicep(path.join(infraDir, 'main.bicep'));
const mainParams = main.decls.filter((d) => d.kind === 'param');
const required = mainParams.filter((p) => !valueOf(p) && !isNullableParam(p)).map((p) => p.name);
const secure = mainParams.filter((p) => hasDecorator(p, 'secure')).map((p) => p.name);

describe('azure.yaml and the parameters files', () => {
  it('azure.yaml parses and provisions infra/main.bicep', () => {
    const azure = loadYaml();
    expect(azure.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    expect(existsSync(path.join(repoRoot, azure.infra?.path ?? '', `${azure.infra?.module ?? ''}.bicep`))).toBe(true);
  });

  it('deploys this package as the Function App service that main.bicep tags and outputs', () => {
    const azure = loadYaml();
    expect(azure.services?.api).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    const functionApp = readFileSync(path.join(infraDir, 'modules', 'functionApp.bicep'), 'utf8');
    expect(functionApp).toContain("'azd-service-name': serviceName");
    expect(main.decls.some((d) => d.kind === 'output' && d.name === 'SERVICE_API_NAME')).toBe(true);
  });

  it('runs the post-provision hook, which exists and is executable', () => {
    const azure = loadYaml();
    const run = azure.hooks?.postprovision?.posix?.run ?? '';
    expect(run).toBe('./scripts/postprovision.sh');
    expect(() => accessSync(path.join(repoRoot, run), constants.X_OK)).not.toThrow();
  });

  it('the hook reads only outputs main.bicep declares (or azd itself sets)', () => {
    const hook = readFileSync(path.join(repoRoot, 'scripts', 'postprovision.sh'), 'utf8');
    const outputs = new Set(main.decls.filter((d) => d.kind === 'output').map((d) => d.name));
    const read = [...hook.matchAll(/\$\{?((?:POSTGRES|FUNCTION|AZURE|KEY_VAULT)_[A-Z_]+)/g)].map((m) => m[1] ?? '');
    expect(read.filter((v) => !outputs.has(v))).toEqual([]);
  });

  it('main.parameters.json maps every required parameter, names only real ones, and takes secrets from the azd environment', () => {
    const file = readParameters('main.parameters.json');
    const names = Object.keys(file.parameters);
    expect(names.filter((n) => !mainParams.some((p) => p.name === n))).toEqual([]);
    expect(required.filter((r) => !names.includes(r))).toEqual([]);
    for (const name of secure.filter((s) => names.includes(s))) {
      expect([name, file.parameters[name]?.value]).toEqual([name, expect.stringMatching(/^\$\{[A-Z_]+\}$/)]);
    }
  });

  it('env/prod.parameters.json names only real parameters and carries no secret (passed at deploy time)', () => {
    const file = readParameters(path.join('env', 'prod.parameters.json'));
    const names = Object.keys(file.parameters);
    expect(names.filter((n) => !mainParams.some((p) => p.name === n))).toEqual([]);
    expect(names.filter((n) => secure.includes(n))).toEqual([]);
    expect(required.filter((r) => !names.includes(r) && !secure.includes(r))).toEqual([]);
  });
});
