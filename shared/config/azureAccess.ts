import type { TokenCredential } from '@azure/identity';
import { defaultCredential } from '../secrets/credential';
import { sharedKeyVaultStore } from '../secrets';
import type { SecretStore } from '../secrets/secretStore';
import { guid, type SettingsReader } from './reader';
import { vaultUri } from './schemas';

export interface LoadOptions {
  /** Under 'functions' a sync gets the default time budget; the CLI has none unless set. Default 'cli'. */
  host?: 'functions' | 'cli';
  /** Replaces DefaultAzureCredential (tests). */
  credential?: TokenCredential;
  /** Replaces the Key Vault store (tests). */
  secretStore?: SecretStore;
  /** Which pool size applies: PG_POOL_MAX (default: the CLI and the timer functions) or PG_POOL_MAX_REFRESH. */
  pool?: 'default' | 'refresh';
}

/** Key Vault and Entra access, built only when a setting needs them. */
export class Azure {
  private credentialInstance?: TokenCredential;

  constructor(
    private readonly options: LoadOptions,
    private readonly clientId: string | undefined,
    readonly vaultUri: string | undefined,
  ) {}

  credential(): TokenCredential {
    this.credentialInstance ??= this.options.credential ?? defaultCredential(this.clientId);
    return this.credentialInstance;
  }

  secrets(): SecretStore {
    if (this.options.secretStore) return this.options.secretStore;
    if (!this.vaultUri) throw new Error('KEY_VAULT_URI is not set');
    return sharedKeyVaultStore(this.vaultUri, this.credential());
  }
}

export function readAzure(r: SettingsReader, options: LoadOptions): Azure {
  return new Azure(options, r.read('AZURE_CLIENT_ID', guid), r.read('KEY_VAULT_URI', vaultUri));
}
