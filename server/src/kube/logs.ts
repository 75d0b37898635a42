/**
 * Follows the log of a step container until the container ends. The log is requested with timestamps so that when a
 * stream drops while the step still runs, it can be reopened with `sinceTime` and the lines already shown skipped
 * (sinceTime has one-second precision, so lines of that second are counted, not compared). A container that has not
 * started yet (the API server answers 400 "waiting to start") is polled until it does.
 */
import { KubeError } from './errors';
import type { KubeObject, TektonApi } from './tektonApi';
import { readLines } from './transport';

/** How a followed log ended. */
export type LogEnd =
  /** The container terminated and its whole log was read. */
  | 'completed'
  /** The caller aborted. */
  | 'aborted'
  /** The pod went away (the TaskRun was deleted, or the pod was pruned). */
  | 'pod-deleted';

/** Options of followStepLog. */
export interface FollowLogOptions {
  signal?: AbortSignal;
  /** How often to look again at a container that has not started (default 1000 ms). */
  pollMs?: number;
}

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { exitCode?: number; reason?: string } };
}

/** Streams `container`'s log to `onText` (whole lines, each ending in a newline) until the container ends. */
export async function followStepLog(
  api: TektonApi,
  namespace: string,
  pod: string,
  container: string,
  onText: (text: string) => void,
  options: FollowLogOptions = {},
): Promise<{ end: LogEnd; exitCode?: number; reconnects: number }> {
  const pollMs = options.pollMs ?? 1000;
  let last: string | undefined; // normalized timestamp of the last line shown
  let shownAtLast = 0; // lines shown with exactly that timestamp
  let reconnects = 0;
  const readContainer = async (): Promise<ContainerStatus | undefined | 'pod-deleted' | 'aborted'> => {
    try {
      return containerStatus(
        await api.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace }, options.signal),
        container,
      );
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'not-found') return 'pod-deleted';
      if (e instanceof KubeError && e.kind === 'aborted') return 'aborted';
      throw e;
    }
  };
  for (;;) {
    if (options.signal?.aborted) return { end: 'aborted', reconnects };
    const status = await readContainer();
    if (typeof status === 'string') return { end: status, reconnects };
    const state = status?.state ?? {};
    if (!state.running && !state.terminated) {
      if (!(await sleep(pollMs, options.signal))) return { end: 'aborted', reconnects };
      continue;
    }
    let res;
    try {
      res = await api.podLog(namespace, pod, container, {
        follow: true,
        timestamps: true,
        sinceTime: last ? `${last.slice(0, 19)}Z` : undefined,
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'aborted') return { end: 'aborted', reconnects };
      // "container … is waiting to start": the pod status was a moment ahead of the kubelet
      if (e instanceof KubeError && e.status === 400) {
        if (!(await sleep(pollMs, options.signal))) return { end: 'aborted', reconnects };
        continue;
      }
      if (e instanceof KubeError && e.kind === 'not-found') return { end: 'pod-deleted', reconnects };
      throw e;
    }
    let atLast = 0;
    const how = await readLines(res, (line) => {
      const space = line.indexOf(' ');
      const ts = space > 0 ? normalizeTimestamp(line.slice(0, space)) : undefined;
      const text = ts ? line.slice(space + 1) : line;
      if (ts && last) {
        if (ts < last) return;
        if (ts === last && atLast < shownAtLast) {
          atLast++;
          return;
        }
      }
      if (ts) {
        if (ts === last) shownAtLast++;
        else {
          last = ts;
          shownAtLast = 1;
        }
        atLast = shownAtLast;
      }
      onText(`${text}\n`);
    });
    if (options.signal?.aborted) return { end: 'aborted', reconnects };
    if (how === 'end') {
      // kubelet ends a followed log once the container has exited and its output is flushed
      if (state.terminated) return { end: 'completed', exitCode: state.terminated.exitCode, reconnects };
      const after = await readContainer();
      if (typeof after === 'string') return { end: after, reconnects };
      if (after?.state?.terminated) return { end: 'completed', exitCode: after.state.terminated.exitCode, reconnects };
    }
    // dropped, or closed by the server while the step runs: reopen from the last line shown
    reconnects++;
  }
}

/** The container names of a TaskRun pod's steps, in order (`step-…`). */
export function stepContainers(pod: KubeObject): string[] {
  const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
  return containers.filter((n) => n.startsWith('step-'));
}

function containerStatus(pod: KubeObject, container: string): ContainerStatus | undefined {
  const s = pod.status as
    { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? [])].find((c) => c.name === container);
}

/**
 * RFC 3339 nano timestamps drop trailing zeros of the fraction (`…:05.1Z` vs `…:05.123Z`), so they do not sort as
 * strings; this pads the fraction to nine digits. Returns undefined for anything that is not such a timestamp.
 */
export function normalizeTimestamp(ts: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
