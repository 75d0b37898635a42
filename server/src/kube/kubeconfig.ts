/**
 * Kubeconfig loading as kubectl does it (client-go `clientcmd` loading rules), over @kubernetes/client-node's
 * `KubeConfig` for the authentication itself (token, token file, client certificate, exec plugins, OIDC and the other
 * auth providers the library supports).
 *
 * kubectl's rules, which the library's own `loadFromDefault` does not all follow:
 * - `KUBECONFIG` lists files separated by the platform's path delimiter; empty entries and missing files are skipped;
 *   without it, `~/.kube/config` is read.
 * - Merging: for clusters, users and contexts the first file that defines a name wins (the library throws on a
 *   duplicate); `current-context` comes from the first file that sets it.
 * - Relative file references (certificate-authority, client-certificate, client-key, token-file, and an exec
 *   command with a path separator) resolve against the directory of the file that holds them.
 * - A context without a namespace means `default`.
 *
 * The extension's own choice of context and namespace is an in-memory `ContextOverride`; nothing here writes a
 * kubeconfig file.
 */
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { KubeError, type ErrorContext } from './errors';

/** Where to look; defaults to the process environment and home directory. */
export interface KubeconfigLoadOptions {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** The merged content of every kubeconfig file, in kubectl's precedence. */
export interface LoadedKubeconfig {
  /** Files that were read, highest precedence first. */
  files: string[];
  /** Files that could not be used, with the reason (never their content). */
  problems: { file: string; message: string }[];
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

/** The extension's own context/namespace choice; it overrides the kubeconfig's without rewriting it. */
export interface ContextOverride {
  context?: string;
  namespace?: string;
}

/** How the user of a context authenticates (for display; the library does the work). */
export type AuthKind = 'token' | 'client-certificate' | 'exec' | 'oidc' | 'auth-provider' | 'basic' | 'none';

/** What the UI shows about the active context. Holds no secrets. */
export interface KubeContextInfo {
  contextName: string;
  clusterName: string;
  server: string;
  userName: string;
  namespace: string;
  /** True when the namespace comes from the extension's override rather than the kubeconfig context. */
  namespaceOverridden: boolean;
  auth: AuthKind;
  /** The exec plugin command, for error messages. */
  execCommand?: string;
}

/** A context ready to talk to: the library's KubeConfig set to it, and what to redact from messages. */
export interface ResolvedContext {
  info: KubeContextInfo;
  /** A private KubeConfig (never saved) whose current context is the resolved one. */
  kubeConfig: KubeConfig;
  /** Secrets of the user (tokens, passwords, key data), to be removed from any message. */
  secrets: string[];
}

/** One entry for a context picker. */
export interface ContextSummary {
  name: string;
  cluster: string;
  user: string;
  namespace: string;
  server?: string;
  /** True for the kubeconfig's current-context. */
  current: boolean;
}

/** The kubeconfig files kubectl would read, highest precedence first (existing or not). */
export function kubeconfigPaths(opts: KubeconfigLoadOptions = {}): string[] {
  const env = opts.env ?? process.env;
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((p) => p.length > 0);
  return [join(opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? homedir(), '.kube', 'config')];
}

/** Reads and merges the kubeconfig files. Never throws: unusable files are listed in `problems`. */
export function loadKubeconfig(opts: KubeconfigLoadOptions = {}): LoadedKubeconfig {
  const out: LoadedKubeconfig = { files: [], problems: [], clusters: [], users: [], contexts: [] };
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() };
  for (const file of kubeconfigPaths(opts)) {
    const path = resolve(file);
    if (!existsSync(path) || !statSync(path).isFile()) continue; // kubectl skips missing KUBECONFIG entries
    const kc = new KubeConfig();
    try {
      const raw = parse(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
      kc.loadFromString(JSON.stringify(absolutize(raw ?? {}, dirname(path))));
    } catch (e) {
      // js-yaml/yaml messages quote the offending line, which may hold a token: keep only the first line's gist
      const message = String((e as Error).message ?? e)
        .split('\n')[0]
        .replace(/:.*$/, '');
      out.problems.push({ file: path, message: `not a valid kubeconfig (${message})` });
      continue;
    }
    out.files.push(path);
    for (const c of kc.getClusters()) if (!seen.clusters.has(c.name)) (seen.clusters.add(c.name), out.clusters.push(c));
    for (const u of kc.getUsers()) if (!seen.users.has(u.name)) (seen.users.add(u.name), out.users.push(u));
    for (const c of kc.getContexts()) if (!seen.contexts.has(c.name)) (seen.contexts.add(c.name), out.contexts.push(c));
    if (!out.currentContext && kc.getCurrentContext()) out.currentContext = kc.getCurrentContext();
  }
  return out;
}

/** The contexts of a loaded kubeconfig, for a picker. */
export function listContexts(loaded: LoadedKubeconfig): ContextSummary[] {
  return loaded.contexts.map((c) => ({
    name: c.name,
    cluster: c.cluster,
    user: c.user,
    namespace: c.namespace || 'default',
    server: loaded.clusters.find((k) => k.name === c.cluster)?.server,
    current: c.name === loaded.currentContext,
  }));
}

/**
 * Picks the context (the override's, else the kubeconfig's current-context) and builds a private KubeConfig for it.
 * Throws KubeError `no-kubeconfig` or `no-context`.
 */
export function resolveContext(loaded: LoadedKubeconfig, override: ContextOverride = {}): ResolvedContext {
  if (loaded.files.length === 0) {
    const why = loaded.problems.length ? `: ${loaded.problems.map((p) => `${p.file} is ${p.message}`).join('; ')}` : '';
    throw new KubeError(
      'no-kubeconfig',
      `No kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist)${why}.`,
    );
  }
  const name = override.context || loaded.currentContext;
  if (!name) throw new KubeError('no-context', 'The kubeconfig has no current-context: choose a context first.');
  const context = loaded.contexts.find((c) => c.name === name);
  if (!context)
    throw new KubeError('no-context', `The context "${name}" is not in the kubeconfig (${loaded.files.join(', ')}).`);
  const cluster = loaded.clusters.find((c) => c.name === context.cluster);
  if (!cluster)
    throw new KubeError(
      'no-context',
      `The context "${name}" refers to the cluster "${context.cluster}", which the kubeconfig does not define.`,
    );
  const user = loaded.users.find((u) => u.name === context.user) ?? { name: context.user || '' };

  const kubeConfig = new KubeConfig();
  // Copies, so that the library's authenticators (which cache exec and OIDC tokens on the objects) never touch the
  // loaded lists shared with other contexts.
  kubeConfig.loadFromOptions({
    clusters: [{ ...cluster }],
    users: [{ ...user }],
    contexts: [{ ...context }],
    currentContext: context.name,
  });
  const namespace = override.namespace || context.namespace || 'default';
  return {
    info: {
      contextName: context.name,
      clusterName: cluster.name,
      server: cluster.server,
      userName: user.name,
      namespace,
      namespaceOverridden: !!override.namespace && override.namespace !== (context.namespace || 'default'),
      auth: authKind(user),
      execCommand: user.exec?.command,
    },
    kubeConfig,
    secrets: secretsOf(user),
  };
}

/** Loads the kubeconfig and resolves the context in one step (what a command does each time it runs). */
export function currentContext(override: ContextOverride = {}, opts: KubeconfigLoadOptions = {}): ResolvedContext {
  return resolveContext(loadKubeconfig(opts), override);
}

/** The error-wording facts of a context. */
export function errorContext(ctx: ResolvedContext): ErrorContext {
  return {
    server: ctx.info.server,
    userName: ctx.info.userName,
    contextName: ctx.info.contextName,
    execCommand: ctx.info.execCommand,
    secrets: ctx.secrets,
  };
}

function authKind(user: User): AuthKind {
  if (user.exec) return 'exec';
  if (user.authProvider?.name === 'oidc') return 'oidc';
  if (user.authProvider) return 'auth-provider';
  if (user.token) return 'token';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.username) return 'basic';
  return 'none';
}

function secretsOf(user: User): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 4) out.push(v, v.trim());
  };
  add(user.token);
  add(user.password);
  add(user.keyData);
  const config = (user.authProvider?.config ?? {}) as Record<string, unknown>;
  for (const k of ['id-token', 'refresh-token', 'client-secret', 'access-token', 'token']) add(config[k]);
  for (const e of (user.exec?.env ?? []) as { value?: string }[]) add(e.value);
  return out;
}

/** Makes the relative file references of one kubeconfig file absolute against its directory (kubectl's rule). */
function absolutize(raw: Record<string, unknown>, dir: string): Record<string, unknown> {
  const abs = (p: unknown) => (typeof p === 'string' && p && !isAbsolute(p) ? resolve(dir, p) : p);
  for (const entry of arrayOf(raw.clusters)) {
    const c = entry.cluster as Record<string, unknown> | undefined;
    if (c && c['certificate-authority']) c['certificate-authority'] = abs(c['certificate-authority']);
  }
  for (const entry of arrayOf(raw.users)) {
    const u = entry.user as Record<string, unknown> | undefined;
    if (!u) continue;
    for (const key of ['client-certificate', 'client-key', 'token-file', 'tokenFile']) if (u[key]) u[key] = abs(u[key]);
    const exec = u.exec as Record<string, unknown> | undefined;
    // client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH
    if (exec && typeof exec.command === 'string' && /[\\/]/.test(exec.command)) exec.command = abs(exec.command);
  }
  return raw;
}

function arrayOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : [];
}
