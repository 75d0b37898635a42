import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TektonDocument } from '../../../../server/src/document/tektonDocument';
import { checkKindRules } from '../../../../server/src/pipelines/rules';
import { catalogMainFiles, SHARED_DATA, sharedDataMissing } from '../../../helpers/fixtures';

/**
 * Valid upstream Tekton must get no errors and no warnings from the kind rules: the tektoncd/catalog main resource
 * files and every Tekton document of tektoncd/triggers' examples. The few findings below are real defects of the
 * upstream files (each checked by hand), so the test pins them exactly: a new finding is a false positive to fix.
 */
const MAIN_DEFECTS = [
  // The Task declares workspaces source, input, ssh-directory, basic-auth: $(workspaces.output.path) stays as text.
  'catalog/task/git-cli/0.2/git-cli.yaml:97:29 warning unknown-workspace',
  'catalog/task/git-cli/0.3/git-cli.yaml:104:29 warning unknown-workspace',
  // The param anchore-cli-secret is never declared: the secretKeyRef name stays "$(params.anchore-cli-secret)".
  'catalog/task/anchore-cli/0.1/anchore-cli.yaml:57:30 warning unknown-param',
  'catalog/task/anchore-cli/0.1/anchore-cli.yaml:62:30 warning unknown-param',
];

/** Findings in the catalog's samples/ and tests/ folders, with the judgement of each (all real defects). */
const SAMPLE_DEFECTS = [
  // $(tasks.maven-run-build-2.group-id) lacks ".results": not a Tekton variable, passed as text.
  'catalog/task/maven/0.4/tests/run.yaml:87:18 warning malformed-variable',
  'catalog/task/maven/0.4/tests/run.yaml:87:54 warning malformed-variable',
  'catalog/task/maven/0.4/tests/run.yaml:87:93 warning malformed-variable',
  // The Task declares workspaces shared-data and ssl-ca-dir; the last step reads $(workspaces.source.path).
  'catalog/stepaction/git-clone/0.1/samples/git-clone-for-ssl-ca.yaml:44:24 warning unknown-workspace',
  'catalog/stepaction/git-clone/0.2/samples/git-clone-for-ssl-ca.yaml:44:24 warning unknown-workspace',
  // The inline taskSpec holds a step's `ref` and `params` (with values) at the spec level: no steps, and the params
  // read as declarations without defaults that the TaskRun does not pass.
  'catalog/stepaction/tekton-catalog-publish/0.1/samples/run-with-workspace-secret.yaml:6:3 warning missing-param',
  'catalog/stepaction/tekton-catalog-publish/0.1/samples/run-without-workspace-secret.yaml:6:3 warning missing-param',
  'catalog/stepaction/tekton-catalog-publish/0.2/samples/run-with-workspace-secret.yaml:6:3 warning missing-param',
  'catalog/stepaction/tekton-catalog-publish/0.2/samples/run-without-workspace-secret.yaml:6:3 warning missing-param',
  'catalog/stepaction/tekton-catalog-publish/0.3/samples/run-with-workspace-secret.yaml:6:3 warning missing-param',
  'catalog/stepaction/tekton-catalog-publish/0.3/samples/run-without-workspace-secret.yaml:6:3 warning missing-param',
];

function findings(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const doc = new TektonDocument(file, 1, readFileSync(file, 'utf8'));
    for (const { resource, base } of doc.resources()) {
      if (!resource.isTekton) continue;
      for (const p of checkKindRules(resource)) {
        if (p.severity !== 'error' && p.severity !== 'warning') continue;
        const pos = doc.positionAt(p.start + base);
        out.push(`${relative(SHARED_DATA, file)}:${pos.line + 1}:${pos.character + 1} ${p.severity} ${p.code}`);
      }
    }
  }
  return out.sort();
}

function yamlFiles(dir: string, filter: (path: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p, filter));
    else if (/\.ya?ml$/.test(name) && filter(p)) out.push(p);
  }
  return out;
}

describe('kind rules on upstream Tekton files', { skip: sharedDataMissing() }, () => {
  it('tektoncd/catalog task, pipeline and stepaction main files: no errors or warnings but the known defects', () => {
    const files = catalogMainFiles();
    assert.ok(files.length >= 300, `${files.length} catalog files`);
    assert.deepEqual(findings(files), [...MAIN_DEFECTS].sort());
  });

  it('tektoncd/catalog samples/ and tests/: only the known defects', () => {
    const files = yamlFiles(join(SHARED_DATA, 'catalog'), (p) => /[/\\](samples|tests)[/\\]/.test(p));
    assert.ok(files.length >= 500, `${files.length} files`);
    assert.deepEqual(findings(files), [...SAMPLE_DEFECTS].sort());
  });

  it('tektoncd/triggers examples: no errors or warnings', () => {
    const files = yamlFiles(join(SHARED_DATA, 'triggers-examples'));
    const tekton = files.filter((f) => new TektonDocument(f, 1, readFileSync(f, 'utf8')).hasTekton);
    assert.ok(tekton.length >= 50, `${tekton.length} Tekton files`);
    assert.deepEqual(findings(tekton), []);
  });
});
