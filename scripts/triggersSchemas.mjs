#!/usr/bin/env node
// Writes the JSON Schemas for the Tekton Triggers kinds (group triggers.tekton.dev):
//
//   schemas/triggers.tekton.dev/<version>/<Kind>.json
//
// Usage: node scripts/triggersSchemas.mjs
//
// Upstream publishes no schema for Triggers (its CRDs are `x-kubernetes-preserve-unknown-fields`
// at the root and the generated swagger.json is empty), so the definitions below are written by
// hand from the Go API types and webhook validation of tektoncd/triggers
// (pkg/apis/triggers/{v1beta1,v1alpha1}/*_types.go, *_validation.go) and from its docs/*.md.
// v1alpha1 and v1beta1 share the definitions; the differences are switched on `alpha`.
// The output uses the JSON Schema subset of the language server (see schemas/README.md).

import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OBJECT_META, finalizeFile, outRoot, ref, repoRoot, writeIndex, writeJson } from './schemaCommon.mjs';

export const SOURCE = {
  repo: 'tektoncd/triggers',
  commit: '088902973c89e356b40bc0745618df0e9b2d8198',
  paths: 'pkg/apis/triggers/{v1beta1,v1alpha1}/*_types.go, *_validation.go and docs/*.md',
  license: 'Apache-2.0',
};
const GROUP = 'triggers.tekton.dev';
const DOCS = 'https://tekton.dev/docs/triggers';

const KINDS = {
  v1beta1: ['EventListener', 'Trigger', 'TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate'],
  v1alpha1: ['EventListener', 'Trigger', 'TriggerBinding', 'ClusterTriggerBinding', 'TriggerTemplate', 'ClusterInterceptor', 'Interceptor'],
};

// ---------------------------------------------------------------------------------------------
// Small builders

const str = (description, extra = {}) => ({ description, type: 'string', ...extra });
const bool = (description) => ({ description, type: 'boolean' });
const int32 = (description, extra = {}) => ({ description, type: 'integer', format: 'int32', ...extra });
const strList = (description) => ({ description, type: 'array', items: { type: 'string' } });
const strMap = (description) => ({ description, type: 'object', additionalProperties: { type: 'string' } });
const open = (description) => ({ description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
const obj = (description, properties, extra = {}) => ({ description, type: 'object', ...extra, properties });
const arrayOf = (description, items, extra = {}) => ({ description, type: 'array', ...extra, items });

// ---------------------------------------------------------------------------------------------
// Core interceptor parameters (pkg/interceptors/*, docs/interceptors.md)

const CORE_INTERCEPTORS = {
  cel: {
    filter: str(
      'CEL expression that must evaluate to `true` for the event to go on to the next interceptor and the bindings; anything else stops this trigger. ' +
        "Variables: `body`, `header`, `requestURL`, `extensions`. Example: `header.match('X-GitHub-Event', 'push') && body.ref == 'refs/heads/main'`.",
    ),
    overlays: arrayOf(
      'Overlays add fields to `extensions`: each CEL expression is evaluated against the same input and its result is stored under `extensions.<key>`, readable in bindings as `$(extensions.<key>)`.',
      ref('CELOverlay'),
    ),
  },
  github: {
    secretRef: ref(
      'SecretRef',
      'Secret holding the GitHub webhook secret. The interceptor requires the `X-Hub-Signature-256` header and verifies this HMAC (sha256) of the raw payload.',
    ),
    eventTypes: strList('Accepted values of the `X-GitHub-Event` header, e.g. `push`, `pull_request`, `issue_comment`. Other events stop this trigger.'),
    addChangedFiles: ref(
      'GitHubAddChangedFiles',
      'For `push` and `pull_request` events, adds the comma-separated list of changed files as `extensions.changed_files` (pull request files are fetched from the GitHub API).',
    ),
    githubOwners: ref(
      'GitHubOwners',
      'For `pull_request` and `issue_comment` events, only continues if the sender is an owner (OWNERS file approvers/reviewers) or a member as selected by `checkType`, or if an owner commented `/ok-to-test`.',
    ),
  },
  gitlab: {
    secretRef: ref('SecretRef', 'Secret holding the GitLab secret token; it must equal the `X-Gitlab-Token` header (constant-time comparison).'),
    eventTypes: strList('Accepted values of the `X-Gitlab-Event` header, e.g. `Push Hook`, `Merge Request Hook`, `Tag Push Hook`.'),
  },
  bitbucket: {
    secretRef: ref('SecretRef', 'Secret used to verify the `X-Hub-Signature` HMAC of the payload (Bitbucket Server only; Bitbucket Cloud sends no signature).'),
    eventTypes: strList('Accepted values of the `X-Event-Key` header, e.g. `repo:refs_changed`, `pr:opened` (Server) or `repo:push` (Cloud).'),
  },
  slack: {
    requestedFields: strList(
      'Fields of the Slack form payload (application/x-www-form-urlencoded) to copy into `extensions.<field>` as lists of strings. The EventListener needs the annotation `tekton.dev/payload-validation: "false"`.',
    ),
  },
};

const CORE_DEF_NAME = { cel: 'CELInterceptorParam', github: 'GitHubInterceptorParam', gitlab: 'GitLabInterceptorParam', bitbucket: 'BitbucketInterceptorParam', slack: 'SlackInterceptorParam' };

function coreParamDef(name, params) {
  const names = Object.keys(params);
  return {
    description: `A parameter of the core \`${name}\` interceptor: ${names.map((n) => '`' + n + '`').join(', ')}.`,
    type: 'object',
    required: ['name', 'value'],
    properties: {
      name: str(`Name of the parameter of the \`${name}\` interceptor: one of ${names.map((n) => '`' + n + '`').join(', ')}.`, { enum: names }),
      value: { description: 'Value of the parameter; its type depends on `name`.' },
    },
    allOf: names.map((p) => ({
      if: { required: ['name'], properties: { name: { const: p } } },
      then: { properties: { value: params[p] } },
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Definitions

function definitions(version) {
  const alpha = version === 'v1alpha1';
  const d = {};

  d.ObjectMeta = structuredClone(OBJECT_META);

  // EventListener metadata: name ≤ 60 characters (the Service is named el-<name>) and the
  // annotations the EventListener understands.
  d.EventListenerObjectMeta = structuredClone(OBJECT_META);
  d.EventListenerObjectMeta.properties.name.maxLength = 60;
  d.EventListenerObjectMeta.properties.name.description +=
    ' For an EventListener at most 60 characters, because the generated Service and Deployment are named `el-<name>`.';
  d.EventListenerObjectMeta.properties.annotations.properties = {
    'tekton.dev/payload-validation': str(
      'Set to "false" to accept payloads that are not JSON (e.g. Slack form posts). Defaults to "true".',
      { enum: ['true', 'false'] },
    ),
  };

  d.TriggerTemplateObjectMeta = structuredClone(OBJECT_META);
  d.TriggerTemplateObjectMeta.properties.annotations.properties = {
    'triggers.tekton.dev/old-escape-quotes': str(
      'Set to "true" to escape double quotes in parameter values (`"` becomes `\\"`) when they are substituted into the resource templates, as Triggers did before v0.10.',
      { enum: ['true', 'false'] },
    ),
  };

  // --- TriggerBinding ---------------------------------------------------------------------
  d.Param = obj(
    'Param defines a string value to be used for a ParamSpec with the same name.',
    {
      name: str('Name of the parameter; TriggerTemplates read it as `$(tt.params.<name>)`. Names must be unique within a binding.'),
      value: str(
        'Value of the parameter. It may contain JSONPath expressions over the event: `$(body.head_commit.id)`, `$(header.X-GitHub-Event)` (header names are case-insensitive), `$(extensions.<key>)` or `$(context.eventID)`. A path that does not resolve falls back to the TriggerTemplate default.',
      ),
    },
    { required: ['name', 'value'] },
  );
  d.TriggerBindingSpec = obj('TriggerBindingSpec defines the desired state of the TriggerBinding.', {
    params: arrayOf('Params defines the parameter mapping from the given input event.', ref('Param')),
  });

  // --- TriggerTemplate --------------------------------------------------------------------
  d.ParamSpec = obj(
    'ParamSpec defines an arbitrary named input whose value can be supplied by a `Param` of a TriggerBinding.',
    {
      name: str('Name declares the name by which a parameter is referenced in the resource templates: `$(tt.params.<name>)`.'),
      description: str('Description is a user-facing description of the parameter that may be used to populate a UI.'),
      default: str('Default is the value a parameter takes if no binding supplies a value (or the binding\'s JSONPath does not resolve).'),
    },
    { required: ['name'] },
  );
  d.TriggerResourceTemplate = {
    description:
      'A Kubernetes resource to create for each event, typically a PipelineRun or TaskRun. `$(tt.params.<name>)` is replaced by the parameter value and `$(uid)` by a random id shared by the resources of one event. It must have `apiVersion` and `kind`; use `metadata.generateName` to get unique names.',
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: str('API version of the resource to create, e.g. `tekton.dev/v1`.'),
      kind: str('Kind of the resource to create, e.g. `PipelineRun`.'),
      metadata: open('Metadata of the created resource. Prefer `generateName` to `name`; the namespace defaults to the EventListener\'s namespace.'),
    },
    'x-kubernetes-preserve-unknown-fields': true,
  };
  d.TriggerTemplateSpec = obj(
    'TriggerTemplateSpec holds the desired state of TriggerTemplate: the parameters it accepts and the resources it creates.',
    {
      params: arrayOf(
        'Parameters the resource templates use as `$(tt.params.<name>)`. Every parameter referenced in `resourcetemplates` must be declared here.',
        ref('ParamSpec'),
      ),
      resourcetemplates: arrayOf('The resources to create for each event (at least one).', ref('TriggerResourceTemplate'), { minItems: 1 }),
    },
    { required: ['resourcetemplates'] },
  );

  // --- Trigger pieces ---------------------------------------------------------------------
  d.TriggerSpecBinding = {
    description:
      'A binding of a Trigger: either a reference to a TriggerBinding / ClusterTriggerBinding (`ref`, `kind`), or one inline parameter (`name` and `value`).',
    type: 'object',
    properties: {
      ref: str('Name of the TriggerBinding or ClusterTriggerBinding to use. Mutually exclusive with `name`.'),
      kind: str('Kind of the referenced binding: `TriggerBinding` (default) or `ClusterTriggerBinding`. Only valid together with `ref`.', {
        enum: ['TriggerBinding', 'ClusterTriggerBinding'],
      }),
      apiversion: str('API version of the referenced binding (optional).'),
      name: str('Name of an inline binding parameter. Mutually exclusive with `ref`; requires `value`.'),
      value: str(
        'Value of the inline binding parameter; may contain JSONPath expressions such as `$(body.repository.url)`, `$(header.X-GitHub-Event)`, `$(extensions.<key>)` or `$(context.eventID)`.',
      ),
    },
    oneOf: [{ required: ['ref'] }, { required: ['name', 'value'] }],
    if: { required: ['kind'] },
    then: { required: ['ref'] },
  };
  d.TriggerSpecTemplate = {
    description: 'The TriggerTemplate of a Trigger: exactly one of a reference (`ref`) or an inline `spec`.',
    type: 'object',
    properties: {
      ref: str('Name of the TriggerTemplate to use (in the namespace of the Trigger / EventListener).'),
      apiversion: str('API version of the referenced TriggerTemplate (optional): `v1alpha1` or `v1beta1`.', { enum: ['v1alpha1', 'v1beta1'] }),
      spec: ref('TriggerTemplateSpec', 'An inline TriggerTemplate spec.'),
    },
    oneOf: [{ required: ['ref'] }, { required: ['spec'] }],
  };

  // --- Interceptors ---------------------------------------------------------------------
  d.SecretRef = obj(
    'SecretRef selects one key of a Kubernetes Secret in the namespace of the EventListener (or Trigger). The EventListener\'s service account must be able to read it.',
    {
      secretName: str('Name of the Secret.'),
      secretKey: str('Key in the Secret whose value is used (e.g. `secretToken`).'),
    },
  );
  d.CELOverlay = obj(
    'An overlay of the cel interceptor: the value of `expression` is stored in `extensions` under `key`.',
    {
      key: str(
        'Where to store the result in `extensions` (an sjson path: `a.b` creates nested fields). Read it in bindings as `$(extensions.<key>)`; do not prefix the key with `extensions.`.',
      ),
      expression: str(
        'CEL expression evaluated against `body`, `header`, `requestURL` and `extensions` (overlays of one interceptor do not see each other\'s results). Example: `body.pull_request.head.sha.truncate(7)`.',
      ),
    },
    { required: ['key', 'expression'] },
  );
  d.GitHubAddChangedFiles = obj('Settings of the github interceptor\'s `addChangedFiles` feature.', {
    enabled: bool('Turns the feature on.'),
    personalAccessToken: ref('SecretRef', 'Secret holding a GitHub personal access token for the GitHub API (needed for private repositories and to avoid rate limits).'),
  });
  d.GitHubOwners = obj('Settings of the github interceptor\'s owners check (`githubOwners`).', {
    enabled: bool('Turns the owners check on.'),
    personalAccessToken: ref('SecretRef', 'Secret holding a GitHub personal access token; required for private repositories or when `checkType` is orgMembers, repoMembers or all.'),
    checkType: str(
      'Which members, besides the OWNERS file approvers/reviewers, may run the trigger: `orgMembers`, `repoMembers`, `all` (either) or `none`.',
      { enum: ['orgMembers', 'repoMembers', 'all', 'none'] },
    ),
  });
  for (const [name, params] of Object.entries(CORE_INTERCEPTORS)) d[CORE_DEF_NAME[name]] = coreParamDef(name, params);
  d.InterceptorParams = obj(
    'InterceptorParams defines a key-value pair that is passed to the interceptor (in `interceptor_params` of the InterceptorRequest).',
    {
      name: str('Name of the parameter.'),
      value: { description: 'Value of the parameter: any JSON value (string, number, boolean, list or object), as the interceptor expects it.' },
    },
    { required: ['name', 'value'] },
  );
  d.InterceptorRef = obj(
    'InterceptorRef references the interceptor to run: a ClusterInterceptor (the core ones are `cel`, `github`, `gitlab`, `bitbucket` and `slack`) or a namespaced Interceptor.',
    {
      name: str('Name of the ClusterInterceptor (e.g. `cel`, `github`, `gitlab`, `bitbucket`, `slack`) or of the Interceptor.'),
      kind: str(
        'Kind of the referenced interceptor: `ClusterInterceptor` (default) or `NamespacedInterceptor` for an `Interceptor` resource in the namespace of the EventListener.',
        { enum: ['ClusterInterceptor', 'NamespacedInterceptor', 'Interceptor'], default: 'ClusterInterceptor' },
      ),
      apiVersion: str('API version of the referenced interceptor (optional), e.g. `triggers.tekton.dev/v1alpha1`.'),
    },
    { required: ['name'] },
  );
  d.WebhookHeader = obj(
    'A header added to the request sent to a webhook interceptor.',
    {
      name: str('Header name; must be a non-empty canonical HTTP header name (e.g. `X-Custom-Header`).', { minLength: 1 }),
      value: {
        description: 'Header value: a non-empty string, or a list of strings (one header value each).',
        type: ['string', 'array'],
        items: { type: 'string' },
      },
    },
    { required: ['name', 'value'] },
  );
  d.WebhookInterceptor = obj(
    'WebhookInterceptor (legacy) POSTs the event, with earlier `extensions` merged into `body.extensions`, to a Kubernetes Service at `http://<name>.<namespace>.svc/`. A non-200 response stops the trigger; the response body and headers replace the event for the next interceptor.',
    {
      objectRef: obj(
        'ObjectRef is the Kubernetes Service that runs the interceptor.',
        {
          kind: str('Must be `Service`.', { enum: ['Service'] }),
          apiVersion: str('Must be `v1`.', { enum: ['v1'] }),
          name: str('Name of the Service.'),
          namespace: str('Namespace of the Service (defaults to the EventListener\'s namespace).'),
          uid: str('UID of the referent (unused).'),
          resourceVersion: str('Resource version of the referent (unused).'),
          fieldPath: str('Field path within the referent (unused).'),
        },
        { required: ['kind', 'apiVersion', 'name'] },
      ),
      url: str('URL of the interceptor (a fully formed URL). Note that the webhook validation still requires `objectRef`.'),
      header: arrayOf(
        'Header is a group of key-value pairs that can be appended to the interceptor request headers. This allows the interceptor to make decisions specific to an EventListenerTrigger.',
        ref('WebhookHeader'),
      ),
    },
    { required: ['objectRef'] },
  );

  const interceptorProps = {
    name: str('Optional name to identify this interceptor configuration.'),
    ref: ref('InterceptorRef', 'Ref refers to the interceptor to use (a ClusterInterceptor or a namespaced Interceptor).'),
    params: arrayOf(
      'Params are the parameters sent to the interceptor. The core interceptors accept: cel `filter`, `overlays`; github `secretRef`, `eventTypes`, `addChangedFiles`, `githubOwners`; gitlab and bitbucket `secretRef`, `eventTypes`; slack `requestedFields`.',
      ref('InterceptorParams'),
    ),
    webhook: ref('WebhookInterceptor', 'Webhook refers to an old style webhook interceptor service (legacy; prefer a ClusterInterceptor).'),
  };
  if (alpha) {
    const legacy = (name, def) =>
      ref(def, `Deprecated: inline \`${name}\` interceptor; use \`ref: {name: ${name}}\` with \`params\` instead (Triggers converts it).`);
    Object.assign(interceptorProps, {
      github: legacy('github', 'GitHubInterceptor'),
      gitlab: legacy('gitlab', 'GitLabInterceptor'),
      bitbucket: legacy('bitbucket', 'BitbucketInterceptor'),
      cel: legacy('cel', 'CELInterceptor'),
    });
    d.GitHubInterceptor = obj('GitHubInterceptor (deprecated inline form) validates GitHub webhooks.', {
      secretRef: CORE_INTERCEPTORS.github.secretRef,
      eventTypes: CORE_INTERCEPTORS.github.eventTypes,
    });
    d.GitLabInterceptor = obj('GitLabInterceptor (deprecated inline form) validates GitLab webhooks.', { ...CORE_INTERCEPTORS.gitlab });
    d.BitbucketInterceptor = obj('BitbucketInterceptor (deprecated inline form) validates Bitbucket webhooks.', { ...CORE_INTERCEPTORS.bitbucket });
    d.CELInterceptor = obj('CELInterceptor (deprecated inline form) filters events and adds extensions with CEL expressions.', { ...CORE_INTERCEPTORS.cel });
  }
  const coreConditions = Object.keys(CORE_INTERCEPTORS).map((name) => ({
    if: {
      required: ['ref'],
      properties: { ref: { required: ['name'], properties: { name: { const: name }, kind: { const: 'ClusterInterceptor' } } } },
    },
    then: { properties: { params: { items: ref(CORE_DEF_NAME[name]) } } },
  }));
  d.TriggerInterceptor = {
    description:
      'TriggerInterceptor provides a hook to intercept and pre-process events: filter them, validate webhook secrets and add `extensions` for the bindings. Interceptors run in order; if one returns `continue: false` the trigger stops. More info: ' +
      `${DOCS}/interceptors/`,
    type: 'object',
    properties: interceptorProps,
    allOf: [
      ...coreConditions,
      alpha
        ? { anyOf: ['ref', 'webhook', 'github', 'gitlab', 'bitbucket', 'cel'].map((k) => ({ required: [k] })) }
        : { if: { required: ['webhook'] }, else: { required: ['ref'] } },
    ],
  };

  d.TriggerSpec = obj(
    'TriggerSpec connects bindings, a template and interceptors: the interceptors process the event, the bindings extract parameters from it and the template creates resources from them.',
    {
      bindings: arrayOf('Bindings extract parameters from the event: references to TriggerBindings / ClusterTriggerBindings or inline `name`/`value` pairs.', ref('TriggerSpecBinding')),
      template: ref('TriggerSpecTemplate', 'The TriggerTemplate that creates resources from the parameters: a reference (`ref`) or an inline `spec`.'),
      name: str('Optional name of the trigger.'),
      interceptors: arrayOf('Interceptors run, in order, on the event before the bindings are resolved.', ref('TriggerInterceptor')),
      serviceAccountName: str(
        'ServiceAccountName optionally associates credentials with each trigger; unlike EventListeners, this should be scoped to the same namespace as the Trigger itself. The EventListener impersonates it to create the resources.',
      ),
    },
    { required: ['template'] },
  );

  // --- EventListener ----------------------------------------------------------------------
  d.EventListenerTrigger = {
    description:
      'A trigger of an EventListener: inline `bindings`, `template` and `interceptors`, or a reference to a Trigger resource (`triggerRef`).',
    type: 'object',
    properties: {
      name: str('Name of the trigger; must be a valid label value (it is set as the `triggers.tekton.dev/trigger` label of the created resources).', {
        maxLength: 63,
      }),
      bindings: d.TriggerSpec.properties.bindings,
      template: d.TriggerSpec.properties.template,
      triggerRef: str('Name of a Trigger resource in the EventListener\'s namespace to use instead of inline `bindings`, `template` and `interceptors`.'),
      interceptors: d.TriggerSpec.properties.interceptors,
      serviceAccountName: str(
        'ServiceAccountName optionally associates credentials with each trigger; more granular authorization for who is allowed to utilize the associated pipeline vs. defaulting to whatever permissions are associated with the entire EventListener and associated sink facilitates multi-tenant model based scenarios.',
      ),
    },
    oneOf: [{ required: ['template'] }, { required: ['triggerRef'] }],
  };
  d.NamespaceSelector = obj('NamespaceSelector is a selector for selecting either all namespaces or a list of namespaces.', {
    matchNames: strList('List of namespace names in which Triggers are also looked up; `["*"]` selects all namespaces.'),
  });
  d.LabelSelector = obj(
    'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects.',
    {
      matchLabels: strMap('matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value".'),
      matchExpressions: arrayOf(
        'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
        obj(
          'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
          {
            key: str('key is the label key that the selector applies to.'),
            operator: str("operator represents a key's relationship to a set of values.", { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
            values: strList('values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'),
          },
          { required: ['key', 'operator'] },
        ),
      ),
    },
  );
  d.Toleration = obj(
    'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    {
      key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys.'),
      operator: str("Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal.", { enum: ['Exists', 'Equal'] }),
      value: str('Value is the taint value the toleration matches to.'),
      effect: str('Effect indicates the taint effect to match. Empty means match all taint effects.', { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
      tolerationSeconds: { description: 'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute) tolerates the taint.', type: 'integer', format: 'int64' },
    },
  );
  d.SinkPodSpec = {
    description:
      'Overlay for the pod spec of the EventListener sink. Triggers accepts serviceAccountName, nodeSelector, tolerations, securityContext, affinity, topologySpreadConstraints and one container with `resources` and `env`; other PodSpec fields are not modelled here.',
    type: 'object',
    properties: {
      serviceAccountName: str('ServiceAccount of the sink pod (overrides `spec.serviceAccountName`).'),
      nodeSelector: strMap('NodeSelector is a selector which must be true for the sink pod to fit on a node.'),
      tolerations: arrayOf("If specified, the sink pod's tolerations.", ref('Toleration')),
      securityContext: open('Pod-level security attributes (corev1.PodSecurityContext), e.g. runAsNonRoot, runAsUser, fsGroup.'),
      affinity: open("If specified, the sink pod's scheduling constraints (corev1.Affinity)."),
      topologySpreadConstraints: arrayOf('Topology spread constraints of the sink pod.', open('A corev1.TopologySpreadConstraint.')),
      containers: arrayOf(
        'At most one container: only its `resources` and `env` (env vars from `valueFrom.secretKeyRef`, and TLS_CERT/TLS_KEY for TLS) are used.',
        {
          description: 'Overrides for the sink container.',
          type: 'object',
          properties: {
            resources: open('Compute resources (requests/limits) of the sink container.'),
            env: arrayOf('Environment variables of the sink container.', open('A corev1.EnvVar.')),
          },
          'x-kubernetes-preserve-unknown-fields': true,
        },
        { maxItems: 1 },
      ),
    },
    'x-kubernetes-preserve-unknown-fields': true,
  };
  d.KubernetesResource = obj('KubernetesResource configures the Deployment and Service that run the EventListener sink.', {
    replicas: int32('Number of replicas of the sink Deployment.', { minimum: 0 }),
    serviceType: str('Type of the Service exposing the EventListener: ClusterIP (default), NodePort or LoadBalancer.', {
      enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    }),
    servicePort: int32('Port of the EventListener Service (default 8080).'),
    ...(alpha ? {} : { serviceLoadBalancerClass: str('loadBalancerClass of the Service, when `serviceType` is LoadBalancer.') }),
    spec: obj('Overlay for the sink Deployment (duck-typed WithPodSpec): `template.metadata` and `template.spec`.', {
      template: obj('Pod template overlay.', {
        metadata: open('Labels and annotations added to the sink pod.'),
        spec: ref('SinkPodSpec'),
      }),
    }),
  });
  d.Resources = obj('Resources configures what runs the EventListener sink; set at most one of `kubernetesResource` and `customResource`.', {
    kubernetesResource: ref('KubernetesResource', 'Run the sink as a Kubernetes Deployment and Service (the default).'),
    customResource: open(
      'Run the sink as a custom resource, e.g. a Knative Service (`apiVersion`, `kind`, `spec.template.spec`); it must be a duck-typed WithPod resource. Mutually exclusive with `kubernetesResource`.',
    ),
  });
  const elSpecProps = {
    serviceAccountName: str('ServiceAccount the EventListener sink runs as; it must be allowed to read Triggers, bindings, templates and interceptors and to create the templated resources.'),
    triggers: arrayOf('The triggers of this EventListener: inline, or references to Trigger resources (`triggerRef`).', ref('EventListenerTrigger')),
  };
  if (!alpha) {
    elSpecProps.triggerGroups = arrayOf(
      'Trigger groups allow for centralized processing of an interceptor chain: the group\'s interceptors run once, then the Triggers selected by `triggerSelector` are processed.',
      obj(
        'EventListenerTriggerGroup defines a group of Triggers that share a common set of interceptors.',
        {
          name: str('Name of the trigger group.'),
          interceptors: arrayOf('Interceptors run on the event before the selected Triggers (at least one).', ref('TriggerInterceptor'), { minItems: 1 }),
          triggerSelector: {
            ...obj('EventListenerTriggerSelector defines ways to select a group of triggers using their metadata (a labelSelector and/or namespaceSelector is required).', {
              namespaceSelector: ref('NamespaceSelector', 'Namespaces in which Triggers are selected.'),
              labelSelector: ref('LabelSelector', 'Labels of the Triggers to select.'),
            }),
            anyOf: [{ required: ['labelSelector'] }, { required: ['namespaceSelector'] }],
          },
        },
        { required: ['name', 'interceptors', 'triggerSelector'] },
      ),
    );
  }
  Object.assign(elSpecProps, {
    namespaceSelector: ref('NamespaceSelector', 'Also process the Trigger resources of these namespaces (the service account needs access to them).'),
    labelSelector: ref('LabelSelector', 'Also process the Trigger resources whose labels match (in the EventListener\'s namespace, or in the namespaces of `namespaceSelector`).'),
    resources: ref('Resources', 'Resources configures the Deployment/Service or custom resource that runs the EventListener sink.'),
  });
  if (!alpha)
    elSpecProps.cloudEventURI = str(
      'URI of a CloudEvents sink to which the EventListener sends a CloudEvent for each trigger processing step (started, done, failed).',
    );
  d.EventListenerSpec = {
    ...obj('EventListenerSpec defines the desired state of the EventListener, represented by a list of Triggers.', elSpecProps),
    anyOf: (alpha ? ['triggers', 'labelSelector', 'namespaceSelector'] : ['triggers', 'triggerGroups', 'labelSelector', 'namespaceSelector']).map((k) => ({
      required: [k],
    })),
  };

  // --- Interceptor resources ---------------------------------------------------------------
  if (alpha) {
    d.ServiceReference = obj(
      'ServiceReference is a reference to a Service object with an optional path.',
      {
        name: str('Name is the name of the service.'),
        namespace: str('Namespace is the namespace of the service.'),
        path: str('Path is an optional URL path (e.g. `/cel`).'),
        port: int32('Port is a valid port number (default 80, or 8443 when `caBundle` is set).', { minimum: 1, maximum: 65535 }),
      },
      { required: ['name', 'namespace'] },
    );
    d.ClientConfig = {
      ...obj('ClientConfig describes how a client (the EventListener) can communicate with the interceptor: a `url` or a `service`.', {
        caBundle: str(
          'CaBundle is a PEM encoded CA bundle (base64 in YAML) used to validate the interceptor server certificate; when set the interceptor is called over HTTPS.',
        ),
        url: str('URL is a fully formed URL pointing to the interceptor. Mutually exclusive with Service.'),
        service: ref('ServiceReference', 'Service is a reference to a Service object where the interceptor is running. Mutually exclusive with URL.'),
      }),
      oneOf: [{ required: ['url'] }, { required: ['service'] }],
    };
    d.InterceptorSpec = obj(
      'The spec of a ClusterInterceptor or Interceptor: how the EventListener reaches the interceptor service.',
      { clientConfig: ref('ClientConfig', 'ClientConfig describes how the EventListener calls the interceptor.') },
      { required: ['clientConfig'] },
    );
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Root schemas

const KIND_INFO = {
  EventListener: {
    description:
      'EventListener exposes a service (el-<name>) that accepts HTTP event payloads, runs the interceptors of its triggers and creates the resources of their templates. More info: ' +
      `${DOCS}/eventlisteners/`,
    spec: 'EventListenerSpec',
    meta: 'EventListenerObjectMeta',
    status: true,
  },
  Trigger: {
    description:
      'Trigger defines a mapping of an input event to parameters and resources: interceptors, bindings and a template, used by EventListeners through `triggerRef` or label/namespace selectors. More info: ' +
      `${DOCS}/triggers/`,
    spec: 'TriggerSpec',
  },
  TriggerBinding: {
    description:
      'TriggerBinding defines a mapping of an input event to parameters. This is used to extract information from events to be passed to TriggerTemplates within a Trigger. More info: ' +
      `${DOCS}/triggerbindings/`,
    spec: 'TriggerBindingSpec',
    status: true,
  },
  ClusterTriggerBinding: {
    description:
      'ClusterTriggerBinding is a TriggerBinding with a cluster scope, usable from any namespace (`kind: ClusterTriggerBinding` in a binding reference). More info: ' +
      `${DOCS}/triggerbindings/`,
    spec: 'TriggerBindingSpec',
    status: true,
  },
  TriggerTemplate: {
    description:
      'TriggerTemplate takes parameters and uses them to create resources (typically PipelineRuns) for each event. More info: ' + `${DOCS}/triggertemplates/`,
    spec: 'TriggerTemplateSpec',
    meta: 'TriggerTemplateObjectMeta',
    status: true,
  },
  ClusterInterceptor: {
    description:
      'ClusterInterceptor describes a pluggable, cluster-scoped interceptor: the address of the service that implements it (the core interceptors cel, github, gitlab, bitbucket and slack are ClusterInterceptors). More info: ' +
      `${DOCS}/clusterinterceptors/`,
    spec: 'InterceptorSpec',
    status: true,
    specRequired: true,
  },
  Interceptor: {
    description:
      'Interceptor describes a pluggable, namespaced interceptor: the address of the service that implements it. Reference it with `ref: {name: <name>, kind: NamespacedInterceptor}`. More info: ' +
      `${DOCS}/namespacedinterceptors/`,
    spec: 'InterceptorSpec',
    status: true,
    specRequired: true,
  },
};

function rootSchema(kind, version, universe) {
  const info = KIND_INFO[kind];
  const apiVersion = `${GROUP}/${version}`;
  const root = {
    title: `${kind} (${apiVersion}) - written by hand from github.com/${SOURCE.repo}@${SOURCE.commit} ${SOURCE.paths}`,
    description: info.description,
    type: 'object',
    required: ['apiVersion', 'kind', ...(info.specRequired ? ['spec'] : [])],
    properties: {
      apiVersion: {
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
        type: 'string',
        const: apiVersion,
      },
      kind: { description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.', type: 'string', const: kind },
      metadata: ref(info.meta ?? 'ObjectMeta'),
      spec: ref(info.spec, `Spec holds the desired state of the ${kind}.`),
    },
  };
  if (info.status) root.properties.status = open(`Status of the ${kind} (written by the controller; not checked).`);
  return finalizeFile(root, universe);
}

function main() {
  const written = [];
  for (const [version, kinds] of Object.entries(KINDS)) {
    const universe = definitions(version);
    for (const kind of kinds) {
      const file = join(outRoot, GROUP, version, `${kind}.json`);
      writeJson(file, rootSchema(kind, version, universe));
      written.push(relative(repoRoot, file));
    }
  }
  const entries = writeIndex();
  for (const f of written) console.log(`wrote ${f}`);
  console.log(`schemas/index.json: ${entries.length} entries`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
