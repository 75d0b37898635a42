import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCelCommand } from './cel';
import { runBindingsCommand, runSimulateCommand } from './triggers';
import { TektonDocument } from '../document/tektonDocument';
import { getLanguageService } from '../service/languageService';
import { Problem } from '../document/problem';
import { crossFileProblems, summarizeDeclarations } from '../service/crossFile';
import { FileSystemWorkspace } from '../workspace/workspace';
import { WorkspaceIndex } from '../workspace/workspaceIndex';

/** What the CLI writes to; tests pass their own. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

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

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  check: runCheck,
  cel: (args, io) => runCelCommand(args, io),
  bindings: (args, io) => runBindingsCommand(args, io),
  simulate: (args, io) => runSimulateCommand(args, io),
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

/** Runs a CLI command; resolves to the process exit code (2 on bad usage). */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') return COMMANDS.help(rest, io);
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`tekton-ls: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return command(rest, io);
}

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
 * `tekton-ls check [--format text|json] PATH...`: the editor's diagnostics for files and folders (recursing into
 * *.yaml/*.yml). Exit 1 when any error was found, 0 otherwise, 2 on bad usage.
 */
async function runCheck(args: string[], io: CliIo): Promise<number> {
  let format = 'text';
  let workspaceDir: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--workspace' || a.startsWith('--workspace=')) {
      workspaceDir = a.includes('=') ? a.slice('--workspace='.length) : args[++i];
      if (!workspaceDir || !existsSync(resolve(io.cwd, workspaceDir))) {
        io.stderr(`tekton-ls check: --workspace needs an existing folder\n`);
        return 2;
      }
    } else if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.slice('--format='.length) : (args[++i] ?? '');
      if (format !== 'text' && format !== 'json') {
        io.stderr(`tekton-ls check: --format must be text or json, not "${format}"\n`);
        return 2;
      }
    } else if (a.startsWith('-')) {
      io.stderr(`tekton-ls check: unknown option ${a}\n${USAGE}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    io.stderr(`tekton-ls check: no PATH given\n${USAGE}`);
    return 2;
  }
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) {
      io.stderr(`tekton-ls check: ${p}: no such file or directory\n`);
      return 2;
    }
    collectYaml(abs, files);
  }
  const service = getLanguageService();
  let index: WorkspaceIndex | undefined;
  if (workspaceDir) {
    index = new WorkspaceIndex(new FileSystemWorkspace([resolve(io.cwd, workspaceDir)]), summarizeDeclarations);
    await index.ready();
  }
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
    if (!doc.isOurs && !doc.skippedReason) continue;
    const shown = relative(io.cwd, file) || file;
    const problems = service.doValidation(doc, { maxProblems: Number.MAX_SAFE_INTEGER });
    if (index) {
      index.update(doc); // the file itself, also when it lies outside the workspace folder
      problems.push(...crossFileProblems(doc, index));
    }
    for (const p of problems)
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

function collectYaml(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const child = join(path, name);
    const cst = statSync(child);
    if (cst.isDirectory()) collectYaml(child, out);
    else if (/\.ya?ml$/i.test(name)) out.push(child);
  }
}
