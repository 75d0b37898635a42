/**
 * Every example request of tektoncd/triggers@088902973 (examples/**&#47;curl.sh and README.md, 44 requests collected in
 * ../shared/data/triggers-examples/curl-requests-index.json) simulated against its example's EventListener, with the
 * example folder as the workspace. Each folder's test asserts what the example's README describes: the request is
 * accepted, the signature verifies with the example's Secret, and the TaskRun/PipelineRun/ConfigMap it names is
 * rendered with the params taken from the payload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sourceResourcesUnder } from '../../../server/src/triggers/simulation/fileResources';
import { simulate } from '../../../server/src/triggers/simulation/simulate';
import type { SimulationOptions, SimulationResult, TriggerResult } from '../../../server/src/triggers/simulation/types';
import { sharedDataMissing } from '../../helpers/fixtures';
import { curlRequest, curlRequests, EXAMPLES_DATA, TRIGGERS_FIXTURES, type CurlRequestEntry } from './helpers';

interface Expectation {
  eventListener: string;
  trigger: string;
  namespace?: string;
  kind: string;
  generateName: string;
  params: Record<string, string | null>;
  /** Text the rendered resource must contain (a script line, a ConfigMap value). */
  contains?: string[];
  /** Options the example needs offline (GitHub API lookups, custom interceptors). */
  options?: SimulationOptions;
  /** Requests whose signature is known not to match (the data README explains why), by source file. */
  stopsAt?: Record<string, string>;
}

const GITHUB_PR = {
  params: {
    gitrevision: '28911bbb5a3e2ea034daf1f6be0a822d50e31e73',
    gitrepositoryurl: 'https://github.com/tektoncd/triggers.git',
  },
  contains: [
    'Revision is : 28911bbb5a3e2ea034daf1f6be0a822d50e31e73. RepoURL is https://github.com/tektoncd/triggers.git',
  ],
};
const GITLAB = {
  params: {
    gitrevision: '1a1736ec3d7b03349b31218a2f2c572c7c7206d6',
    gitrepositoryurl: 'https://gitlab.com/dibyom/triggers.git',
  },
  contains: [
    'Revision is : 1a1736ec3d7b03349b31218a2f2c572c7c7206d6. RepoURL is https://gitlab.com/dibyom/triggers.git',
  ],
};
const SELECTOR_PIPELINERUN = {
  kind: 'PipelineRun',
  generateName: 'simple-pipeline-run-',
  params: {
    gitrevision: '28911bbb5a3e2ea034daf1f6be0a822d50e31e73',
    gitrepositoryurl: 'https://github.com/tektoncd/triggers.git',
    contenttype: 'application/json',
    message: 'This is the default message',
  },
};
const EMBEDDED = {
  eventListener: 'embedded-trigger-listener',
  trigger: 'foo-trig',
  kind: 'PipelineRun',
  generateName: 'simple-pipeline-run-',
  // README "What just happened?": message from message-binding, contenttype from the header, git-revision from
  // the template default (the body has no head_commit.id), git-url from the body.
  params: {
    message: 'Hello from the Triggers EventListener!',
    contenttype: 'application/json',
    gitrevision: 'main',
    gitrepositoryurl: 'https://github.com/tektoncd/triggers.git',
  },
};
const BITBUCKET_STOP = { 'README.md': 'payload signature check failed' };

const EXPECTED: Record<string, Expectation> = {
  examples: {
    eventListener: 'example-listener',
    trigger: 'commit-trigger',
    kind: 'TaskRun',
    generateName: 'commit-run-',
    params: { 'commit-sha': '22ac84e04fd2bd9dce8529c9109d5bfd61678b29' },
    contains: ['commit 22ac84e04fd2bd9dce8529c9109d5bfd61678b29'],
  },
  'v1alpha1/bitbucket-server': {
    eventListener: 'bitbucket-server-listener',
    trigger: 'bitbucket-server-triggers',
    kind: 'TaskRun',
    generateName: 'bitbucket-run-',
    params: {
      gitrevision: 'main',
      gitrepositoryurl: 'http://localhost:7990/scm/~test/helloworld.git',
      contenttype: 'application/x-www-form-urlencoded',
    },
    contains: ['Revision is : main. RepoURL is http://localhost:7990/scm/~test/helloworld.git'],
    stopsAt: BITBUCKET_STOP,
  },
  'v1alpha1/custom-resource': {
    eventListener: 'custom-resource-listener',
    trigger: 'custom-resource-listener',
    kind: 'TaskRun',
    generateName: 'github-run-',
    ...GITHUB_PR,
  },
  'v1alpha1/embedded-trigger': EMBEDDED,
  'v1alpha1/eventlistener-tls-connection': {
    eventListener: 'tls-listener-interceptor',
    trigger: 'tls-listener',
    kind: 'TaskRun',
    generateName: 'tls-run-',
    ...GITHUB_PR,
  },
  'v1alpha1/github': {
    eventListener: 'github-listener',
    trigger: 'github-listener',
    kind: 'TaskRun',
    generateName: 'github-run-',
    ...GITHUB_PR,
  },
  'v1alpha1/gitlab': {
    eventListener: 'gitlab-listener',
    trigger: 'gitlab-push-events-trigger',
    kind: 'TaskRun',
    generateName: 'gitlab-run-',
    ...GITLAB,
  },
  'v1alpha1/label-selector': {
    eventListener: 'label-selector-listener',
    trigger: 'matching-label-trigger',
    ...SELECTOR_PIPELINERUN,
  },
  'v1alpha1/namespace-selector': {
    eventListener: 'namespace-selector-listener',
    trigger: 'trigger',
    namespace: 'foo',
    ...SELECTOR_PIPELINERUN,
  },
  'v1alpha1/namespacedinterceptor': {
    eventListener: 'example-interceptor-cel',
    trigger: 'cel-trig',
    kind: 'TaskRun',
    generateName: 'example-interceptor-run-',
    ...GITHUB_PR,
    // The Interceptor is a service in the cluster: assumed to pass.
    options: { assumeUnavailableInterceptorsPass: true },
  },
  'v1beta1/bitbucket-cloud': {
    eventListener: 'bitbucket-cloud-listener',
    trigger: 'bitbucket-cloud-triggers',
    kind: 'TaskRun',
    generateName: 'bitbucket-cloud-run-',
    params: {
      gitrevision: 'bb-cloud-test-1',
      gitrepourl: 'https://bitbucket.org/savitaredhat/bitbuckettest-customer',
      gitreponame: 'bitbuckettest-customer',
      pushername: 'savita',
    },
    contains: ['PusherName is : savita'],
  },
  'v1beta1/bitbucket-server': {
    eventListener: 'bitbucket-server-listener',
    trigger: 'bitbucket-server-triggers',
    kind: 'TaskRun',
    generateName: 'bitbucket-run-',
    // The binding picks the clone link named "ssh" with a JSONPath filter.
    params: { gitrevision: 'main', gitrepositoryurl: 'ssh://git@localhost:7999/~test/helloworld.git' },
    stopsAt: BITBUCKET_STOP,
  },
  'v1beta1/create-configmap': {
    eventListener: 'create-configmap-listener',
    trigger: 'create-configmap-listener',
    kind: 'ConfigMap',
    generateName: 'sample-',
    params: { action: 'opened' },
    contains: ['Action is : opened'],
  },
  'v1beta1/custom-resource': {
    eventListener: 'custom-resource-listener',
    trigger: 'custom-resource-listener',
    kind: 'TaskRun',
    generateName: 'github-run-',
    ...GITHUB_PR,
  },
  'v1beta1/embedded-trigger': EMBEDDED,
  'v1beta1/eventlistener-tls-connection': {
    eventListener: 'tls-listener-interceptor',
    trigger: 'tls-listener',
    kind: 'TaskRun',
    generateName: 'tls-run-',
    ...GITHUB_PR,
  },
  'v1beta1/github-add-changed-files-pr': {
    eventListener: 'github-add-changed-files-pr-listener',
    trigger: 'github-add-changed-files-pr-listener',
    kind: 'TaskRun',
    generateName: 'github-add-changed-files-pr-run-',
    // The PR's files come from the GitHub API; the test supplies them.
    params: { changedfiles: 'pkg/sink/sink.go,docs/interceptors.md' },
    contains: ['Changed Files: pkg/sink/sink.go,docs/interceptors.md'],
    options: { changedFiles: ['pkg/sink/sink.go', 'docs/interceptors.md'] },
  },
  'v1beta1/github-add-changed-files-push-cel': {
    eventListener: 'github-add-changed-files-push-cel-listener',
    trigger: 'github-add-changed-files-push-cel-listener',
    kind: 'TaskRun',
    generateName: 'github-add-changed-files-push-cel-run-',
    // A push lists its files in the payload: added, then modified, then removed, per commit.
    params: {
      changedfiles:
        'api/v1beta1/tektonhelperconfig_types.go,config/crd/bases/tekton-helper..com_tektonhelperconfigs.yaml,controllers/tektonhelperconfig_controller.go,config/samples/tektonhelperconfig-oomkillpipeline.yaml,config/samples/tektonhelperconfig-timeout.yaml',
    },
  },
  'v1beta1/github-owners': {
    eventListener: 'github-owners-listener',
    trigger: 'github-owners-listener',
    kind: 'TaskRun',
    generateName: 'github-owners-run-',
    params: { gitrepositoryurl: 'https://github.com/tektoncd/triggers.git' },
    contains: ['RepoURL is https://github.com/tektoncd/triggers.git'],
    // The OWNERS check calls the GitHub API: assumed to pass.
    options: { assumeUnavailableInterceptorsPass: true },
  },
  'v1beta1/github': {
    eventListener: 'github-listener',
    trigger: 'github-listener',
    kind: 'TaskRun',
    generateName: 'github-run-',
    ...GITHUB_PR,
  },
  'v1beta1/gitlab': {
    eventListener: 'gitlab-listener',
    trigger: 'gitlab-push-events-trigger',
    kind: 'TaskRun',
    generateName: 'gitlab-run-',
    ...GITLAB,
  },
  'v1beta1/label-selector': {
    eventListener: 'label-selector-listener',
    trigger: 'matching-label-trigger',
    ...SELECTOR_PIPELINERUN,
  },
  'v1beta1/namespace-selector': {
    eventListener: 'namespace-selector-listener',
    trigger: 'trigger',
    namespace: 'foo',
    ...SELECTOR_PIPELINERUN,
  },
  'v1beta1/slack': {
    eventListener: 'slack-listener',
    trigger: 'slack-trigger',
    kind: 'TaskRun',
    generateName: 'slack-run-',
    // `text=main+2222` → slack interceptor extensions.text = ["main 2222"] → CEL overlays split it.
    params: { branch: 'main', image: '2222', response: null },
    contains: ['response of slack : $(tt.params.response)'],
  },
};

function folderOf(entry: CurlRequestEntry): string {
  return dirname(entry.source.path).replace(/^examples\//, '');
}

function workspaceOf(folder: string): string {
  return folder === 'examples' ? join(TRIGGERS_FIXTURES, 'readme-example') : join(EXAMPLES_DATA, 'examples', folder);
}

async function run(
  entry: CurlRequestEntry,
  exp: Expectation,
  options: SimulationOptions = exp.options ?? {},
): Promise<SimulationResult> {
  return simulate({
    request: curlRequest(entry),
    eventListener: exp.eventListener,
    resources: sourceResourcesUnder([workspaceOf(folderOf(entry))]),
    options: { eventID: 'e2e-event', uid: 'fixed-uid', ...options },
  });
}

function only(result: SimulationResult, name: string): TriggerResult {
  const t = result.triggers.filter((x) => x.name === name);
  assert.equal(t.length, 1, `one trigger named ${name}: ${result.triggers.map((x) => x.name).join(', ')}`);
  return t[0];
}

const skip = sharedDataMissing();
const entries = skip ? [] : curlRequests();
const folders = [...new Set(entries.map(folderOf))];

describe('tektoncd/triggers examples: the 44 curl requests (examples/**/curl.sh, README.md)', { skip }, () => {
  it('covers 44 requests in 24 example folders, each with an expectation', () => {
    assert.equal(entries.length, 44);
    assert.equal(folders.length, 24);
    for (const f of folders) assert.ok(EXPECTED[f], `expectation for ${f}`);
    assert.ok(existsSync(join(TRIGGERS_FIXTURES, 'readme-example', 'eventlistener.yaml')));
  });

  for (const folder of folders) {
    const exp = EXPECTED[folder];
    const mine = entries.filter((e) => folderOf(e) === folder);
    it(`examples/${folder === 'examples' ? '' : `${folder}/`}README.md: ${mine.length} request(s) render ${exp?.kind} ${exp?.generateName}*`, async () => {
      for (const entry of mine) {
        const file = entry.source.path.split('/').pop()!;
        const what = `${entry.source.path}:${entry.source.line}`;
        const result = await run(entry, exp);
        assert.equal(result.response.status, 202, `${what}: accepted`);
        const t = only(result, exp.trigger);

        const expectedStop = exp.stopsAt?.[file];
        if (expectedStop) {
          assert.equal(t.status, 'stopped', `${what}: stopped`);
          assert.match(t.reason ?? '', new RegExp(expectedStop));
          assert.ok(
            entry.hmacChecks.every((c) => !c.matches),
            `${what}: the data says the signature does not match`,
          );
          continue;
        }
        assert.equal(t.status, 'fired', `${what}: ${t.reason}`);

        // Where the chain checks the signature, it verifies with the example's Secret (the index says it matches).
        const sig = t.interceptors.flatMap((s) => s.checks ?? []).find((c) => c.name === 'signature');
        if (sig) {
          assert.ok(
            entry.hmacChecks.some((c) => c.matches),
            `${what}: the data has a matching HMAC`,
          );
          assert.ok(sig.ok, `${what}: signature verified (${sig.detail})`);
        }

        const params = Object.fromEntries(t.params.map((p) => [p.name, p.value ?? null]));
        assert.deepEqual(params, exp.params, `${what}: params`);
        assert.equal(t.resources.length, 1, `${what}: one resource`);
        const r = t.resources[0];
        assert.equal(r.error, undefined, `${what}: ${r.error}`);
        assert.equal(r.kind, exp.kind);
        assert.equal(r.generateName, exp.generateName);
        assert.equal(r.namespace, exp.namespace ?? 'default');
        const labels = (r.object!.metadata as { labels: Record<string, string> }).labels;
        assert.equal(labels['triggers.tekton.dev/eventlistener'], exp.eventListener);
        assert.equal(labels['triggers.tekton.dev/trigger'], exp.trigger);
        assert.equal(labels['triggers.tekton.dev/triggers-eventid'], 'e2e-event');
        for (const text of exp.contains ?? [])
          assert.ok(JSON.stringify(r.object).includes(JSON.stringify(text).slice(1, -1)), `${what}: contains ${text}`);
        assert.ok(r.yaml?.startsWith(`apiVersion: `), `${what}: YAML rendered`);
      }
    });
  }

  it('examples/v1beta1/label-selector: only the Trigger labelled foo=bar is selected', async () => {
    const entry = entries.find((e) => e.source.path === 'examples/v1beta1/label-selector/curl.sh')!;
    const result = await run(entry, EXPECTED['v1beta1/label-selector']);
    assert.deepEqual(
      result.triggers.map((t) => [t.name, t.origin]),
      [['matching-label-trigger', 'selector']],
    );
  });

  it('examples needing the cluster or the GitHub API stop as unavailable unless assumed to pass', async () => {
    for (const folder of [
      'v1alpha1/namespacedinterceptor',
      'v1beta1/github-owners',
      'v1beta1/github-add-changed-files-pr',
    ]) {
      const entry = entries.find((e) => folderOf(e) === folder)!;
      const exp = EXPECTED[folder];
      const t = only(await run(entry, exp, {}), exp.trigger);
      assert.equal(t.status, 'unavailable', folder);
      assert.match(t.reason ?? '', /cannot run offline/);
      assert.equal(t.resources.length, 0);
    }
  });

  it('examples/v1beta1/github-add-changed-files-push-cel: the CEL filter sees extensions.changed_files', async () => {
    const entry = entries.find((e) => folderOf(e) === 'v1beta1/github-add-changed-files-push-cel')!;
    const t = only(
      await run(entry, EXPECTED['v1beta1/github-add-changed-files-push-cel']),
      'github-add-changed-files-push-cel-listener',
    );
    const cel = t.interceptors[1];
    assert.equal(cel.type, 'cel');
    assert.deepEqual(Object.keys(cel.inputExtensions), ['changed_files']);
    assert.equal(cel.expressions?.[0].result, 'true');
  });

  it('simulates all 44 requests: 42 fire, 2 stop at a wrong signature; 18 of the 22 matching signatures are verified by an interceptor', async () => {
    let fired = 0;
    let stopped = 0;
    let verified = 0;
    for (const entry of entries) {
      const exp = EXPECTED[folderOf(entry)];
      const t = only(await run(entry, exp), exp.trigger);
      if (t.status === 'fired') fired++;
      else if (t.status === 'stopped') stopped++;
      if (t.interceptors.some((s) => s.checks?.some((c) => c.name === 'signature' && c.ok))) verified++;
    }
    assert.equal(fired, 42);
    assert.equal(stopped, 2);
    // The other 4 (v1beta1 label-selector and namespace-selector) are signed but their Triggers have no interceptor.
    assert.equal(verified, 18);
  });
});
