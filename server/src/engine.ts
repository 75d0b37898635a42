/**
 * The contract between the language service and the engines (Tekton Pipelines, Tekton Triggers, Kubeflow Pipelines,
 * and whatever comes next). An engine is a folder that exports one `Engine`; registering it in
 * service/engines.ts is all the service needs to route every feature to it. Everything here is in offsets and free
 * of LSP: adapters in lsp/ translate.
 *
 * Contributions are optional. Per-document ones (`rules`, `celRegions`, `summarize`, `crossFile`) work on one YAML
 * document with offsets relative to its chunk and are cached by the service per document text; per-file ones
 * (`complete`, `hover`, navigation, `codeLenses`) take file offsets and return undefined when the cursor is not theirs,
 * so the next provider runs.
 *
 * One engine owns a document (`owns`); another may add to it (`augments`): its per-document contributions (`rules`,
 * `celRegions`, `crossFile`, and `fileRules` of the file) run after the owner's, never instead of them. This is how a
 * Pipelines-as-Code PipelineRun stays a Tekton PipelineRun (schema, Pipelines rules, `when[].cel`, summary and
 * navigation from the Pipelines engine) while the PaC engine checks its `pipelinesascode.tekton.dev/` annotations,
 * `on-cel-expression` and `{{ }}` variables. The owner's summary is the one the index keeps.
 */
import type { CelEnvId } from './cel/environments';
import type { Problem, TextEdit } from './document/problem';
import type { CompletionProposal, HoverResult } from './document/proposals';
import { scalarMap, type ScalarMap } from './document/scalarMap';
import type { TektonDocument, YamlResource } from './document/tektonDocument';
import type { Node, Scalar } from './document/yamlAst';
import type { TaskGraph } from './graph/model';
import type { SchemaStore } from './schema/schemaStore';
import type { WorkspaceIndex } from './workspace/workspaceIndex';

/** What a CEL field is for; decides how its result is used. */
export type CelRegionKind = 'filter' | 'overlay' | 'when' | 'condition' | 'pac-match';

/**
 * A CEL expression inside a YAML document: its decoded text, its environment, and the map from CEL offsets to the
 * document (offsets relative to the resource's chunk, as every node offset is).
 */
export interface CelRegion {
  kind: CelRegionKind;
  env: CelEnvId;
  /** The CEL text (the scalar's decoded value). */
  text: string;
  node: Scalar;
  map: ScalarMap;
  /** For overlays: the `key` scalar, whose value names the extension written. */
  overlayKey?: Scalar;
  /**
   * Position in the interceptor chain (filter and overlays of one interceptor share it): later interceptors see the
   * extensions of earlier ones (REFERENCE.md §3.3).
   */
  chain?: { interceptors: Node; index: number };
  /**
   * Undeclared references are left to the engine's `crossFile` rule, which knows the workspace's declarations (PaC:
   * the custom params of the Repository resources are variables of on-cel-expression).
   */
  deferUndeclared?: boolean;
  /** The GitHub events the expression runs on, as the engine knows them (PaC: on-event, `event == …`): `body.` shapes. */
  githubEvents?: string[];
}

/** A CEL region over a string scalar, with the map from CEL offsets to the document. */
export function celRegion(kind: CelRegionKind, env: CelEnvId, node: Scalar, text: string): CelRegion {
  return { kind, env, text: String(node.value), node, map: scalarMap(node, text) };
}

/** What per-file features may use besides the document. */
export interface FeatureContext {
  /** The workspace index (its first crawl may still be running). */
  index?: WorkspaceIndex;
  /** The label of the sample event the user picked, if any. */
  sampleLabel?: string;
}

/** What a graph may need besides its document. */
export interface GraphContext extends FeatureContext {
  /** A Pipeline of the workspace by name, for a PipelineRun whose Pipeline is not in the same file. */
  findPipeline?: (name: string) => { doc: TektonDocument; resource: YamlResource; base: number } | undefined;
}

/** A span of the same file (file offsets). */
export interface Span {
  start: number;
  end: number;
}

/** A document symbol of an engine's document (offsets relative to its chunk, as node offsets are). */
export interface DocumentSymbol extends Span {
  name: string;
  detail?: string;
  kind: 'resource' | 'task' | 'step' | 'trigger' | 'template' | 'param' | 'group';
  selectionStart: number;
  selectionEnd: number;
  children: DocumentSymbol[];
}

/** A code lens in offsets: a title over a span, and the editor command it runs (empty: informational). */
export interface Lens extends Span {
  title: string;
  tooltip?: string;
  command: string;
  arguments?: unknown[];
}

export interface Engine {
  /** A short id, for logs and tests. */
  readonly id: string;
  /** True for the documents this engine knows (one owner per document). */
  owns(resource: YamlResource): boolean;
  /**
   * True for documents another engine owns that this one adds rules, CEL regions and cross-file rules to (see the
   * comment at the top). Never true where `owns` is.
   */
  augments?(resource: YamlResource): boolean;
  /** True when the engine's documents are checked against the Tekton JSON schemas before its rules run. */
  readonly schemaChecked: boolean;
  /** Rules of one owned document beyond its schema (admission, webhook and run-time rules). */
  rules?(resource: YamlResource, schemas: SchemaStore): Problem[];
  /** The CEL fields of one owned document, with their environments. */
  celRegions?(resource: YamlResource): CelRegion[];
  /** Rules that need several documents of one file (file offsets); run when the engine owns any of them. */
  fileRules?(doc: TektonDocument): Problem[];
  /** What the workspace index keeps of one owned document, for `crossFile` and navigation. */
  summarize?(resource: YamlResource): unknown;
  /** Rules that need other files of the workspace; `uri` is the file of the document. */
  crossFile?(resource: YamlResource, index: WorkspaceIndex, uri: string): Problem[];
  complete?(doc: TektonDocument, offset: number, ctx: FeatureContext): CompletionProposal[] | undefined;
  hover?(doc: TektonDocument, offset: number, ctx: FeatureContext): HoverResult | undefined;
  /** Definition of a name declared in the same file. */
  definition?(doc: TektonDocument, offset: number): Span | undefined;
  references?(doc: TektonDocument, offset: number, includeDeclaration: boolean): Span[] | undefined;
  prepareRename?(doc: TektonDocument, offset: number): Span | undefined;
  rename?(doc: TektonDocument, offset: number, newName: string): TextEdit[] | undefined;
  /** The outline of one owned document (chunk offsets); documents of engines without it get the generic one. */
  symbols?(resource: YamlResource): DocumentSymbol[];
  /** Lenses that need no sample event (simulate, submit). */
  codeLenses?(doc: TektonDocument, ctx: FeatureContext): Lens[];
  /**
   * The task graph of one owned document (`base`: its chunk's offset in `doc`; the graph is in file offsets);
   * `unavailable` says why a document that runs a pipeline has none here (a Pipeline not found, a remote resolver).
   */
  graph?(doc: TektonDocument, resource: YamlResource, base: number, ctx: GraphContext): TaskGraph | { unavailable: string } | undefined;
}
