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
import { readFile } from 'node:fs/promises';
import { buildActivation, parseHttpRequest } from '../triggers/simulation/httpRequest';
import { parseSecretManifests as readSecretManifests } from '../triggers/simulation/secrets';
import { CelEvaluator } from '../cel/celEvaluator';
import type { SecretStore } from '../cel/celService';

/** Where the command writes. */
export interface CelCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `usage: tekton-ls cel (-e FILE | --expr STRING) -r HTTP_REQUEST_FILE [--extensions JSON_FILE] [--secrets FILE] [--timeout MS]

Evaluates a CEL expression the way the Tekton Triggers CEL interceptor does and prints the result as JSON.

  -e, --expression FILE    file holding the CEL expression
      --expr STRING        the CEL expression itself
  -r, --http-request FILE  raw HTTP request: request line, headers, blank line, body
      --extensions FILE    JSON object used as 'extensions' (values from earlier interceptors; default {})
      --secrets FILE       Kubernetes Secret manifests (YAML, several documents allowed) for compareSecret()
      --timeout MS         stop the evaluation after MS milliseconds (default 1000)
`;

class UsageError extends Error {}

interface Options {
  exprFile?: string;
  expr?: string;
  request?: string;
  extensions?: string;
  secrets?: string;
  timeoutMs: number;
}

function parseArgs(args: string[]): Options | 'help' {
  const opts: Options = { timeoutMs: 1000 };
  const take = (i: number, flag: string, inline?: string): string => {
    if (inline !== undefined) return inline;
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const consumed = inline === undefined ? 1 : 0;
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '-e':
      case '--expression':
        opts.exprFile = take(i, flag, inline);
        i += consumed;
        break;
      case '--expr':
        opts.expr = take(i, flag, inline);
        i += consumed;
        break;
      case '-r':
      case '--http-request':
        opts.request = take(i, flag, inline);
        i += consumed;
        break;
      case '--extensions':
        opts.extensions = take(i, flag, inline);
        i += consumed;
        break;
      case '--secrets':
        opts.secrets = take(i, flag, inline);
        i += consumed;
        break;
      case '--timeout': {
        const v = take(i, flag, inline);
        i += consumed;
        if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, not ${JSON.stringify(v)}`);
        opts.timeoutMs = Number(v);
        break;
      }
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if ((opts.exprFile === undefined) === (opts.expr === undefined)) throw new UsageError('give the expression with exactly one of -e FILE or --expr STRING');
  if (opts.request === undefined) throw new UsageError('-r HTTP_REQUEST_FILE is required');
  return opts;
}

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

/** Runs the command. Resolves to the exit code: 0 result printed, 1 evaluation or input error, 2 bad usage. */
export async function runCelCommand(args: string[], io: CelCommandIo): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`tekton-ls cel: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    io.stdout(USAGE);
    return 0;
  }

  let text: string;
  let activation: Record<string, unknown>;
  let secrets: SecretStore | undefined;
  const source = opts.exprFile ?? '<expression>';
  try {
    text = opts.expr ?? (await readFile(opts.exprFile!, 'utf8'));
    const request = parseHttpRequest(await readFile(opts.request!));
    let extensions: Record<string, unknown> = {};
    if (opts.extensions) {
      const parsed = JSON.parse(await readFile(opts.extensions, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${opts.extensions}: extensions must be a JSON object`);
      extensions = parsed;
    }
    if (opts.secrets) secrets = parseSecretManifests(await readFile(opts.secrets, 'utf8'));
    activation = buildActivation(request, extensions);
  } catch (e) {
    io.stderr(`tekton-ls cel: ${(e as Error).message}\n`);
    return 1;
  }

  const evaluator = new CelEvaluator({ timeoutMs: opts.timeoutMs });
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
