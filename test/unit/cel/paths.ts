import { join } from 'node:path';

/** Repository root, from out/test/unit/cel. */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
/** test/fixtures/cel. */
export const CEL_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'cel');
/** The shared test data beside the repository (absent on clones elsewhere). */
export const SHARED_DATA = join(REPO_ROOT, '..', 'shared', 'data');
