import { SingleBar } from 'cli-progress';
import { onInterrupt } from './interrupt';
import { formatNumber } from './output';

export interface ProgressUpdate {
  pages: number;
  rowsFetched: number;
  /** Rows expected in all, when it can be estimated (a backfill over an already loaded table). */
  totalRows?: number;
}

type SyncProgress = ProgressUpdate;

export interface ProgressSink {
  update(progress: ProgressUpdate): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5000;

/**
 * Progress of one long job on stderr: a bar (rows, pages, rate, time left when the total is known) when stderr is a
 * terminal, otherwise a plain line every few seconds so logs and CI output stay readable.
 */
export function progressFor(label: string, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): ProgressSink {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update: () => undefined, stop: () => undefined };
  return stream.isTTY ? barSink(label, stream) : plainSink(label, stream);
}

function rate(rows: number, startedAt: number): number {
  const seconds = (Date.now() - startedAt) / 1000;
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}

function barSink(label: string, stream: NodeJS.WriteStream): ProgressSink {
  const startedAt = Date.now();
  let bar: SingleBar | undefined;
  let withTotal = false;
  // The bar hides the cursor and turns line wrap off while it draws: Ctrl-C must get both back at once.
  const forget = onInterrupt(() => bar?.stop());
  return {
    update(p) {
      const known = p.totalRows !== undefined && p.totalRows > 0;
      if (!bar || known !== withTotal) {
        bar?.stop();
        withTotal = known;
        bar = new SingleBar({
          stream,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
          format: known
            ? `${label.padEnd(10)} [{bar}] {percentage}% | {value}/{total} rows | {pages} pages | {rate} rows/s | {eta_formatted} left`
            : `${label.padEnd(10)} {value} rows | {pages} pages | {rate} rows/s`,
        });
        bar.start(known ? Math.max(p.totalRows ?? 0, p.rowsFetched) : 0, p.rowsFetched, { pages: p.pages, rate: 0 });
      }
      if (known) bar.setTotal(Math.max(p.totalRows ?? 0, p.rowsFetched));
      bar.update(p.rowsFetched, { pages: p.pages, rate: formatNumber(rate(p.rowsFetched, startedAt)) });
    },
    stop() {
      forget();
      bar?.stop();
    },
  };
}

function plainSink(label: string, stream: NodeJS.WriteStream): ProgressSink {
  const startedAt = Date.now();
  let lastLine = 0;
  let last: SyncProgress | undefined;
  const write = (p: SyncProgress): void => {
    const total = p.totalRows ? ` of ${formatNumber(p.totalRows)}` : '';
    stream.write(`${label}: ${formatNumber(p.rowsFetched)}${total} rows, ${formatNumber(p.pages)} pages, ${formatNumber(rate(p.rowsFetched, startedAt))} rows/s\n`);
  };
  return {
    update(p) {
      last = p;
      if (Date.now() - lastLine >= PLAIN_INTERVAL_MS) {
        if (lastLine !== 0) write(p);
        lastLine = Date.now();
      }
    },
    stop() {
      // A final line only when intermediate lines were printed: short jobs stay silent.
      if (last && Date.now() - startedAt >= PLAIN_INTERVAL_MS) write(last);
    },
  };
}
