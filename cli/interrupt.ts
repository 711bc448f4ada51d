import { ExitCode } from './exitCodes';

/** Set once the user pressed Ctrl-C: whatever fails afterwards fails because of it. */
export const interruption = { signalled: false };

/** Show the cursor, wrap long lines again: what a progress bar turns off while it draws. */
const RESTORE_TERMINAL = '\u001b[?25h\u001b[?7h';

const cleanups = new Set<() => void>();

/**
 * Registers something to undo at once on Ctrl-C, before anything else happens (a progress bar that hid the cursor).
 * Returns the function that unregisters it.
 */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Stops every progress bar and gives the terminal its cursor and line wrap back. */
export function restoreTerminal(stream: NodeJS.WriteStream = process.stderr): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // restoring the terminal must not fail the interruption
    }
  }
  cleanups.clear();
  if (stream.isTTY) stream.write(RESTORE_TERMINAL);
}

export interface InterruptOptions {
  /** What the first Ctrl-C line says is happening now, e.g. "stopping after the page in flight". */
  stopping: string | (() => string);
  stream?: NodeJS.WriteStream;
  /** Called on a second Ctrl-C before the process exits (synchronous only). */
  onForcedExit?: () => void;
}

/**
 * Runs a command body under Ctrl-C (SIGINT) and SIGTERM handling. The first signal restores the terminal, says what
 * happens now, and aborts `signal`: the run in flight stops, commits nothing more, closes itself as interrupted, and
 * the body returns or throws as usual so the command can print what was saved (and exit 130). A second signal exits
 * at once with 130.
 */
export async function withInterrupt<T>(options: InterruptOptions, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stream = options.stream ?? process.stderr;
  const controller = new AbortController();
  let signals = 0;
  const handler = (): void => {
    signals += 1;
    restoreTerminal(stream);
    if (signals > 1) {
      stream.write('phc: interrupted twice: exiting at once; committed pages stay, the next run resumes from the checkpoints\n');
      options.onForcedExit?.();
      process.exit(ExitCode.interrupted);
    }
    interruption.signalled = true;
    const stopping = typeof options.stopping === 'function' ? options.stopping() : options.stopping;
    stream.write(`\ninterrupted: ${stopping} (Ctrl-C again to quit at once)\n`);
    controller.abort(new Error('interrupted by the user (Ctrl-C)'));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await body(controller.signal);
  } finally {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  }
}

/** The status the sync core gives a run stopped by its signal. */
export function isInterruptedStatus(status: string): boolean {
  return status === 'interrupted';
}
