import { YamlResource } from '../../document/tektonDocument';
import { Problem } from '../../document/problem';
import { analyzeVariables } from '../variables/analysis';
import { checkVariables } from '../variables/check';
import { FixableProblem } from '../variables/fixes';
import { Reporter } from './common';
import { checkPipelineSpec } from './pipeline';
import { checkRun } from './runs';
import { checkStepActionSpec, checkTaskSpec } from './task';

/**
 * Per-kind knowledge beyond the schema: webhook-equivalent checks of one document (offsets relative to its chunk,
 * cached per chunk text by the caller). Features are the axis, kinds are plug-ins: a kind adds an entry here.
 */
export type KindChecker = (resource: YamlResource) => FixableProblem[] | Problem[];

/** The structural rules of each Tekton Pipelines kind; the variable checks run for all of them. */
function structural(resource: YamlResource): FixableProblem[] {
  const a = analyzeVariables(resource);
  if (!a) return [];
  const m = a.model;
  const root = resource.root?.range;
  const r = new Reporter({ start: root?.[0] ?? 0, end: root?.[0] ?? 0 }, resource.text);
  switch (m.kind) {
    case 'Pipeline':
      if (m.pipeline) checkPipelineSpec(r, resource.text, a, m.pipeline, { standalone: true });
      break;
    case 'Task':
      if (m.task) checkTaskSpec(r, m.task);
      break;
    case 'StepAction':
      if (m.task) checkStepActionSpec(r, m.task);
      break;
    case 'PipelineRun':
    case 'TaskRun':
      checkRun(r, resource.text, a, m);
      break;
  }
  return r.out;
}

const pipelinesChecker: KindChecker = (resource) => [...structural(resource), ...checkVariables(resource)];

/** The checkers of the Tekton Pipelines kinds (group tekton.dev), by kind. */
const CHECKERS: Record<string, KindChecker> = {
  Pipeline: pipelinesChecker,
  Task: pipelinesChecker,
  StepAction: pipelinesChecker,
  PipelineRun: pipelinesChecker,
  TaskRun: pipelinesChecker,
};

/**
 * The kind-specific problems of one Tekton document, in document order. Problems may carry `fixes` (code actions).
 * Never throws on user input.
 */
export function checkKindRules(resource: YamlResource): Problem[] {
  // Triggers kinds have their own checks (triggers/rules, routed beside these by service/engines.ts).
  const kind = resource.kind;
  if (!resource.isPipelines || !kind) return [];
  const checker = CHECKERS[kind];
  if (!checker) return [];
  let out: FixableProblem[];
  try {
    out = [...checker(resource)];
  } catch {
    out = [];
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export type { FixableProblem };
