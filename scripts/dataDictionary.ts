/**
 * Rewrites the data dictionary of docs/data-model.md (between its markers) from the declarations in
 * sql/models/analytics/*.yml, the source of the database's comments too. --check only says whether it is current.
 *
 *   npm run -s docs:data-dictionary [-- --check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withDictionary } from '../shared/analytics/dataDictionary';
import { projectRoot } from '../shared/paths';

const file = path.join(projectRoot(), 'docs', 'data-model.md');
const current = readFileSync(file, 'utf8');
const next = withDictionary(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('docs/data-model.md: the data dictionary is out of date; run npm run -s docs:data-dictionary\n');
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(file, next);
  process.stdout.write('docs/data-model.md: data dictionary rewritten\n');
} else {
  process.stdout.write('docs/data-model.md: data dictionary already current\n');
}
