import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Every file of the checkout a clone would have: tracked, plus new files not ignored. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return [...new Set(out.split('\n').filter(Boolean))].filter((file) => existsSync(path.join(root, file)));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) continue;
    const base = heading
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Markdown links and images outside code fences and code spans: [text](target). */
function linksOf(markdown: string): string[] {
  const links: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const text = line.replace(/`[^`]*`/g, '');
    for (const match of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push(match[1] ?? '');
  }
  return links;
}

/** What points outside the repository: a relative path climbing out of it, or the design notes kept beside it. */
function outsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  const dir = path.dirname(path.join(root, file));
  for (const match of text.matchAll(/(?:\.\.\/)+shared\/[\w./-]*/g)) {
    const target = path.resolve(dir, match[0]);
    if (path.relative(root, target).startsWith('..')) found.push(match[0]);
  }
  for (const match of text.matchAll(/\b(WEBSERVICE|ARCHITECTURE)\.md\b/g)) found.push(match[0]);
  return found;
}

describe('the repository is self-contained', () => {
  const files = repositoryFiles();

  it('every relative link in a Markdown file resolves, anchors included', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md') && !f.startsWith('node_modules/'))) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const link of linksOf(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [target = '', anchor] = link.split('#');
        const resolved = target === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURIComponent(target));
        const inside = !path.relative(root, resolved).startsWith('..');
        if (!inside || !existsSync(resolved)) {
          broken.push(`${file}: ${link} (no such file in the repository)`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${link} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('no file points outside the repository (../shared, or the design notes kept beside it)', () => {
    const failing: string[] = [];
    for (const file of files.filter((f) => !f.startsWith('node_modules/') && !f.endsWith('package-lock.json') && f !== 'tests/cli/links.test.ts')) {
      const full = path.join(root, file);
      if (statSync(full).size > 1_000_000) continue;
      const text = readFileSync(full, 'utf8');
      const refs = outsideReferences(file, text);
      if (refs.length === 0) continue;
      failing.push(`${file}: ${[...new Set(refs)].join(', ')}`);
    }
    expect(failing).toEqual([]);
  });

  it('keeps the section numbers of the webservice notes that code comments cite', () => {
    const anchors = anchorsOf(readFileSync(path.join(root, 'docs/prestashop-webservice.md'), 'utf8'));
    for (let n = 1; n <= 11; n += 1) expect([...anchors].some((a) => a.startsWith(`${n}-`))).toBe(true);
  });
});
