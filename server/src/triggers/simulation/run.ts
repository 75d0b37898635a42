/**
 * One simulation run as its callers need it, free of LSP: the `tekton/simulate` request, the CEL lenses and
 * evaluation of the editor, and `tekton-ls simulate`. The caller finds the resources (open documents, the workspace
 * index, files on disk) and the event (an editor sample, a raw HTTP request file); this module picks the target, sends
 * the event through it and renders what fired.
 */
import type { YamlResource } from '../../document/tektonDocument';
import { readSecretsFile } from './fileResources';
import { simulate } from './simulate';
import type { CelEvaluator, LocalSecrets, SimulationOptions, SimulationRequest, SimulationResult, SourceResource } from './types';

/** An event whose body is text (the editor's sample event): sent as its UTF-8 bytes. */
export interface TextEventRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
}

/**
 * What receives the event: an EventListener by name (looked up in the resources), an EventListener or Trigger
 * resource, or Trigger resources run on their own without an EventListener (as `triggerrun -t`).
 */
export type SimulationTarget = string | SourceResource | readonly SourceResource[];

export interface SimulationRun {
  target: SimulationTarget;
  /** The event; a text body (a SampleRequest, extra fields ignored) is sent as UTF-8. */
  request: SimulationRequest | TextEventRequest;
  /** The workspace: Triggers resources and v1 Secrets (other documents are ignored). */
  resources: readonly SourceResource[];
  secrets?: LocalSecrets;
  options?: SimulationOptions;
  /** CEL evaluation; default: in-process (the language server passes its worker pool). */
  cel?: CelEvaluator;
}

/**
 * Sends the event through the target: an EventListener resource or name as the EventListener, any other single
 * resource as a Trigger (`triggers: [target]`), a list as Triggers on their own. Never throws on user input (problems
 * are in the result).
 */
export function runSimulation(run: SimulationRun): Promise<SimulationResult> {
  const { target, request: r } = run;
  const request: SimulationRequest = {
    method: r.method,
    url: r.url,
    headers: r.headers,
    body: typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body,
  };
  const common = { request, resources: run.resources, secrets: run.secrets, options: run.options, cel: run.cel };
  if (typeof target === 'string') return simulate({ ...common, eventListener: target });
  if (isResourceList(target)) return simulate({ ...common, triggers: [...target] });
  return target.resource.kind === 'EventListener'
    ? simulate({ ...common, eventListener: target })
    : simulate({ ...common, triggers: [target] });
}

function isResourceList(target: SourceResource | readonly SourceResource[]): target is readonly SourceResource[] {
  return Array.isArray(target);
}

/** True for the documents an event can be simulated on: Tekton Triggers EventListeners and Triggers. */
export function isSimulationTarget(resource: YamlResource): boolean {
  return resource.isTriggers && (resource.kind === 'EventListener' || resource.kind === 'Trigger');
}

/** The resources an event can be simulated on (apiVersion checked). */
export function simulationTargets(resources: readonly SourceResource[]): SourceResource[] {
  return resources.filter((r) => isSimulationTarget(r.resource));
}

/** The target at a file offset: the last one starting at or before it, else the first; undefined when none. */
export function targetAt(targets: readonly SourceResource[], offset: number): SourceResource | undefined {
  return [...targets].reverse().find((r) => r.base + (r.resource.root?.range?.[0] ?? 0) <= offset) ?? targets[0];
}

/** The rendered resources of the triggers that fired, as YAML documents each opened by `---\n`; '' when none. */
export function renderedYaml(result: SimulationResult): string {
  return result.triggers
    .filter((t) => t.status === 'fired')
    .flatMap((t) => t.resources.map((r) => r.yaml ?? ''))
    .filter((yaml) => yaml !== '')
    .map((yaml) => `---\n${yaml}`)
    .join('');
}

/**
 * Reads a local secrets file (see readSecretsFile). On failure, `error` says what is wrong in one line that never holds
 * a value of the file: only the first line of a message (YAML errors quote the source below it), and a fixed text for
 * broken JSON (V8's message quotes the text around the error). Callers prefix it with the file's name.
 */
export function readSecretsFileSafely(path: string): { secrets: LocalSecrets } | { error: string } {
  try {
    return { secrets: readSecretsFile(path) };
  } catch (e) {
    if (e instanceof SyntaxError) return { error: 'not valid JSON' };
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}
