import { z } from 'zod';
import { isUnresolvedKeyVaultReference, unresolvedReferenceHelp } from '../secrets/keyVaultReference';
import { redact, registerSecret } from '../telemetry/redact';
import { ConfigError, type ConfigProblem } from './errors';
import { settingSpec } from './settings';

/**
 * A setting as every loader sees it: undefined when unset or blank. local.settings.example.json ships blanks
 * ("PHC_HOME": ""), and `export NAME=` gives '': both mean "not set", never "the empty value". Non-secret values are
 * trimmed; secrets are taken as written (spaces may be part of a password).
 */
export function settingValue(env: NodeJS.ProcessEnv, name: string, options: { secret?: boolean } = {}): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  return options.secret ? value : value.trim();
}

/** Reads settings one by one, collecting every problem instead of stopping at the first. */
export class SettingsReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The value, or undefined when unset or blank; an unresolved Key Vault reference is a problem. */
  raw(name: string): string | undefined {
    const spec = settingSpec(name);
    const value = settingValue(this.env, name, { secret: spec.secret === true });
    if (value === undefined) return undefined;
    if (isUnresolvedKeyVaultReference(value)) {
      this.problems.push({ setting: name, message: unresolvedReferenceHelp(name, value) });
      return undefined;
    }
    if (spec.secret) registerSecret(value);
    return value;
  }

  read<T>(name: string, schema: z.ZodType<T, string>): T | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const spec = settingSpec(name);
    const reason = parsed.error.issues[0]?.message ?? 'is invalid';
    const shown = spec.secret ? '' : ` (got ${JSON.stringify(redact(value.length > 80 ? `${value.slice(0, 80)}…` : value))})`;
    this.problems.push({ setting: name, message: `${reason}${shown}. ${spec.fix}` });
    return undefined;
  }

  /** A problem found by a rule across settings; the fix of the named setting is appended unless told otherwise. */
  problem(name: string, message: string, fix: string = settingSpec(name).fix): void {
    this.problems.push({ setting: name, message: `${message}. ${fix}` });
  }

  missing(name: string, why = 'is not set'): void {
    this.problems.push({ setting: name, message: `${why}. ${settingSpec(name).fix}`, missing: true });
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

// Schemas take the raw string and return the typed value; messages read after the setting name.

export function wholeNumber(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export function decimal(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, `must be a number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number], string> {
  return z.string().transform((v) => v.toLowerCase()).pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));
}

export const nonEmpty: z.ZodType<string, string> = z.string().min(1, 'is empty');

export const secretName: z.ZodType<string, string> = z
  .string()
  .regex(/^[0-9A-Za-z-]{1,127}$/, 'is not a Key Vault secret name (1 to 127 letters, digits and dashes)');

export const storageAccountName: z.ZodType<string, string> = z
  .string()
  .regex(/^[a-z0-9]{3,24}$/, 'is not a storage account name (3 to 24 lowercase letters and digits)');

export const guid: z.ZodType<string, string> = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'is not a client id (a GUID)');

export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '127.0.0.1' || h === '::1' || h.startsWith('/');
}
