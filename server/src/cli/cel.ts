/**
 * `tekton-ls cel`: evaluates a Triggers CEL expression against a raw HTTP request file, like Tekton's
 * `cel-eval` developer tool (tektoncd/triggers cmd/cel-eval), with two additions cel-eval lacks: the
 * `extensions` of earlier interceptors (`--extensions`) and Kubernetes Secrets for compareSecret()
 * (`--secrets`).
 *
 *   tekton-ls cel (-e FILE | --expr STRING) -r HTTP_REQUEST_FILE [--extensions JSON_FILE] [--secrets FILE]
 *
 * The result is printed as JSON on stdout (exit 0); an error on stderr (exit 1); bad usage exits 2.
 */
import { resolve } from 'node:path';
import { InputFileError, readInputFile } from '../workspace/inputFile';
import { buildActivation, parseHttpRequest } from '../triggers/simulation/httpRequest';
import { parseSecretManifests as readSecretManifests } from '../triggers/simulation/secrets';
import { CelEvaluator } from '../cel/celEvaluator';
import type { SecretStore } from '../cel/celService';
import { CommandError, commandRunner, UsageError, type CliCommand, type CliOutput, type ParsedArgs } from './command';

/** Where the command writes (it reads paths as given, from the process's folder). */
/** Where cel writes; `cwd` (default the process's) is where its relative paths start. */
export type CelCommandIo = CliOutput & { cwd?: string };

const USAGE = `usage: tekton-ls cel (-e FILE | --expr STRING) -r HTTP_REQUEST_FILE [--extensions JSON_FILE] [--secrets FILE] [--timeout MS]

Evaluates a CEL expression the way the Tekton Triggers CEL interceptor does and prints the result as JSON.

  -e, --expression FILE    file holding the CEL expression
      --expr STRING        the CEL expression itself
  -r, --http-request FILE  raw HTTP request: request line, headers, blank line, body
      --extensions FILE    JSON object used as 'extensions' (values from earlier interceptors; default {})
      --secrets FILE       Kubernetes Secret manifests (YAML, several documents allowed) for compareSecret()
      --timeout MS         stop the evaluation after MS milliseconds (default 1000)
`;

/** The Secrets of manifests as compareSecret() reads them: by name (the namespace argument is ignored upstream). */
export function parseSecretManifests(text: string): SecretStore {
  const store: SecretStore = {};
  for (const secret of readSecretManifests(text)) store[secret.name] = { ...store[secret.name], ...secret.values };
  return store;
}

/** 1-based line and column of an offset, and the text of that line. */
function locate(text: string, offset: number): { line: number; col: number; lineText: string } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  return { line, col: offset - lineStart + 1, lineText: text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd) };
}

/** `tekton-ls cel`. Exit codes: 0 result printed, 1 evaluation or input error, 2 bad usage. */
export const celCommand: CliCommand<CelCommandIo> = {
  name: 'cel',
  usage: USAGE,
  args: {
    flags: {
      help: { type: 'boolean', short: 'h', stopsParsing: true },
      expression: { type: 'string', short: 'e' },
      expr: { type: 'string' },
      'http-request': { type: 'string', short: 'r' },
      extensions: { type: 'string' },
      secrets: { type: 'string' },
      timeout: {
        type: 'string',
        check: (v) => {
          if (!/^\d+$/.test(v) || Number(v) <= 0)
            throw new UsageError(`--timeout must be a positive number of milliseconds, not ${JSON.stringify(v)}`);
        },
      },
    },
    quoteUnexpected: true,
  },
  run: evaluate,
};

/** Runs the command. Resolves to the exit code: 0 result printed, 1 evaluation or input error, 2 bad usage. */
export const runCelCommand = commandRunner(celCommand);

async function evaluate(args: ParsedArgs, io: CelCommandIo): Promise<number> {
  const exprFile = args.last('expression');
  const expr = args.last('expr');
  const requestFile = args.last('http-request');
  if ((exprFile === undefined) === (expr === undefined)) throw new UsageError('give the expression with exactly one of -e FILE or --expr STRING');
  if (requestFile === undefined) throw new UsageError('-r HTTP_REQUEST_FILE is required');
  const extensionsFile = args.last('extensions');
  const secretsFile = args.last('secrets');
  const timeout = args.last('timeout');

  let text: string;
  let activation: Record<string, unknown>;
  let secrets: SecretStore | undefined;
  const source = exprFile ?? '<expression>';
  try {
    const named = (p: string) => readInputFile(resolve(io.cwd ?? process.cwd(), p), p);
    text = expr ?? named(exprFile!).toString('utf8');
    const request = parseHttpRequest(named(requestFile));
    let extensions: Record<string, unknown> = {};
    if (extensionsFile) {
      const parsed = JSON.parse(named(extensionsFile).toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${extensionsFile}: extensions must be a JSON object`);
      extensions = parsed;
    }
    if (secretsFile) {
      const text = named(secretsFile).toString('utf8');
      try {
        secrets = parseSecretManifests(text);
      } catch (err) {
        // secrets.ts keeps values out of its messages; the file is named, never quoted
        throw new Error(`error reading secrets file ${secretsFile}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    activation = buildActivation(request, extensions);
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new CommandError((e as Error).message);
  }

  const evaluator = new CelEvaluator({ timeoutMs: timeout === undefined ? 1000 : Number(timeout) });
  try {
    const outcome = await evaluator.evaluate({ text, envId: 'triggers', activation, secrets });
    if (outcome.ok) {
      io.stdout(`${outcome.display}\n`);
      return 0;
    }
    if (outcome.start !== undefined) {
      const { line, col, lineText } = locate(text, outcome.start);
      const width = Math.max(1, Math.min((outcome.end ?? outcome.start + 1) - outcome.start, lineText.length - col + 1));
      io.stderr(`ERROR: ${source}:${line}:${col}: ${outcome.error}\n | ${lineText}\n | ${' '.repeat(col - 1)}${'^'.repeat(width)}\n`);
    } else {
      io.stderr(`ERROR: ${source}: ${outcome.error}\n`);
    }
    return 1;
  } finally {
    await evaluator.dispose();
  }
}
