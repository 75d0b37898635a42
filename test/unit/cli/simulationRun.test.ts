/**
 * The one simulation orchestration (server/src/triggers/simulation/run.ts) shared by `tekton-ls simulate`, the
 * `tekton/simulate` request and the CEL lenses: targets, requests with text or byte bodies, the rendered YAML and the
 * secrets file read without ever echoing a value.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceResourcesFromFile, sourceResourcesUnder } from '../../../server/src/triggers/simulation/fileResources';
import { parseHttpRequest } from '../../../server/src/triggers/simulation/httpRequest';
import {
  readSecretsFileSafely,
  renderedYaml,
  runSimulation,
  simulationTargets,
  targetAt,
} from '../../../server/src/triggers/simulation/run';
import type { SimulationResult } from '../../../server/src/triggers/simulation/types';
import { TRIGGERS_FIXTURES } from '../triggers/helpers';

const CLI = join(TRIGGERS_FIXTURES, 'cli');
const workspace = sourceResourcesUnder([join(CLI, 'workspace')]);
const secrets = { 'webhook-secret': { token: 'cli-test-secret' } };
const options = { eventID: 'ev', uid: 'u' };
const parsed = parseHttpRequest(readFileSync(join(CLI, 'push.http')));
const text = { label: 'push', method: parsed.method, url: parsed.url, headers: parsed.headers, body: parsed.body.toString('utf8') };

/** The result without timings, which differ from run to run. */
function stable(result: SimulationResult): unknown {
  return JSON.parse(JSON.stringify(result, (k, v) => (k === 'durationMs' ? 0 : v)));
}

describe('runSimulation', () => {
  it('runs an EventListener by name or as a resource, with a byte or a text body, alike', async () => {
    const byName = await runSimulation({ target: 'push-listener', request: parsed, resources: workspace, secrets, options });
    assert.equal(byName.fired, 1);
    const el = workspace.find((r) => r.resource.kind === 'EventListener')!;
    const byResource = await runSimulation({ target: el, request: text, resources: workspace, secrets, options });
    assert.deepEqual(stable(byResource), stable(byName));
    assert.equal(byResource.request.url, '/hooks');
  });

  it('runs a Trigger resource, or a list of Triggers, without an EventListener', async () => {
    const triggers = sourceResourcesFromFile(join(CLI, 'trigger.yaml'));
    const one = await runSimulation({ target: triggers[0], request: text, resources: workspace, options });
    const list = await runSimulation({ target: triggers, request: text, resources: workspace, options });
    assert.equal(one.fired, 1);
    assert.deepEqual(stable(one), stable(list));
    assert.match(renderedYaml(one), /triggers\.tekton\.dev\/trigger: trigger-run/);
  });

  it('reports a missing EventListener in the result rather than throwing', async () => {
    const r = await runSimulation({ target: 'nope', request: text, resources: workspace, options });
    assert.equal(r.fired, 0);
    assert.ok(r.problems.some((p) => p.code === 'eventlistener-not-found'));
    assert.equal(renderedYaml(r), '');
  });
});

describe('renderedYaml', () => {
  it('joins the resources of fired triggers as YAML documents opened by ---', async () => {
    const r = await runSimulation({ target: 'push-listener', request: parsed, resources: workspace, secrets, options });
    const yaml = renderedYaml(r);
    assert.equal(yaml, r.triggers[0].resources.map((x) => `---\n${x.yaml}`).join(''));
    assert.match(yaml, /^---\napiVersion: tekton\.dev\/v1\nkind: PipelineRun\n/);
  });

  it('is empty when no trigger fired', async () => {
    const r = await runSimulation({ target: 'push-listener', request: parsed, resources: workspace, options });
    assert.equal(r.fired, 0);
    assert.equal(renderedYaml(r), '');
  });
});

describe('simulationTargets and targetAt', () => {
  it('keeps the Triggers EventListeners and Triggers, and picks the last one starting at or before an offset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tekton-sim-run-'));
    const file = join(dir, 'mixed.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerBinding\nmetadata: {name: b}\n',
        'apiVersion: triggers.tekton.dev/v1beta1\nkind: EventListener\nmetadata: {name: el}\n',
        'apiVersion: example.com/v1\nkind: Trigger\nmetadata: {name: other}\n',
        'apiVersion: triggers.tekton.dev/v1beta1\nkind: Trigger\nmetadata: {name: t}\n',
      ].join('---\n'),
    );
    const all = sourceResourcesFromFile(file);
    const targets = simulationTargets(all);
    assert.deepEqual(targets.map((t) => t.resource.name), ['el', 't']);
    const startOf = (name: string) => {
      const r = all.find((x) => x.resource.name === name)!;
      return r.base + (r.resource.root?.range?.[0] ?? 0);
    };
    assert.equal(targetAt(targets, 0)?.resource.name, 'el');
    assert.equal(targetAt(targets, startOf('el'))?.resource.name, 'el');
    assert.equal(targetAt(targets, startOf('t') - 1)?.resource.name, 'el');
    assert.equal(targetAt(targets, startOf('t'))?.resource.name, 't');
    assert.equal(targetAt([], 0), undefined);
  });
});

describe('readSecretsFileSafely', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-secrets-'));
  const write = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it('reads JSON and YAML Secrets', () => {
    assert.deepEqual(readSecretsFileSafely(write('ok.json', '{"s": {"k": "v"}}')), { secrets: { s: { k: 'v' } } });
    const yaml = write('ok.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\nstringData: {k: v}\n');
    assert.deepEqual(readSecretsFileSafely(yaml), { secrets: { 'ns/s': { k: 'v' } } });
  });

  it('fails in one line that never shows a value of the file', () => {
    const cases = [
      write('bad.json', '{"s": {"k": s3cr3t-value}}'),
      write('bad.yaml', 'apiVersion: v1\nkind: Secret\nstringData: [\n  k: s3cr3t-value\n'),
      write('not-base64.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: "s3cr3t-value!"}\n'),
    ];
    for (const file of cases) {
      const r = readSecretsFileSafely(file);
      assert.ok('error' in r, file);
      assert.ok(!r.error.includes('s3cr3t') && !r.error.includes('\n'), r.error);
    }
    assert.deepEqual(readSecretsFileSafely(cases[0]), { error: 'not valid JSON' });
    assert.deepEqual(readSecretsFileSafely(cases[2]), { error: 'Secret s: data.k is not base64' });
    const missing = readSecretsFileSafely(join(dir, 'missing.json'));
    assert.ok('error' in missing && /missing\.json: no such file or directory$/.test(missing.error), JSON.stringify(missing));
  });
});
