/**
 * The one place the extension writes a kubeconfig, and only when the user asks: `current-context`, in the file kubectl's
 * `config use-context` would change (the first file of the precedence list that sets it, else the first file read).
 * Comments and layout of the file are kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

/** Sets `current-context: name` in the right file of `files` (highest precedence first); returns that file. */
export function writeCurrentContext(files: readonly string[], name: string): string {
  if (files.length === 0) throw new Error('there is no kubeconfig file to write');
  let target = files[0];
  for (const file of files) {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const current = doc.get('current-context');
    if (typeof current === 'string' && current) {
      target = file;
      break;
    }
  }
  const doc = parseDocument(readFileSync(target, 'utf8'));
  if (doc.errors.length) throw new Error(`${target} is not valid YAML`);
  doc.set('current-context', name);
  writeFileSync(target, doc.toString());
  return target;
}
