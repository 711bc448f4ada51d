export interface ConfigProblem {
  setting: string;
  message: string;
  /** True when the setting is simply not set (or blank), as opposed to set to something wrong. */
  missing?: boolean;
}

/** Every problem with the settings at once, one line each: the setting, what is wrong, how to fix it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid settings (${count}):\n${problems.map((p) => `- ${p.setting}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
