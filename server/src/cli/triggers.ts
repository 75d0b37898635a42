/**
 * The `tekton-ls bindings` and `tekton-ls simulate` commands, offline counterparts of tektoncd/triggers'
 * `binding-eval` and `triggerrun -a show`. They take the arguments after the command name (a leading command name is
 * tolerated, as upstream's tools are used); the simulation itself is triggers/simulation/run.ts, shared with the
 * language server.
 *
 * Exit codes: 0 success (simulate: at least one trigger fired), 3 no trigger fired, 1 error, 2 bad usage.
 */
import { toPlainData } from '../document/plain';
import { existsSync } from 'node:fs';
import { InputFileError, readInputFile, statInput } from '../workspace/inputFile';
import { resolve } from 'node:path';
import { bindingResourceParams, resolveParams, type BindingParam } from '../triggers/simulation/bindings';
import { sourceResourcesFromFile, sourceResourcesUnder } from '../triggers/simulation/fileResources';
import { canonicalHeaders } from '../triggers/simulation/goEncoding';
import { parseHttpRequest } from '../triggers/simulation/httpRequest';
import { readSecretsFileSafely, renderedYaml, runSimulation } from '../triggers/simulation/run';
import { formatSimulationTrace } from '../triggers/simulation/trace';
import type { LocalSecrets, SimulationResult, SourceResource } from '../triggers/simulation/types';
import { CommandError, commandRunner, UsageError, type CliCommand, type CliIo, type FlagSpec, type ParsedArgs } from './command';

/** Where a command writes; the main CLI's io. */
export type TriggersCliIo = CliIo;

/** Help text of `tekton-ls bindings`. */
export const BINDINGS_USAGE = `Usage: tekton-ls bindings -b BINDINGS_YAML -r HTTP_REQUEST_FILE [--extensions JSON_FILE]
  Resolves the params of the TriggerBindings in BINDINGS_YAML against a raw HTTP request (request line,
  headers, blank line, body) and prints them as a JSON array of {name, value} sorted by name (like binding-eval).
`;

/** Help text of `tekton-ls simulate`. */
export const SIMULATE_USAGE = `Usage: tekton-ls simulate (--eventlistener NAME | -t TRIGGER_YAML) -r HTTP_REQUEST_FILE
                         [--workspace DIR]... [--secrets FILE] [--format yaml|json]
                         [--assume-pass] [--sign] [--changed-files A,B,...] [--event-id ID] [--uid UID] [--namespace NS]
  Simulates the request against an EventListener (or the Triggers of TRIGGER_YAML) using the Triggers resources
  and Secrets under the workspace folders (default: the current folder), offline.
  yaml: the rendered resources on stdout as YAML documents separated by ---, the trace on stderr.
  json: the whole simulation result on stdout.
  --assume-pass      treat interceptors that cannot run offline (webhook, custom, GitHub API) as passing
  --sign             sign the request where an interceptor with a secretRef finds no signature or token (GitHub
                     X-Hub-Signature-256, Bitbucket X-Hub-Signature, GitLab X-Gitlab-Token), with the secret it names
  --secrets FILE     local secret values: JSON {"secret": {"key": "value"}} or YAML v1 Secrets
  --changed-files    the files a GitHub addChangedFiles lookup returns for a pull_request event
  Exit status: 0 when a trigger fired, 3 when none did, 1 on error, 2 on bad usage.
`;

/** The raw HTTP request of a file; a CommandError when it cannot be read. */
function readRequest(path: string, io: TriggersCliIo): ReturnType<typeof parseHttpRequest> {
  try {
    return parseHttpRequest(readInputFile(resolve(io.cwd, path), path));
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new CommandError(`error reading HTTP file: ${(e as Error).message}`);
  }
}

/** Go's json.Encoder with SetIndent("", "  "): two-space indent, HTML characters escaped, trailing newline. */
function goIndentedJson(v: unknown): string {
  return (
    JSON.stringify(v, null, 2).replace(
      /[<>&\u2028\u2029]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
    ) + '\n'
  );
}

/**
 * A command used like its upstream tool (binding-eval, triggerrun): `-h`/`--help` read with the rest of the line (a
 * bad flag anywhere still fails), and the command's own name tolerated as first argument.
 */
function upstreamStyleCommand(
  name: string,
  usage: string,
  flags: Record<string, FlagSpec>,
  run: CliCommand['run'],
): CliCommand {
  return { name, usage, args: { flags: { help: { type: 'boolean', short: 'h' }, ...flags }, skipFirst: name }, run };
}

/**
 * `tekton-ls bindings -b BINDINGS_YAML -r HTTP_REQUEST_FILE [--extensions JSON_FILE]`: prints the resolved params as
 * `[{"name": …, "value": …}]` sorted by name, as upstream binding-eval does. Unlike binding-eval, a param name
 * repeated across the bindings is an error (as in a real Trigger).
 */
export const bindingsCommand = upstreamStyleCommand(
  'bindings',
  BINDINGS_USAGE,
  {
    binding: { type: 'string', short: 'b' },
    'http-request': { type: 'string', short: 'r', aliases: ['http_request'] },
    extensions: { type: 'string' },
  },
  resolveBindings,
);

export const runBindingsCommand = commandRunner(bindingsCommand);

async function resolveBindings(args: ParsedArgs, io: TriggersCliIo): Promise<number> {
  const bindingPath = args.first('binding');
  const requestPath = args.first('http-request');
  if (!bindingPath || !requestPath) throw new UsageError('-b and -r are required');
  const request = readRequest(requestPath, io);
  let params: BindingParam[] = [];
  try {
    for (const src of sourceResourcesFromFile(resolve(io.cwd, bindingPath), bindingPath)) {
      const r = src.resource;
      if (r.kind !== 'TriggerBinding' && r.kind !== 'ClusterTriggerBinding') continue;
      for (const p of src.resource.syntaxProblems.filter((x) => !x.warning))
        throw new Error(`${bindingPath}: ${p.message}`);
      const plain = toPlainData(r.doc);
      if ('error' in plain) throw new Error(`${bindingPath}: ${plain.error}`);
      params = params.concat(bindingResourceParams(plain.value as Record<string, unknown>, { src, path: [] }, r.kind));
    }
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new CommandError(`error reading bindings: ${(e as Error).message}`);
  }
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new CommandError(`duplicate param name: ${p.name}`);
    seen.add(p.name);
  }
  let extensions: Record<string, unknown> = {};
  const extPath = args.first('extensions');
  if (extPath) {
    try {
      const v = JSON.parse(readInputFile(resolve(io.cwd, extPath), extPath).toString('utf8')) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new Error('the extensions file must hold a JSON object');
      extensions = v as Record<string, unknown>;
    } catch (e) {
      if (e instanceof InputFileError) throw e;
      throw new CommandError(`error reading extensions: ${(e as Error).message}`);
    }
  }
  const resolved = resolveParams(
    params,
    { body: request.body, header: canonicalHeaders(request.headers), extensions, eventID: '' },
    undefined,
  );
  if ('error' in resolved) throw new CommandError(`error resolving params: ${resolved.error}`);
  io.stdout(goIndentedJson(resolved.params.map((p) => ({ name: p.name, value: p.value ?? '' }))));
  return 0;
}

/**
 * `tekton-ls simulate (--eventlistener NAME | -t TRIGGER_YAML) -r HTTP_REQUEST_FILE [--workspace DIR]... [--secrets FILE]
 * [--format yaml|json]`: like `triggerrun -a show`, offline. A flag given twice counts once (the first), except the
 * repeatable `-t` and `--workspace`.
 */
export const simulateCommand = upstreamStyleCommand(
  'simulate',
  SIMULATE_USAGE,
  {
    eventlistener: { type: 'string', short: 'e' },
    trigger: { type: 'string', short: 't', aliases: ['triggerFile'] },
    'http-request': { type: 'string', short: 'r', aliases: ['httpPath'] },
    workspace: { type: 'string', short: 'w' },
    secrets: { type: 'string' },
    format: { type: 'string' },
    'changed-files': { type: 'string' },
    'event-id': { type: 'string' },
    uid: { type: 'string' },
    namespace: { type: 'string' },
    'assume-pass': { type: 'boolean' },
    sign: { type: 'boolean' },
  },
  simulateEvent,
);

export const runSimulateCommand = commandRunner(simulateCommand);

async function simulateEvent(args: ParsedArgs, io: TriggersCliIo): Promise<number> {
  const elName = args.first('eventlistener');
  const triggerFiles = args.all('trigger');
  if (!elName === (triggerFiles.length === 0)) throw new UsageError('give either --eventlistener NAME or -t TRIGGER_YAML');
  const requestPath = args.first('http-request');
  if (!requestPath) throw new UsageError('-r HTTP_REQUEST_FILE is required');
  const format = args.first('format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not "${format}"`);
  const workspaces = (args.has('workspace') ? args.all('workspace') : elName ? ['.'] : []).map((w) => resolve(io.cwd, w));
  for (const [i, w] of workspaces.entries()) if (!existsSync(w)) statInput(w, args.all('workspace')[i] ?? w);

  const request = readRequest(requestPath, io);
  let secrets: LocalSecrets | undefined;
  const secretsPath = args.first('secrets');
  if (secretsPath) {
    // a path that names no readable file is bad usage, said as for every named file; a malformed file is an error
    statInput(resolve(io.cwd, secretsPath), secretsPath);
    const read = readSecretsFileSafely(resolve(io.cwd, secretsPath));
    if ('error' in read) throw new CommandError(`error reading secrets file ${secretsPath}: ${read.error}`);
    secrets = read.secrets;
  }
  let resources: SourceResource[];
  let triggerDocs: SourceResource[];
  try {
    resources = sourceResourcesUnder(workspaces);
    triggerDocs = triggerFiles.flatMap((t) => sourceResourcesFromFile(resolve(io.cwd, t), t));
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new CommandError((e as Error).message);
  }
  const result = await runSimulation({
    // Everything in the trigger files is also part of the workspace (bindings and templates next to the Trigger).
    target: elName ?? triggerDocs.filter((s) => s.resource.kind === 'Trigger'),
    request,
    resources: [...resources, ...triggerDocs.filter((s) => s.resource.kind !== 'Trigger')],
    secrets,
    options: {
      assumeUnavailableInterceptorsPass: args.has('assume-pass'),
      signSample: args.has('sign'),
      changedFiles: args
        .first('changed-files')
        ?.split(',')
        .filter((x) => x !== ''),
      eventID: args.first('event-id'),
      uid: args.first('uid'),
      defaultNamespace: args.first('namespace'),
    },
  });
  if (format === 'json') {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
  } else {
    const yaml = renderedYaml(result);
    if (yaml) io.stdout(yaml);
    io.stderr(formatSimulationTrace(result));
  }
  return exitCode(result);
}

/** 1 when there was nothing to run, 0 when a trigger fired, 3 when none did. */
function exitCode(result: SimulationResult): number {
  if (result.problems.some((p) => p.code === 'eventlistener-not-found' || p.code === 'no-trigger')) return 1;
  if (result.triggers.length === 0 && result.problems.some((p) => p.code === 'document-refused')) return 1;
  return result.fired > 0 ? 0 : 3;
}
