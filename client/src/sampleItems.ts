// The rows of the sample picker, kept free of `vscode` so that what a user can type to find a sample is unit-tested.

/** A bundled GitHub example payload (dist/githubExamples.json). */
export interface GithubExample {
  event: string;
  action: string;
  payload: unknown;
}

/** A quick pick row; `T` is what choosing it loads. */
export interface SampleItem<T> {
  label: string;
  description?: string;
  value: T;
}

/**
 * One row per example, labelled `pull_request opened`: VS Code's quick pick matches the typed text as one substring of
 * the label (or of the description, not across both), so "event action" as a user says it must be in one field.
 */
export function githubExampleItems(examples: readonly GithubExample[]): SampleItem<GithubExample>[] {
  return examples.map((e) => ({
    label: e.action ? `${e.event} ${e.action}` : e.event,
    value: e,
  }));
}

/** The header map of a `X.headers.json` file: either the map itself or under `headers`; `_`-keys are comments. */
export function headerMap(raw: unknown): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (!raw || typeof raw !== 'object') return headers;
  const obj = raw as Record<string, unknown>;
  const map = (obj.headers && typeof obj.headers === 'object' ? obj.headers : obj) as Record<string, unknown>;
  for (const [k, v] of Object.entries(map)) {
    if (k.startsWith('_')) continue;
    if (typeof v === 'string') headers[k] = [v];
    else if (Array.isArray(v)) headers[k] = v.map(String);
  }
  return headers;
}

/** The sibling headers file of a payload path: `x/y.json` → `x/y.headers.json`. */
export function headersPathOf(path: string): string {
  return path.replace(/\.json$/, '.headers.json');
}

/** Whether a workspace JSON file may be a payload: not a headers file nor a Node/TypeScript manifest. */
export function isPayloadCandidate(path: string): boolean {
  return !/\.headers\.json$/.test(path) && !/(^|\/)(package|tsconfig|package-lock)\.json$/.test(path);
}

/** The event header, whatever its case, in the provider's own name (GitHub, GitLab, Bitbucket). */
const EVENT_HEADERS = ['x-github-event', 'x-gitlab-event', 'x-event-key'];

/**
 * Rows for workspace payload files, given their paths relative to the workspace and the headers of those that have a
 * sibling headers file. Files with headers come first and say which event they carry: they are the ones a simulation
 * can fire with (a signature, an event type), the others are a bare body.
 */
export function workspaceFileItems<T>(
  files: readonly { relativePath: string; value: T }[],
  headersOf: (relativePath: string) => Record<string, string[]> | undefined,
): SampleItem<T>[] {
  const withHeaders: SampleItem<T>[] = [];
  const bare: SampleItem<T>[] = [];
  for (const f of files) {
    const headers = headersOf(f.relativePath);
    if (!headers) {
      bare.push({
        label: f.relativePath,
        description: 'JSON body, no headers file',
        value: f.value,
      });
      continue;
    }
    const name = Object.keys(headers).find((k) => EVENT_HEADERS.includes(k.toLowerCase()));
    const event = name ? `${name}: ${headers[name].join(', ')}` : undefined;
    withHeaders.push({
      label: f.relativePath,
      description: event ? `with headers (${event})` : 'with headers',
      value: f.value,
    });
  }
  return [...withHeaders, ...bare];
}
