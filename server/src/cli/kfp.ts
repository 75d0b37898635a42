/**
 * `tekton-ls kfp submit`: runs of a compiled Kubeflow pipeline (the IR YAML) in KFP, through the current kube
 * context's API server (service proxy) or an explicit endpoint, with typed parameters, sweeps, an experiment, a
 * confirmation and, with `--follow`, the runs followed to their end. The work is the kube core's (kfpApi.ts,
 * kfpSubmit.ts); this file is the command line around it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { commandRunner, CommandError, UsageError, type CliCommand, type CliIo, type ParsedArgs } from './command';
import { KubeError } from '../kube/errors';
import { currentContext } from '../kube/kubeconfig';
import { KFP_DEFAULT_NAMESPACE, KfpApi, type KfpRun, type KfpTarget } from '../kube/kfpApi';
import {
  defaultRunName,
  followRun,
  KfpInputError,
  loadPipelineIr,
  planRuns,
  runRequest,
  splitSweepValues,
  type KfpPipelineIr,
  type KfpRunPlan,
} from '../kube/kfpSubmit';

/** What `kfp` needs beyond a command's io; each defaults to the process's. */
export interface KfpIo extends CliIo {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Whether stdin is a terminal one can be asked on. */
  stdinIsTTY?: boolean;
  /** Asks a yes/no question on the terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** How `--follow` waits between polls. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export const KFP_USAGE = `Usage:
  tekton-ls kfp submit IR_FILE [--param NAME=VALUE]... [--sweep NAME=V1,V2,...]... [--run-name NAME]
      [--experiment NAME] [--endpoint URL | [--kubeconfig FILE] [--context NAME] [--namespace NS]]
      [--follow] [--yes] [--format text|json]

  Creates runs of a compiled Kubeflow pipeline (IR YAML) in Kubeflow Pipelines (REST API v2beta1).
  --param NAME=VALUE      a pipeline parameter, typed as the pipeline declares it (LIST/STRUCT as JSON)
  --sweep NAME=V1,V2,...  one run per value; several sweeps: one run per combination
  --run-name NAME         the runs' display name (default: the pipeline's name and the time)
  --experiment NAME       put the runs in this experiment (created when missing)
  --endpoint URL          the KFP API base URL (token from KFP_TOKEN, or the file KF_PIPELINES_SA_TOKEN_PATH)
  --kubeconfig FILE, --context NAME, --namespace NS
                          otherwise: the kube context's API server, service ml-pipeline in NS (default kubeflow)
  --follow                wait until every run ends; exit 0 only when all SUCCEEDED
  --yes                   do not ask for confirmation (needed when stdin is not a terminal)
  --format text|json      json: stdout is one array of {run_id, display_name, state, parameters}
`;

/** One line of `--format json`. */
export interface KfpSubmitResult {
  run_id: string;
  display_name: string;
  state: string | undefined;
  parameters: Record<string, unknown>;
}

const kfpCommand: CliCommand<KfpIo> = {
  name: 'kfp',
  usage: KFP_USAGE,
  args: {
    flags: {
      param: { type: 'string' },
      sweep: { type: 'string' },
      'run-name': { type: 'string' },
      experiment: { type: 'string' },
      endpoint: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string' },
      follow: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      format: {
        type: 'string',
        check: (f) => {
          if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${f}"`, false);
        },
      },
      help: { type: 'boolean', short: 'h' },
    },
    operands: true,
  },
  run: (args, io) => {
    const [sub, ...rest] = args.operands;
    if (sub === undefined) throw new UsageError('no subcommand given (kfp submit)');
    if (sub !== 'submit') throw new UsageError(`unknown subcommand "${sub}"`);
    if (rest.length === 0) throw new UsageError('no IR_FILE given');
    if (rest.length > 1) throw new UsageError(`unexpected argument ${rest[1]}`);
    return submit(rest[0], args, withDefaults(io));
  },
};

/** `tekton-ls kfp ...` with the process's terminal, environment and clock for whatever `io` leaves out. */
export const runKfpCommand = commandRunner(kfpCommand);

function withDefaults(io: KfpIo): Required<KfpIo> {
  return {
    ...io,
    env: io.env ?? process.env,
    homeDir: io.homeDir ?? '',
    stdinIsTTY: io.stdinIsTTY ?? !!process.stdin.isTTY,
    confirm: io.confirm ?? askOnTerminal,
    sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: io.now ?? (() => new Date()),
  };
}

async function submit(file: string, args: ParsedArgs, io: Required<KfpIo>): Promise<number> {
  const json = args.last('format') === 'json';
  // in JSON mode stdout carries only the result array
  const say = (s: string) => (json ? io.stderr(s) : io.stdout(s));
  if (args.has('endpoint') && (args.has('kubeconfig') || args.has('context') || args.has('namespace')))
    throw new UsageError('--endpoint cannot be combined with --kubeconfig, --context or --namespace');

  // everything local first: nothing is sent when the file or a parameter is wrong
  let ir: KfpPipelineIr;
  let plans: KfpRunPlan[];
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, false);
  }
  try {
    ir = loadPipelineIr(text);
    plans = planRuns(
      ir,
      args.all('param').map((p) => splitAssignment('--param', p)),
      args.all('sweep').map((s) => {
        const [name, values] = splitAssignment('--sweep', s);
        return [name, splitSweepValues(values)] as const;
      }),
    );
  } catch (e) {
    if (e instanceof KfpInputError) throw new UsageError(`${e.parameter === undefined ? `${file}: ` : ''}${e.message}`, false);
    throw e;
  }

  const api = new KfpApi(target(args, io), {
    endpointAdvice: 'pass --endpoint URL (e.g. http://localhost:8888 after `kubectl port-forward -n kubeflow svc/ml-pipeline 8888`) and KFP_TOKEN set to',
  });
  const displayName = args.last('run-name') || defaultRunName(ir, io.now());
  const several = plans.length > 1;
  const experimentName = args.last('experiment');
  say(`Target: ${api.describe()}\n`);
  if (experimentName) say(`Experiment: ${experimentName}\n`);
  say(`${plans.length} run(s) of pipeline "${ir.name}"${ir.platformSpec ? ' (with its platform spec)' : ''}:\n`);
  const bodies = plans.map((plan) => runRequest(ir, plan, { displayName, several }));
  for (const b of bodies) say(`  ${b.display_name}  ${JSON.stringify(b.runtime_config?.parameters ?? {})}\n`);

  if (!args.has('yes')) {
    if (!io.stdinIsTTY) throw new UsageError('stdin is not a terminal to confirm on: pass --yes to submit without asking', false);
    if (!(await io.confirm(`Submit ${plans.length} run(s)? [y/N] `))) {
      say('Nothing submitted.\n');
      return 1;
    }
  }

  const results: KfpSubmitResult[] = [];
  const runs: KfpRun[] = [];
  try {
    await api.checkMode();
    let experimentId: string | undefined;
    if (experimentName) {
      const { experiment, created } = await api.ensureExperiment(experimentName);
      experimentId = experiment.experiment_id;
      say(`${created ? 'Created' : 'Using'} experiment "${experimentName}" (${experimentId})\n`);
    }
    for (let i = 0; i < bodies.length; i++) {
      const body = experimentId ? { ...bodies[i], experiment_id: experimentId } : bodies[i];
      const run = await api.createRun(body);
      runs.push(run);
      results.push({
        run_id: run.run_id,
        display_name: run.display_name ?? body.display_name,
        state: run.state,
        parameters: plans[i].parameters,
      });
      say(`Created run ${run.run_id} "${run.display_name ?? body.display_name}" (${run.state ?? 'state unknown'})\n`);
    }
    if (args.has('follow')) {
      const label = (r: KfpRun) => (several ? `[${r.display_name ?? r.run_id}] ` : '');
      const finals = await Promise.all(
        runs.map((r) =>
          followRun(api, r.run_id, {
            sleep: io.sleep,
            onRunState: (run, state, previous) => {
              if (previous !== undefined) say(`${label(run)}run ${state ?? 'unknown'}\n`);
            },
            onTaskState: (run, task, state) => say(`${label(run)}  task ${task}: ${state ?? 'unknown'}\n`),
          }),
        ),
      );
      finals.forEach((f, i) => (results[i].state = f.state));
      for (const f of finals)
        if (f.state !== 'SUCCEEDED')
          say(`Run ${f.run_id} "${f.display_name ?? ''}" ended ${f.state}${f.error?.message ? `: ${f.error.message}` : ''}\n`);
    }
  } catch (e) {
    if (json && results.length) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
    if (e instanceof KubeError) throw new CommandError(e.message, 1);
    throw e;
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  if (!args.has('follow')) return 0;
  return results.every((r) => r.state === 'SUCCEEDED') ? 0 : 1;
}

/** `--endpoint` (with KFP_TOKEN or the token file KF_PIPELINES_SA_TOKEN_PATH), else the kube context's proxy. */
function target(args: ParsedArgs, io: Required<KfpIo>): KfpTarget {
  const endpoint = args.last('endpoint');
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`--endpoint must be an http(s) URL, not "${endpoint}"`, false);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--endpoint must be an http(s) URL, not "${endpoint}"`, false);
    let token = io.env.KFP_TOKEN?.trim() || undefined;
    const tokenFile = io.env.KF_PIPELINES_SA_TOKEN_PATH;
    if (!token && tokenFile) {
      try {
        token = readFileSync(resolve(io.cwd, tokenFile), 'utf8').trim() || undefined;
      } catch (e) {
        throw new CommandError(`the token file KF_PIPELINES_SA_TOKEN_PATH=${tokenFile} cannot be read: ${(e as Error).message}`, 1);
      }
    }
    return { kind: 'endpoint', url: endpoint, token };
  }
  const kubeconfig = args.last('kubeconfig');
  const env = kubeconfig !== undefined ? { ...io.env, KUBECONFIG: resolve(io.cwd, kubeconfig) } : io.env;
  try {
    const context = currentContext({ context: args.last('context') }, { env, homeDir: io.homeDir || undefined });
    return { kind: 'proxy', context, namespace: args.last('namespace') || KFP_DEFAULT_NAMESPACE };
  } catch (e) {
    if (e instanceof KubeError) throw new CommandError(e.message, 1);
    throw e;
  }
}

function splitAssignment(flag: string, text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} needs NAME=VALUE, not "${text}"`, false);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolvePromise) => {
    rl.question(question, (answer) => {
      rl.close();
      resolvePromise(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
