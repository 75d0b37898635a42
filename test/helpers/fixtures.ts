import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
/** The shared test data (`../shared/data` beside the repository), absent on clones elsewhere. */
export const SHARED_DATA = join(REPO_ROOT, '..', 'shared', 'data');

export function fixture(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}

/** Why a test needing ../shared/data is skipped, or false when the data is there. */
export function sharedDataMissing(): string | false {
  return existsSync(SHARED_DATA) ? false : `../shared/data not found beside the repository (${SHARED_DATA}): skipped`;
}

/** The catalog's main resource files: `<section>/<name>/<version>/<name>.yaml`. */
export function catalogMainFiles(): string[] {
  const out: string[] = [];
  for (const section of ['task', 'pipeline', 'stepaction']) {
    const dir = join(SHARED_DATA, 'catalog', section);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const nameDir = join(dir, name);
      let versions: string[];
      try {
        versions = readdirSync(nameDir);
      } catch {
        continue;
      }
      for (const v of versions) {
        const f = join(nameDir, v, `${name}.yaml`);
        if (existsSync(f)) out.push(f);
      }
    }
  }
  return out.sort();
}
