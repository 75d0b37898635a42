/**
 * The language service: one entry point per feature, each routing to the engines of service/engines.ts and to the
 * engine-neutral services beside this file (schema, CEL, resource names). The LSP adapters (server.ts, lsp/) and the
 * command line call it alike; it speaks offsets, never LSP, and never throws on user input.
 */
import { CelEvaluator } from '../cel/celEvaluator';
import { Fix, Problem, TextEdit } from '../document/problem';
import type { CompletionProposal, HoverResult } from '../document/proposals';
import { TektonDocument, type YamlResource } from '../document/tektonDocument';
import { TRIGGERS_KINDS } from '../document/resourceKind';
import type { FeatureContext, GraphContext, Lens } from '../engine';
import type { EvaluateCelRequest, GraphRequest, PacMatchRequest, SampleRequest, SimulateRequest } from '../protocol';
import { SchemaStore } from '../schema/schemaStore';
import { FileSystemWorkspace, Workspace } from '../workspace/workspace';
import { Location, WorkspaceIndex } from '../workspace/workspaceIndex';
import { CelEvaluationService } from './celEvaluation';
import { doCelComplete, doCelHover } from './celFeatures';
import { doComplete } from './completion';
import { crossFileProblems } from './crossFile';
import { ENGINES, summarizeResource } from './engines';
import { FoldingRangeInfo, getFoldingRanges } from './folding';
import { layoutGraph } from '../graph/render';
import { attachProblems, findGraph, graphLenses, toGraphInfo, type GraphOutcome, type GraphQuery } from './graph';
import { doHover } from './hover';
import {
  findResourceDefinition,
  findResourceReferences,
  prepareResourceRename,
  renameResource,
  resourceNameCompletions,
} from './resourceNavigation';
import { pacMatchInFolder } from './pacMatch';
import { simulateInDocument } from './simulation';
import { sourceResourcesFromDocument } from '../triggers/simulation/fileResources';
import type { SourceResource } from '../triggers/simulation/types';
import { findDocumentSymbols, SymbolInfo } from './symbols';
import { doValidation, isOurs, mayBeOurs, ValidationOptions } from './validation';

export { isOurs, mayBeOurs };

/** An edit of any file of the workspace (rename), with positions for files that are not open. */
export interface FileEdit {
  location: Location;
  newText: string;
}

/** A quick fix for a problem the document has. */
export interface CodeActionInfo extends Fix {
  problem: Problem;
  isPreferred: boolean;
}

export interface LanguageServiceOptions {
  schemas?: SchemaStore;
  /** The workspace the index crawls; without it, cross-file features see only the documents given to them. */
  workspace?: Workspace;
  /** Open documents by uri, newest version: they win over what the index read from disk. */
  openDocument?: (uri: string) => TektonDocument | undefined;
  /** Keep the index's parse of every file, not only of Triggers files (a command that checks what it indexed). */
  retainAllParses?: boolean;
}

/**
 * The layout budget of an editor request (see layoutCost): about a second and a half of the server's one thread at
 * most, for a view that asks again after each edit. Pipelines people write stay far below.
 */
const EDITOR_LAYOUT_COST = 1500;

/** The kinds a simulation reads from the workspace: Triggers resources and the Secrets their interceptors check. */
const SIMULATION_KINDS = new Set<string>([...TRIGGERS_KINDS, 'Secret']);

export class LanguageService {
  readonly schemas: SchemaStore;
  readonly index: WorkspaceIndex;
  private readonly openDocument: (uri: string) => TektonDocument | undefined;
  private readonly workspace: Workspace | undefined;
  private sample: { request: SampleRequest; payload: unknown } | undefined;
  private celService: CelEvaluationService | undefined;
  /**
   * The last validation of each document version and the index generation it saw: code actions reuse it instead of
   * validating again, but not once the index moved on (a validation before the crawl ended has no cross-file problems,
   * so their fixes would be missing until the next edit).
   */
  private readonly validated = new WeakMap<TektonDocument, { generation: number; problems: Problem[] }>();

  constructor(options: LanguageServiceOptions = {}) {
    this.schemas = options.schemas ?? new SchemaStore();
    this.index = new WorkspaceIndex(options.workspace ?? new FileSystemWorkspace([]), summarizeResource, options.retainAllParses ? 'all' : SIMULATION_KINDS);
    this.openDocument = options.openDocument ?? (() => undefined);
    this.workspace = options.workspace;
  }

  dispose(): void {
    this.index.cancel();
    this.celService?.dispose();
  }

  private get context(): FeatureContext {
    return { index: this.index, sampleLabel: this.sample?.request.label };
  }

  // ---- diagnostics

  /**
   * Every problem of a document: YAML syntax, schema, its engine's rules and CEL, then (once the workspace crawl is
   * done: before it every name would look unknown) the rules that need other files.
   */
  doValidation(doc: TektonDocument, options: ValidationOptions & { crossFile?: boolean } = {}): Problem[] {
    const problems = doValidation(doc, this.schemas, options);
    if (options.crossFile !== false && this.index.isReady && !doc.skippedReason) problems.push(...crossFileProblems(doc, this.index));
    this.validated.set(doc, { generation: this.index.generation, problems });
    return problems;
  }

  /** The problems of this version as last validated, unless the index has changed since; else validated now. */
  private lastValidation(doc: TektonDocument): Problem[] {
    const known = this.validated.get(doc);
    return known?.generation === this.index.generation ? known.problems : this.doValidation(doc);
  }

  /** Quick fixes of the problems overlapping `[start, end]`, from the version's last validation when there is one. */
  getCodeActions(doc: TektonDocument, start: number, end: number): CodeActionInfo[] {
    const problems = this.lastValidation(doc);
    const out: CodeActionInfo[] = [];
    for (const problem of problems) {
      if (!problem.fixes?.length || problem.end < start || problem.start > end) continue;
      for (const fix of problem.fixes) out.push({ ...fix, problem, isPreferred: problem.fixes.length === 1 });
    }
    return out;
  }

  // ---- at the cursor: CEL first, then the engines, then names of the workspace, then the schema

  doComplete(doc: TektonDocument, offset: number): CompletionProposal[] {
    const cel = doCelComplete(doc, offset, { samplePayload: this.sample?.payload });
    if (cel) return cel;
    for (const engine of ENGINES) {
      const items = engine.complete?.(doc, offset, this.context);
      if (items) return items;
    }
    const names = resourceNameCompletions(doc, offset, this.index);
    return names.length ? names : doComplete(doc, offset, this.schemas);
  }

  doHover(doc: TektonDocument, offset: number): HoverResult | undefined {
    const cel = doCelHover(doc, offset, { samplePayload: this.sample?.payload });
    if (cel) return cel;
    for (const engine of ENGINES) {
      const hover = engine.hover?.(doc, offset, this.context);
      if (hover) return hover;
    }
    return doHover(doc, offset, this.schemas);
  }

  /** Names declared in the same file first (params, results, tasks), then resources of the workspace. */
  async findDefinition(doc: TektonDocument, offset: number): Promise<Location[]> {
    await this.index.ready();
    for (const engine of ENGINES) {
      const local = engine.definition?.(doc, offset);
      if (local) return [here(doc, local.start, local.end)];
    }
    return findResourceDefinition(doc, offset, this.index);
  }

  async findReferences(doc: TektonDocument, offset: number, includeDeclaration: boolean): Promise<Location[]> {
    await this.index.ready();
    for (const engine of ENGINES) {
      const local = engine.references?.(doc, offset, includeDeclaration);
      if (local) return local.map((r) => here(doc, r.start, r.end));
    }
    return findResourceReferences(doc, offset, this.index, includeDeclaration);
  }

  prepareRename(doc: TektonDocument, offset: number): { start: number; end: number; placeholder: string } | undefined {
    for (const engine of ENGINES) {
      const local = engine.prepareRename?.(doc, offset);
      if (local) return { ...local, placeholder: doc.text.slice(local.start, local.end) };
    }
    const target = prepareResourceRename(doc, offset);
    return target && { start: target.start, end: target.end, placeholder: target.name };
  }

  async doRename(doc: TektonDocument, offset: number, newName: string): Promise<FileEdit[] | undefined> {
    await this.index.ready();
    for (const engine of ENGINES) {
      const local = engine.rename?.(doc, offset, newName);
      if (local) return local.map((e: TextEdit) => ({ location: here(doc, e.start, e.end), newText: e.newText }));
    }
    return renameResource(doc, offset, newName, this.index)?.edits;
  }

  // ---- whole document

  findDocumentSymbols(doc: TektonDocument, maxItems?: number): SymbolInfo[] {
    return findDocumentSymbols(doc, maxItems);
  }

  getFoldingRanges(doc: TektonDocument, maxItems?: number): FoldingRangeInfo[] {
    return getFoldingRanges(doc, maxItems);
  }

  /** The engines' lenses (simulate, submit), then each CEL field's value on the sample event or an invitation to pick one. */
  async getCodeLenses(doc: TektonDocument): Promise<Lens[]> {
    if (!isOurs(doc)) return [];
    const lenses = graphLenses(doc, { ...this.context, findPipeline: (name) => this.parsedPipeline(name) });
    lenses.push(...ENGINES.flatMap((e) => e.codeLenses?.(doc, this.context) ?? []));
    if (!this.sample)
      return [...lenses, ...this.cel.pickSampleLenses(doc).map((l) => ({ ...l, command: 'tekton.selectSamplePayload' }))];
    const values = await this.cel.lenses(doc, this.sample.request, await this.simulationResources(doc));
    return [...lenses, ...values.map((l) => ({ ...l, command: '' }))];
  }

  // ---- the task graph

  /**
   * The task graph of a document of the file (at `offset`, named `name`, or the first with one), each node with the
   * diagnostics of its definition. A PipelineRun's `pipelineRef` is looked up in the same file, then in the workspace.
   */
  async getGraph(doc: TektonDocument, query: GraphQuery): Promise<GraphOutcome & { nodesDoc?: TektonDocument }> {
    // Results of referenced Tasks come from the index: before its first crawl every Task would look unknown.
    await this.index.ready();
    const loaded = new Map<string, { doc: TektonDocument; resource: YamlResource; base: number } | undefined>();
    const wanted = new Set<string>();
    const ctx: GraphContext = {
      ...this.context,
      findPipeline: (name) => {
        if (loaded.has(name)) return loaded.get(name);
        wanted.add(name);
        return undefined;
      },
    };
    let outcome = findGraph(doc, query, ctx);
    // Engines look Pipelines up synchronously; the ones of other files are loaded here and the graph asked again.
    if (wanted.size) {
      for (const name of wanted) loaded.set(name, await this.loadPipeline(name));
      outcome = findGraph(doc, query, ctx);
    }
    if (!('graph' in outcome)) return outcome;
    const nodesDoc = outcome.graph.uri === doc.uri ? doc : [...loaded.values()].find((f) => f?.doc.uri === outcome.graph.uri)?.doc;
    if (!nodesDoc) return outcome;
    const problems = nodesDoc === doc ? this.lastValidation(doc) : this.doValidation(nodesDoc, { crossFile: false });
    attachProblems(outcome.graph, problems);
    return { ...outcome, nodesDoc };
  }

  /** The graph for the `tekton/graph` request, with ranges. */
  async graphRequest(doc: TektonDocument, offset: number | undefined, name: string | undefined, layout = false): Promise<GraphRequest.Result> {
    const outcome = await this.getGraph(doc, { offset, name });
    if (!('graph' in outcome)) return { error: outcome.error };
    const result: GraphRequest.Result = { graph: toGraphInfo(outcome.graph, doc, outcome.nodesDoc ?? doc) };
    if (layout)
      try {
        result.layout = layoutGraph(outcome.graph, EDITOR_LAYOUT_COST);
      } catch (e) {
        result.layoutError = `${(e as Error).message}; \`tekton-ls graph --format svg\` lays out larger graphs`;
      }
    return result;
  }

  /** A Pipeline of the workspace by name, only if already parsed (open, or kept by the index). */
  private parsedPipeline(name: string): { doc: TektonDocument; resource: YamlResource; base: number } | undefined {
    for (const hit of this.index.find('Pipeline', name)) {
      const file = this.openDocument(hit.uri) ?? this.index.document(hit.uri);
      for (const { resource, base } of file?.resources() ?? [])
        if (resource.isPipelines && resource.kind === 'Pipeline' && resource.name === name) return { doc: file!, resource, base };
    }
    return undefined;
  }

  /** A Pipeline of the workspace by name: the open document if it is open, else the file as the index or disk has it. */
  private async loadPipeline(name: string): Promise<{ doc: TektonDocument; resource: YamlResource; base: number } | undefined> {
    await this.index.ready();
    const parsed = this.parsedPipeline(name);
    if (parsed || !this.workspace) return parsed;
    for (const hit of this.index.find('Pipeline', name)) {
      const text = await this.workspace.readFile(hit.uri);
      const file = text === undefined ? undefined : new TektonDocument(hit.uri, 0, text);
      for (const { resource, base } of file?.resources() ?? [])
        if (resource.isPipelines && resource.kind === 'Pipeline' && resource.name === name) return { doc: file!, resource, base };
    }
    return undefined;
  }

  // ---- the sample event: simulation and CEL evaluation

  /** The sample event the user picked (its body's fields complete after `body.`), or none. */
  setSample(request: SampleRequest | undefined): void {
    let payload: unknown;
    try {
      payload = request ? JSON.parse(request.body) : undefined;
    } catch {
      payload = undefined;
    }
    this.sample = request && { request, payload };
  }

  /** Runs an event through the EventListener or Trigger at `offset` (default: the first), offline. */
  async simulate(doc: TektonDocument, offset: number, params: Omit<SimulateRequest.Params, 'uri' | 'position'>): Promise<SimulateRequest.Result> {
    return simulateInDocument(doc, offset, params, await this.simulationFiles(doc), this.cel.workerPool);
  }

  /** The PipelineRuns of the document's `.tekton/` folder Pipelines-as-Code starts for the sample event, and why. */
  async pacMatch(doc: TektonDocument, params: Omit<PacMatchRequest.Params, 'uri'>): Promise<PacMatchRequest.Result> {
    return pacMatchInFolder(doc, params, this.index, this.openDocument, async (uri) => this.workspace?.readFile(uri));
  }

  /** Evaluates `expression`, or the CEL field at `offset`, against the sample event. */
  async evaluateCel(doc: TektonDocument, offset: number | undefined, expression: string | undefined): Promise<EvaluateCelRequest.Result> {
    if (!this.sample) return { ok: false, error: 'no sample event: run "Tekton: Select Sample Event" first' };
    const r = await this.cel.evaluate(doc, offset, expression, this.sample.request, await this.simulationResources(doc));
    if (r.ok) return r;
    if (r.start === undefined) return { ok: false, error: r.error };
    return { ok: false, error: r.error, range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end ?? r.start) } };
  }

  private get cel(): CelEvaluationService {
    return (this.celService ??= new CelEvaluationService(new CelEvaluator({ timeoutMs: 1000, maxMemoryMb: 256 })));
  }

  /**
   * The parsed files a simulation reads (Triggers resources and Secrets), `doc` included: open documents at their
   * current version, the others as the index parsed them, so nothing is parsed again per request.
   */
  private async simulationFiles(doc: TektonDocument): Promise<Map<string, TektonDocument>> {
    await this.index.ready();
    const out = new Map<string, TektonDocument>();
    for (const uri of this.index.filesWithKinds([...SIMULATION_KINDS])) {
      const file = this.openDocument(uri) ?? this.index.document(uri);
      if (file) out.set(uri, file);
    }
    out.set(doc.uri, doc);
    return out;
  }

  private async simulationResources(doc: TektonDocument): Promise<SourceResource[]> {
    return [...(await this.simulationFiles(doc)).values()].flatMap(sourceResourcesFromDocument);
  }
}

/** A location in an open document. */
function here(doc: TektonDocument, start: number, end: number): Location {
  return { uri: doc.uri, start, end, startPosition: doc.positionAt(start), endPosition: doc.positionAt(end) };
}

/** Creates a language service (schemas are loaded lazily, once per store). */
export function getLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  return new LanguageService(options);
}

/**
 * Keeps one `TektonDocument` per open file and version. A new version is built from the previous one, so unchanged
 * `---` documents keep their parse and cached results.
 */
export class DocumentCache {
  private readonly docs = new Map<string, TektonDocument>();

  constructor(private maxFileSize?: number) {}

  /** The model currently held for a uri, whatever its version. */
  peek(uri: string): TektonDocument | undefined {
    return this.docs.get(uri);
  }

  /** The model for this exact version, parsed on first use. */
  get(uri: string, version: number, getText: () => string): TektonDocument {
    const current = this.docs.get(uri);
    if (current && current.version === version) return current;
    const doc = new TektonDocument(uri, version, getText(), current, this.maxFileSize);
    this.docs.set(uri, doc);
    return doc;
  }

  delete(uri: string): void {
    this.docs.delete(uri);
  }

  setMaxFileSize(bytes: number): void {
    if (bytes !== this.maxFileSize) {
      this.maxFileSize = bytes;
      this.docs.clear();
    }
  }
}
