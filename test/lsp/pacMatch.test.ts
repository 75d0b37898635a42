/**
 * `tekton-ls pac match`: which PipelineRuns of a `.tekton/` folder Pipelines-as-Code starts for a GitHub webhook. Each
 * case is derived from an upstream test (tektoncd/pipelines-as-code `pkg/matcher/annotation_matcher_test.go`
 * TestMatchPipelinerunByAnnotation / TestMatchPipelinerunAnnotationAndRepositories, TestBranchMatch) or a section of
 * the docs (guides/event-matching/*), named in the test's title. Requests are built from the real GitHub payloads of
 * ../shared/data/payloads/github (@octokit/webhooks-examples), edited to the case; the suite skips without them.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SHARED_DATA } from '../helpers/fixtures';
import { REPO_ROOT } from '../helpers/paths';

const PAYLOADS = join(SHARED_DATA, 'payloads', 'github');
const missing = existsSync(PAYLOADS) ? false : `GitHub payloads not found at ${PAYLOADS} (../shared/data): skipped`;

type Json = Record<string, any>;
const root = mkdtempSync(join(tmpdir(), 'pac-match-'));
let counter = 0;

/** A raw HTTP request file from a shared payload, its body edited by `edit`. */
function request(
  payload: string,
  edit: (body: Json) => void = () => undefined,
  headers?: Record<string, string>,
): string {
  const body = JSON.parse(readFileSync(join(PAYLOADS, `${payload}.json`), 'utf8')) as Json;
  const sent = (JSON.parse(readFileSync(join(PAYLOADS, `${payload}.headers.json`), 'utf8')) as Json).headers as Record<
    string,
    string
  >;
  edit(body);
  const all = headers ?? sent;
  const file = join(root, `req-${++counter}.http`);
  writeFileSync(
    file,
    `POST /hook HTTP/1.1\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${JSON.stringify(body)}`,
  );
  return file;
}

/** A pull_request event (opened unless told) to `base` from `head`. */
const pr = (base = 'main', edit: (b: Json) => void = () => undefined, action = 'opened') =>
  request('pull_request/opened.payload', (b) => {
    b.action = action;
    b.pull_request.base.ref = base;
    b.pull_request.head.ref = 'unittests';
    edit(b);
  });

/** A push of `ref` with a head commit message. */
const push = (ref = 'refs/heads/main', message = 'Initial commit') =>
  request('push/with-new-branch.payload', (b) => {
    b.ref = ref;
    b.head_commit.message = message;
  });

/** A new comment on a pull request. */
const comment = (text: string) =>
  request('issue_comment/created.payload', (b) => {
    b.comment.body = text;
    b.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
  });

/** A GitLab request from ../shared/data/payloads/gitlab (go-playground/webhooks testdata), with its effective headers. */
function gitlab(payload: string, edit: (body: Json) => void = () => undefined): string {
  const dir = join(SHARED_DATA, 'payloads', 'gitlab');
  const body = JSON.parse(readFileSync(join(dir, `${payload}.json`), 'utf8')) as Json;
  const headers = (JSON.parse(readFileSync(join(dir, `${payload}.headers.json`), 'utf8')) as Json)
    .effectiveHeaders as Record<string, string>;
  edit(body);
  const file = join(root, `req-${++counter}.http`);
  writeFileSync(
    file,
    `POST /hook HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${JSON.stringify(body)}`,
  );
  return file;
}

const MASTER = run('on-master', { 'on-event': '[pull_request]', 'on-target-branch': '[master]' });

/** A PipelineRun with annotations (keys without the prefix). */
function run(name: string, annotations: Record<string, string> = {}): string {
  const lines = Object.entries(annotations).map(
    ([k, v]) => `    pipelinesascode.tekton.dev/${k}: ${JSON.stringify(v)}`,
  );
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
${lines.length ? `  annotations:\n${lines.join('\n')}\n` : ''}spec:
  params:
    - name: revision
      value: "{{ revision }}"
  pipelineRef:
    name: build
`;
}

const GOOD = run('pipeline-good', { 'on-event': '[pull_request]', 'on-target-branch': '[main]' });
const PUSH = run('pipeline-push', { 'on-event': '[push]', 'on-target-branch': '[main]' });

function folder(docs: string[]): string {
  const dir = join(root, `tekton-${++counter}`, '.tekton');
  mkdirSync(dir, { recursive: true });
  docs.forEach((d, i) => writeFileSync(join(dir, `run-${i}.yaml`), d));
  return dir;
}

function pacMatch(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tekton-ls'), 'pac', 'match', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Case {
  req: () => string;
  runs: string[];
  files?: Partial<Record<'all' | 'added' | 'deleted' | 'modified' | 'renamed', string[]>>;
  matched: string[];
  /** Expected reasons of skipped runs (by name). */
  skipped?: Record<string, RegExp>;
}

function expectMatch(c: Case): void {
  const args = ['-r', c.req(), '--format', 'json'];
  if (c.files) {
    const f = join(root, `files-${++counter}.json`);
    writeFileSync(f, JSON.stringify(c.files));
    args.push('--changed-files', f);
  }
  const r = pacMatch([...args, folder(c.runs)]);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout) as { matched: string[]; skipped: { name: string; reason: string }[] };
  assert.deepEqual(out.matched, c.matched, r.stdout);
  assert.equal(r.code, c.matched.length ? 0 : 3);
  assert.equal(out.matched.length + out.skipped.length, c.runs.length, r.stdout);
  for (const [name, reason] of Object.entries(c.skipped ?? {})) {
    const s = out.skipped.find((x) => x.name === name);
    assert.ok(s, `${name} not skipped: ${r.stdout}`);
    assert.match(s.reason, reason);
  }
}

const CASES: Record<string, Case> = {
  // ---- annotation_matcher_test.go TestMatchPipelinerunByAnnotation
  'TestMatchPipelinerunByAnnotation/good-match-with-only-one': {
    req: () => pr(),
    runs: [GOOD],
    matched: ['pipeline-good'],
  },
  'TestMatchPipelinerunByAnnotation/first-one-match-with-two-good-ones': {
    req: () => pr(),
    runs: [GOOD, run('pipeline-good-2', { 'on-event': '[pull_request]', 'on-target-branch': '[main]' })],
    matched: ['pipeline-good', 'pipeline-good-2'],
  },
  'TestMatchPipelinerunByAnnotation/match-on-cel-expression': {
    req: () => pr(),
    runs: [run('pipeline-cel', { 'on-cel-expression': 'event == "pull_request"' }), PUSH],
    matched: ['pipeline-cel'],
    skipped: { 'pipeline-push': /on-event \[push\] does not match the event pull_request/ },
  },
  'TestMatchPipelinerunByAnnotation/cel-expression-takes-precedence-over-annotations': {
    req: () => pr(),
    runs: [
      run('pipeline-cel', {
        'on-cel-expression': 'event == "pull_request"',
        'on-event': '[push]',
        'on-target-branch': '[other]',
      }),
    ],
    matched: ['pipeline-cel'],
  },
  'TestMatchPipelinerunByAnnotation/invalid-cel-expression-error': {
    req: () => pr(),
    runs: [run('pipeline-cel', { 'on-cel-expression': 'BADDADDDDDDDDDDDDDDDDDDD' })],
    matched: [],
    skipped: { 'pipeline-cel': /on-cel-expression: .*BADDADDDDDDDDDDDDDDDDDDD/ },
  },
  'TestMatchPipelinerunByAnnotation/good-match-on-label': {
    req: () => pr('main', (b) => (b.pull_request.labels = [{ name: 'bug' }]), 'labeled'),
    runs: [run('pipeline-label', { 'on-label': '[bug]', 'on-event': '[pull_request]', 'on-target-branch': '[main]' })],
    matched: ['pipeline-label'],
  },
  'TestMatchPipelinerunByAnnotation/no-match-on-label': {
    req: () => pr('main', (b) => (b.pull_request.labels = [{ name: 'bug' }]), 'labeled'),
    runs: [
      run('pipeline-label', { 'on-label': '[defect]', 'on-event': '[pull_request]', 'on-target-branch': '[main]' }),
    ],
    matched: [],
    skipped: { 'pipeline-label': /on-label \[defect\] matches none of the pull request's labels \(bug\)/ },
  },
  'TestMatchPipelinerunByAnnotation/no-on-label-annotation-on-pr': {
    req: () => pr('main', (b) => (b.pull_request.labels = [{ name: 'bug' }]), 'labeled'),
    runs: [GOOD],
    matched: [],
    skipped: { 'pipeline-good': /label event: the PipelineRun has no on-label/ },
  },
  'TestMatchPipelinerunByAnnotation/match-on-comment': {
    req: () => comment('/hello-world'),
    runs: [run('pipeline-on-comment', { 'on-comment': '^/hello-world$' }), GOOD],
    matched: ['pipeline-on-comment'],
    skipped: { 'pipeline-good': /only PipelineRuns whose on-comment matches/ },
  },
  'TestMatchPipelinerunByAnnotation/no-match-on-the-comment-should-not-match-the-other-pruns': {
    req: () => comment('/nothing'),
    runs: [run('pipeline-on-comment', { 'on-comment': '^/hello-world$' }), GOOD],
    matched: [],
    skipped: { 'pipeline-on-comment': /does not match the comment/, 'pipeline-good': /on-comment matches/ },
  },
  'TestMatchPipelinerunByAnnotation/no-match-on-event': {
    req: () => pr(),
    runs: [PUSH],
    matched: [],
    skipped: { 'pipeline-push': /on-event/ },
  },
  'TestMatchPipelinerunByAnnotation/no-match-on-target-branch': {
    req: () => pr('other'),
    runs: [GOOD],
    matched: [],
    skipped: { 'pipeline-good': /on-target-branch \[main\] does not match the target branch other/ },
  },
  'TestMatchPipelinerunByAnnotation/no-annotation': {
    req: () => pr(),
    runs: [run('pipeline-none')],
    matched: [],
    skipped: { 'pipeline-none': /no Pipelines-as-Code annotations/ },
  },
  'TestMatchPipelinerunByAnnotation/single-event-annotation': {
    req: () => pr(),
    runs: [run('single-event', { 'on-event': '[pull_request]' })],
    matched: [],
    skipped: { 'single-event': /no on-target-branch annotation/ },
  },
  'TestMatchPipelinerunByAnnotation/single-target-branch-annotation': {
    req: () => pr(),
    runs: [run('single-branch', { 'on-target-branch': '[main]' })],
    matched: [],
    skipped: { 'single-branch': /no on-event annotation/ },
  },
  'TestMatchPipelinerunByAnnotation/empty-annotation (TestGetTargetBranch/Test empty array onEvent)': {
    req: () => pr(),
    runs: [GOOD, run('empty', { 'on-event': '[]', 'on-target-branch': '[main]' })],
    matched: [],
    skipped: {
      'pipeline-good': /fails for the whole folder: annotation pipelinesascode.tekton.dev\/on-event is empty/,
      empty: /is empty/,
    },
  },
  'TestGetTargetBranch/Test empty array onTargetBranch': {
    req: () => pr(),
    runs: [run('empty', { 'on-event': '[pull_request]', 'on-target-branch': '[]' })],
    matched: [],
    skipped: { empty: /on-target-branch is empty/ },
  },
  'TestMatchPipelinerunByAnnotation/match-branch-matching': {
    req: () => push('refs/heads/main'),
    runs: [PUSH],
    matched: ['pipeline-push'],
  },
  'TestMatchPipelinerunByAnnotation/base-does-not-compare': {
    req: () => push('refs/heads/main/foobar'),
    runs: [PUSH],
    matched: [],
    skipped: { 'pipeline-push': /refs\/heads\/main\/foobar/ },
  },
  'TestMatchPipelinerunByAnnotation/branch-glob-matching': {
    req: () => push('refs/heads/main'),
    runs: [run('glob', { 'on-event': '[push]', 'on-target-branch': '[refs/heads/*]' })],
    matched: ['glob'],
  },
  'TestMatchPipelinerunByAnnotation/on-comment-annotation-with-invalid-regexp-match': {
    req: () => push('refs/heads/main'),
    runs: [run('bad-regexp', { 'on-comment': '^/(help|rebase' })],
    matched: [],
    skipped: { 'bad-regexp': /could not compile regexp \^\/\(help\|rebase from on-comment annotation/ },
  },
  'TestMatchPipelinerunByAnnotation/ref-heads-*--allow-any-branch': {
    req: () => pr('main'),
    runs: [run('pipeline-other', { 'on-event': '[pull_request,push]', 'on-target-branch': '[refs/heads/*]' })],
    matched: ['pipeline-other'],
  },
  'TestMatchPipelinerunByAnnotation/ref-heads-regex-allow': {
    req: () => pr('release-0.1'),
    runs: [run('pipeline-regex', { 'on-event': '[pull_request]', 'on-target-branch': '[refs/heads/release-*]' })],
    matched: ['pipeline-regex'],
  },
  'TestMatchPipelinerunByAnnotation/ref-heads-regex-not-match': {
    req: () => pr('main'),
    runs: [run('pipeline-regex', { 'on-event': '[pull_request]', 'on-target-branch': '[refs/heads/release-*]' })],
    matched: [],
  },
  'TestMatchPipelinerunByAnnotation/ref-heads-main-push-rerequested-case': {
    req: () => pr('refs/heads/main'),
    runs: [GOOD],
    matched: ['pipeline-good'],
  },
  'TestMatchPipelinerunByAnnotation/branch-matching-doesnot-match-for-push-event': {
    req: () => push('refs/heads/someothername/then/main'),
    runs: [GOOD, PUSH],
    matched: [],
  },
  'TestMatchPipelinerunByAnnotation/branch-matching-doesnot-match-for-pull-request': {
    req: () => pr('someothername/then/main'),
    runs: [GOOD, PUSH],
    matched: [],
  },
  'TestMatchPipelinerunByAnnotation/branch-matching-match-for-push-when-there-are-slashes-in-between-branch-name': {
    req: () => push('refs/heads/test/main'),
    runs: [
      run('pipeline-withslashesinbranch', { 'on-event': '[pull_request, push]', 'on-target-branch': '[test/main]' }),
    ],
    matched: ['pipeline-withslashesinbranch'],
  },
  'TestMatchPipelinerunByAnnotation/branch-matching-match-for-pull_request-when-there-are-slashes-in-between-branch-name':
    {
      req: () => pr('refs/heads/test/main'),
      runs: [
        run('pipeline-withslashesinbranch', { 'on-event': '[pull_request, push]', 'on-target-branch': '[test/main]' }),
      ],
      matched: ['pipeline-withslashesinbranch'],
    },
  // ---- annotation_matcher_test.go TestMatchPipelinerunAnnotationAndRepositories
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match source/target': {
    req: () => pr(),
    runs: [
      run('cel', {
        'on-cel-expression': 'event == "pull_request" && target_branch == "main" && source_branch == "unittests"',
      }),
    ],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match body payload': {
    req: () => pr(),
    runs: [run('cel', { 'on-cel-expression': 'body.action == "opened" && body.pull_request.number == 2.0' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match request header': {
    req: () => pr(),
    runs: [run('cel', { 'on-cel-expression': 'headers["x-github-event"] == "pull_request"' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match path by glob': {
    req: () => pr(),
    files: { all: ['.tekton/pull_request.yaml'] },
    runs: [run('cel', { 'on-cel-expression': '".tekton/*yaml".pathChanged()' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match path title pr': {
    req: () => pr('main', (b) => (b.pull_request.title = '[UPSTREAM] test me cause i love to be tested')),
    runs: [run('cel', { 'on-cel-expression': 'event_title.startsWith("[UPSTREAM]")' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match path title push': {
    req: () => push('refs/heads/main', '[UPSTREAM] test me cause i love to be tested'),
    runs: [run('cel', { 'on-cel-expression': 'event_title.startsWith("[UPSTREAM]")' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/no match path title pr': {
    req: () => pr('main', (b) => (b.pull_request.title = 'test me cause i love to be tested')),
    runs: [run('cel', { 'on-cel-expression': 'event_title.startsWith("[UPSTREAM]")' })],
    matched: [],
    skipped: { cel: /on-cel-expression is false/ },
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/no match path by glob': {
    req: () => pr(),
    files: { all: ['src/main.go'] },
    runs: [run('cel', { 'on-cel-expression': '".tekton/*yaml".pathChanged()' })],
    matched: [],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match by direct path': {
    req: () => pr(),
    files: { all: ['.tekton/pull_request.yaml'] },
    runs: [run('cel', { 'on-cel-expression': '".tekton/pull_request.yaml".pathChanged()' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/match/on-path-change-ignore/with commas': {
    req: () => pr(),
    files: { all: ['doc/foo,bar'] },
    runs: [
      run('commas', {
        'on-event': '[pull_request]',
        'on-target-branch': '[main]',
        'on-path-change-ignore': '[doc/foo&#44;bar]',
      }),
    ],
    matched: [],
    skipped: { commas: /on-path-change-ignore doc\/foo,bar matches a changed file/ },
  },
  'TestMatchPipelinerunAnnotationAndRepositories/ignored/on-path-change-ignore/no path change': {
    req: () => pr(),
    files: { all: ['doc/a.md'] },
    runs: [
      run('ignore', {
        'on-event': '[pull_request]',
        'on-target-branch': '[main]',
        'on-path-change-ignore': '[doc/***]',
      }),
    ],
    matched: [],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/ignored/on-path-change-ignore/include and ignore path': {
    req: () => pr(),
    files: { all: ['doc/gen/a.md'] },
    runs: [
      run('both', {
        'on-event': '[pull_request]',
        'on-target-branch': '[main]',
        'on-path-change': '[doc/***]',
        'on-path-change-ignore': '[doc/gen/***]',
      }),
    ],
    matched: [],
    skipped: { both: /on-path-change-ignore doc\/gen\/\*\*\* matches/ },
  },
  'TestMatchPipelinerunAnnotationAndRepositories/match/on-path-change-ignore/include and ignore path': {
    req: () => pr(),
    files: { all: ['doc/a.md'] },
    runs: [
      run('both', {
        'on-event': '[pull_request]',
        'on-target-branch': '[main]',
        'on-path-change': '[doc/***]',
        'on-path-change-ignore': '[doc/gen/***]',
      }),
    ],
    matched: ['both'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/match/on-path-change-ignore/ignore path': {
    req: () => pr(),
    files: { all: ['src/main.go'] },
    runs: [
      run('ignore', {
        'on-event': '[pull_request]',
        'on-target-branch': '[main]',
        'on-path-change-ignore': '[doc/***]',
      }),
    ],
    matched: ['ignore'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/match/on-path-change/match path by glob': {
    req: () => pr(),
    files: { modified: ['doc/guide/intro.md'] },
    runs: [run('paths', { 'on-event': '[pull_request]', 'on-target-branch': '[main]', 'on-path-change': '[doc/***]' })],
    matched: ['paths'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/error/match/on-path-change/match path no match event': {
    req: () => pr(),
    files: { all: ['doc/a.md'] },
    runs: [run('paths', { 'on-event': '[push]', 'on-target-branch': '[main]', 'on-path-change': '[doc/***]' })],
    matched: [],
    skipped: { paths: /on-event \[push\]/ },
  },
  'TestMatchPipelinerunAnnotationAndRepositories/error when no pac annotation has been set': {
    req: () => pr(),
    runs: [run('no-pac')],
    matched: [],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel/match path by glob along with push event and target_branch info': {
    req: () => push('refs/heads/main'),
    files: { all: ['.tekton/push.yaml'] },
    runs: [
      run('cel', {
        'on-cel-expression': 'event == "push" && target_branch == "main" && ".tekton/*yaml".pathChanged()',
      }),
    ],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel match on all changed files': {
    req: () => pr(),
    files: { all: ['.tekton/foo.yaml', 'src/a.go'] },
    runs: [run('cel', { 'on-cel-expression': 'files.all.exists(x, x.matches("\\\\.tekton/"))' })],
    matched: ['cel'],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel NOT match on all changed files': {
    req: () => pr(),
    files: { all: ['src/a.go'] },
    runs: [run('cel', { 'on-cel-expression': 'files.all.exists(x, x.matches("\\\\.tekton/"))' })],
    matched: [],
  },
  'TestMatchPipelinerunAnnotationAndRepositories/cel match on added, modified, deleted and renamed files': {
    req: () => pr(),
    files: { added: ['a.go'], modified: ['b.go'], deleted: ['c.go'], renamed: ['d.go'] },
    runs: [
      run('cel', {
        'on-cel-expression':
          'files.added == ["a.go"] && files.modified[0] == "b.go" && "c.go" in files.deleted && files.renamed.size() == 1 && files.all.size() == 4',
      }),
    ],
    matched: ['cel'],
  },
  // ---- TestBranchMatch (through on-target-branch)
  'TestBranchMatch/baseBranch refs/tags': {
    req: () => push('refs/tags/v0.20.0'),
    runs: [run('main-only', { 'on-event': '[push]', 'on-target-branch': '[main]' })],
    matched: [],
  },
  'TestBranchMatch/both refs/tags (docs: Matching tag pushes)': {
    req: () => push('refs/tags/v0.20.0'),
    runs: [run('tags', { 'on-event': '[push]', 'on-target-branch': '[refs/tags/*]' })],
    matched: ['tags'],
  },
  'TestBranchMatch/base value of path is same': {
    req: () => push('refs/heads/foo/test'),
    runs: [run('test', { 'on-event': '[push]', 'on-target-branch': '[test]' })],
    matched: [],
  },
  'TestBranchMatch/prunBranch refs/tags': {
    req: () => pr('main'),
    runs: [run('tags', { 'on-event': '[pull_request]', 'on-target-branch': '[refs/tags/*]' })],
    matched: [],
  },
  'TestBranchMatch/different refs/heads': {
    req: () => push('refs/heads/main'),
    runs: [run('test', { 'on-event': '[push]', 'on-target-branch': '[refs/heads/test]' })],
    matched: [],
  },
  'TestGetAnnotationValues/get-annotation-bad-syntax: the matcher error fails the whole folder': {
    req: () => pr(),
    runs: [GOOD, run('bad', { 'on-event': '[pull_request]', 'on-target-branch': 'main, release' })],
    matched: [],
    skipped: {
      'pipeline-good': /fails for the whole folder: annotations in pipeline are in wrong format: main, release/,
      bad: /wrong format/,
    },
  },
  // ---- docs and upstream behaviour outside the matcher
  'docs guides/event-matching/comment-and-label.md "Escaping commas in branch names"': {
    req: () => pr('release,nightly'),
    runs: [run('commas', { 'on-event': '[pull_request]', 'on-target-branch': '[main, release&#44;nightly]' })],
    matched: ['commas'],
  },
  'docs guides/event-matching/skip-ci.md: [skip ci] in a push commit message': {
    req: () => push('refs/heads/main', 'fix typo [skip ci]'),
    runs: [PUSH],
    matched: [],
    skipped: { 'pipeline-push': /\[skip ci\]: CI is skipped/ },
  },
  'pipelineascode.go PullRequestClosed: a closed pull request starts nothing': {
    req: () => pr('main', () => undefined, 'closed'),
    runs: [GOOD],
    matched: [],
    skipped: { 'pipeline-good': /closed/ },
  },
  'github detect.go: pull_request "edited" is an unsupported action': {
    req: () => pr('main', () => undefined, 'edited'),
    runs: [GOOD],
    matched: [],
    skipped: { 'pipeline-good': /unsupported action "edited"/ },
  },
  'github parse_payload.go: a push deleting a branch is not processed': {
    req: () => request('push/1.payload', (b) => (b.ref = 'refs/heads/main')),
    runs: [PUSH],
    matched: [],
    skipped: { 'pipeline-push': /has been deleted/ },
  },
  'cel.go: on push, refs/heads/ stays when the expression writes it': {
    req: () => push('refs/heads/main'),
    runs: [
      run('full-ref', { 'on-cel-expression': 'target_branch == "refs/heads/main"' }),
      run('short', { 'on-cel-expression': 'target_branch == "main"' }),
    ],
    matched: ['full-ref', 'short'],
  },
  'cel.go: a label event matches only CEL that reads the labels or event_type': {
    req: () => pr('main', (b) => (b.pull_request.labels = [{ name: 'bug' }]), 'labeled'),
    runs: [
      run('generic', { 'on-cel-expression': 'event == "pull_request"' }),
      run('labels', { 'on-cel-expression': 'event_type == "pull_request_labeled"' }),
    ],
    matched: ['labels'],
    skipped: { generic: /on-cel-expression is false/ },
  },
  'cel.go: no cel-go extension library (lowerAscii does not compile)': {
    req: () => pr(),
    runs: [run('ext', { 'on-cel-expression': 'target_branch.lowerAscii() == "main"' })],
    matched: [],
    skipped: { ext: /on-cel-expression: .*lowerAscii/ },
  },
  'resolve.go pipelineRunsWithSameName: same names fail the whole folder': {
    req: () => pr(),
    runs: [GOOD, GOOD.replace('[pull_request]', '[push]')],
    matched: [],
    skipped: { 'pipeline-good': /multiple pipelinerun in .tekton with the same name: pipeline-good/ },
  },
  'resolve.go ReadTektonTypes: an unquoted list fails to decode and the document is dropped': {
    req: () => pr(),
    runs: [
      GOOD,
      run('unquoted', { 'on-target-branch': '[main]' }).replace(
        'annotations:\n',
        'annotations:\n    pipelinesascode.tekton.dev/on-event: [pull_request]\n',
      ),
    ],
    matched: ['pipeline-good'],
    skipped: { unquoted: /on-event is not a string: the document fails to decode/ },
  },
  // ---- GitLab (pkg/provider/gitlab/detect.go, parse_payload.go)
  'gitlab parse_payload.go MergeEvent: a merge request opened to master': {
    req: () => gitlab('merge-request-event', (b) => delete b.changes),
    runs: [MASTER, PUSH],
    matched: ['on-master'],
  },
  'gitlab parse_payload.go MergeEvent: changes.labels.current makes it a label event (on-label needed)': {
    req: () => gitlab('merge-request-event'),
    runs: [
      MASTER,
      run('api-label', { 'on-event': '[pull_request]', 'on-target-branch': '[master]', 'on-label': '[API]' }),
    ],
    matched: ['api-label'],
    skipped: { 'on-master': /label event: the PipelineRun has no on-label \(labels: API\)/ },
  },
  'gitlab parse_payload.go MergeEvent: event_type is "Merge Request" (REFERENCE §3.11)': {
    req: () => gitlab('merge-request-event', (b) => delete b.changes),
    runs: [
      run('cel', {
        'on-cel-expression':
          'event == "pull_request" && event_type == "Merge Request" && source_branch == "ms-viewport"',
      }),
    ],
    matched: ['cel'],
  },
  'gitlab detect.go: a closed merge request starts nothing': {
    req: () => gitlab('merge-request-event', (b) => (b.object_attributes.action = 'close')),
    runs: [MASTER],
    matched: [],
    skipped: { 'on-master': /merge request was closed/ },
  },
  'gitlab detect.go: an update without new commits nor label changes is not processed': {
    req: () =>
      gitlab('merge-request-event', (b) => {
        b.object_attributes.action = 'update';
        delete b.object_attributes.oldrev;
        delete b.changes;
      }),
    runs: [MASTER],
    matched: [],
    skipped: { 'on-master': /update event changes are not supported/ },
  },
  'gitlab parse_payload.go PushEvent: event_type "push", the ref as target branch': {
    req: () => gitlab('push-event'),
    runs: [
      run('push-master', { 'on-event': '[push]', 'on-target-branch': '[master]' }),
      run('cel', { 'on-cel-expression': 'event_type == "push" && target_branch == "master"' }),
    ],
    matched: ['cel', 'push-master'],
  },
  'gitlab parse_payload.go TagEvent: a tag push without commits is not processed': {
    req: () => gitlab('tag-event'),
    runs: [run('tags', { 'on-event': '[push]', 'on-target-branch': '[refs/tags/*]' })],
    matched: [],
    skipped: { tags: /no commits attached/ },
  },
  'gitlab parse_payload.go TagEvent: event_type "Tag Push", refs/tags/ globs': {
    req: () =>
      gitlab(
        'tag-event',
        (b) =>
          (b.commits = [
            { id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', title: 'Release v1.0.0', message: 'Release v1.0.0' },
          ]),
      ),
    runs: [
      run('tags', { 'on-event': '[push]', 'on-target-branch': '[refs/tags/v1.*]' }),
      run('cel', { 'on-cel-expression': 'event_type == "Tag Push"' }),
    ],
    matched: ['cel', 'tags'],
  },
  "gitlab parse_payload.go MergeCommentEvent: /retest matches on the merge request's branches": {
    req: () => gitlab('comment-merge-request-event', (b) => (b.object_attributes.note = '/retest')),
    runs: [run('on-markdown', { 'on-event': '[pull_request]', 'on-target-branch': '[markdown]' }), PUSH],
    matched: ['on-markdown'],
  },
  'match.go TargetTestPipelineRun: /test NAME starts the named PipelineRun whatever its annotations (GitLab note)': {
    req: () => gitlab('comment-merge-request-event', (b) => (b.object_attributes.note = '/test pipeline-push')),
    runs: [MASTER, PUSH],
    matched: ['pipeline-push'],
    skipped: { 'on-master': /the comment names pipeline-push/ },
  },
  'match.go TargetTestPipelineRun: /test NAME on a GitHub pull request comment': {
    req: () => comment('/test pipeline-good'),
    runs: [GOOD, PUSH],
    matched: ['pipeline-good'],
  },
  'match.go: /test of a PipelineRun the folder does not have': {
    req: () => comment('/test nope'),
    runs: [GOOD],
    matched: [],
    skipped: { 'pipeline-good': /cannot find the targeted pipelinerun nope/ },
  },
  'TestMatchPipelinerunAnnotationAndRepositories/match a repository with target NS (offline: assumed, and said so)': {
    req: () => pr(),
    runs: [
      run('target-ns', { 'on-event': '[pull_request]', 'on-target-branch': '[main]', 'target-namespace': 'team-a' }),
    ],
    matched: ['target-ns'],
  },
  'matcher.go getName: generateName is the name PaC uses': {
    req: () => pr(),
    runs: [GOOD.replace('  name: pipeline-good', '  generateName: pipeline-good-')],
    matched: ['pipeline-good-'],
  },
};

describe('tekton-ls pac match (cases from upstream tests and docs)', { skip: missing }, () => {
  it('has at least 40 cases', () => assert.ok(Object.keys(CASES).length >= 40));
  for (const [name, c] of Object.entries(CASES)) it(name, () => expectMatch(c));
});

describe('tekton-ls pac match: output, errors and usage', { skip: missing }, () => {
  it('prints reasons and the matched PipelineRun with {{ }} substituted in text format', () => {
    const r = pacMatch(['-r', pr(), folder([GOOD, PUSH])]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^matched {2}pipeline-good: on-event \[pull_request\] and on-target-branch \[main\] match/m);
    assert.match(r.stdout, /^skipped {2}pipeline-push: on-event \[push\] does not match the event pull_request$/m);
    const sha = (JSON.parse(readFileSync(join(PAYLOADS, 'pull_request/opened.payload.json'), 'utf8')) as Json)
      .pull_request.head.sha as string;
    assert.match(r.stdout, new RegExp(`value: ${sha}`));
    assert.ok(!r.stdout.includes('{{ revision }}'));
  });

  it('says a target-namespace is not looked up offline', () => {
    const r = pacMatch([
      '-r',
      pr(),
      folder([
        run('target-ns', { 'on-event': '[pull_request]', 'on-target-branch': '[main]', 'target-namespace': 'team-a' }),
      ]),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^matched {2}target-ns: .*; target-namespace team-a is assumed to hold the event's Repository \(not looked up offline\)$/m,
    );
  });

  it('never prints a value a CEL expression returns (a header may hold a token): only its kind', () => {
    const r = pacMatch([
      '-r',
      gitlab('merge-request-event', (b) => delete b.changes),
      '--format',
      'json',
      folder([run('headers', { 'on-cel-expression': 'headers' })]),
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).skipped, [
      { name: 'headers', reason: 'on-cel-expression is a map, not a bool' },
    ]);
    assert.ok(!r.stdout.includes('sampleToken'));
  });

  it('exits 1 with one message on a Bitbucket request (not supported offline yet) and on a body that is not JSON', () => {
    const file = join(root, 'bitbucket.http');
    writeFileSync(file, `POST / HTTP/1.1\r\nX-Event-Key: repo:push\r\nContent-Type: application/json\r\n\r\n{}`);
    const r = pacMatch(['-r', file, folder([GOOD])]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'tekton-ls pac match: Bitbucket webhooks are not supported offline yet: only GitHub and GitLab\n',
    );
    const notJson = join(root, 'not-json.http');
    writeFileSync(notJson, `POST / HTTP/1.1\r\nX-GitHub-Event: push\r\n\r\n{"a":`);
    const j = pacMatch(['-r', notJson, folder([GOOD])]);
    assert.equal(j.code, 1);
    assert.match(j.stderr, /^tekton-ls pac match: the request body is not JSON/);
  });

  it('exits 2 naming a request file that cannot be read (as every command), 1 on a bad changed-files file, 2 on bad usage', () => {
    const dir = folder([GOOD]);
    const missingFile = pacMatch(['-r', 'nope.http', dir]);
    assert.equal(missingFile.code, 2);
    assert.equal(missingFile.stderr, 'tekton-ls pac match: nope.http: no such file or directory\n');
    const bad = join(root, 'bad-files.json');
    writeFileSync(bad, '{"all": "x"}');
    const r = pacMatch(['-r', pr(), '--changed-files', bad, dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"all" must be a list of strings/);
    assert.equal(pacMatch([dir]).code, 2);
    assert.equal(pacMatch(['-r', pr()]).code, 2);
    assert.equal(pacMatch(['-r', pr(), '--format', 'yaml', dir]).code, 2);
    assert.equal(pacMatch(['-r', pr(), join(root, 'missing-dir')]).code, 2);
  });
});
