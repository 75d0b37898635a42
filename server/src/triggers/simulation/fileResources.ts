/**
 * Reading simulation inputs from disk for the CLI, tests and benchmarks: YAML files parsed with TektonDocument into
 * SourceResources, and local secret files.
 */
import { readInputFile } from '../../workspace/inputFile';
import { pathToFileURL } from 'node:url';
import { TektonDocument } from '../../document/tektonDocument';
import { yamlFilesUnder } from '../../workspace/yamlFiles';
import { parseSecretManifests } from './secrets';
import type { LocalSecrets, SourceResource } from './types';

/** Every document of a parsed file (for the language server, which already holds TektonDocuments). */
export function sourceResourcesFromDocument(doc: TektonDocument): SourceResource[] {
  return [...doc.resources()].map(({ resource, base }) => ({ uri: doc.uri, base, resource }));
}

/** Every document of one YAML text. */
export function sourceResourcesFromText(uri: string, text: string): SourceResource[] {
  return sourceResourcesFromDocument(new TektonDocument(uri, 0, text));
}

/** Every document of a YAML file. Throws InputFileError (naming it as `shown`) when the file cannot be read. */
export function sourceResourcesFromFile(path: string, shown = path): SourceResource[] {
  return sourceResourcesFromText(pathToFileURL(path).toString(), readInputFile(path, shown).toString('utf8'));
}

/** The YAML files under a file or folder (the command line's walk: hidden names and node_modules skipped). */
export { yamlFilesUnder };

/** Every document of every YAML file under the given files and folders. */
export function sourceResourcesUnder(paths: readonly string[]): SourceResource[] {
  return paths.flatMap((p) => yamlFilesUnder(p)).flatMap((f) => sourceResourcesFromFile(f));
}

/**
 * Local secret values from a file: JSON `{"secret-name": {"key": "value"}}`, or YAML of v1 Secrets (their
 * `stringData` and base64 `data`). Secret names may be qualified as `namespace/name`.
 */
export function readSecretsFile(path: string): LocalSecrets {
  const text = readInputFile(path).toString('utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('the secrets file must hold a JSON object');
    const out: LocalSecrets = {};
    for (const [name, keys] of Object.entries(parsed as Record<string, unknown>)) {
      if (!keys || typeof keys !== 'object' || Array.isArray(keys))
        throw new Error(`secret "${name}" must map keys to values`);
      out[name] = {};
      for (const [k, v] of Object.entries(keys as Record<string, unknown>)) out[name][k] = String(v);
    }
    return out;
  }
  const out: LocalSecrets = {};
  for (const secret of parseSecretManifests(text)) {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(secret.values)) values[k] = typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
    out[secret.namespace ? `${secret.namespace}/${secret.name}` : secret.name] = values;
  }
  return out;
}
