import { redact } from '../shared/telemetry/redact';

/** The error and its causes, outermost first. */
export function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && out.length < 10) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

export function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Collapses a message to one line and removes anything that looks like a credential. */
export function oneLine(text: string): string {
  return redact(text.replace(/\s*\n\s*/g, ' ').trim());
}

