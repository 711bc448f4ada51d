/** Everything `phc` prints: data on stdout (text or --json), logs and progress on stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Left-aligned columns; numbers right-aligned. */
export function table(header: string[], rows: Array<Array<string | number | null | undefined>>): string[] {
  const cells = [header, ...rows.map((r) => r.map(cell))];
  const isNumber = (v: unknown): boolean => typeof v === 'number' || v === null || v === undefined || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumber(r[i])));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return formatNumber(value);
  return value;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** A UTC instant as 'YYYY-MM-DD HH:MM:SS' (say "UTC" next to it). */
export function utcTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A lag for people: '45 s', '12 min 5 s', '5 h 3 min', '33 d 15 h'; a negative one says "ahead". */
export function formatLag(seconds: number): string {
  if (seconds < 0) return `${formatLag(-seconds)} ahead`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${formatNumber(Math.floor(hours / 24))} d ${hours % 24} h`;
}
