import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import { resolverFromResources, resourceTemplateTargets } from '../../../../server/src/triggers/rules';
import { SHARED_DATA, sharedDataMissing } from '../../../helpers/fixtures';
import { schemaProblems, triggersProblems } from './helpers';

/**
 * Every Tekton document of tektoncd/triggers@088902973 examples/ and cmd/*&#47;testdata must get no errors and no
 * warnings from the Triggers checks, each example folder being its own workspace (as a user applies it). The findings
 * pinned below are real defects of the upstream files, each checked by hand (the simulator tests in
 * test/unit/triggers/examples.test.ts show the same behaviour at run time); a new finding is a false positive to fix.
 */
const DEFECTS = [
  // The script uses $(tt.params.azurerepo-user-type), which spec.params does not declare: admission rejects the template.
  'examples/v1beta1/azurerepo/pull/azurerepo-pullrequest-listener.yaml:84:32 error undeclared-template-param',
  // pipeline-binding provides contenttype; bitbucket-server-template declares only gitrevision and gitrepositoryurl.
  'examples/v1alpha1/bitbucket-server/bitbucket-listener.yaml:22:16 warning undeclared-binding-param',
  // The Triggers accept only pull_request events (github eventTypes / cel filter), whose payload has no head_commit:
  // gitrevision always falls back to the template default.
  'examples/v1alpha1/label-selector/triggers.yaml:49:19 warning unknown-body-field',
  'examples/v1alpha1/namespace-selector/03_trigger.yaml:29:19 warning unknown-body-field',
  'examples/v1alpha1/trigger-ref/triggerbinding.yaml:8:19 warning unknown-body-field',
  'examples/v1beta1/trigger-ref/triggerbinding.yaml:8:19 warning unknown-body-field',
  // The inline template declares only `response` and uses it, while the bindings provide branch and image: the
  // TaskRun prints "$(tt.params.response)" literally (as test/unit/triggers/examples.test.ts asserts).
  'examples/v1beta1/slack/slack-eventlistener-interceptor.yaml:30:17 warning undeclared-binding-param',
  'examples/v1beta1/slack/slack-eventlistener-interceptor.yaml:32:17 warning undeclared-binding-param',
  'examples/v1beta1/slack/slack-eventlistener-interceptor.yaml:37:21 warning unbound-template-param',
];

const ROOT = join(SHARED_DATA, 'triggers-examples');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('Triggers rules on tektoncd/triggers examples', { skip: sharedDataMissing() }, () => {
  it('examples/ and cmd/*/testdata: no errors or warnings but the known defects', () => {
    const byFolder = new Map<string, TektonDocument[]>();
    for (const f of yamlFiles(ROOT)) {
      const doc = new TektonDocument(f, 1, readFileSync(f, 'utf8'));
      if (!doc.hasTekton) continue;
      const list = byFolder.get(dirname(f)) ?? [];
      list.push(doc);
      byFolder.set(dirname(f), list);
    }
    const findings: string[] = [];
    let documents = 0;
    let templates = 0;
    for (const docs of byFolder.values()) {
      const resolver = resolverFromResources(docs.flatMap((d) => [...d.resources()].map((r) => r.resource)));
      for (const doc of docs)
        for (const { resource, base } of doc.resources()) {
          if (!resource.isTekton) continue;
          documents++;
          templates += resourceTemplateTargets(resource).length;
          for (const p of triggersProblems(resource, resolver)) {
            if (p.severity !== 'error' && p.severity !== 'warning') continue;
            const pos = doc.positionAt(p.start + base);
            findings.push(`${relative(ROOT, doc.uri)}:${pos.line + 1}:${pos.character + 1} ${p.severity} ${p.code}`);
          }
        }
    }
    assert.ok(documents >= 140, `${documents} Tekton documents`);
    assert.ok(templates >= 35, `${templates} resource templates checked`);
    assert.deepEqual(findings.sort(), [...DEFECTS].sort());
  });

  it('the schema and the Triggers checks never report the same range twice', () => {
    for (const f of yamlFiles(ROOT)) {
      const doc = new TektonDocument(f, 1, readFileSync(f, 'utf8'));
      const resources = [...doc.resources()];
      const resolver = resolverFromResources(resources.map((r) => r.resource));
      for (const { resource } of resources) {
        if (!resource.isTekton) continue;
        const schema = new Set(schemaProblems(resource).map((p) => `${p.start}:${p.end}`));
        for (const p of triggersProblems(resource, resolver))
          assert.ok(!schema.has(`${p.start}:${p.end}`), `${f}: ${p.code} overlaps a schema problem`);
      }
    }
  });
});
