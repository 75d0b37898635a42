/**
 * Helpers of the Triggers simulator tests: requests from the curl data of tektoncd/triggers' examples, and
 * workspaces from inline YAML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceResourcesFromText } from '../../../server/src/triggers/simulation/fileResources';
import { simulate, type SimulationInput } from '../../../server/src/triggers/simulation/simulate';
import type {
  SimulationOptions,
  SimulationRequest,
  SimulationResult,
  SourceResource,
} from '../../../server/src/triggers/simulation/types';
import { FIXTURES, SHARED_DATA } from '../../helpers/fixtures';

export const EXAMPLES_DATA = join(SHARED_DATA, 'triggers-examples');
export const TRIGGERS_FIXTURES = join(FIXTURES, 'triggers');

/** One entry of curl-requests-index.json. */
export interface CurlRequestEntry {
  source: { path: string; line: number };
  method: string;
  url: string;
  headers: { name: string; value: string }[];
  files: { body: string; request: string };
  hmacChecks: { header: string; secret: string; algorithm: string; matches: boolean }[];
}

/** The index of the 44 example requests. */
export function curlRequests(): CurlRequestEntry[] {
  return JSON.parse(readFileSync(join(EXAMPLES_DATA, 'curl-requests-index.json'), 'utf8')) as CurlRequestEntry[];
}

/**
 * The request curl sends: its -H headers, the Content-Type curl adds for -d without one
 * (`effectiveContentType`), and the exact body bytes. The target of `http://host:port` is `/`.
 */
export function curlRequest(entry: CurlRequestEntry): SimulationRequest {
  const details = JSON.parse(readFileSync(join(EXAMPLES_DATA, entry.files.request), 'utf8')) as {
    effectiveContentType?: string;
  };
  const headers: Record<string, string[]> = {};
  for (const h of entry.headers) (headers[h.name] ??= []).push(h.value);
  if (details.effectiveContentType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = [details.effectiveContentType.split(' ')[0]];
  }
  let target = '/';
  try {
    const u = new URL(entry.url);
    target = u.pathname + u.search;
  } catch {
    // Placeholder URLs such as http://<el_address>.
  }
  return { method: entry.method, url: target, headers, body: readFileSync(join(EXAMPLES_DATA, entry.files.body)) };
}

/** Every document of an inline YAML text, as workspace resources. */
export function yamlResources(text: string, uri = 'file:///workspace/test.yaml'): SourceResource[] {
  return sourceResourcesFromText(uri, text);
}

/** A JSON request with the given headers. */
export function jsonRequest(body: unknown, headers: Record<string, string> = {}, url = '/'): SimulationRequest {
  const h: Record<string, string[]> = { 'Content-Type': ['application/json'] };
  for (const [k, v] of Object.entries(headers)) h[k] = [v];
  return { method: 'POST', url, headers: h, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

/** Simulates against the EventListener `el` of an inline workspace, with fixed event ID and uid. */
export function simulateYaml(
  yaml: string,
  el: string,
  request: SimulationRequest,
  options: SimulationOptions = {},
  extra: Partial<SimulationInput> = {},
): Promise<SimulationResult> {
  return simulate({
    request,
    eventListener: el,
    resources: yamlResources(yaml),
    options: { eventID: 'event-1', uid: 'uid-1', ...options },
    ...extra,
  });
}
