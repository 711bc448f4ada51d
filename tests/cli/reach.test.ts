import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { firstClosedFolder, osUser } from '../../cli/embedded/reach';

describe('which folder another OS user may not enter (PostgreSQL runs as postgres when phc runs as root)', () => {
  let scratch: string;
  const me = { uid: process.getuid?.() ?? 0, gids: [process.getgid?.() ?? 0] };
  const stranger = { uid: 54_321, gids: [54_321] };

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'phc-reach-'));
    chmodSync(scratch, 0o755);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('names the first closed folder on the way, from the root down', () => {
    const closed = path.join(scratch, 'closed');
    mkdirSync(path.join(closed, 'inner'), { recursive: true });
    chmodSync(closed, 0o700);
    const target = path.join(closed, 'inner', 'postgres');
    expect(firstClosedFolder(target, stranger)).toBe(closed);
    expect(firstClosedFolder(target, me)).toBeUndefined();
  });

  it('lets the group in when the group may enter, and anyone when others may', () => {
    const grouped = path.join(scratch, 'grouped');
    mkdirSync(grouped);
    chmodSync(grouped, 0o710);
    expect(firstClosedFolder(grouped, { uid: 54_321, gids: [process.getgid?.() ?? 0] })).toBeUndefined();
    expect(firstClosedFolder(grouped, stranger)).toBe(grouped);
    chmodSync(grouped, 0o711);
    expect(firstClosedFolder(grouped, stranger)).toBeUndefined();
  });

  it('reads an OS user, and knows when there is none', () => {
    expect(osUser('root')).toMatchObject({ uid: 0 });
    expect(osUser('no-such-user-phc')).toBeUndefined();
  });
});
