import { createReadStream } from 'node:fs';
import type { PoolClient } from 'pg';

/**
 * COPY ... FROM STDIN fed from a file, with node-postgres alone (pg-copy-streams is not a dependency): a minimal
 * submittable that answers the server's CopyInResponse with the file's chunks, honouring socket backpressure.
 */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

class CopyFromFile {
  private error: Error | undefined;
  private rows = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    const input = createReadStream(this.file, { highWaterMark: 1 << 20 });
    input.on('data', (chunk) => {
      connection.sendCopyFromChunk(chunk as Buffer);
      if (connection.stream.writableNeedDrain) {
        input.pause();
        connection.stream.once('drain', () => input.resume());
      }
    });
    input.on('end', () => connection.endCopyFrom());
    input.on('error', (error) => connection.sendCopyFail(error.message));
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message.text ?? '');
    this.rows = match ? Number(match[1]) : 0;
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rows);
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `copy <table> from stdin` with the file as its data; resolves with the rows copied. */
export async function copyFromFile(client: PoolClient, copySql: string, file: string): Promise<number> {
  const copy = new CopyFromFile(copySql, file);
  void client.query(copy as never);
  return copy.done;
}
