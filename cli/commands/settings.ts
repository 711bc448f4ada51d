import { Command } from 'commander';
import { describeSettings, type SettingDescription } from '../../shared/config';
import { printJson, printLine, table } from '../output';

function required(s: SettingDescription): string {
  if (s.required) return `yes${s.requiredWhen ? ` (${s.requiredWhen})` : ''}`;
  return s.requiredWhen ?? 'no';
}

/** The README's settings table, generated from the same source as the loader (paste between its markers). */
export function settingsMarkdown(settings: SettingDescription[] = describeSettings()): string[] {
  const esc = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| setting | required | default | meaning |',
    '|---|---|---|---|',
    ...settings.map((s) => `| \`${s.name}\` | ${esc(required(s))} | ${s.default ? esc(s.default) : ''} | ${esc(s.meaning)}${s.secret ? ' *Secret.*' : ''} |`),
  ];
}

export function settingsCommand(): Command {
  return new Command('settings')
    .description('list every setting the app reads, with when it is required and its default (no values are shown)')
    .option('--json', 'print the settings as JSON')
    .option('--markdown', "print the README's settings table")
    .addHelpText(
      'after',
      `
Examples:
  $ phc settings
  $ phc settings --json | jq -r '.[] | select(.secret) | .name'`,
    )
    .action((options: { json?: boolean; markdown?: boolean }) => {
      const settings = describeSettings();
      if (options.json) return printJson(settings);
      if (options.markdown) return settingsMarkdown(settings).forEach((l) => printLine(l));
      table(
        ['setting', 'required', 'default'],
        settings.map((s) => [s.name, required(s), s.default ?? null]),
      ).forEach((l) => printLine(l));
      printLine('');
      printLine('Meanings and fixes: README.md "Settings", or phc settings --json.');
    });
}
