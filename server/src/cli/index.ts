/**
 * The `tekton-ls` command line: the dispatcher, the overall usage text and the `check` command. Every command parses
 * its arguments with the one parser of command.ts and returns its exit code; main.ts sets it on the process.
 */
import { celCommand } from './cel';
import { checkCommand } from './check';
import { commandRunner, type CliIo } from './command';
import { graphCommand } from './graph';
import { runKfpCommand } from './kfp';
import { runPacCommand } from './pac';
import { bindingsCommand, simulateCommand } from './triggers';

export type { CliIo } from './command';
export type { CheckResult } from './check';

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
  tekton-ls check [--format text|json] [--workspace DIR] [--exclude GLOB]... PATH...
                                                      report diagnostics of Tekton YAML files or folders; references
                                                      resolve across PATHs and the files of DIR; .git, node_modules
                                                      and GLOBs (relative to each folder) are skipped
  tekton-ls graph FILE [--name NAME] [--format json|dot|svg]
                                                      the task graph of a Pipeline, a PipelineRun or a compiled
                                                      Kubeflow pipeline (nodes, edges and why each edge exists)
  tekton-ls kfp submit IR_FILE [--param NAME=VALUE]... [--sweep NAME=V1,V2,...]... [--run-name NAME]
                [--experiment NAME] [--endpoint URL | [--kubeconfig FILE] [--context NAME] [--namespace NS]]
                [--follow] [--yes] [--format text|json]
                                                      create (and follow) runs of a compiled Kubeflow pipeline
  tekton-ls pac match -r HTTP_REQUEST_FILE [--changed-files FILE] [--format text|json] DIR
                                                      the PipelineRuns of a .tekton/ folder that Pipelines-as-Code
                                                      starts for a webhook request, and why the others do not
`;

/** The commands by name; each parses its arguments with the one parser of command.ts. */
const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  check: commandRunner(checkCommand(USAGE)),
  cel: commandRunner(celCommand),
  bindings: commandRunner(bindingsCommand),
  simulate: commandRunner(simulateCommand),
  graph: commandRunner(graphCommand),
  kfp: runKfpCommand,
  pac: runPacCommand,
  help: async (_args, io) => {
    io.stdout(USAGE);
    return 0;
  },
};

/** The language server's transports, as vscode-languageserver reads them from the command line. */
const TRANSPORT = /^--(stdio|node-ipc|socket|pipe)(=|$)/;

/** True unless the arguments name an LSP transport: everything else, no arguments included, is the command line's. */
export function isCliCommand(argv: string[]): boolean {
  return !argv.some((a) => TRANSPORT.test(a));
}

/**
 * Runs a CLI command; resolves to the process exit code (2 on bad usage). Output goes through `io` only: the caller
 * sets the exit code and lets the process end by itself, so that piped output is never cut short.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') return COMMANDS.help(rest, io);
  if (name === undefined) {
    io.stderr(`tekton-ls: no command given (or a transport: --stdio, --node-ipc, --socket=PORT)\n${USAGE}`);
    return 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`tekton-ls: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return command(rest, io);
}
