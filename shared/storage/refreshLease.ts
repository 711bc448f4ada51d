import { BlobServiceClient, RestError, type BlobLeaseClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { loadHostStorage, type HostStorage } from '../config';
import { defaultCredential } from '../secrets/credential';

/** Blob container of the leases (infra/main.bicep creates it as leaseContainerName; a test holds the two equal). */
export const REFRESH_LEASE_CONTAINER = 'phc-leases';
/** The blob whose lease one analytics refresh at a time holds. */
export const REFRESH_LEASE_BLOB = 'analytics-refresh';
/** Present while a nudge arrived that the lease holder has not covered yet. */
export const REFRESH_PENDING_BLOB = 'analytics-refresh.pending';
/** Seconds a lease lasts unless renewed (Azure allows 15 to 60); a crashed holder blocks others this long at most. */
export const LEASE_SECONDS = 60;

/**
 * The analytics refresh's single-flight lock, on the storage account the Functions host already uses: a blob lease
 * (what the host's own singletons use), taken before any database connection is opened, plus a "pending" blob that
 * says a nudge arrived while the lease was held.
 */
export interface RefreshLease {
  /** Takes the lease, or returns false at once when another holder has it. */
  tryAcquire(): Promise<boolean>;
  /** Renews the held lease; false when it was lost (expired and taken over). */
  renew(): Promise<boolean>;
  /** Gives the lease up (a no-op when it was lost). */
  release(): Promise<void>;
  markPending(): Promise<void>;
  clearPending(): Promise<void>;
  isPending(): Promise<boolean>;
}

const errorCode = (error: unknown): string | undefined =>
  error instanceof RestError ? (error.code ?? (error.response?.headers.get('x-ms-error-code') ?? undefined)) : undefined;

export function blobRefreshLease(container: ContainerClient): RefreshLease {
  const lockBlob = container.getBlockBlobClient(REFRESH_LEASE_BLOB);
  const pendingBlob = container.getBlockBlobClient(REFRESH_PENDING_BLOB);
  let lease: BlobLeaseClient | undefined;

  /** The container and the lock blob exist after a first deployment; create them when missing (Azurite, a new account). */
  const createLockBlob = async (): Promise<void> => {
    await container.createIfNotExists();
    try {
      await lockBlob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      // Another instance created it meanwhile (and may hold its lease already).
      if (!['BlobAlreadyExists', 'LeaseIdMissing', 'ConditionNotMet'].includes(errorCode(error) ?? '')) throw error;
    }
  };

  const acquire = async (): Promise<boolean> => {
    const client = lockBlob.getBlobLeaseClient();
    try {
      await client.acquireLease(LEASE_SECONDS);
      lease = client;
      return true;
    } catch (error) {
      if (errorCode(error) === 'LeaseAlreadyPresent') return false;
      throw error;
    }
  };

  return {
    async tryAcquire() {
      try {
        return await acquire();
      } catch (error) {
        if (!['BlobNotFound', 'ContainerNotFound'].includes(errorCode(error) ?? '')) throw error;
        await createLockBlob();
        return acquire();
      }
    },
    async renew() {
      if (!lease) return false;
      try {
        await lease.renewLease();
        return true;
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 409) return false;
        throw error;
      }
    },
    async release() {
      const held = lease;
      lease = undefined;
      if (!held) return;
      try {
        await held.releaseLease();
      } catch (error) {
        // Lost meanwhile: someone else holds it now, nothing to give back.
        if (!(error instanceof RestError && error.statusCode === 409)) throw error;
      }
    },
    async markPending() {
      const stamp = new Date().toISOString();
      try {
        await pendingBlob.upload(stamp, stamp.length);
      } catch (error) {
        if (errorCode(error) !== 'ContainerNotFound') throw error;
        await container.createIfNotExists();
        await pendingBlob.upload(stamp, stamp.length);
      }
    },
    async clearPending() {
      await pendingBlob.deleteIfExists();
    },
    isPending: () => pendingBlob.exists(),
  };
}

/** The lease container on the host's storage: Azurite's connection string locally, the identity in Azure. */
export function hostLeaseContainer(storage: HostStorage = loadHostStorage(process.env), options: StoragePipelineOptions = {}): ContainerClient {
  const service =
    'connectionString' in storage
      ? BlobServiceClient.fromConnectionString(storage.connectionString, options)
      : new BlobServiceClient(`https://${storage.accountName}.blob.core.windows.net`, defaultCredential(storage.clientId), options);
  return service.getContainerClient(REFRESH_LEASE_CONTAINER);
}
