import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, found from this file whether it runs from sources or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'sql'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root (package.json and sql/) above ${__dirname}`);
    dir = parent;
  }
}

export const sqlDir = (...parts: string[]): string => path.join(projectRoot(), 'sql', ...parts);
