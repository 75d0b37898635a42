#!/usr/bin/env node
// Generates the JSON Schemas for the Tekton Pipelines kinds (group tekton.dev) from the
// upstream CustomResourceDefinitions, one file per served version and kind:
//
//   schemas/tekton.dev/<version>/<Kind>.json
//
// Usage: node scripts/generateSchemas.mjs [<crd-dir>]
//   <crd-dir> defaults to ../shared/data/tekton-crds/pipeline relative to the repository root
//   and must hold the upstream config/300-crds/300-*.yaml files.
//
// The output uses only the JSON Schema subset understood by the language server's validator
// (see schemas/README.md). The CRDs leave some fields open with
// `x-kubernetes-preserve-unknown-fields`; those "islands" are closed here: ParamValue fields,
// inline taskSpec / pipelineSpec and volumes (the validator still treats what is inside them as the webhook
// decodes it, not as the API server checks a schema: server/src/schema/schemaValidator.ts DECODED_ISLANDS, keyed
// by the same property names as `island` below). Repeated sub-schemas are hoisted into
// `definitions` so every file stays self-contained but small.
// The script is deterministic: running it twice gives identical files.
// It also rewrites schemas/index.json, merging in the Triggers schemas written by
// scripts/triggersSchemas.mjs.

import { readFileSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { OBJECT_META, finalizeFile, outRoot, ref, repoRoot, writeIndex, writeJson } from './schemaCommon.mjs';

const crdDir = resolve(process.argv[2] ?? join(repoRoot, '../shared/data/tekton-crds/pipeline'));

export const SOURCE = {
  repo: 'tektoncd/pipeline',
  commit: '3ee1745ae5b2d9175b11917d7c1935eaad44910c',
  path: 'config/300-crds',
  license: 'Apache-2.0',
};

const GROUP = 'tekton.dev';
const CRD_FILES = [
  ['Pipeline', '300-pipeline.yaml'],
  ['Task', '300-task.yaml'],
  ['PipelineRun', '300-pipelinerun.yaml'],
  ['TaskRun', '300-taskrun.yaml'],
  ['StepAction', '300-stepaction.yaml'],
  ['CustomRun', '300-customrun.yaml'],
];

// ---------------------------------------------------------------------------------------------
// Loading

/** crds[kind][version] = openAPIV3Schema (served versions only) */
const crds = {};
const crdFileOf = {};
for (const [kind, file] of CRD_FILES) {
  const doc = YAML.parse(readFileSync(join(crdDir, file), 'utf8'));
  if (doc?.kind !== 'CustomResourceDefinition' || doc.spec?.names?.kind !== kind) {
    throw new Error(`${file}: expected the CustomResourceDefinition of ${kind}`);
  }
  crds[kind] = {};
  crdFileOf[kind] = file;
  for (const v of doc.spec.versions) {
    if (v.served) crds[kind][v.name] = v.schema.openAPIV3Schema;
  }
}

// ---------------------------------------------------------------------------------------------
// Descriptions

/** Generated v1beta1/v1alpha1 CRDs often carry only the Go field name as description. */
function isStubDescription(text) {
  return typeof text === 'string' && /^[A-Za-z][A-Za-z0-9]*\.?$/.test(text.trim());
}

function cleanDescription(text, counterpartText) {
  let t = typeof text === 'string' ? text.trim() : undefined;
  if (t === undefined || isStubDescription(t)) {
    const c = typeof counterpartText === 'string' ? counterpartText.trim() : undefined;
    t = c && !isStubDescription(c) ? c : undefined;
  }
  if (!t) return undefined;
  // Drop Go doc-comment noise that sometimes leaks into generated descriptions.
  t = t
    .split('\n')
    .filter((l) => !/^\s*\+(optional|listType|k8s:|kubebuilder|genclient|mapType|structType)/.test(l))
    .filter((l) => !/^\s*TODO\b/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return t || undefined;
}

// ---------------------------------------------------------------------------------------------
// CRD node -> schema of the supported subset

/** Descriptions for fields the CRDs leave undocumented (by property name). */
const FALLBACK_DESCRIPTIONS = {
  serviceAccountName: 'Name of the ServiceAccount the TaskRun pod runs as (defaults to the `default-service-account` of the Tekton config, usually `default`).',
  pipelineTaskName: 'Name of the pipeline task (in the Pipeline\'s `tasks` or `finally`) these settings apply to.',
  stepSpecs: 'Overrides the compute resources of named steps.',
  sidecarSpecs: 'Overrides the compute resources of named sidecars.',
  stepOverrides: 'Overrides the compute resources of named steps.',
  sidecarOverrides: 'Overrides the compute resources of named sidecars.',
  labels: 'Labels added to the created resource.',
  annotations: 'Annotations added to the created resource.',
  beforeSteps: 'Names of the steps before which the TaskRun pauses for debugging.',
  inputs: 'Deprecated: PipelineResources were removed from Tekton; unused.',
  outputs: 'Deprecated: PipelineResources were removed from Tekton; unused.',
  resourceRef: 'Deprecated: PipelineResources were removed from Tekton; unused.',
  resourceSpec: 'Deprecated: PipelineResources were removed from Tekton; unused.',
};

const DROP_KEYS = new Set(['x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'nullable']);
const PASS_KEYS = new Set(['type', 'enum', 'format', 'pattern', 'default', 'minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength']);


/**
 * Convert a CRD openAPIV3Schema node.
 * ctx.counterpart: the same node in the newer version (descriptions for stub descriptions).
 * ctx.path: property path (array items are '[]').
 * ctx.island(key, node, description, path): replacement for preserve-unknown-fields islands.
 * ctx.override(path, node): optional full replacement (return undefined to keep converting).
 */
function convert(node, ctx, path = [], counterpart = path.length <= 1 ? ctx.counterpart : undefined) {
  const over = ctx.override?.(path, node, counterpart);
  if (over !== undefined) return over;
  const description = cleanDescription(node.description, counterpart?.description) ?? FALLBACK_DESCRIPTIONS[path[path.length - 1]];

  if (node['x-kubernetes-preserve-unknown-fields'] && !node.properties) {
    const key = path[path.length - 1];
    const replaced = ctx.island?.(key, node, description, path);
    if (replaced) return replaced;
    const out = {};
    if (description) out.description = description;
    if (node.type) out.type = node.type;
    out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  }

  const out = {};
  if (description) out.description = description;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || DROP_KEYS.has(k)) continue;
    if (PASS_KEYS.has(k)) out[k] = structuredClone(v);
  }
  if (node['x-kubernetes-int-or-string']) {
    // anyOf [integer, string] is expressed by the flag alone.
    delete out.type;
    out['x-kubernetes-int-or-string'] = true;
  } else if (node.anyOf) {
    out.anyOf = node.anyOf.map((a, i) => convert(a, ctx, [...path, `anyOf${i}`], counterpart?.anyOf?.[i] ?? null));
  }
  if (node.required) out.required = [...node.required];
  if (node.properties) {
    out.properties = {};
    for (const [k, v] of Object.entries(node.properties)) {
      const converted = convert(v, ctx, [...path, k], counterpart?.properties?.[k] ?? null);
      if (converted !== null) out.properties[k] = converted;
    }
  }
  if (node.items) out.items = convert(node.items, ctx, [...path, '[]'], counterpart?.items ?? null);
  if (node.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof node.additionalProperties === 'object'
        ? convert(node.additionalProperties, ctx, [...path, '{}'], counterpart?.additionalProperties ?? null)
        : node.additionalProperties;
  }
  if (node['x-kubernetes-preserve-unknown-fields']) out['x-kubernetes-preserve-unknown-fields'] = true;
  ctx.patch?.(path, out);
  return out;
}

const pathStr = (p) => p.join('.');
const endsWith = (p, ...suffix) => suffix.length <= p.length && suffix.every((s, i) => p[p.length - suffix.length + i] === s);

// ---------------------------------------------------------------------------------------------
// Hand-written pieces

const PARAM_VALUE = {
  description:
    'A parameter value: a string, an array of strings or an object whose values are strings (object values need an `object` param with `properties`). ' +
    'Unquoted YAML numbers and booleans are accepted and turned into strings by Tekton. ' +
    'Values may reference variables such as `$(params.name)`, `$(tasks.<task>.results.<result>)` or `$(params.array[*])`.',
  type: ['string', 'array', 'object', 'number', 'integer', 'boolean'],
  // ParamValue.UnmarshalJSON (pkg/apis/pipeline/v1/param_types.go) never fails: a list that is not a []string or a
  // map that is not a map[string]string becomes the string of its JSON text. The element types are not constrained
  // here; the run and pipeline-task checks compare the resulting type with the declared one.
  items: { description: 'An element of an array value: a string (a list with other elements is read as one string, its JSON text).' },
  additionalProperties: { description: 'A key of an object value: a string (a map with other values is read as one string, its JSON text).' },
};

const EMBEDDED_TASK_EXTRA = {
  apiVersion: {
    description: 'APIVersion of a custom task (e.g. `example.dev/v1alpha1`). Set together with `kind` to embed the spec of a custom task instead of a Task.',
    type: 'string',
  },
  kind: {
    description: 'Kind of a custom task. Set together with `apiVersion` to embed the spec of a custom task instead of a Task.',
    type: 'string',
  },
  spec: {
    description: 'Spec is the specification of an embedded custom task (used together with `apiVersion` and `kind`); its content is defined by the custom task controller.',
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  metadata: {
    description: 'Labels and annotations to add to the TaskRun (or CustomRun) and Pod created for this embedded task.',
    type: 'object',
    properties: {
      labels: { description: 'Labels added to the TaskRun and Pod created from this embedded task.', type: 'object', additionalProperties: { type: 'string' } },
      annotations: {
        description: 'Annotations added to the TaskRun and Pod created from this embedded task.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
    },
    additionalProperties: false,
  },
};

/** Extra enums where Tekton's webhook only accepts fixed values (and no variables). */
function patchEnums(path, out) {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'type' && out.type === 'string' && !out.enum) {
    // ParamSpec.type, PropertySpec.type, TaskResult.type, StepResult.type, PipelineResult.type
    if (parent === '[]' || parent === '{}') {
      const owner = path[path.length - 3];
      if (['params', 'results', 'properties'].includes(owner)) out.enum = ['string', 'array', 'object'];
    }
  }
  if (last === 'operator' && path.includes('when') && out.type === 'string') out.enum = ['in', 'notin'];
  // Step and PipelineTask onError (task_validation.go / pipeline_validation.go); a `$(params.x)` value is allowed
  // too, which the validator accepts for any enum.
  if (last === 'onError' && out.type === 'string') out.enum = ['continue', 'stopAndFail'];
  if (last === 'imagePullPolicy' && out.type === 'string') out.enum = ['Always', 'Never', 'IfNotPresent'];
}

// ---------------------------------------------------------------------------------------------
// Definitions per API version

function buildVersionDefs(version) {
  const newer = (kind) => (version === 'v1beta1' ? crds[kind].v1 : undefined);
  const defs = {};

  const island = (pipelineTaskContext) => (key, node, description, path) => {
    if (key === 'value' || key === 'default') return ref('ParamValue', description);
    if (key === 'taskSpec') return ref(pipelineTaskContext(path) ? 'EmbeddedTask' : 'TaskSpec', description);
    if (key === 'pipelineSpec') return ref('PipelineSpec', description);
    if (key === 'volumes') return { ...(description ? { description } : {}), type: 'array', items: ref('Volume') };
    return undefined;
  };
  const patch = (path, out) => {
    patchEnums(path, out);
    // Param {name, value} items carry no field descriptions in the CRD.
    if (endsWith(path, 'params', '[]') && out.properties?.name && out.properties?.value?.$ref) {
      out.properties.name.description ??= 'Name of the parameter, as declared in the params of the Task, Pipeline, StepAction or resolver.';
      out.properties.value.description ??=
        'Value of the parameter: a string, an array of strings or an object of strings, matching the declared param type.';
    }
    // Run cancellation / pending states (PipelineRunSpecStatus, TaskRunSpecStatus).
    if (pathStr(path) === 'PipelineRunSpec.status' && out.type === 'string')
      out.enum = ['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending', ...(version === 'v1beta1' ? ['PipelineRunCancelled'] : [])];
    if (pathStr(path) === 'TaskRunSpec.status' && out.type === 'string') out.enum = ['TaskRunCancelled', 'TaskRunPending'];
    // Required in the CRD but filled in by Tekton: a step or sidecar workspace without mountPath is mounted at the
    // Task workspace's path (TEP-0029, docs/workspaces.md "Isolating Workspaces"); a step/sidecar override without
    // compute resources overrides nothing (TaskRunStepSpec/TaskRunSidecarSpec, v1beta1 StepOverride/SidecarOverride).
    const dropRequired = (field) => {
      out.required = out.required?.filter((r) => r !== field);
      if (out.required && !out.required.length) delete out.required;
    };
    if (endsWith(path, 'workspaces', '[]') && ['steps', 'sidecars'].includes(path[path.length - 4])) dropRequired('mountPath');
    if (endsWith(path, 'stepSpecs', '[]') || endsWith(path, 'sidecarSpecs', '[]')) dropRequired('computeResources');
    if (endsWith(path, 'stepOverrides', '[]') || endsWith(path, 'sidecarOverrides', '[]')) dropRequired('resources');
    // Steps and sidecars without a name are allowed (named step-unnamed-<i> / sidecar-unnamed-<i>).
    if ((endsWith(path, 'steps', '[]') || endsWith(path, 'sidecars', '[]')) && out.required) {
      out.required = out.required.filter((r) => r !== 'name');
      if (!out.required.length) delete out.required;
    }
  };
  const baseCtx = { island: island(() => false), patch };

  // TaskSpec
  if (crds.Task[version]) {
    const t = crds.Task[version].properties.spec;
    defs.TaskSpec = convert(t, { ...baseCtx, counterpart: newer('Task')?.properties.spec }, ['TaskSpec']);
    defs.EmbeddedTask = {
      description:
        'EmbeddedTask is an inline Task spec inside a Pipeline task. It has the fields of a Task spec, plus `metadata` (labels and annotations for the TaskRun), or `apiVersion`, `kind` and `spec` for an embedded custom task.',
      type: 'object',
      properties: { ...structuredClone(defs.TaskSpec.properties), ...structuredClone(EMBEDDED_TASK_EXTRA) },
      additionalProperties: false,
    };
    // A Task (or inline taskSpec) must have steps; an embedded custom task (apiVersion+kind) need not.
    defs.TaskSpec.required = ['steps'];
    defs.EmbeddedTask.if = { required: ['apiVersion', 'kind'] };
    defs.EmbeddedTask.else = { required: ['steps'] };
  }

  // PipelineSpec + PipelineTask
  if (crds.Pipeline[version]) {
    const p = crds.Pipeline[version].properties.spec;
    const np = newer('Pipeline')?.properties.spec;
    const inPipelineTask = (path) => path.includes('PipelineTask');
    const ctx = {
      ...baseCtx,
      island: island(inPipelineTask),
      override: (path) => (endsWith(path, 'tasks', '[]') || endsWith(path, 'finally', '[]') ? ref('PipelineTask') : undefined),
    };
    defs.PipelineSpec = convert(p, { ...ctx, counterpart: np }, ['PipelineSpec']);
    defs.PipelineTask = convert(p.properties.tasks.items, { ...ctx, override: undefined, counterpart: np?.properties.tasks.items }, ['PipelineTask']);
    // The webhook requires a DNS-1123 name for each pipeline task.
    defs.PipelineTask.required = ['name', ...(defs.PipelineTask.required ?? []).filter((r) => r !== 'name')];
  }

  // Volume (corev1.Volume): the volume sources the CRDs describe for workspace bindings, plus
  // the other common ones; the remaining (legacy, in-tree) sources stay open objects.
  if (crds.TaskRun[version]) {
    const ws = crds.TaskRun[version].properties.spec.properties.workspaces.items;
    const nws = newer('TaskRun')?.properties.spec.properties.workspaces.items;
    const wsConv = convert(ws, { ...baseCtx, counterpart: nws }, ['WorkspaceBinding']);
    const pick = (k) => wsConv.properties[k];
    const projectedDownward = pick('projected')?.properties?.sources?.items?.properties?.downwardAPI;
    const open = (description) => ({ description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    defs.Volume = {
      description: 'Volume represents a named volume in a pod that may be accessed by any container (step or sidecar) in the pod.',
      type: 'object',
      required: ['name'],
      properties: {
        name: {
          description:
            "name of the volume. Must be a DNS_LABEL and unique within the pod. Steps mount it with `volumeMounts[].name`. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
          type: 'string',
        },
        configMap: pick('configMap'),
        secret: pick('secret'),
        emptyDir: pick('emptyDir'),
        persistentVolumeClaim: pick('persistentVolumeClaim'),
        projected: pick('projected'),
        csi: pick('csi'),
        downwardAPI: {
          description: 'downwardAPI represents downward API about the pod that should populate this volume',
          type: 'object',
          properties: {
            defaultMode: {
              description:
                'Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. Defaults to 0644.',
              type: 'integer',
              format: 'int32',
            },
            items: structuredClone(projectedDownward?.properties?.items ?? { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }),
          },
          additionalProperties: false,
        },
        hostPath: {
          description:
            'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath',
          type: 'object',
          required: ['path'],
          properties: {
            path: { description: 'path of the directory on the host. If the path is a symlink, it will follow the link to the real path.', type: 'string' },
            type: {
              description: 'type for HostPath Volume. Defaults to "". One of "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.',
              type: 'string',
            },
          },
          additionalProperties: false,
        },
        ephemeral: {
          description:
            'ephemeral represents a volume that is handled by a cluster storage driver. The volume\'s lifecycle is tied to the pod that defines it. More info: https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes',
          type: 'object',
          properties: {
            volumeClaimTemplate: open('Will be used to create a stand-alone PVC to provision the volume (a PersistentVolumeClaimTemplate: metadata and spec).'),
          },
          additionalProperties: false,
        },
        image: {
          description: 'image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet\'s host machine.',
          type: 'object',
          properties: {
            reference: { description: 'Required: Image or artifact reference to be used.', type: 'string' },
            pullPolicy: { description: 'Policy for pulling OCI objects. Possible values are: Always, Never, IfNotPresent.', type: 'string', enum: ['Always', 'Never', 'IfNotPresent'] },
          },
          additionalProperties: false,
        },
        nfs: {
          description: 'nfs represents an NFS mount on the host that shares a pod\'s lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs',
          type: 'object',
          required: ['server', 'path'],
          properties: {
            server: { description: 'server is the hostname or IP address of the NFS server.', type: 'string' },
            path: { description: 'path that is exported by the NFS server.', type: 'string' },
            readOnly: { description: 'readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false.', type: 'boolean' },
          },
          additionalProperties: false,
        },
        awsElasticBlockStore: open('Deprecated in-tree volume source (AWS EBS).'),
        azureDisk: open('Deprecated in-tree volume source (Azure Disk).'),
        azureFile: open('Deprecated in-tree volume source (Azure File).'),
        cephfs: open('Deprecated in-tree volume source (CephFS).'),
        cinder: open('Deprecated in-tree volume source (OpenStack Cinder).'),
        fc: open('Fibre Channel volume source.'),
        flexVolume: open('Deprecated generic volume source provisioned by an exec-based plugin.'),
        flocker: open('Deprecated in-tree volume source (Flocker).'),
        gcePersistentDisk: open('Deprecated in-tree volume source (GCE Persistent Disk).'),
        gitRepo: open('Deprecated: gitRepo volume source. Use an init container or a git-clone step instead.'),
        glusterfs: open('Deprecated in-tree volume source (GlusterFS).'),
        iscsi: open('ISCSI volume source.'),
        photonPersistentDisk: open('Deprecated in-tree volume source (Photon Controller).'),
        portworxVolume: open('Deprecated in-tree volume source (Portworx).'),
        quobyte: open('Deprecated in-tree volume source (Quobyte).'),
        rbd: open('Deprecated in-tree volume source (Rados Block Device).'),
        scaleIO: open('Deprecated in-tree volume source (ScaleIO).'),
        storageos: open('Deprecated in-tree volume source (StorageOS).'),
        vsphereVolume: open('Deprecated in-tree volume source (vSphere).'),
      },
      additionalProperties: false,
    };
    for (const [k, v] of Object.entries(defs.Volume.properties)) if (v === undefined) delete defs.Volume.properties[k];
  }

  defs.ParamValue = structuredClone(PARAM_VALUE);
  defs.ObjectMeta = structuredClone(OBJECT_META);
  return { defs, ctx: { ...baseCtx } };
}

// ---------------------------------------------------------------------------------------------
// Root schemas

function rootSchema(kind, version) {
  const crd = crds[kind][version];
  // Counterpart for stub descriptions: v1 for v1beta1 kinds; the other version for StepAction.
  const counterpartRoot =
    version !== 'v1' && crds[kind].v1 ? crds[kind].v1 : kind === 'StepAction' ? crds.StepAction[version === 'v1alpha1' ? 'v1beta1' : 'v1alpha1'] : undefined;
  const { defs, ctx } = buildVersionDefs(version);
  const apiVersion = `${GROUP}/${version}`;
  const specNode = crd.properties.spec;
  let spec;
  if (kind === 'Task') spec = ref('TaskSpec', cleanDescription(specNode.description, counterpartRoot?.properties.spec.description));
  else if (kind === 'Pipeline') spec = ref('PipelineSpec', cleanDescription(specNode.description, counterpartRoot?.properties.spec.description));
  else spec = convert(specNode, { ...ctx, counterpart: counterpartRoot?.properties.spec }, [kind + 'Spec']);
  // StepActionSpec.Validate: `ErrMissingField("Image")` (tektoncd/pipeline pkg/apis/pipeline/v1beta1/stepaction_validation.go).
  if (kind === 'StepAction') spec.required = [...new Set([...(spec.required ?? []), 'image'])];

  const description = cleanDescription(crd.description, counterpartRoot?.description);
  const root = {
    title: `${kind} (${apiVersion}) - generated from github.com/${SOURCE.repo}@${SOURCE.commit} ${SOURCE.path}/${crdFileOf[kind]}`,
    description,
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: {
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
        type: 'string',
        const: apiVersion,
      },
      kind: { description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.', type: 'string', const: kind },
      metadata: ref('ObjectMeta'),
      spec,
      status: {
        description: `${cleanDescription(crd.properties.status?.description) ?? 'Status'} (written by the Tekton controller; not checked).`,
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      },
    },
    additionalProperties: false,
  };
  if (!crd.properties.status) delete root.properties.status;
  return finalizeFile(root, defs);
}

function main() {
  const written = [];
  for (const [kind] of CRD_FILES) {
    for (const version of Object.keys(crds[kind])) {
      const schema = rootSchema(kind, version);
      const file = join(outRoot, GROUP, version, `${kind}.json`);
      writeJson(file, schema);
      written.push(relative(repoRoot, file));
    }
  }
  const entries = writeIndex();
  for (const f of written) console.log(`wrote ${f}`);
  console.log(`schemas/index.json: ${entries.length} entries`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
