/** What `phc` exits with; documented in README.md ("Exit codes"). Scripts and cron rely on these numbers. */
export const ExitCode = {
  ok: 0,
  /** Something failed: the database, the shop, a data-quality check, a bug. */
  failure: 1,
  /** The command line or the settings are wrong; nothing was attempted. */
  usage: 2,
  /** The job did part of its work on purpose: a sync stopped by its time budget, a refused reconciliation. */
  partial: 3,
  /** Stopped by Ctrl-C (SIGINT), as shells report it; committed pages stay, the next run resumes. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
