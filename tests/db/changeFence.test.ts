import { fenceRawWrites, holdRawWriteShared } from '../../shared/db/changeFence';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('change fence between raw writers and the analytics refresh', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('waits for an in-flight writer, and every later writer stamps after the mark', async () => {
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      await holdRawWriteShared(writer);
      const { rows: early } = await writer.query<{ stamp: Date }>('select clock_timestamp() as stamp');

      let fenced: Date | undefined;
      const fence = fenceRawWrites(db.pool).then((mark) => (fenced = mark));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fenced).toBeUndefined(); // blocked by the open writer

      await writer.query('commit');
      const mark = await fence;
      expect(mark.getTime()).toBeGreaterThanOrEqual(early[0]!.stamp.getTime());

      await writer.query('begin');
      await holdRawWriteShared(writer);
      const { rows: late } = await writer.query<{ stamp: Date }>('select clock_timestamp() as stamp');
      await writer.query('commit');
      expect(late[0]!.stamp.getTime()).toBeGreaterThanOrEqual(mark.getTime());
    } finally {
      writer.release();
    }
  });

  it('lets writers share the lock with each other', async () => {
    const [a, b] = [await db.pool.connect(), await db.pool.connect()];
    try {
      await a.query('begin');
      await b.query('begin');
      await holdRawWriteShared(a);
      await holdRawWriteShared(b); // would hang if the lock were exclusive
      await a.query('commit');
      await b.query('commit');
    } finally {
      a.release();
      b.release();
    }
  });
});
