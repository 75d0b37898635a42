/** A starting document for a kind, offered at the top of an empty YAML document. */
export interface KindSkeleton {
  label: string;
  detail: string;
  documentation: string;
  body: string;
}

const SKELETONS: [string, string, string, string][] = [
  [
    'tekton.dev/v1',
    'Task',
    'A sequence of steps that run in one pod.',
    'spec:\n  params:\n    - name: ${2:param}\n      type: string\n      description: ${3:what it is for}\n  steps:\n    - name: ${4:run}\n      image: ${5:alpine}\n      script: |\n        ${0:echo "hello"}',
  ],
  [
    'tekton.dev/v1',
    'Pipeline',
    'A graph of Tasks.',
    'spec:\n  params:\n    - name: ${2:param}\n      type: string\n  workspaces:\n    - name: ${3:source}\n  tasks:\n    - name: ${4:first}\n      taskRef:\n        name: ${5:task-name}\n      params:\n        - name: ${2:param}\n          value: \\$(params.${2:param})\n      workspaces:\n        - name: ${3:source}\n          workspace: ${3:source}$0',
  ],
  [
    'tekton.dev/v1',
    'PipelineRun',
    'A run of a Pipeline.',
    'spec:\n  pipelineRef:\n    name: ${2:pipeline-name}\n  params:\n    - name: ${3:param}\n      value: ${4:value}\n  workspaces:\n    - name: ${5:source}\n      emptyDir: {}$0',
  ],
  [
    'tekton.dev/v1',
    'TaskRun',
    'A run of a Task.',
    'spec:\n  taskRef:\n    name: ${2:task-name}\n  params:\n    - name: ${3:param}\n      value: ${4:value}$0',
  ],
  [
    'tekton.dev/v1beta1',
    'StepAction',
    'A reusable step.',
    'spec:\n  image: ${2:alpine}\n  params:\n    - name: ${3:param}\n      type: string\n  script: |\n    ${0:echo "\\$(params.${3:param})"}',
  ],
  [
    'tekton.dev/v1beta1',
    'CustomRun',
    'A run of a custom task.',
    'spec:\n  customRef:\n    apiVersion: ${2:example.dev/v1alpha1}\n    kind: ${3:Example}\n    name: ${4:name}$0',
  ],
  [
    'triggers.tekton.dev/v1beta1',
    'EventListener',
    'Receives events and runs Triggers.',
    'spec:\n  serviceAccountName: ${2:tekton-triggers-sa}\n  triggers:\n    - name: ${3:on-push}\n      interceptors:\n        - ref:\n            name: cel\n          params:\n            - name: filter\n              value: ${4:header.match(\'X-GitHub-Event\', \'push\')}\n      bindings:\n        - ref: ${5:binding}\n      template:\n        ref: ${6:template}$0',
  ],
  [
    'triggers.tekton.dev/v1beta1',
    'Trigger',
    'Interceptors, bindings and a template for one kind of event.',
    'spec:\n  interceptors:\n    - ref:\n        name: ${2:github}\n      params:\n        - name: eventTypes\n          value: ["push"]\n  bindings:\n    - ref: ${3:binding}\n  template:\n    ref: ${4:template}$0',
  ],
  [
    'triggers.tekton.dev/v1beta1',
    'TriggerBinding',
    'Extracts params from an event.',
    'spec:\n  params:\n    - name: ${2:revision}\n      value: \\$(body.${3:head_commit.id})$0',
  ],
  [
    'triggers.tekton.dev/v1beta1',
    'ClusterTriggerBinding',
    'A cluster-wide TriggerBinding.',
    'spec:\n  params:\n    - name: ${2:revision}\n      value: \\$(body.${3:head_commit.id})$0',
  ],
  [
    'triggers.tekton.dev/v1beta1',
    'TriggerTemplate',
    'Resources to create for an event.',
    'spec:\n  params:\n    - name: ${2:revision}\n      description: ${3:the commit}\n  resourcetemplates:\n    - apiVersion: tekton.dev/v1\n      kind: PipelineRun\n      metadata:\n        generateName: ${4:run-}\n      spec:\n        pipelineRef:\n          name: ${5:pipeline}\n        params:\n          - name: ${2:revision}\n            value: \\$(tt.params.${2:revision})$0',
  ],
  [
    'triggers.tekton.dev/v1alpha1',
    'ClusterInterceptor',
    'An interceptor service available to every EventListener.',
    'spec:\n  clientConfig:\n    service:\n      name: ${2:service}\n      namespace: ${3:tekton-pipelines}\n      path: ${4:/}\n      port: ${5:8443}$0',
  ],
  [
    'triggers.tekton.dev/v1alpha1',
    'Interceptor',
    'A namespaced interceptor service.',
    'spec:\n  clientConfig:\n    service:\n      name: ${2:service}\n      namespace: ${3:default}\n      path: ${4:/}\n      port: ${5:8443}$0',
  ],
];

/** One snippet per kind, at the version new resources should use. */
export function kindSkeletons(): KindSkeleton[] {
  return SKELETONS.map(([apiVersion, kind, documentation, spec]) => ({
    label: `${kind} (${apiVersion})`,
    detail: `New ${kind}`,
    documentation,
    body: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: \${1:${kebab(kind)}}\n${spec}\n`,
  }));
}

function kebab(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
