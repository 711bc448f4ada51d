import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { isLocalHost } from './reader';

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export const postgresUrl: z.ZodType<URL, string> = z.string().transform((value, ctx) => {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    ctx.addIssue({ code: 'custom', message: 'is not a postgres:// URL' });
    return z.NEVER;
  }
  return url;
});

/** The shop root: http(s), no credentials in it, https unless local, and not the /api/ path itself. */
export const shopUrl: z.ZodType<string, string> = z.string().transform((value, ctx) => {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({ code: 'custom', message: 'is not an http(s) URL' });
    return z.NEVER;
  }
  if (url.username || url.password || url.searchParams.has('ws_key')) {
    ctx.addIssue({ code: 'custom', message: 'carries credentials; the key belongs in PRESTASHOP_API_KEY (it is sent as Basic auth, never in the URL)' });
    return z.NEVER;
  }
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'uses http to a remote shop, which would send the key in clear; use https' });
    return z.NEVER;
  }
  if (/\/api\/?$/.test(url.pathname)) {
    ctx.addIssue({ code: 'custom', message: 'ends in /api; give the shop root, the client appends /api/' });
    return z.NEVER;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

export const vaultUri: z.ZodType<string, string> = z.string().transform((value, ctx) => {
  const url = parseUrl(value);
  // http only for a local stand-in (tests).
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname)))) {
    ctx.addIssue({ code: 'custom', message: 'is not an https:// Key Vault URI' });
    return z.NEVER;
  }
  return url.origin;
});

export const ianaTimeZone: z.ZodType<string, string> = z.string().refine((value) => {
  if (!/^(UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone name');

const cronField = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;

/** Six-field NCRONTAB ({second} {minute} {hour} {day} {month} {day-of-week}), as Azure Functions timers take. */
export const ncrontab: z.ZodType<string, string> = z.string().refine((value) => {
  const fields = value.trim().split(/\s+/);
  return fields.length === 6 && fields.every((field) => cronField.test(field));
}, 'is not a six-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week})');

export const readableFile: z.ZodType<string, string> = z.string().refine((path) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'names no readable file');

/** Webservice keys are 32 characters (WebserviceKey); the shop answers 401 to anything else. */
export const prestashopKey: z.ZodType<string, string> = z.string().regex(/^[A-Za-z0-9]{32}$/, 'is not a PrestaShop webservice key (32 letters and digits)');

export const rolePassword: z.ZodType<string, string> = z.string().min(12, 'is shorter than 12 characters');

export const appInsightsConnectionString: z.ZodType<string, string> = z
  .string()
  .regex(/(^|;)\s*InstrumentationKey\s*=\s*[0-9a-f-]{36}\s*(;|$)/i, 'has no InstrumentationKey=<GUID>');

const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A PostgreSQL duration for a millisecond setting such as statement_timeout: a whole number with a unit (ms, s, min,
 * h, d; milliseconds without), at most INT_MAX milliseconds. Returned normalised ("120s"), safe to quote into SQL.
 */
export const postgresDuration: z.ZodType<string, string> = z.string().transform((value, ctx) => {
  const match = /^(\d{1,10})\s*(ms|s|min|h|d)?$/.exec(value);
  const amount = Number(match?.[1]);
  const unit = match?.[2] ?? 'ms';
  if (!match || amount * (MS_PER_UNIT[unit] ?? Infinity) > 2_147_483_647) {
    ctx.addIssue({ code: 'custom', message: 'is not a duration PostgreSQL accepts for a timeout' });
    return z.NEVER;
  }
  return `${amount}${unit}`;
});
