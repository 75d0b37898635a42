/**
 * `tekton-ls pac match -r HTTP_REQUEST_FILE [--changed-files FILE] [--format text|json] DIR`: the PipelineRuns
 * Pipelines-as-Code would start for a webhook request, offline (pac/match/). The request file is read as every other
 * command reads it (triggers/simulation/httpRequest.ts).
 *
 * Exit codes: 0 when at least one PipelineRun matched, 3 when none did, 1 on error, 2 on bad usage.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TektonDocument } from '../document/tektonDocument';
import { parsePacEvent } from '../pac/match/event';
import type { ChangedFiles } from '../pac/match/matcher';
import { matchFolder, type FolderDocument } from '../pac/match/run';
import { parseHttpRequest } from '../triggers/simulation/httpRequest';
import { InputFileError, readInputFile } from '../workspace/inputFile';
import { yamlFilesUnder } from '../workspace/yamlFiles';
import { CommandError, commandRunner, UsageError, type CliCommand, type CliIo, type ParsedArgs } from './command';

export const PAC_USAGE = `Usage:
  tekton-ls pac match -r HTTP_REQUEST_FILE [--changed-files FILE] [--format text|json] DIR
      Prints the PipelineRuns of DIR (a repository's .tekton/ folder) that Pipelines-as-Code would start for the
      webhook request (GitHub or GitLab), with the reason for each that matched and each that did not; in text format, then
      each matched PipelineRun as YAML with its {{ }} variables substituted.
      --changed-files FILE  JSON {"all": [...], "added": [...], "deleted": [...], "modified": [...], "renamed": [...]}
                            for files.* and on-path-change (no API is called)
      --format json         {"matched": [names sorted], "skipped": [{"name", "reason"}]}
      Exit status: 0 when at least one matched, 3 when none did, 1 on error, 2 on bad usage.
`;

const FILE_KEYS = ['all', 'added', 'deleted', 'modified', 'renamed'] as const;

function readChangedFiles(path: string | undefined, io: CliIo): ChangedFiles {
  const files: ChangedFiles = { all: [], added: [], deleted: [], modified: [], renamed: [] };
  if (path === undefined) return files;
  let value: unknown;
  try {
    value = JSON.parse(readInputFile(resolve(io.cwd, path), path).toString('utf8'));
  } catch (e) {
    // A missing or unreadable file is one line naming it, exit 2, as for every command (command.ts).
    if (e instanceof InputFileError) throw e;
    throw new CommandError(`error reading changed files ${path}: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CommandError(
      `error reading changed files ${path}: expected a JSON object {"all": [...], "added": [...], ...}`,
    );
  for (const [k, v] of Object.entries(value)) {
    if (!(FILE_KEYS as readonly string[]).includes(k))
      throw new CommandError(
        `error reading changed files ${path}: unknown key "${k}" (expected ${FILE_KEYS.join(', ')})`,
      );
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw new CommandError(`error reading changed files ${path}: "${k}" must be a list of strings`);
    files[k as (typeof FILE_KEYS)[number]] = v as string[];
  }
  // changedfiles: `all` holds every changed file; a file given only as added/modified/… counts too.
  for (const k of FILE_KEYS) if (k !== 'all') for (const f of files[k]) if (!files.all.includes(f)) files.all.push(f);
  return files;
}

const matchCommand: CliCommand = {
  name: 'pac match',
  usage: PAC_USAGE,
  args: {
    flags: {
      help: { type: 'boolean', short: 'h' },
      'http-request': { type: 'string', short: 'r' },
      'changed-files': { type: 'string' },
      format: { type: 'string' },
    },
    operands: true,
  },
  run: async (args: ParsedArgs, io: CliIo) => {
    const requestPath = args.first('http-request');
    if (!requestPath) throw new UsageError('-r HTTP_REQUEST_FILE is required');
    const format = args.first('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
    if (args.operands.length !== 1)
      throw new UsageError(args.operands.length ? `one DIR expected, got ${args.operands.length}` : 'DIR is required');
    const dir = resolve(io.cwd, args.operands[0]);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`${args.operands[0]}: no such directory`);

    let request;
    try {
      request = parseHttpRequest(readInputFile(resolve(io.cwd, requestPath), requestPath));
    } catch (e) {
      if (e instanceof InputFileError) throw e;
      throw new CommandError(`error reading HTTP file: ${(e as Error).message}`);
    }
    const parsed = parsePacEvent(request);
    if ('error' in parsed) throw new CommandError(parsed.error);
    const files = readChangedFiles(args.first('changed-files'), io);

    const docs: FolderDocument[] = [];
    try {
      // The .tekton/ folder itself is hidden: walk from it, its own name is not skipped.
      for (const path of yamlFilesUnder(dir)) {
        const doc = new TektonDocument(pathToFileURL(path).toString(), 0, readInputFile(path).toString('utf8'));
        for (const { resource } of doc.resources()) docs.push({ file: relative(io.cwd, path), resource });
      }
    } catch (e) {
      throw new CommandError(`error reading ${args.operands[0]}: ${(e as Error).message}`);
    }
    const result = matchFolder(docs, parsed.event, files);
    const matched = result.matched.map((m) => m.name).sort();
    if (format === 'json') {
      io.stdout(
        JSON.stringify({ matched, skipped: result.skipped.map((s) => ({ name: s.name, reason: s.reason })) }, null, 2) +
          '\n',
      );
    } else {
      const e = parsed.event;
      io.stdout(
        `event: ${e.githubEvent}${e.body.action ? ` (${String(e.body.action)})` : ''} → ${e.triggerTarget || '-'} / ${e.eventType}, target branch ${e.baseBranch || '-'}, source branch ${e.headBranch || '-'}\n`,
      );
      if (result.folderError) io.stdout(`the folder fails: ${result.folderError}\n`);
      for (const m of result.matched) io.stdout(`matched  ${m.name}: ${m.reason}\n`);
      for (const s of result.skipped) io.stdout(`skipped  ${s.name}: ${s.reason}\n`);
      io.stdout(`${matched.length} matched, ${result.skipped.length} skipped\n`);
      // The PipelineRuns as Pipelines-as-Code would create them, {{ }} substituted (remote tasks not inlined).
      for (const run of result.runs) io.stdout(`---\n# ${run.name} (${run.file})\n${run.yaml}`);
    }
    return matched.length > 0 ? 0 : 3;
  },
};

const runMatch = commandRunner(matchCommand);

/** `tekton-ls pac SUBCOMMAND …`. */
export async function runPacCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'match') return runMatch(rest, io);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(PAC_USAGE);
    return 0;
  }
  io.stderr(
    `tekton-ls pac: ${sub === undefined ? 'no subcommand given' : `unknown subcommand "${sub}"`}\n${PAC_USAGE}`,
  );
  return 2;
}
