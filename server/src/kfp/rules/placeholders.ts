/**
 * Executor placeholders in `container.command`/`args` (REFERENCE.md §7.1): `{{$.inputs.parameters['x']}}`,
 * `{{$.inputs.artifacts['x'].path}}`, `{{$.outputs.parameters['x'].output_file}}`, `{{$.outputs.artifacts['x'].uri}}`...
 * must name an input or output of a component that runs the executor. The launcher substitutes the placeholders it
 * knows from the executor input and leaves the others as they are (backend/src/v2/component), so an unknown name is a
 * warning: the program receives the placeholder text literally. Importer metadata strings are checked the same way.
 */
import type { Problem } from '../../document/problem';
import { scalarMap } from '../../document/scalarMap';
import { componentsUsing, type Component, type KfpModel } from '../model';
import { unknownName } from './problems';

function ownerLabel(users: Component[]): string {
  return users.length === 1 ? `Component "${users[0].name}"` : `Components ${users.map((c) => `"${c.name}"`).join(', ')}`;
}

const PLACEHOLDER = /\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\[(?:'([^'\]]*)'|"([^"\]]*)")\]/g;
const IF_PRESENT = /"InputName"\s*:\s*"([^"\\]*)"/g;

export function placeholderProblems(model: KfpModel, text: string): Problem[] {
  const out: Problem[] = [];
  for (const executor of model.executors.values()) {
    const users = componentsUsing(model, executor.name);
    if (users.length === 0) continue;
    // importer.artifactUri.runtimeParameter: the importer reads the URI from that input parameter
    // (backend/src/v2/driver, importer launcher); without it the import fails.
    const uri = executor.importerUriParameter;
    if (uri && !users.some((c) => c.inputs.parameters.has(uri.value))) {
      const names = new Set(users.flatMap((c) => [...c.inputs.parameters.keys()]));
      out.push(unknownName(uri.node, uri.value, names, `${ownerLabel(users)} declares no input parameter "${uri.value}" for the importer's artifactUri`, 'kfp-unknown-importer-parameter'));
    }
    const declared = (direction: string, kind: string) => {
      const names = new Set<string>();
      for (const c of users) {
        const defs = direction === 'inputs' ? c.inputs : c.outputs;
        for (const n of (kind === 'parameters' ? defs.parameters : defs.artifacts).keys()) names.add(n);
      }
      return names;
    };
    for (const node of [...executor.commandLine, ...executor.importerStrings]) {
      const value = String(node.value);
      if (!value.includes('{{$.') && !value.includes('InputName')) continue;
      const map = scalarMap(node, text);
      for (const m of value.matchAll(PLACEHOLDER)) {
        const [, direction, kind, single, double] = m;
        const name = single ?? double;
        const names = declared(direction, kind);
        if (names.has(name)) continue;
        const what = `${direction === 'inputs' ? 'input' : 'output'} ${kind === 'parameters' ? 'parameter' : 'artifact'}`;
        const start = m.index + m[0].length - 2 - name.length;
        out.push(unknownName({ map, start }, name, names, `${ownerLabel(users)} declares no ${what} "${name}"`, 'kfp-unknown-placeholder', 'warning'));
      }
      // {"IfPresent": {"InputName": "x", ...}}: the input whose presence selects the arguments.
      for (const m of value.matchAll(IF_PRESENT)) {
        const name = m[1];
        const names = new Set([...declared('inputs', 'parameters'), ...declared('inputs', 'artifacts')]);
        if (names.has(name)) continue;
        const start = m.index + m[0].length - 1 - name.length;
        out.push(unknownName({ map, start }, name, names, `${ownerLabel(users)} declares no input "${name}" (IfPresent)`, 'kfp-unknown-placeholder', 'warning'));
      }
    }
  }
  return out;
}

