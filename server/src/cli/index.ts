/**
 * The `tekton-ls` command line: the dispatcher, the overall usage text and the `check` command. Every command parses
 * its arguments with the one parser of command.ts and returns its exit code; main.ts sets it on the process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { celCommand } from './cel';
import { commandRunner, UsageError, type CliCommand, type CliIo, type ParsedArgs } from './command';
import { bindingsCommand, simulateCommand } from './triggers';
import { TektonDocument } from '../document/tektonDocument';
import { getLanguageService, isOurs } from '../service/languageService';
import { Problem } from '../document/problem';
import { FileSystemWorkspace } from '../workspace/workspace';
import { yamlFilesUnder } from '../workspace/yamlFiles';

export type { CliIo } from './command';

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
};

const USAGE = `Usage:
  tekton-ls --stdio                                   start the language server on stdin/stdout
  tekton-ls cel (-e FILE | --expr STRING) -r HTTP_REQUEST_FILE [--extensions JSON_FILE] [--secrets FILE]
                                                      evaluate CEL as Tekton's CEL interceptor does (like cel-eval)
  tekton-ls bindings -b BINDINGS_YAML -r HTTP_REQUEST_FILE [--extensions JSON_FILE]
                                                      resolve TriggerBinding params (like binding-eval)
  tekton-ls simulate (--eventlistener NAME | -t TRIGGER_YAML) -r HTTP_REQUEST_FILE [--workspace DIR]
                     [--secrets FILE] [--format yaml|json]
                                                      run an event through interceptors, bindings and templates
  tekton-ls check [--format text|json] [--workspace DIR] PATH...
                                                      report diagnostics of Tekton YAML files or folders;
                                                      --workspace: resolve references across the files of DIR
`;

/** A diagnostic as `check --format json` prints it. */
export interface CheckResult {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Problem['severity'];
  code: string;
  message: string;
  source: string;
}

/**
 * `tekton-ls check [--format text|json] [--workspace DIR] PATH...`: the editor's diagnostics for files and folders
 * (recursing into *.yaml/*.yml). Exit 1 when any error was found, 0 otherwise, 2 on bad usage. A flag given twice
 * counts as the last one.
 */
const checkCommand: CliCommand = {
  name: 'check',
  usage: USAGE,
  args: (io) => ({
    flags: {
      format: {
        type: 'string',
        check: (format) => {
          if (format !== 'text' && format !== 'json')
            throw new UsageError(`--format must be text or json, not "${format}"`, false);
        },
      },
      workspace: {
        type: 'string',
        check: (dir) => {
          if (!dir || !existsSync(resolve(io.cwd, dir))) throw new UsageError('--workspace needs an existing folder', false);
        },
      },
    },
    operands: true,
    missingValueIsEmpty: true,
  }),
  run: check,
};

async function check(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = args.last('format') ?? 'text';
  const workspaceDir = args.last('workspace');
  if (args.operands.length === 0) throw new UsageError('no PATH given');
  const files: string[] = [];
  for (const p of args.operands) {
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) throw new UsageError(`${p}: no such file or directory`, false);
    for (const file of yamlFilesUnder(abs)) files.push(file);
  }
  const validate = await validator(workspaceDir === undefined ? undefined : resolve(io.cwd, workspaceDir));
  const results: CheckResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      io.stderr(`tekton-ls check: ${file}: ${(err as Error).message}\n`);
      continue;
    }
    const doc = new TektonDocument(pathToFileURL(file).toString(), 0, text);
    if (!isOurs(doc) && !doc.skippedReason) continue;
    const shown = relative(io.cwd, file) || file;
    for (const p of validate(doc))
      results.push({
        file: shown,
        range: { start: doc.positionAt(p.start), end: doc.positionAt(p.end) },
        severity: p.severity,
        code: p.code,
        message: p.message,
        source: p.source,
      });
  }
  if (format === 'json') io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  else {
    for (const r of results)
      io.stdout(`${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.severity} ${r.code}: ${r.message} [${r.source}]\n`);
    const errors = results.filter((r) => r.severity === 'error').length;
    io.stdout(`${files.length} file(s) checked, ${errors} error(s), ${results.length - errors} other diagnostic(s)\n`);
  }
  return results.some((r) => r.severity === 'error') ? 1 : 0;
}

/**
 * The one place `check` reaches the language service: a function giving a document's problems as the editor shows
 * them, plus, with a workspace folder, the cross-file problems against an index of that folder (the document itself
 * is added to the index, also when it lies outside the folder).
 */
async function validator(workspaceDir: string | undefined): Promise<(doc: TektonDocument) => Problem[]> {
  if (workspaceDir === undefined) {
    const service = getLanguageService();
    return (doc) => service.doValidation(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
  }
  // Cross-file rules once the crawl is done, with the file itself indexed also when it lies outside the folder.
  const service = getLanguageService({ workspace: new FileSystemWorkspace([workspaceDir]) });
  await service.index.ready();
  return (doc) => {
    service.index.update(doc);
    return service.doValidation(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
  };
}

/** The commands by name; each parses its arguments with the one parser of command.ts. */
const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  check: commandRunner(checkCommand),
  cel: commandRunner(celCommand),
  bindings: commandRunner(bindingsCommand),
  simulate: commandRunner(simulateCommand),
  help: async (_args, io) => {
    io.stdout(USAGE);
    return 0;
  },
};

/** True when the arguments name a CLI command rather than an LSP transport. */
export function isCliCommand(argv: string[]): boolean {
  const first = argv[0];
  return first !== undefined && (first in COMMANDS || first === '--help' || first === '-h' || !first.startsWith('--'));
}

/**
 * Runs a CLI command; resolves to the process exit code (2 on bad usage). Output goes through `io` only: the caller
 * sets the exit code and lets the process end by itself, so that piped output is never cut short.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') return COMMANDS.help(rest, io);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`tekton-ls: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return command(rest, io);
}
