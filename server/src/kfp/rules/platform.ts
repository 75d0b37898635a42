/**
 * The platform document (`platforms: kubernetes: deploymentSpec: executors: <label>: ...`) configures executors of
 * the IR document of the same file: each label must be one of the IR's `deploymentSpec.executors` (the backend looks
 * the label up when it compiles the executor's pod; an unknown label configures nothing).
 *
 * This needs both documents of a file: the engine's `fileRules` (kfp/engine.ts) calls it.
 */
import type { Problem } from '../../document/problem';
import type { YamlResource } from '../../document/tektonDocument';
import { platformExecutors } from '../features';
import { kfpModel } from '../model';
import { unknownName } from './problems';

/** Problems of `platform` (offsets relative to its chunk) against the executors of `ir`. */
export function platformExecutorProblems(ir: YamlResource, platform: YamlResource): Problem[] {
  const labels = kfpModel(ir).executors;
  const out: Problem[] = [];
  for (const e of platformExecutors(platform))
    if (!labels.has(e.name))
      out.push(unknownName(e.key, e.name, labels.keys(), `Executor "${e.name}" is not defined in the pipeline's deploymentSpec.executors`, 'kfp-unknown-platform-executor', 'warning'));
  return out;
}
