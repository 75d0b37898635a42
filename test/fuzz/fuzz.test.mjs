// Issue 14: a fuzz campaign in CI. 300 mutated documents (100 from test/fixtures, 200 from ../shared/data) driven
// through the real server over LSP, with a seed derived from the date (printed; FUZZ_SEED / FUZZ_DOCS override it).
// Fails on a server crash, a request unanswered after 5 s, or a grossly malformed answer; the input of each failure
// is written to a temp directory whose path is printed. Longer runs: `npm run fuzz -- --seed N --docs N`.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureDocuments, REPO_ROOT, sampleEvents, sharedDataMissing, sharedDocuments } from './lib/corpus.mjs';
import { formatStats, runCampaign } from './lib/campaign.mjs';
import { dateSeed } from './lib/prng.mjs';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : dateSeed();
const DOCS = process.env.FUZZ_DOCS ? Number(process.env.FUZZ_DOCS) : 300;
const FIXTURE_DOCS = Math.round(DOCS / 3);
const missing = sharedDataMissing();

async function campaign(t, name, corpus, docs) {
  t.diagnostic(`seed ${SEED} (reproduce: npm run fuzz -- --corpus ${name} --seed ${SEED} --docs ${docs})`);
  const stats = await runCampaign({
    name,
    seed: SEED,
    docs,
    corpus,
    samples: sampleEvents(),
    timeoutMs: 5000,
    workspaceFolder: join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
    log: (l) => console.log(l),
  });
  const report = formatStats(stats);
  for (const line of report.split('\n')) t.diagnostic(line);
  const failures = stats.failures.map((f) => `[${f.kind}] doc ${f.index} (${f.source}) ${f.request}: ${f.detail} → ${f.files}`).join('\n');
  assert.equal(stats.documents, docs, `all ${docs} documents ran\n${failures}`);
  assert.equal(stats.crashes, 0, `server crashes (seed ${SEED}):\n${failures}`);
  assert.equal(stats.unanswered, 0, `unanswered requests (seed ${SEED}):\n${failures}`);
  assert.equal(stats.shapeViolations, 0, `malformed answers (seed ${SEED}):\n${failures}`);
}

describe(`fuzz campaign over LSP (seed ${SEED})`, () => {
  it(`${FIXTURE_DOCS} mutated documents from test/fixtures`, { timeout: 120_000 }, (t) =>
    campaign(t, 'fixtures', fixtureDocuments(), FIXTURE_DOCS),
  );

  it(`${DOCS - FIXTURE_DOCS} mutated documents from ../shared/data (catalog, triggers-examples, kfp test_data)`, { skip: missing, timeout: 120_000 }, (t) =>
    campaign(t, 'shared', sharedDocuments(), DOCS - FIXTURE_DOCS),
  );
});
