/**
 * Submitting a compiled Kubeflow pipeline from the editor, with the core `tekton-ls kfp submit` uses
 * (server/src/kube/kfpSubmit.ts): the pipeline's parameters asked typed from `root.inputDefinitions` (defaults
 * prefilled, optional ones skippable, literals and booleans picked, lists and structs as JSON), a run name, an
 * experiment (an existing one, a new one, or the server's default); for a sweep, the parameters to vary and their
 * values (one run per combination). Nothing is created before a modal confirmation that names the target. The runs
 * are then followed in the Runs view, and a summary says which succeeded and which did not.
 */
import * as vscode from 'vscode';
import type { KfpApi, KfpExperiment, KfpRun } from '../../../server/src/kube/kfpApi';
import {
  defaultRunName,
  KfpInputError,
  loadPipelineIr,
  parseParameterValue,
  planRuns,
  runRequest,
  splitSweepValues,
  type KfpParameterSpec,
  type KfpPipelineIr,
} from '../../../server/src/kube/kfpSubmit';
import type { KubeContextUi } from '../runs/context';
import type { KfpConnection } from './connection';
import type { KfpRuns } from './runs';

const TITLE = 'Kubeflow Pipelines: Submit Run';
/** The answer that leaves an optional parameter out. */
const LEAVE_OUT = Symbol('leave out');

export class KfpSubmission {
  constructor(
    private readonly connection: KfpConnection,
    private readonly runs: KfpRuns,
    private readonly kube: KubeContextUi,
    private readonly log: vscode.LogOutputChannel,
    /** Shows the created runs in the Runs view. */
    private readonly reveal: (runs: KfpRun[]) => Promise<void>,
  ) {}

  /** Submits one run of the pipeline in `uri` (or the active editor). Resolves with the created runs. */
  submitRun(uri?: string | vscode.Uri): Promise<KfpRun[] | undefined> {
    return this.submit(uri, false);
  }

  /** Submits one run per value (or combination of values) of chosen parameters. */
  sweep(uri?: string | vscode.Uri): Promise<KfpRun[] | undefined> {
    return this.submit(uri, true);
  }

  private async submit(uriArg: string | vscode.Uri | undefined, sweep: boolean): Promise<KfpRun[] | undefined> {
    if (!this.kube.checkTrust()) return undefined;
    const doc = uriArg
      ? await vscode.workspace.openTextDocument(typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg)
      : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showWarningMessage('Kubeflow Pipelines: open a compiled pipeline (the YAML `kfp.compiler` writes) to submit a run.');
      return undefined;
    }
    let ir: KfpPipelineIr;
    try {
      ir = loadPipelineIr(doc.getText());
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${vscode.workspace.asRelativePath(doc.uri)} is ${(e as Error).message}.`);
      return undefined;
    }
    let api: KfpApi;
    try {
      api = await this.connection.api();
    } catch (e) {
      const pick = await vscode.window.showErrorMessage(
        `Kubeflow Pipelines: ${(e as Error).message} Set \`tekton.kfp.endpoint\`, or select a Kubernetes context whose cluster runs KFP.`,
        'Open Settings',
        'Select Context',
      );
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'tekton.kfp');
      if (pick === 'Select Context') void vscode.commands.executeCommand('tekton.selectContext');
      return undefined;
    }

    const swept = sweep ? await askSweeps(ir) : [];
    if (!swept) return undefined;
    const fixed: [string, string][] = [];
    for (const [name, spec] of Object.entries(ir.parameters)) {
      if (swept.some(([n]) => n === name)) continue;
      const answer = await askParameter(name, spec);
      if (answer === undefined) return undefined;
      if (answer !== LEAVE_OUT) fixed.push([name, answer]);
    }
    let plans;
    try {
      plans = planRuns(ir, fixed, swept);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${(e as Error).message}`);
      return undefined;
    }
    const runName = await vscode.window.showInputBox({
      title: `${TITLE}: run name`,
      prompt: plans.length > 1 ? 'Run name (each run adds its swept values)' : 'Run name',
      value: defaultRunName(ir),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A run needs a name.'),
    });
    if (runName === undefined) return undefined;
    const experiment = await askExperiment(api);
    if (experiment === undefined) return undefined;

    const summary = [
      `Target: ${api.describe()}`,
      `Experiment: ${experiment.name ?? "the server's default"}${experiment.create ? ' (new)' : ''}`,
      `Pipeline: ${ir.name}`,
      ...(plans.length > 1
        ? [`${plans.length} runs, one per ${swept.map(([n]) => n).join(' × ')}: ${plans.map((p) => JSON.stringify(p.sweep)).join(', ')}`]
        : []),
      `Parameters: ${Object.keys(plans[0].parameters).length ? JSON.stringify(fixedOf(plans[0].parameters, swept)) : '(defaults)'}`,
    ].join('\n');
    const answer = await vscode.window.showWarningMessage(
      plans.length === 1 ? `Create a Kubeflow Pipelines run "${runName}"?` : `Create ${plans.length} Kubeflow Pipelines runs?`,
      { modal: true, detail: summary },
      'Create',
    );
    if (answer !== 'Create') return undefined;

    const created: KfpRun[] = [];
    try {
      await api.checkMode();
      let experimentId = experiment.id;
      if (experiment.create && experiment.name) experimentId = (await api.ensureExperiment(experiment.name)).experiment.experiment_id;
      for (const plan of plans)
        created.push(await api.createRun(runRequest(ir, plan, { displayName: runName, experimentId, several: plans.length > 1 })));
    } catch (e) {
      const done = created.length ? ` (${created.length} of ${plans.length} runs were created before it)` : '';
      void vscode.window.showErrorMessage(`Kubeflow Pipelines: ${(e as Error).message}${done}`);
    }
    if (!created.length) return created;
    this.log.info(`Kubeflow Pipelines: created ${created.map((r) => `${r.display_name} (${r.run_id})`).join(', ')} at ${api.describe()}`);
    this.runs.track(created);
    void this.reveal(created);
    void this.report(created);
    return created;
  }

  /** A progress notification until every run ends, then which succeeded (as `all(run succeeded)` would say). */
  private async report(created: KfpRun[]): Promise<void> {
    const one = created.length === 1;
    const ended = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: one ? `KFP run "${created[0].display_name}"` : `${created.length} KFP runs`, cancellable: false },
      async (progress) => {
        let done = 0;
        return Promise.all(
          created.map((r) =>
            this.runs.whenDone(r.run_id).then((run) => {
              done++;
              progress.report({ message: `${done} of ${created.length} ended`, increment: 100 / created.length });
              return run;
            }),
          ),
        );
      },
    );
    const failed = ended.filter((r) => r.state !== 'SUCCEEDED');
    const say = failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const text = one
      ? `Kubeflow Pipelines: run "${ended[0].display_name}" ${ended[0].state === 'SUCCEEDED' ? 'succeeded' : `ended ${ended[0].state}`}.`
      : failed.length
        ? `Kubeflow Pipelines: ${ended.length - failed.length} of ${ended.length} runs succeeded; not: ${failed.map((r) => `"${r.display_name}" (${r.state})`).join(', ')}.`
        : `Kubeflow Pipelines: all ${ended.length} runs succeeded.`;
    void say(text);
  }
}

/** Asks one parameter. Undefined: cancelled; LEAVE_OUT: optional and left out (or the default kept). */
async function askParameter(name: string, spec: KfpParameterSpec): Promise<string | typeof LEAVE_OUT | undefined> {
  const type = spec.parameterType ?? 'STRING';
  const hasDefault = spec.defaultValue !== undefined;
  const skippable = hasDefault || !!spec.isOptional;
  const title = `${TITLE}: parameter "${name}" (${type})`;
  const choices: unknown[] | undefined = Array.isArray(spec.literals) && spec.literals.length ? spec.literals : type === 'BOOLEAN' ? [true, false] : undefined;
  if (choices) {
    const items = choices.map((v) => ({
      label: typeof v === 'string' ? v : JSON.stringify(v),
      description: hasDefault && JSON.stringify(v) === JSON.stringify(spec.defaultValue) ? 'default' : undefined,
      value: v,
    }));
    items.sort((a, b) => Number(!!b.description) - Number(!!a.description));
    const picked = await vscode.window.showQuickPick(
      [...items, ...(spec.isOptional && !hasDefault ? [{ label: '(leave out)', description: 'optional', value: LEAVE_OUT }] : [])],
      { title, placeHolder: spec.description, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.value === LEAVE_OUT) return LEAVE_OUT;
    if (hasDefault && JSON.stringify(picked.value) === JSON.stringify(spec.defaultValue)) return LEAVE_OUT;
    return typeof picked.value === 'string' ? picked.value : JSON.stringify(picked.value);
  }
  const defaultText = hasDefault ? valueText(spec.defaultValue) : '';
  const hint = type === 'LIST' ? 'a JSON array' : type === 'STRUCT' ? 'a JSON object' : type === 'NUMBER_INTEGER' ? 'an integer' : type === 'NUMBER_DOUBLE' ? 'a number' : 'a string';
  const answer = await vscode.window.showInputBox({
    title,
    prompt: `${spec.description ? `${spec.description} — ` : ''}${hint}${hasDefault ? ' (the default is prefilled)' : spec.isOptional ? ' (optional: leave empty to leave it out)' : ' (required)'}`,
    value: defaultText,
    ignoreFocusOut: true,
    validateInput: (v) => {
      // an empty answer leaves out what may be left out; for a string it is the empty string otherwise
      if (!v && skippable && type !== 'STRING') return undefined;
      try {
        parseParameterValue(name, spec, v);
        return undefined;
      } catch (e) {
        return e instanceof KfpInputError ? e.message : String(e);
      }
    },
  });
  if (answer === undefined) return undefined;
  if (hasDefault && answer === defaultText) return LEAVE_OUT;
  if (!answer && (type !== 'STRING' ? skippable : spec.isOptional && !hasDefault)) return LEAVE_OUT;
  return answer;
}

/** Asks which parameters to sweep and their values. Undefined: cancelled. */
async function askSweeps(ir: KfpPipelineIr): Promise<[string, string[]][] | undefined> {
  const names = Object.entries(ir.parameters).filter(([, s]) => !['TASK_FINAL_STATUS', 'TASK_CONFIG'].includes(s.parameterType ?? ''));
  if (!names.length) {
    void vscode.window.showWarningMessage('Kubeflow Pipelines: this pipeline has no parameters to sweep.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    names.map(([name, s]) => ({ label: name, description: s.parameterType ?? 'STRING', detail: s.description })),
    { title: 'Kubeflow Pipelines: Sweep — which parameters vary? (every combination of their values runs)', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked?.length) return undefined;
  const out: [string, string[]][] = [];
  for (const p of picked) {
    const spec = ir.parameters[p.label];
    const answer = await vscode.window.showInputBox({
      title: `Kubeflow Pipelines: Sweep — values of "${p.label}" (${spec.parameterType ?? 'STRING'})`,
      prompt: 'Comma-separated values, one run each (JSON for lists and structs: [1,2],[3])',
      value: Array.isArray(spec.literals) ? spec.literals.map(valueText).join(',') : '',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const values = splitSweepValues(v);
        if (!v.trim()) return 'Give at least one value.';
        for (const value of values)
          try {
            parseParameterValue(p.label, spec, value);
          } catch (e) {
            return (e as Error).message;
          }
        return undefined;
      },
    });
    if (answer === undefined) return undefined;
    out.push([p.label, splitSweepValues(answer)]);
  }
  return out;
}

/** The experiment to put the runs in: an existing one, a new one (created after confirmation), or the default. */
async function askExperiment(api: KfpApi): Promise<{ id?: string; name?: string; create?: boolean } | undefined> {
  let experiments: KfpExperiment[] = [];
  let error: string | undefined;
  try {
    experiments = (await api.listExperiments({ pageSize: 100, sortBy: 'created_at desc' })).experiments;
  } catch (e) {
    error = (e as Error).message;
  }
  type Item = vscode.QuickPickItem & { pick: { id?: string; name?: string; create?: boolean } | 'new' };
  const items: Item[] = [
    ...experiments.map((e) => ({ label: e.display_name, description: e.description, pick: { id: e.experiment_id, name: e.display_name } })),
    { label: '$(add) New experiment…', pick: 'new' },
    { label: "The server's default experiment", pick: {} },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE}: experiment${error ? ` (could not list experiments: ${error})` : ''}`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.pick !== 'new') return picked.pick;
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: new experiment`,
    prompt: 'Name of the experiment to create (an existing one of that name is used)',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'An experiment needs a name.'),
  });
  if (name === undefined) return undefined;
  const existing = experiments.find((e) => e.display_name === name.trim());
  return existing ? { id: existing.experiment_id, name: existing.display_name } : { name: name.trim(), create: true };
}

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function fixedOf(parameters: Record<string, unknown>, swept: [string, string[]][]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([k]) => !swept.some(([n]) => n === k)));
}
