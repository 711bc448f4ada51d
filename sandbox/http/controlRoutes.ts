import type { SandboxControl } from '../types';

/** Methods of SandboxControl reachable as POST /__sandbox/<name> with a JSON array of arguments. */
export const CONTROL_METHODS = [
  'now', 'setClock', 'advance', 'shopLocalNow', 'add', 'update', 'softDeleteCustomer', 'hardDelete', 'restore',
  'records', 'count', 'get', 'setFaults', 'clearFaults', 'quirks', 'stats', 'resetStats', 'requests', 'resetRequests',
  'simulateActivity', 'saveState', 'loadState', 'changeOrderState', 'addPayment', 'refund', 'removeOrderLine', 'setStock',
  'setCombinationPrice',
] as const satisfies ReadonlyArray<keyof SandboxControl>;

type ControlMethod = (typeof CONTROL_METHODS)[number];

export interface ControlReply {
  status: number;
  body: string;
}

function isMethod(name: string): name is ControlMethod {
  return (CONTROL_METHODS as readonly string[]).includes(name);
}

/**
 * Not part of the PrestaShop API: a JSON RPC over the in-process control, so a child process or the demo can
 * drive a running sandbox. GET /__sandbox/<name>?args=[...] or POST /__sandbox/<name> with body [...] or {"args":[...]}.
 * Answers {"result": ...} or {"error": "..."}.
 */
export function callControl(control: SandboxControl, name: string, rawArgs: string | undefined): ControlReply {
  if (name === '') return { status: 200, body: JSON.stringify({ methods: CONTROL_METHODS }) };
  if (!isMethod(name)) return { status: 404, body: JSON.stringify({ error: `Unknown control method "${name}"` }) };
  let args: unknown[] = [];
  try {
    const parsed: unknown = rawArgs === undefined || rawArgs.trim() === '' ? [] : JSON.parse(rawArgs);
    if (Array.isArray(parsed)) args = parsed;
    else if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { args?: unknown }).args)) {
      args = (parsed as { args: unknown[] }).args;
    } else throw new Error('arguments must be a JSON array or {"args": [...]}');
  } catch (error) {
    return { status: 400, body: JSON.stringify({ error: `Bad arguments: ${(error as Error).message}` }) };
  }
  try {
    const method = (control[name] as (...a: unknown[]) => unknown).bind(control);
    const result = method(...args);
    return { status: 200, body: JSON.stringify({ result: result === undefined ? null : result }) };
  } catch (error) {
    return { status: 400, body: JSON.stringify({ error: (error as Error).message }) };
  }
}
