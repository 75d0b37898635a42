import { join } from 'node:path';

/** Repository root, from out/test/helpers. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
