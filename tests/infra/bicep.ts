import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads Bicep through its tree-sitter syntax tree, so the infra tests check structure rather than text.
 *
 * The parse runs in a child Node process: tree-sitter is a native addon, loaded once per process, while jest
 * evaluates modules afresh for every test file, and a second evaluation of tree-sitter's wrapper yields trees
 * without a root node. The child returns the tree as plain data.
 */

export const repoRoot = path.resolve(__dirname, '..', '..');
export const infraDir = path.join(repoRoot, 'infra');

export interface SyntaxNode {
  type: string;
  isMissing: boolean;
  text: string;
  startPosition: { row: number; column: number };
  children: SyntaxNode[];
  namedChildren: SyntaxNode[];
  childForFieldName(field: string): SyntaxNode | null;
}

export interface Tree {
  rootNode: SyntaxNode;
}

interface RawNode {
  type: string;
  named: boolean;
  missing: boolean;
  start: number;
  end: number;
  row: number;
  column: number;
  field: string | null;
  children: RawNode[];
}

const childScript = `
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');
const parser = new Parser();
parser.setLanguage(Bicep);
const walk = (cursor) => {
  const n = cursor.currentNode;
  const node = { type: n.type, named: n.isNamed, missing: n.isMissing, start: n.startIndex, end: n.endIndex,
    row: n.startPosition.row, column: n.startPosition.column, field: cursor.currentFieldName || null, children: [] };
  if (cursor.gotoFirstChild()) {
    do node.children.push(walk(cursor)); while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return node;
};
const sources = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const trees = sources.map((s) => walk(parser.parse(s, undefined, { bufferSize: Math.max(32768, s.length * 2) }).walk()));
process.stdout.write(JSON.stringify(trees));
`;

function toNode(raw: RawNode, source: string): SyntaxNode {
  const children = raw.children.map((c) => toNode(c, source));
  const fields = raw.children.map((c) => c.field);
  return {
    type: raw.type,
    isMissing: raw.missing,
    text: source.slice(raw.start, raw.end),
    startPosition: { row: raw.row, column: raw.column },
    children,
    namedChildren: children.filter((_c, i) => raw.children[i]?.named),
    childForFieldName: (field) => children[fields.indexOf(field)] ?? null,
  };
}

/** Parses several sources with one child process. */
export function parseBicepSources(sources: string[]): Tree[] {
  const output = execFileSync(process.execPath, ['-e', childScript], {
    cwd: repoRoot,
    input: JSON.stringify(sources),
    maxBuffer: 256 * 1024 * 1024,
  });
  const raws = JSON.parse(output.toString('utf8')) as RawNode[];
  return raws.map((raw, i) => ({ rootNode: toNode(raw, sources[i] ?? '') }));
}

export const parseBicep = (source: string): Tree => {
  const [tree] = parseBicepSources([source]);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
};

export function bicepFiles(dir = infraDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return bicepFiles(full);
    return entry.name.endsWith('.bicep') ? [full] : [];
  });
}

export const relative = (file: string): string => path.relative(repoRoot, file);

/** Every ERROR or MISSING node, as "line:column type" (1-based lines). */
export function syntaxProblems(tree: Tree): string[] {
  const problems: string[] = [];
  const walk = (node: SyntaxNode): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      problems.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? `missing ${node.type}` : 'syntax error'}`);
    }
    for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  return problems;
}

export interface Decorator {
  name: string;
  args: SyntaxNode[];
}

export type DeclarationKind = 'param' | 'output' | 'var' | 'resource' | 'module' | 'type' | 'func' | 'other';

export interface Declaration {
  kind: DeclarationKind;
  name: string;
  node: SyntaxNode;
  decorators: Decorator[];
}

const kinds: Record<string, DeclarationKind> = {
  parameter_declaration: 'param',
  output_declaration: 'output',
  variable_declaration: 'var',
  resource_declaration: 'resource',
  module_declaration: 'module',
  type_declaration: 'type',
  user_defined_function: 'func',
};

function decoratorsOf(node: SyntaxNode): Decorator[] {
  return node.namedChildren
    .filter((d) => d.type === 'decorator')
    .map((d) => {
      const call = d.namedChildren.find((c) => c.type === 'call_expression');
      const fn = call?.childForFieldName('function');
      const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
      return { name: fn?.text ?? d.text, args };
    });
}

/** Top-level declarations with the decorators written above them. */
export function declarations(tree: Tree): Declaration[] {
  const out: Declaration[] = [];
  let pending: Decorator[] = [];
  for (const node of tree.rootNode.namedChildren) {
    if (node.type === 'decorators') {
      pending = [...pending, ...decoratorsOf(node)];
      continue;
    }
    if (node.type === 'comment' || node.type === 'diagnostic_comment') continue;
    const kind = kinds[node.type] ?? 'other';
    const name = node.namedChildren.find((c) => c.type === 'identifier')?.text ?? '';
    out.push({ kind, name, node, decorators: pending });
    pending = [];
  }
  return out;
}

export const hasDecorator = (decl: Declaration, name: string): boolean => decl.decorators.some((d) => d.name === name);

/** A parameter's type node, e.g. `string`, `string?`, `object[]`. */
export const paramType = (decl: Declaration): SyntaxNode | undefined => decl.node.namedChildren.find((c) => c.type === 'type');

/** The default value of a parameter, or the value of an output, var or declaration body. */
export function valueOf(decl: Declaration): SyntaxNode | undefined {
  const children = decl.node.namedChildren.filter((c) => c.type !== 'comment');
  if (decl.kind === 'param') return children[2];
  return children[children.length - 1];
}

/** The object body of a module or resource declaration, through a condition (`= if (x) { ... }`). */
export function bodyOf(decl: Declaration): SyntaxNode | undefined {
  const value = valueOf(decl);
  return value?.type === 'if_statement' ? value.namedChildren[value.namedChildren.length - 1] : value;
}

export const isNullableParam = (decl: Declaration): boolean =>
  paramType(decl)?.namedChildren.some((c) => c.type === 'nullable_type') ?? false;

/** The text of a string literal without quotes, or undefined when the node is not a plain literal. */
export function stringValue(node: SyntaxNode | undefined | null): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return undefined;
  const text = node.text;
  const body = text.startsWith("'''") ? text.slice(3, -3) : text.slice(1, -1);
  return text.startsWith("'''") ? body : body.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
}

export function propertyKey(property: SyntaxNode): string {
  const key = property.namedChildren[0];
  if (!key) return '';
  return key.type === 'string' ? (stringValue(key) ?? key.text) : key.text;
}

export function propertyValue(property: SyntaxNode): SyntaxNode | undefined {
  const children = property.namedChildren.filter((c) => c.type !== 'comment');
  return children[children.length - 1];
}

/** The properties of an object literal (comments skipped). */
export const objectProperties = (object: SyntaxNode | undefined): SyntaxNode[] =>
  object?.type === 'object' ? object.namedChildren.filter((c) => c.type === 'object_property') : [];

/** Follows a path of property names through nested object literals, e.g. ['properties', 'authConfig']. */
export function getPath(object: SyntaxNode | undefined, keys: string[]): SyntaxNode | undefined {
  let current = object;
  for (const key of keys) {
    const property = objectProperties(current).find((p) => propertyKey(p) === key);
    if (!property) return undefined;
    current = propertyValue(property);
  }
  return current;
}

export function descendants(node: SyntaxNode, type: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === type) found.push(n);
    for (const child of n.namedChildren) walk(child);
  };
  walk(node);
  return found;
}

export interface ResourceDecl {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** The resource body; for a loop, the loop's body; for a condition, the conditional body. */
  body: SyntaxNode | undefined;
  isLoop: boolean;
  node: SyntaxNode;
}

function unwrapBody(node: SyntaxNode | undefined): { body: SyntaxNode | undefined; isLoop: boolean } {
  if (!node) return { body: undefined, isLoop: false };
  if (node.type === 'for_statement') return { body: unwrapBody(node.childForFieldName('body') ?? undefined).body, isLoop: true };
  if (node.type === 'array') {
    const loop = node.namedChildren.find((c) => c.type === 'for_statement');
    if (loop) return { body: unwrapBody(loop).body, isLoop: true };
  }
  if (node.type === 'if_statement') return unwrapBody(node.namedChildren[node.namedChildren.length - 1]);
  return { body: node, isLoop: false };
}

/** Every resource declaration, nested ones included (their type is relative to the parent's). */
export function resources(tree: Tree): ResourceDecl[] {
  return descendants(tree.rootNode, 'resource_declaration').map((node) => {
    const typeString = stringValue(node.namedChildren.find((c) => c.type === 'string')) ?? '';
    const [type = '', apiVersion = ''] = typeString.split('@');
    const { body, isLoop } = unwrapBody(node.namedChildren[node.namedChildren.length - 1]);
    return {
      symbol: node.namedChildren[0]?.text ?? '',
      type,
      apiVersion,
      existing: /'\s+existing\s*=/.test(node.text.slice(0, node.text.indexOf('=') + 1)),
      body,
      isLoop,
      node,
    };
  });
}

export interface BicepFile {
  file: string;
  source: string;
  tree: Tree;
  decls: Declaration[];
}

const loaded = new Map<string, BicepFile>();

/** Parses the given files (all in one child process) and remembers them for this test file. */
export function loadBicepFiles(files: string[]): BicepFile[] {
  const missing = files.filter((f) => !loaded.has(f));
  if (missing.length > 0) {
    const sources = missing.map((f) => readFileSync(f, 'utf8'));
    parseBicepSources(sources).forEach((tree, i) => {
      const file = missing[i] ?? '';
      loaded.set(file, { file, source: sources[i] ?? '', tree, decls: declarations(tree) });
    });
  }
  return files.map((f) => loaded.get(f) as BicepFile);
}

/** BicepFiles from inline sources (tests of the checks themselves). */
export function loadBicepSources(sources: string[]): BicepFile[] {
  return parseBicepSources(sources).map((tree, i) => ({ file: `<inline ${i}>`, source: sources[i] ?? '', tree, decls: declarations(tree) }));
}

export function loadBicep(file: string): BicepFile {
  const [bicep] = loadBicepFiles([file]);
  if (!bicep) throw new Error(`cannot load ${file}`);
  return bicep;
}

/** Bicep functions and decorators the templates may call (a typo in a function name is a compile error). */
export const BICEP_FUNCTIONS = new Set([
  // decorators
  'allowed', 'batchSize', 'description', 'discriminator', 'export', 'maxLength', 'maxValue', 'metadata', 'minLength', 'minValue', 'sealed', 'secure',
  // scope and deployment
  'deployer', 'deployment', 'environment', 'managementGroup', 'resourceGroup', 'subscription', 'tenant',
  // resource ids
  'extensionResourceId', 'managementGroupResourceId', 'reference', 'resourceId', 'subscriptionResourceId', 'tenantResourceId',
  // arrays and objects
  'concat', 'contains', 'empty', 'filter', 'first', 'flatten', 'groupBy', 'indexOf', 'intersection', 'items', 'last', 'lastIndexOf', 'length', 'map',
  'mapValues', 'max', 'min', 'objectKeys', 'range', 'reduce', 'shallowMerge', 'skip', 'sort', 'take', 'toObject', 'union',
  // strings and conversions
  'base64', 'base64ToString', 'bool', 'dataUri', 'endsWith', 'format', 'guid', 'int', 'json', 'newGuid', 'padLeft', 'replace', 'split', 'startsWith',
  'string', 'substring', 'toLower', 'toUpper', 'trim', 'uniqueString', 'uri', 'uriComponent', 'uriComponentToString', 'dateTimeAdd', 'utcNow',
  // files
  'loadFileAsBase64', 'loadJsonContent', 'loadTextContent', 'loadYamlContent',
]);

const DECLARATION_TYPES = new Set(['parameter_declaration', 'variable_declaration', 'output_declaration', 'resource_declaration', 'module_declaration', 'type_declaration']);

const loopNames = (loop: SyntaxNode): string[] => {
  const initializer = loop.childForFieldName('initializer');
  if (initializer) return [initializer.text];
  const params = loop.namedChildren.find((c) => c.type === 'for_loop_parameters');
  return params ? params.namedChildren.map((c) => c.text) : [];
};

const lambdaParams = (lambda: SyntaxNode): string[] => {
  const first = lambda.namedChildren[0];
  if (!first) return [];
  if (first.type === 'identifier') return [first.text];
  return first.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text);
};

/**
 * Identifiers that name nothing declared in the file (params, vars, resources, modules, loop variables, lambda
 * parameters) and calls of functions Bicep does not have: what the compiler's name binding would reject.
 */
export function unresolvedNames(file: BicepFile): string[] {
  const declared = new Set(file.decls.filter((d) => d.kind !== 'output' && d.kind !== 'other').map((d) => d.name));
  for (const nested of descendants(file.tree.rootNode, 'resource_declaration')) declared.add(nested.namedChildren[0]?.text ?? '');
  const problems: string[] = [];
  const at = (node: SyntaxNode): string => `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;

  const visit = (node: SyntaxNode, scope: Set<string>): void => {
    if (node.type === 'type' || node.type === 'string_content' || node.type === 'property_identifier') return;
    if (node.type === 'identifier') {
      if (!scope.has(node.text) && !declared.has(node.text)) problems.push(`${at(node)} ${node.text} is not declared`);
      return;
    }
    let inner = scope;
    let children = node.namedChildren;
    if (DECLARATION_TYPES.has(node.type)) children = children.slice(1);
    if (node.type === 'object_property' && children[0]?.type === 'identifier') children = children.slice(1);
    if (node.type === 'for_statement') {
      inner = new Set([...scope, ...loopNames(node)]);
      children = children.filter((c) => c.type !== 'for_loop_parameters' && c !== node.childForFieldName('initializer'));
    }
    if (node.type === 'arguments') {
      // A lambda's parameters, visible across the call's arguments (the grammar ends a lambda body early).
      const params = children.flatMap((c) => descendants(c, 'lambda_expression')).flatMap(lambdaParams);
      inner = new Set([...scope, ...params]);
    }
    if (node.type === 'lambda_expression') children = children.slice(1);
    if (node.type === 'call_expression') {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier') {
        if (!BICEP_FUNCTIONS.has(fn.text)) problems.push(`${at(fn)} ${fn.text}() is not a Bicep function`);
        children = children.filter((c) => c !== fn);
      } else if (fn?.type === 'member_expression' && ['az', 'sys'].includes(fn.childForFieldName('object')?.text ?? '')) {
        children = children.filter((c) => c !== fn);
      }
    }
    if (node.type === 'member_expression') children = [node.childForFieldName('object')].filter((c): c is SyntaxNode => c !== null);
    for (const child of children) visit(child, inner);
  };
  visit(file.tree.rootNode, new Set());
  return problems;
}
