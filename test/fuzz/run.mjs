#!/usr/bin/env node
// The fuzz campaign from the command line (a longer run than `npm test`'s):
//   npm run fuzz -- --seed 42 --docs 2000 [--corpus fixtures|shared|all] [--only 17] [--timeout 5000] [--push-share 0.3]
// `--only N` replays document N of a campaign alone (same seed, same corpus), as printed with a failure.
// Exits 1 on any crash, unanswered request or shape violation.
import { join } from 'node:path';
import { fixtureDocuments, REPO_ROOT, sampleEvents, sharedDataMissing, sharedDocuments } from './lib/corpus.mjs';
import { formatStats, runCampaign } from './lib/campaign.mjs';
import { dateSeed } from './lib/prng.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const seed = Number(opt('seed', dateSeed()));
const docs = Number(opt('docs', 1000));
const corpusName = opt('corpus', 'all');
const only = opt('only', undefined);
const timeoutMs = Number(opt('timeout', 5000));
const pushShare = Number(opt('push-share', 0.3));

const campaigns = [];
if (corpusName === 'fixtures' || corpusName === 'all') campaigns.push(['fixtures', fixtureDocuments()]);
if (corpusName === 'shared' || corpusName === 'all') {
  const missing = sharedDataMissing();
  if (missing) console.log(`fuzz shared: ${missing}`);
  else campaigns.push(['shared', sharedDocuments()]);
}
const split = corpusName === 'all' && campaigns.length === 2;
console.log(`fuzz: seed ${seed} (reproduce with --seed ${seed}), ${only !== undefined ? `document ${only} only` : split ? `${docs} documents (1/3 fixtures, 2/3 shared data)` : `${docs} documents`}`);
const samples = sampleEvents();
let failed = false;
for (const [name, corpus] of campaigns) {
  // with --corpus all, the documents are split between the two campaigns as npm test does (1/3 fixtures, 2/3 shared)
  const n = split ? (name === 'fixtures' ? Math.round(docs / 3) : docs - Math.round(docs / 3)) : docs;
  const stats = await runCampaign({
    name,
    seed,
    docs: n,
    only: only !== undefined ? Number(only) : undefined,
    corpus,
    samples,
    timeoutMs,
    pushShare,
    workspaceFolder: join(REPO_ROOT, 'test', 'fixtures', 'workspace'),
    progress: 100,
    maxFailures: Number(opt('max-failures', 20)),
  });
  console.log(formatStats(stats));
  if (stats.crashes || stats.unanswered || stats.shapeViolations) failed = true;
}
process.exit(failed ? 1 : 0);
