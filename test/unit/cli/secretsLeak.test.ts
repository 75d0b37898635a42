/**
 * Malformed secrets files never echo a value: every output of `cel --secrets`, `simulate --secrets` and the editor's
 * simulation (the language service behind `tekton/simulate`) is scanned for the value, its base64 and every 8-character
 * slice of it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../server/src/cli';
import { TektonDocument } from '../../../server/src/document/tektonDocument';
import { LanguageService } from '../../../server/src/service/languageService';
import { FIXTURES } from '../../helpers/fixtures';
import { capture } from './capture';

const VALUE = 'Zq7xW3pLmK9vT2rY';
const B64 = Buffer.from(VALUE).toString('base64');

/** Secrets files broken in the ways that made parsers quote their input. */
const BROKEN: Record<string, string> = {
  'unclosed-quote.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: "${VALUE}\n`,
  'bad-flow.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData: {token: ${VALUE}, other: [x}\n`,
  'not-base64.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: ${VALUE}!!\n`,
  'bad-json.json': `{"s": {"token": ${VALUE}}}`,
  'bad-json-2.json': `{"s": {"token": "${VALUE}",}}`,
  'bad-base64-data.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: ${B64}\n  x: [${B64}\n`,
};

function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(VALUE)) found.push(VALUE);
  if (text.includes(B64)) found.push(B64);
  for (let i = 0; i + 8 <= VALUE.length; i++) if (text.includes(VALUE.slice(i, i + 8))) found.push(VALUE.slice(i, i + 8));
  for (let i = 0; i + 8 <= B64.length; i++) if (text.includes(B64.slice(i, i + 8))) found.push(B64.slice(i, i + 8));
  return found;
}

describe('malformed secrets files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tekton-secrets-leak-'));
  for (const [name, text] of Object.entries(BROKEN)) writeFileSync(join(dir, name), text);
  const cli = join(FIXTURES, 'triggers', 'cli');

  for (const name of Object.keys(BROKEN))
    it(`never shows a value: ${name}`, async () => {
      const file = join(dir, name);
      const cel = await capture((io) => runCli(['cel', '--expr', '1', '-r', join(cli, 'http.txt'), '--secrets', file], io), dir);
      const sim = await capture(
        (io) => runCli(['simulate', '-t', join(cli, 'trigger.yaml'), '--workspace', cli, '-r', join(cli, 'push.http'), '--secrets', file], io),
        dir,
      );
      const service = new LanguageService();
      let editor: unknown;
      try {
        const doc = new TektonDocument('file:///t/trigger.yaml', 1, 'apiVersion: triggers.tekton.dev/v1beta1\nkind: Trigger\nmetadata:\n  name: t\nspec:\n  template:\n    ref: x\n');
        editor = await service.simulate(doc, 0, {
          secretsFile: file,
          sample: { label: 's', method: 'POST', url: 'http://el', headers: {}, body: '{}' },
        });
      } finally {
        service.dispose();
      }
      const outputs = { celOut: cel.stdout, celErr: cel.stderr, simOut: sim.stdout, simErr: sim.stderr, editor: JSON.stringify(editor) };
      for (const [where, text] of Object.entries(outputs)) assert.deepEqual(leaks(text), [], `${where}: ${text}`);
      // …and the failure is still said, naming the file.
      assert.match(`${cel.stderr}${sim.stderr}${outputs.editor}`, new RegExp(name.replace('.', '\\.')));
    });
});
