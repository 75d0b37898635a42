/**
 * `tekton-ls check [--format text|json] [--workspace DIR] [--exclude GLOB]... PATH...`: the editor's diagnostics for
 * files and folders (recursing into *.yaml/*.yml). Every file is indexed before any is checked, so references resolve
 * whatever the order of files: the PATHs are the workspace, and `--workspace DIR` adds the files of DIR. Exit 1 when
 * any error was found, 0 otherwise, 2 on bad usage. A flag given twice counts as the last one (`--exclude` adds up).
 */
import { existsSync } from 'node:fs';
import { fileErrorReason, InputFileError, readInputFile, statInput } from '../workspace/inputFile';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError, type CliCommand, type CliIo, type ParsedArgs } from './command';
import { Problem } from '../document/problem';
import { getLanguageService, mayBeOurs } from '../service/languageService';
import type { Workspace } from '../workspace/workspace';
import { yamlFilesUnder } from '../workspace/yamlFiles';

/** A diagnostic as `check --format json` prints it. */
export interface CheckResult {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Problem['severity'];
  code: string;
  message: string;
  source: string;
}

export function checkCommand(usage: string): CliCommand {
  return {
    name: 'check',
    usage,
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
        exclude: { type: 'string' },
      },
      operands: true,
      missingValueIsEmpty: true,
    }),
    run: check,
  };
}

async function check(args: ParsedArgs, io: CliIo): Promise<number> {
  const format = args.last('format') ?? 'text';
  const workspaceDir = args.last('workspace');
  const exclude = args.all('exclude');
  if (args.operands.length === 0) throw new UsageError('no PATH given');
  const files: string[] = [];
  let unreadable = 0;
  const onUnreadable = (path: string, e: unknown) => {
    io.stderr(`tekton-ls check: ${relative(io.cwd, path) || path}: ${fileErrorReason(e)}\n`);
    unreadable++;
  };
  for (const p of args.operands) {
    const abs = resolve(io.cwd, p);
    let st;
    try {
      st = statInput(abs);
    } catch (e) {
      throw new UsageError(`${p}: ${(e as InputFileError).reason}`, false);
    }
    if (!st.isFile() && !st.isDirectory()) throw new UsageError(`${p}: not a regular file or folder`, false);
    let found: string[];
    try {
      found = yamlFilesUnder(abs, { exclude, onUnreadable });
    } catch (e) {
      throw new UsageError(`${p}: ${fileErrorReason(e)}`, false);
    }
    for (const file of found) files.push(file);
  }
  const indexed = new Set(files);
  if (workspaceDir !== undefined)
    for (const file of yamlFilesUnder(resolve(io.cwd, workspaceDir), { exclude, onUnreadable })) indexed.add(file);
  // The index parses every file once; the check reads those parses.
  const workspace = filesWorkspace([...indexed]);
  const service = getLanguageService({ workspace, retainAllParses: true });
  await service.index.ready();

  const results: CheckResult[] = [];
  for (const file of files) {
    const uri = pathToFileURL(file).toString();
    const doc = service.index.document(uri);
    if (!doc) {
      io.stderr(`tekton-ls check: ${file}: ${workspace.unreadable.get(uri) ?? 'cannot be read'}\n`);
      unreadable++;
      continue;
    }
    if (!mayBeOurs(doc) && !doc.skippedReason) continue;
    const shown = relative(io.cwd, file) || file;
    for (const p of service.doValidation(doc, { maxProblems: Number.MAX_SAFE_INTEGER }))
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
  return unreadable > 0 || results.some((r) => r.severity === 'error') ? 1 : 0;
}

/**
 * The files the command line was given, as the workspace the index crawls: each read once through the bounded reader;
 * why a file could not be read is kept for the report.
 */
function filesWorkspace(paths: readonly string[]): Workspace & { unreadable: Map<string, string> } {
  const unreadable = new Map<string, string>();
  return {
    unreadable,
    findYamlFiles: async () => paths.map((p) => pathToFileURL(p).toString()),
    readFile: async (uri) => {
      try {
        return readInputFile(fileURLToPath(uri)).toString('utf8');
      } catch (err) {
        unreadable.set(uri, err instanceof InputFileError ? err.reason : (err as Error).message);
        return undefined;
      }
    },
  };
}
