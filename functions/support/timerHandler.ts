import type { FunctionOutput, InvocationContext, Timer } from '@azure/functions';
import type { SyncRuntime } from '../../shared/sync/jobs';
import type { OpenRuntime } from './runtime';

/**
 * The body every timer function shares: open the runtime, run the job, put what it returns (if anything) on the
 * queue output, log and rethrow a failure so the platform retries, and always flush telemetry and close.
 */
export function timerHandler(
  name: string,
  openRuntime: OpenRuntime,
  queue: FunctionOutput,
  job: (runtime: SyncRuntime) => Promise<unknown>,
): (timer: Timer, context: InvocationContext) => Promise<void> {
  return async (_timer, context) => {
    let runtime: SyncRuntime | undefined;
    try {
      runtime = await openRuntime(context);
      const output = await job(runtime);
      if (output !== null && output !== undefined) context.extraOutputs.set(queue, output);
    } catch (error) {
      context.error(`${name} failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await runtime?.telemetry.flush();
      await runtime?.close();
    }
  };
}
