/**
 * The `tekton-ls bindings` and `tekton-ls simulate` commands, offline counterparts of tektoncd/triggers'
 * `binding-eval` and `triggerrun -a show`. The lead's CLI dispatcher calls these with the arguments after the
 * command name (a leading command name is tolerated).
 *
 * Exit codes: 0 success (simulate: at least one trigger fired), 3 no trigger fired, 1 error, 2 bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bindingResourceParams, resolveParams, type BindingParam } from '../triggers/simulation/bindings';
import { sourceResourcesFromFile, sourceResourcesUnder, readSecretsFile } from '../triggers/simulation/fileResources';
import { canonicalHeaders } from '../triggers/simulation/goEncoding';
import { parseHttpRequest } from '../triggers/simulation/httpRequest';
import { simulate } from '../triggers/simulation/simulate';
import { formatSimulationTrace } from '../triggers/simulation/trace';
import type { LocalSecrets, SimulationOptions } from '../triggers/simulation/types';

/** Where a command writes; structurally the same as the main CLI's io. */
export interface TriggersCliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

/** Help text of `tekton-ls bindings`. */
export const BINDINGS_USAGE = `Usage: tekton-ls bindings -b BINDINGS_YAML -r HTTP_REQUEST_FILE [--extensions JSON_FILE]
  Resolves the params of the TriggerBindings in BINDINGS_YAML against a raw HTTP request (request line,
  headers, blank line, body) and prints them as a JSON array of {name, value} sorted by name (like binding-eval).
`;

/** Help text of `tekton-ls simulate`. */
export const SIMULATE_USAGE = `Usage: tekton-ls simulate (--eventlistener NAME | -t TRIGGER_YAML) -r HTTP_REQUEST_FILE
                         [--workspace DIR]... [--secrets FILE] [--format yaml|json]
                         [--assume-pass] [--changed-files A,B,...] [--event-id ID] [--uid UID] [--namespace NS]
  Simulates the request against an EventListener (or the Triggers of TRIGGER_YAML) using the Triggers resources
  and Secrets under the workspace folders (default: the current folder), offline.
  yaml: the rendered resources on stdout as YAML documents separated by ---, the trace on stderr.
  json: the whole simulation result on stdout.
  --assume-pass      treat interceptors that cannot run offline (webhook, custom, GitHub API) as passing
  --secrets FILE     local secret values: JSON {"secret": {"key": "value"}} or YAML v1 Secrets
  --changed-files    the files a GitHub addChangedFiles lookup returns for a pull_request event
  Exit status: 0 when a trigger fired, 3 when none did, 1 on error, 2 on bad usage.
`;

type Parsed = { flags: Map<string, string[]>; bools: Set<string> } | { error: string };

/** Parses `--name value`, `--name=value` and short flags; `boolFlags` take no value. */
function parseArgs(
  args: string[],
  valueFlags: Record<string, string>,
  boolFlags: Record<string, string>,
  command: string,
): Parsed {
  const flags = new Map<string, string[]>();
  const bools = new Set<string>();
  const rest = args[0] === command ? args.slice(1) : args;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (boolFlags[key]) {
      bools.add(boolFlags[key]);
      continue;
    }
    const canonical = valueFlags[key];
    if (!canonical) return { error: a.startsWith('-') ? `unknown option ${a}` : `unexpected argument ${a}` };
    const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
    if (value === undefined) return { error: `${key} needs a value` };
    const list = flags.get(canonical);
    if (list) list.push(value);
    else flags.set(canonical, [value]);
  }
  return { flags, bools };
}

function readRequest(path: string, io: TriggersCliIo): ReturnType<typeof parseHttpRequest> | string {
  try {
    return parseHttpRequest(readFileSync(resolve(io.cwd, path)));
  } catch (e) {
    return `error reading HTTP file: ${(e as Error).message}`;
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
 * `tekton-ls bindings -b BINDINGS_YAML -r HTTP_REQUEST_FILE [--extensions JSON_FILE]`: prints the resolved params as
 * `[{"name": …, "value": …}]` sorted by name, as upstream binding-eval does. Unlike binding-eval, a param name
 * repeated across the bindings is an error (as in a real Trigger).
 */
export async function runBindingsCommand(args: string[], io: TriggersCliIo): Promise<number> {
  const parsed = parseArgs(
    args,
    {
      '-b': 'binding',
      '--binding': 'binding',
      '-r': 'request',
      '--http_request': 'request',
      '--http-request': 'request',
      '--extensions': 'extensions',
    },
    { '-h': 'help', '--help': 'help' },
    'bindings',
  );
  if ('error' in parsed) {
    io.stderr(`tekton-ls bindings: ${parsed.error}\n${BINDINGS_USAGE}`);
    return 2;
  }
  if (parsed.bools.has('help')) {
    io.stdout(BINDINGS_USAGE);
    return 0;
  }
  const bindingPath = parsed.flags.get('binding')?.[0];
  const requestPath = parsed.flags.get('request')?.[0];
  if (!bindingPath || !requestPath) {
    io.stderr(`tekton-ls bindings: -b and -r are required\n${BINDINGS_USAGE}`);
    return 2;
  }
  const request = readRequest(requestPath, io);
  if (typeof request === 'string') {
    io.stderr(`tekton-ls bindings: ${request}\n`);
    return 1;
  }
  let params: BindingParam[] = [];
  try {
    for (const src of sourceResourcesFromFile(resolve(io.cwd, bindingPath))) {
      const r = src.resource;
      if (r.kind !== 'TriggerBinding' && r.kind !== 'ClusterTriggerBinding') continue;
      for (const p of src.resource.syntaxProblems.filter((x) => !x.warning))
        throw new Error(`${bindingPath}: ${p.message}`);
      params = params.concat(bindingResourceParams(r.doc.toJS() as Record<string, unknown>, { src, path: [] }, r.kind));
    }
  } catch (e) {
    io.stderr(`tekton-ls bindings: error reading bindings: ${(e as Error).message}\n`);
    return 1;
  }
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) {
      io.stderr(`tekton-ls bindings: duplicate param name: ${p.name}\n`);
      return 1;
    }
    seen.add(p.name);
  }
  let extensions: Record<string, unknown> = {};
  const extPath = parsed.flags.get('extensions')?.[0];
  if (extPath) {
    try {
      const v = JSON.parse(readFileSync(resolve(io.cwd, extPath), 'utf8')) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new Error('the extensions file must hold a JSON object');
      extensions = v as Record<string, unknown>;
    } catch (e) {
      io.stderr(`tekton-ls bindings: error reading extensions: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const resolved = resolveParams(
    params,
    { body: request.body, header: canonicalHeaders(request.headers), extensions, eventID: '' },
    undefined,
  );
  if ('error' in resolved) {
    io.stderr(`tekton-ls bindings: error resolving params: ${resolved.error}\n`);
    return 1;
  }
  io.stdout(goIndentedJson(resolved.params.map((p) => ({ name: p.name, value: p.value ?? '' }))));
  return 0;
}

/**
 * `tekton-ls simulate (--eventlistener NAME | -t TRIGGER_YAML) -r HTTP_REQUEST_FILE [--workspace DIR] [--secrets FILE]
 * [--format yaml|json]`: like `triggerrun -a show`, offline.
 */
export async function runSimulateCommand(args: string[], io: TriggersCliIo): Promise<number> {
  const parsed = parseArgs(
    args,
    {
      '--eventlistener': 'el',
      '-e': 'el',
      '-t': 'trigger',
      '--trigger': 'trigger',
      '--triggerFile': 'trigger',
      '-r': 'request',
      '--http-request': 'request',
      '--httpPath': 'request',
      '--workspace': 'workspace',
      '-w': 'workspace',
      '--secrets': 'secrets',
      '--format': 'format',
      '--changed-files': 'changed',
      '--event-id': 'eventID',
      '--uid': 'uid',
      '--namespace': 'namespace',
    },
    { '--assume-pass': 'assume', '-h': 'help', '--help': 'help' },
    'simulate',
  );
  const usage = (msg: string): number => {
    io.stderr(`tekton-ls simulate: ${msg}\n${SIMULATE_USAGE}`);
    return 2;
  };
  if ('error' in parsed) return usage(parsed.error);
  if (parsed.bools.has('help')) {
    io.stdout(SIMULATE_USAGE);
    return 0;
  }
  const f = (k: string): string | undefined => parsed.flags.get(k)?.[0];
  const elName = f('el');
  const triggerFiles = parsed.flags.get('trigger') ?? [];
  if (!elName === (triggerFiles.length === 0)) return usage('give either --eventlistener NAME or -t TRIGGER_YAML');
  const requestPath = f('request');
  if (!requestPath) return usage('-r HTTP_REQUEST_FILE is required');
  const format = f('format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') return usage(`--format must be yaml or json, not "${format}"`);
  const workspaces = (parsed.flags.get('workspace') ?? (elName ? ['.'] : [])).map((w) => resolve(io.cwd, w));
  for (const w of workspaces) if (!existsSync(w)) return usage(`--workspace ${w}: no such file or directory`);

  const request = readRequest(requestPath, io);
  if (typeof request === 'string') {
    io.stderr(`tekton-ls simulate: ${request}\n`);
    return 1;
  }
  let secrets: LocalSecrets | undefined;
  const secretsPath = f('secrets');
  try {
    if (secretsPath) secrets = readSecretsFile(resolve(io.cwd, secretsPath));
  } catch (e) {
    // The message names the file and the problem, never a value.
    io.stderr(
      `tekton-ls simulate: error reading secrets file ${secretsPath}: ${(e as Error).message.split('\n')[0]}\n`,
    );
    return 1;
  }
  let resources;
  let triggers;
  try {
    resources = sourceResourcesUnder(workspaces);
    triggers = triggerFiles.flatMap((t) => sourceResourcesFromFile(resolve(io.cwd, t)));
  } catch (e) {
    io.stderr(`tekton-ls simulate: ${(e as Error).message}\n`);
    return 1;
  }
  const options: SimulationOptions = {
    assumeUnavailableInterceptorsPass: parsed.bools.has('assume'),
    changedFiles: f('changed')
      ?.split(',')
      .filter((x) => x !== ''),
    eventID: f('eventID'),
    uid: f('uid'),
    defaultNamespace: f('namespace'),
  };
  const result = await simulate({
    request: { method: request.method, url: request.url, headers: request.headers, body: request.body },
    eventListener: elName,
    // Everything in the trigger files is also part of the workspace (bindings and templates next to the Trigger).
    triggers: elName ? undefined : triggers.filter((s) => s.resource.kind === 'Trigger'),
    resources: [...resources, ...triggers.filter((s) => s.resource.kind !== 'Trigger')],
    secrets,
    options,
  });
  if (format === 'json') {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
  } else {
    const docs = result.triggers
      .filter((t) => t.status === 'fired')
      .flatMap((t) => t.resources.map((r) => r.yaml ?? ''));
    if (docs.length) io.stdout(docs.map((d) => `---\n${d}`).join(''));
    io.stderr(formatSimulationTrace(result));
  }
  if (result.problems.some((p) => p.code === 'eventlistener-not-found' || p.code === 'no-trigger')) return 1;
  return result.fired > 0 ? 0 : 3;
}
