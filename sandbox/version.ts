/** Which PrestaShop the sandbox imitates: the 1.7-era webservice (every value a string) or 8.1 (typed JSON). */
export type PsVersion = '1.7' | '8.1';

export const PS_VERSIONS: readonly PsVersion[] = ['1.7', '8.1'];

/** The PSWS-Version header (and PS_VERSION_DB) each imitation sends. */
export const PSWS_VERSION: Readonly<Record<PsVersion, string>> = { '1.7': '1.7.8.11', '8.1': '8.1.2' };

export const DEFAULT_VERSION: PsVersion = '8.1';

/** The environment variable that picks the version when the caller gives none (e.g. for the demo). */
export const VERSION_ENV = 'PHC_SANDBOX_VERSION';

export function isPsVersion(value: unknown): value is PsVersion {
  return typeof value === 'string' && (PS_VERSIONS as readonly string[]).includes(value);
}

/** The version option, else PHC_SANDBOX_VERSION, else 8.1; anything else is a clear error. */
export function resolveVersion(option: string | undefined, env: NodeJS.ProcessEnv = process.env): PsVersion {
  const chosen = option ?? env[VERSION_ENV] ?? DEFAULT_VERSION;
  if (!isPsVersion(chosen)) {
    const source = option === undefined ? `${VERSION_ENV}=${chosen}` : `version "${chosen}"`;
    throw new Error(`Sandbox ${source} is not supported: use ${PS_VERSIONS.map((v) => `'${v}'`).join(' or ')}`);
  }
  return chosen;
}
