import { ExitCode, type ExitCodeValue } from './exitCodes';

/** An error whose message is already the one line the user should read, with the exit code to use. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by commands that finished with a partial result; the result was already printed. */
export class PartialResult extends CliError {
  override name = 'PartialResult';
  constructor(message: string) {
    super(message, ExitCode.partial);
  }
}
