import * as vscode from 'vscode';
import type { SampleRequest } from '../../server/src/protocol';
import { githubExampleItems, headerMap, headersPathOf, isPayloadCandidate, workspaceFileItems, type GithubExample } from './sampleItems';

const STATE_KEY = 'tekton.samplePayload';

/**
 * The sample event inline CEL evaluation and simulation run against: a JSON file of the workspace (with the headers of
 * a sibling `X.headers.json`), the clipboard, or a bundled GitHub example by event type. Remembered per workspace.
 */
export class SampleStore {
  private readonly emitter = new vscode.EventEmitter<SampleRequest | undefined>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  get current(): SampleRequest | undefined {
    return this.context.workspaceState.get<SampleRequest>(STATE_KEY);
  }

  async set(sample: SampleRequest | undefined): Promise<void> {
    await this.context.workspaceState.update(STATE_KEY, sample);
    this.emitter.fire(sample);
  }

  /** Uses a workspace JSON file (explorer context menu "Simulate Event With This Payload"). */
  async useFile(uri: vscode.Uri): Promise<SampleRequest | undefined> {
    try {
      const sample = await loadFileSample(uri);
      await this.set(sample);
      return sample;
    } catch (err) {
      void vscode.window.showErrorMessage(`Tekton: ${uri.fsPath} is not a usable payload: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** Asks the user for a sample; resolves to undefined when they cancel. */
  async pick(): Promise<SampleRequest | undefined> {
    type Item = vscode.QuickPickItem & { load: () => Promise<SampleRequest | undefined> };
    const items: Item[] = [];
    const files = await vscode.workspace.findFiles('**/*.json', '**/{node_modules,.git,out,dist}/**', 500);
    const found = new Set(files.map((f) => f.path));
    const headers = new Map<string, Record<string, string[]>>();
    await Promise.all(
      files
        .filter((f) => isPayloadCandidate(f.path) && found.has(headersPathOf(f.path)))
        .map(async (f) => headers.set(vscode.workspace.asRelativePath(f), await readHeaders(f.with({ path: headersPathOf(f.path) })))),
    );
    const payloads = files
      .filter((f) => isPayloadCandidate(f.path))
      .map((uri) => ({ relativePath: vscode.workspace.asRelativePath(uri), value: uri }));
    if (payloads.length)
      items.push({ label: 'Workspace files', kind: vscode.QuickPickItemKind.Separator, load: async () => undefined });
    for (const item of workspaceFileItems(payloads, (p) => headers.get(p)))
      items.push({ label: item.label, description: item.description, load: () => loadFileSample(item.value) });
    items.push({ label: 'Other', kind: vscode.QuickPickItemKind.Separator, load: async () => undefined });
    items.push({ label: '$(clippy) Clipboard', description: 'a JSON body or a raw HTTP request', load: loadClipboardSample });
    items.push({
      label: '$(github) GitHub example…',
      description: 'a bundled example payload by event type',
      load: () => this.pickGithubExample(),
    });
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Tekton: sample event',
      matchOnDescription: true,
      placeHolder: 'Pick the payload to evaluate CEL and simulate triggers against',
    });
    if (!choice) return undefined;
    try {
      const sample = await choice.load();
      if (sample) await this.set(sample);
      return sample;
    } catch (err) {
      void vscode.window.showErrorMessage(`Tekton: could not load the sample: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private async pickGithubExample(): Promise<SampleRequest | undefined> {
    const file = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'githubExamples.json');
    const examples = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8')) as GithubExample[];
    const choice = await vscode.window.showQuickPick(
      githubExampleItems(examples),
      { title: 'GitHub event', placeHolder: 'event and action, e.g. pull_request opened' },
    );
    return choice ? githubSample(choice.value) : undefined;
  }
}

/** A sample from a bundled GitHub example: the headers GitHub sends with that event. */
export function githubSample(e: GithubExample): SampleRequest {
  return {
    label: `GitHub ${e.event}${e.action ? ` (${e.action})` : ''}`,
    method: 'POST',
    url: '/',
    headers: {
      'Content-Type': ['application/json'],
      'X-GitHub-Event': [e.event],
      'X-GitHub-Delivery': ['00000000-0000-0000-0000-000000000000'],
      'User-Agent': ['GitHub-Hookshot/example'],
    },
    body: JSON.stringify(e.payload),
  };
}

async function loadFileSample(uri: vscode.Uri): Promise<SampleRequest> {
  const body = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  JSON.parse(body); // a clear error now rather than at every evaluation
  const headers: Record<string, string[]> = {
    'Content-Type': ['application/json'],
    ...(await readHeaders(uri.with({ path: headersPathOf(uri.path) }))),
  };
  return { label: vscode.workspace.asRelativePath(uri), method: 'POST', url: '/', headers, body };
}

/** The headers of a `X.headers.json` file; an empty map when there is none or it is not JSON (a body alone). */
async function readHeaders(uri: vscode.Uri): Promise<Record<string, string[]>> {
  try {
    return headerMap(JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')));
  } catch {
    return {};
  }
}

async function loadClipboardSample(): Promise<SampleRequest | undefined> {
  const text = await vscode.env.clipboard.readText();
  if (!text.trim()) throw new Error('the clipboard is empty');
  if (/^[A-Z]+ \S+ HTTP\/\d/.test(text)) return parseRawRequest(text, 'Clipboard (HTTP request)');
  JSON.parse(text);
  return { label: 'Clipboard', method: 'POST', url: '/', headers: { 'Content-Type': ['application/json'] }, body: text };
}

/** A raw HTTP request as Tekton's CLIs take it: request line, headers, blank line, body. */
export function parseRawRequest(text: string, label: string): SampleRequest {
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const [requestLine, ...headerLines] = head.split(/\r?\n/);
  const [method, url] = requestLine.split(' ');
  const headers: Record<string, string[]> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) (headers[line.slice(0, i).trim()] ??= []).push(line.slice(i + 1).trim());
  }
  return { label, method, url, headers, body };
}
