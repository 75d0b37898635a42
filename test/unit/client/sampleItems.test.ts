import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  githubExampleItems,
  headerMap,
  headersPathOf,
  isPayloadCandidate,
  workspaceFileItems,
  type GithubExample,
} from '../../../client/src/sampleItems';

const REPO = join(__dirname, '..', '..', '..', '..');

/** VS Code's quick pick filter without fuzzy matching: the typed text, case-insensitive, inside one field. */
function matches(item: { label: string; description?: string }, typed: string, matchOnDescription: boolean): boolean {
  const t = typed.toLowerCase();
  return item.label.toLowerCase().includes(t) || (matchOnDescription && !!item.description?.toLowerCase().includes(t));
}

describe('sample picker rows', () => {
  it('finds the bundled pull_request (opened) example, and only it, by typing "pull_request opened"', () => {
    const examples = JSON.parse(readFileSync(join(REPO, 'dist', 'githubExamples.json'), 'utf8')) as GithubExample[];
    const found = githubExampleItems(examples).filter((i) => matches(i, 'pull_request opened', true));
    assert.deepEqual(
      found.map((i) => [i.label, i.value.event, i.value.action]),
      [['pull_request opened', 'pull_request', 'opened']],
    );
  });

  it('labels an example without an action by its event alone', () => {
    assert.deepEqual(
      githubExampleItems([{ event: 'ping', action: '', payload: {} }]).map((i) => i.label),
      ['ping'],
    );
  });

  it('puts files with a sibling headers file first and names their event header', () => {
    const headers: Record<string, Record<string, string[]>> = {
      'triggers/samples/pull-request-opened.json': {
        'X-GitHub-Event': ['pull_request'],
        'X-Hub-Signature-256': ['sha256=0'],
      },
      'gitlab/push.json': { 'x-gitlab-event': ['Push Hook'] },
      'other/odd.json': { Authorization: ['x'] },
    };
    const files = [
      'a/body.json',
      'triggers/samples/pull-request-opened.json',
      'gitlab/push.json',
      'other/odd.json',
    ].map((p) => ({
      relativePath: p,
      value: p,
    }));
    const items = workspaceFileItems(files, (p) => headers[p]);
    assert.deepEqual(
      items.map((i) => [i.label, i.description]),
      [
        ['triggers/samples/pull-request-opened.json', 'with headers (X-GitHub-Event: pull_request)'],
        ['gitlab/push.json', 'with headers (x-gitlab-event: Push Hook)'],
        ['other/odd.json', 'with headers'],
        ['a/body.json', 'JSON body, no headers file'],
      ],
    );
    assert.ok(matches(items[0], 'pull_request', true), 'the event in the description is searchable');
  });

  it('reads the demo headers file as the simulation will send it: no comment keys', () => {
    const raw = JSON.parse(
      readFileSync(join(REPO, 'demo', 'triggers', 'samples', 'pull-request-opened.headers.json'), 'utf8'),
    );
    const map = headerMap(raw);
    assert.equal(map['_comment'], undefined);
    assert.deepEqual(map['X-GitHub-Event'], ['pull_request']);
    assert.match(map['X-Hub-Signature-256'][0], /^sha256=[0-9a-f]{64}$/);
    assert.deepEqual(headerMap({ headers: { A: ['1', 2] } }), {
      A: ['1', '2'],
    });
    assert.deepEqual(headerMap('not an object'), {});
  });

  it('pairs payloads with their headers file and leaves manifests out', () => {
    assert.equal(headersPathOf('/w/s/pr.json'), '/w/s/pr.headers.json');
    assert.deepEqual(
      ['/w/pr.json', '/w/pr.headers.json', '/w/package.json', '/w/tsconfig.json', '/w/my-package.json'].filter(
        isPayloadCandidate,
      ),
      ['/w/pr.json', '/w/my-package.json'],
    );
  });
});
