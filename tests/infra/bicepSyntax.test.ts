import { bicepFiles, loadBicepFiles, parseBicep, relative, syntaxProblems } from './bicep';

describe('Bicep syntax (tree-sitter-bicep; no Bicep CLI is reachable here)', () => {
  const files = bicepFiles();

  it('finds main.bicep and the modules', () => {
    const names = files.map(relative).sort();
    expect(names).toContain('infra/main.bicep');
    expect(names.filter((f) => f.startsWith('infra/modules/')).length).toBeGreaterThanOrEqual(7);
  });

  it('the parser reports broken Bicep, so a clean parse means something', () => {
    const broken = "param x string = \nresource a 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'a'\n  b: [for x in y: }\n";
    expect(syntaxProblems(parseBicep(broken)).length).toBeGreaterThan(0);
  });

  it.each(loadBicepFiles(files).map((f) => [relative(f.file), f.tree] as const))('%s parses without ERROR or MISSING nodes', (_name, tree) => {
    expect(syntaxProblems(tree)).toEqual([]);
  });
});
