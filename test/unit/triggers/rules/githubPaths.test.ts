import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANY_STEP, ELEMENT_STEP, githubPathVerdict, JsonStep } from '../../../../server/src/triggers/rules/githubPaths';
import { SHARED_DATA, sharedDataMissing } from '../../../helpers/fixtures';

/** Paths into GitHub webhook payloads, judged from @octokit/webhooks-schemas (used by the unknown-body-field rule). */
describe('GitHub payload paths', () => {
  const v = (events: string[], path: JsonStep[]) => githubPathVerdict(events, path).verdict;

  it('fields of the event exist; fields of other events do not', () => {
    assert.equal(v(['pull_request'], ['pull_request', 'head', 'sha']), 'exists');
    assert.equal(v(['push'], ['head_commit', 'id']), 'exists');
    assert.equal(v(['push'], ['commits', ELEMENT_STEP, 'author', 'email']), 'exists');
    assert.deepEqual(githubPathVerdict(['pull_request'], ['pull_request', 'heads', 'sha']), {
      verdict: 'impossible',
      failedAt: 1,
    });
    assert.equal(v(['pull_request'], ['head_commit']), 'impossible');
    assert.equal(v(['push', 'pull_request'], ['head_commit', 'id']), 'exists');
  });

  it('fields of strings and elements of objects do not exist', () => {
    assert.equal(v(['push'], ['ref', 'x']), 'impossible');
    assert.equal(v(['push'], ['repository', ELEMENT_STEP]), 'impossible');
  });

  it('open schemas, unmodelled steps and unknown events are unknown', () => {
    assert.equal(v(['repository_dispatch'], ['client_payload', 'anything', 'deeper']), 'unknown');
    assert.equal(v(['push'], ['commits', ANY_STEP, 'id']), 'unknown');
    assert.equal(v(['not_an_event'], ['x']), 'unknown');
    assert.equal(v([], ['x']), 'unknown');
  });

  it(
    'every path of a real pull_request delivery exists (tektoncd/triggers test/testdata/pr.json)',
    { skip: sharedDataMissing() },
    () => {
      const file = join(SHARED_DATA, 'triggers-examples', 'test', 'testdata', 'pr.json');
      if (!existsSync(file)) return;
      const missing: string[] = [];
      let count = 0;
      const walk = (value: unknown, path: JsonStep[]): void => {
        count++;
        if (githubPathVerdict(['pull_request'], path).verdict === 'impossible')
          missing.push(path.map(String).join('.'));
        if (Array.isArray(value)) {
          if (value.length) walk(value[0], [...path, ELEMENT_STEP]);
        } else if (value && typeof value === 'object')
          for (const [k, x] of Object.entries(value)) walk(x, [...path, k]);
      };
      walk(JSON.parse(readFileSync(file, 'utf8')), []);
      assert.ok(count > 400, `${count} paths`);
      assert.deepEqual(missing, []);
    },
  );
});
