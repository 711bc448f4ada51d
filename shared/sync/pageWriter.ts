import type { PoolClient } from 'pg';
import { isRowRefusal, pgErrorCode } from '../db/errors';
import type { RejectedRecord, ShopRecord } from '../prestashop/api';
import { inTransaction } from '../db/transaction';
import type { StreamDef } from './entities';
import { quarantineRecords } from './quarantine';
import { writeRawRecords, type WriteCounts } from './rawWriter';

export interface PageWrite extends WriteCounts {
  /** Records the database refused (set aside in the quarantine with its message, retried on later runs). */
  refused: RejectedRecord[];
  /** Records set aside that were not already waiting in the quarantine. */
  newlySetAside: number;
}

export interface PageToWrite {
  records: readonly ShopRecord[];
  rejected: readonly RejectedRecord[];
}

/**
 * One page in one transaction: its records into raw, its rejected rows into the quarantine, then `andThen` (the
 * checkpoint, or the watermark when the page ends the window), so a crash keeps all of it or none.
 *
 * When the database refuses a record (isRowRefusal: a value jsonb or a constraint will not take), the page is
 * written again with the records bisected under savepoints until the refusing ones are found: they go to the
 * quarantine with the database's message, every other record commits with the checkpoint as usual. The happy path
 * pays nothing for this.
 */
export async function writePage(
  client: PoolClient,
  info: StreamDef,
  page: PageToWrite,
  runId: number,
  andThen: () => Promise<void>,
  begin = 'begin',
): Promise<PageWrite> {
  try {
    return await inTransaction(client, async () => {
      const counts = await writeRawRecords(client, info, page.records, runId);
      const newlySetAside = await quarantineRecords(client, info, page.rejected, runId);
      await andThen();
      return { ...counts, refused: [], newlySetAside };
    }, begin);
  } catch (error) {
    if (!isRowRefusal(error)) throw error;
  }
  return inTransaction(client, async () => {
    const written = await writeBisecting(client, info, page.records, runId);
    const newlySetAside = await quarantineRecords(client, info, [...page.rejected, ...written.refused], runId);
    await andThen();
    return { ...written, newlySetAside };
  }, begin);
}

/** Writes records, splitting any batch the database refuses until each refusing record stands alone. */
export async function writeBisecting(
  client: PoolClient,
  info: StreamDef,
  records: readonly ShopRecord[],
  runId: number,
): Promise<Omit<PageWrite, 'newlySetAside'>> {
  const total: Omit<PageWrite, 'newlySetAside'> = { changed: 0, unchanged: 0, distinct: 0, repaired: [], refused: [] };
  async function attempt(chunk: readonly ShopRecord[]): Promise<void> {
    if (chunk.length === 0) return;
    await client.query('savepoint raw_write');
    try {
      const counts = await writeRawRecords(client, info, chunk, runId);
      await client.query('release savepoint raw_write');
      total.changed += counts.changed;
      total.unchanged += counts.unchanged;
      total.distinct += counts.distinct;
      total.repaired.push(...counts.repaired);
    } catch (error) {
      await client.query('rollback to savepoint raw_write');
      await client.query('release savepoint raw_write');
      if (!isRowRefusal(error)) throw error;
      const [only] = chunk;
      if (chunk.length === 1 && only) {
        const message = (error as Error).message;
        total.refused.push({ id: only.id, reason: `the database refuses this record: ${message} (SQLSTATE ${pgErrorCode(error) ?? '?'})`, payload: only });
        return;
      }
      const middle = Math.ceil(chunk.length / 2);
      await attempt(chunk.slice(0, middle));
      await attempt(chunk.slice(middle));
    }
  }
  await attempt(records);
  return total;
}
