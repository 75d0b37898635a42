/**
 * `tekton-ls graph FILE [--name NAME] [--format json|dot|svg]`: the task graph of a Tekton Pipeline, a PipelineRun
 * (inline pipelineSpec, or a pipelineRef to a Pipeline of the same file) or a Kubeflow Pipelines IR, from the same
 * language service the editor uses. Exit 0 with the graph, 1 when the file has no such graph, 2 on bad usage (a
 * missing or unreadable FILE included, as for `check` and `kfp submit`).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TektonDocument } from '../document/tektonDocument';
import { toDot, toJson, toSvg } from '../graph/render';
import { getLanguageService } from '../service/languageService';
import { InputFileError, readInputFile } from '../workspace/inputFile';
import { CommandError, UsageError, type CliCommand, type CliIo, type ParsedArgs } from './command';

const FORMATS = ['json', 'dot', 'svg'];

export const GRAPH_USAGE = `Usage: tekton-ls graph FILE [--name NAME] [--format json|dot|svg]
  The task graph of a Tekton Pipeline, a PipelineRun (inline pipelineSpec, or a pipelineRef to a Pipeline in the
  same file) or a compiled Kubeflow pipeline (IR). --name picks the document by metadata.name (KFP:
  pipelineInfo.name); by default the first one that has a graph. json (the default) prints
  {"nodes": [{"id", "kind", "parent"?}], "edges": [{"from", "to", "kinds": [...]}]}.
`;

export const graphCommand: CliCommand = {
  name: 'graph',
  usage: GRAPH_USAGE,
  args: {
    flags: {
      name: { type: 'string' },
      format: {
        type: 'string',
        check: (f) => {
          if (!FORMATS.includes(f)) throw new UsageError(`--format must be json, dot or svg, not "${f}"`, false);
        },
      },
      help: { type: 'boolean', short: 'h' },
    },
    operands: true,
  },
  run: graph,
};

async function graph(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.operands.length === 0) throw new UsageError('no FILE given');
  if (args.operands.length > 1) throw new UsageError(`unexpected argument ${args.operands[1]}`);
  const file = args.operands[0];
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readInputFile(path).toString('utf8');
  } catch (e) {
    const reason = e instanceof InputFileError ? e.reason : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`${file}: ${reason}`, false);
  }
  const doc = new TektonDocument(pathToFileURL(path).toString(), 0, text);
  const service = getLanguageService();
  try {
    const outcome = await service.getGraph(doc, { name: args.last('name') });
    if (!('graph' in outcome)) throw new CommandError(`${file}: ${outcome.error}`);
    const syntax = [...doc.resources()].reduce((n, { resource }) => n + resource.syntaxProblems.filter((p) => !p.warning).length, 0);
    if (syntax) io.stderr(`tekton-ls graph: ${file}: ${syntax} YAML syntax error(s); the graph shows what could be read\n`);
    const format = args.last('format') ?? 'json';
    if (format === 'dot') io.stdout(toDot(outcome.graph));
    else if (format === 'svg') {
      try {
        io.stdout(toSvg(outcome.graph));
      } catch (e) {
        throw new CommandError(`${file}: ${(e as Error).message}; --format json or dot print it`);
      }
    } else io.stdout(`${JSON.stringify(toJson(outcome.graph), null, 2)}\n`);
    return 0;
  } finally {
    service.dispose();
  }
}
