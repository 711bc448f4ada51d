import { PassThrough } from 'node:stream';
import { restoreTerminal, withInterrupt } from '../../cli/interrupt';
import { formatLag } from '../../cli/output';
import { progressFor } from '../../cli/progress';

/** A stream that says it is a terminal and keeps what was written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  Object.assign(stream, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => written };
}

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const WRAP_OFF = '\u001b[?7l';
const WRAP_ON = '\u001b[?7h';

describe('Ctrl-C and the terminal', () => {
  it('a progress bar hides the cursor and line wrap; an interruption gives both back', () => {
    const terminal = fakeTerminal();
    const bar = progressFor('orders', { stream: terminal.stream });
    bar.update({ pages: 1, rowsFetched: 100 });
    expect(terminal.text()).toContain(HIDE_CURSOR);
    expect(terminal.text()).toContain(WRAP_OFF);
    restoreTerminal(terminal.stream);
    const after = terminal.text().slice(terminal.text().lastIndexOf(HIDE_CURSOR));
    expect(after).toContain(SHOW_CURSOR);
    expect(after).toContain(WRAP_ON);
    bar.stop(); // stopping again afterwards is harmless
  });

  it('the first SIGINT aborts the run and says what happens; the handlers are gone afterwards', async () => {
    const terminal = fakeTerminal();
    const before = process.listenerCount('SIGINT');
    const seen = await withInterrupt({ stopping: 'stopping after the page in flight', stream: terminal.stream }, async (signal) => {
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      process.emit('SIGINT', 'SIGINT');
      await new Promise((resolve) => setImmediate(resolve));
      return signal.aborted;
    });
    expect(seen).toBe(true);
    expect(terminal.text()).toContain('interrupted: stopping after the page in flight (Ctrl-C again to quit at once)');
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

it('a second SIGINT exits at once with 130, after restoring the terminal', async () => {
  const terminal = fakeTerminal();
  const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
  const forced = jest.fn();
  try {
    await withInterrupt({ stopping: 'stopping', stream: terminal.stream, onForcedExit: forced }, async () => {
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(forced).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(130);
    expect(terminal.text()).toContain('phc: interrupted twice: exiting at once');
  } finally {
    exit.mockRestore();
  }
});

describe('formatLag', () => {
  it('reads in seconds, minutes, hours or days', () => {
    expect(formatLag(42)).toBe('42 s');
    expect(formatLag(125)).toBe('2 min 5 s');
    expect(formatLag(5 * 3600 + 3 * 60 + 9)).toBe('5 h 3 min');
    expect(formatLag(33 * 86_400 + 15 * 3600 + 59)).toBe('33 d 15 h');
    expect(formatLag(-90)).toBe('1 min 30 s ahead');
  });
});
