import type { InvocationContext } from '@azure/functions';
import { formatLine, makeLogger } from '../../shared/telemetry/logger';
import type { Fields, Logger } from '../../shared/telemetry/types';

/**
 * Functions: lines go through the invocation context, so the host tags them with the invocation and sends them
 * to Application Insights as traces at the right severity.
 */
export function createContextLogger(context: InvocationContext, fields: Fields = {}): Logger {
  return makeLogger((level, message, all) => {
    const line = formatLine(message, all);
    switch (level) {
      case 'debug':
        context.debug(line);
        break;
      case 'info':
        context.info(line);
        break;
      case 'warn':
        context.warn(line);
        break;
      case 'error':
        context.error(line);
        break;
    }
  }, fields);
}

