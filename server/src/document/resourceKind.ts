/** The Tekton kinds this server knows, by API group. */
export type PipelinesKind = 'Pipeline' | 'Task' | 'PipelineRun' | 'TaskRun' | 'StepAction' | 'CustomRun';
export type TriggersKind =
  | 'EventListener'
  | 'Trigger'
  | 'TriggerBinding'
  | 'ClusterTriggerBinding'
  | 'TriggerTemplate'
  | 'Interceptor'
  | 'ClusterInterceptor';
export type ResourceKind = PipelinesKind | TriggersKind;

/** The API group of Tekton Pipelines kinds. */
export const PIPELINES_GROUP = 'tekton.dev';
/** The API group of Tekton Triggers kinds. */
export const TRIGGERS_GROUP = 'triggers.tekton.dev';

/** Served versions per group and kind (tektoncd/pipeline config/300-crds, tektoncd/triggers config/300-*.yaml). */
export const SERVED_VERSIONS: Record<string, Record<string, readonly string[]>> = {
  [PIPELINES_GROUP]: {
    Pipeline: ['v1', 'v1beta1'],
    Task: ['v1', 'v1beta1'],
    PipelineRun: ['v1', 'v1beta1'],
    TaskRun: ['v1', 'v1beta1'],
    StepAction: ['v1beta1', 'v1alpha1'],
    CustomRun: ['v1beta1'],
  },
  [TRIGGERS_GROUP]: {
    EventListener: ['v1beta1', 'v1alpha1'],
    Trigger: ['v1beta1', 'v1alpha1'],
    TriggerBinding: ['v1beta1', 'v1alpha1'],
    ClusterTriggerBinding: ['v1beta1', 'v1alpha1'],
    TriggerTemplate: ['v1beta1', 'v1alpha1'],
    Interceptor: ['v1alpha1'],
    ClusterInterceptor: ['v1alpha1'],
  },
};

/** The kinds of the triggers.tekton.dev group. */
export const TRIGGERS_KINDS = Object.keys(SERVED_VERSIONS[TRIGGERS_GROUP]) as readonly TriggersKind[];

/**
 * Kinds of Tekton groups that exist upstream but that this server has no schema for; they are Tekton documents, not
 * typos, so they get no "unknown kind" error.
 */
/**
 * API groups of the other Tekton projects (their CRDs are real and this extension does not check them): tektoncd/operator
 * (TektonConfig, TektonPipeline…), tektoncd/dashboard (Extension), tektoncd/results, remote resolution, and
 * pipelines-as-code (Repository, checked by the PaC engine when it owns it).
 */
export const OTHER_TEKTON_GROUPS: ReadonlySet<string> = new Set([
  'operator.tekton.dev',
  'dashboard.tekton.dev',
  'results.tekton.dev',
  'resolution.tekton.dev',
  'pipelinesascode.tekton.dev',
]);

const OTHER_KNOWN_KINDS: Record<string, readonly string[]> = {
  [PIPELINES_GROUP]: ['ClusterTask', 'Condition', 'PipelineResource', 'Run', 'VerificationPolicy'],
  'resolution.tekton.dev': ['ResolutionRequest'],
};

/** What an apiVersion/kind pair means to this server. */
export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  /** True when the group is a Tekton group (`tekton.dev` or `*.tekton.dev`). */
  isTekton: boolean;
  /** True when a schema exists for this exact group/version/kind. */
  isServed: boolean;
  /** True when the kind is known in the group, but not at this version. */
  kindKnown: boolean;
  /** True when the kind is a Tekton kind without a schema here (e.g. the removed ClusterTask). */
  isOtherKnown: boolean;
}

/** Splits `group/version` (or a core `version`) and classifies the kind. */
export function classifyKind(apiVersion: string | undefined, kind: string | undefined): KindInfo | undefined {
  if (!apiVersion) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const isTekton = group === PIPELINES_GROUP || group.endsWith(`.${PIPELINES_GROUP}`);
  const versions = SERVED_VERSIONS[group]?.[kind ?? ''];
  return {
    group,
    version,
    kind: kind ?? '',
    isTekton,
    isServed: !!versions?.includes(version),
    kindKnown: !!versions,
    isOtherKnown: !!OTHER_KNOWN_KINDS[group]?.includes(kind ?? '') || OTHER_TEKTON_GROUPS.has(group),
  };
}

/** All served `{apiVersion, kind}` pairs, newest version first per kind. */
export function allServedKinds(): { apiVersion: string; kind: string }[] {
  const out: { apiVersion: string; kind: string }[] = [];
  for (const [group, kinds] of Object.entries(SERVED_VERSIONS))
    for (const [kind, versions] of Object.entries(kinds))
      for (const version of versions) out.push({ apiVersion: `${group}/${version}`, kind });
  return out;
}

/**
 * The ClusterInterceptors every Tekton Triggers installation serves (config/interceptors/core-interceptors.yaml): a
 * `ref.name` among these needs no ClusterInterceptor in the workspace.
 */
export const CORE_INTERCEPTORS = ['cel', 'github', 'gitlab', 'bitbucket', 'slack'] as const;

/**
 * The ClusterTriggerBindings OpenShift Pipelines installs with its triggers addon (tektoncd/operator
 * cmd/openshift/operator/kodata/tekton-addon/addons/01-clustertriggerbindings): references to them are not missing
 * there, though this server does not know their params.
 */
export const OPENSHIFT_CLUSTER_TRIGGER_BINDINGS: readonly string[] = [
  ...['github-pullreq', 'github-push', 'github-pullreq-review-comment'],
  ...['gitlab-mergereq', 'gitlab-push', 'gitlab-review-comment-on-issues', 'gitlab-review-comment-on-mergerequest'],
  ...['gitlab-review-comment-on-commit', 'gitlab-review-comment-on-snippet'],
  ...['bitbucket-pullreq', 'bitbucket-push', 'bitbucket-pullreq-add-comment'],
  ...['bitbucket-cloud-pullreq', 'bitbucket-cloud-push', 'bitbucket-cloud-pullreq-add-comment'],
];

/** True for the name of a core interceptor. */
export function isCoreInterceptor(name: string): boolean {
  return (CORE_INTERCEPTORS as readonly string[]).includes(name);
}
