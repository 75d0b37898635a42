import { parseAllDocuments } from 'yaml';
import { toPlainData } from '../../document/plain';

/** One Kubernetes Secret read from a manifest: its name, namespace and values (`data` decoded, `stringData` as is). */
export interface SecretManifest {
  name: string;
  namespace?: string;
  values: Record<string, Uint8Array | string>;
}

/**
 * Reads Kubernetes Secret manifests (every document of kind Secret, or the items of a List): `data` is base64,
 * `stringData` plain text and wins over `data`, as the API server applies it. Throws a clear error on broken YAML, a
 * Secret without a name or a value that is not base64; the message never holds a value.
 */
export function parseSecretManifests(text: string): SecretManifest[] {
  const out: SecretManifest[] = [];
  const add = (doc: unknown): void => {
    if (!doc || typeof doc !== 'object') return;
    const d = doc as { kind?: unknown; items?: unknown; metadata?: { name?: unknown; namespace?: unknown }; data?: unknown; stringData?: unknown };
    if (d.kind === 'List' && Array.isArray(d.items)) {
      d.items.forEach(add);
      return;
    }
    if (d.kind !== 'Secret') return;
    const name = d.metadata?.name;
    if (typeof name !== 'string' || name === '') throw new Error('a Secret without metadata.name');
    const values: SecretManifest['values'] = {};
    for (const [k, v] of Object.entries((d.data ?? {}) as Record<string, unknown>)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) throw new Error(`Secret ${name}: data.${k} is not base64`);
      values[k] = new Uint8Array(Buffer.from(v, 'base64'));
    }
    for (const [k, v] of Object.entries((d.stringData ?? {}) as Record<string, unknown>)) values[k] = String(v);
    out.push({ name, namespace: typeof d.metadata?.namespace === 'string' ? d.metadata.namespace : undefined, values });
  };
  for (const doc of parseAllDocuments(text)) {
    // The parser's message goes on with a code frame of the file, which may hold a secret value: its first line only.
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0].replace(/:$/, ''));
    const plain = toPlainData(doc);
    if ('error' in plain) throw new Error(plain.error);
    add(plain.value);
  }
  return out;
}
