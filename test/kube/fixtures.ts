/**
 * Test fixtures for the kube module: certificates made with `openssl` at test time (Node's crypto cannot issue X.509
 * certificates), real kubeconfig files in temp folders, the fake API server started with them, and a pretend Tekton
 * controller that moves runs through their states.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FakeApiServer, type FakeApiServerOptions } from './fakeApiServer';

/** A CA, a server certificate for 127.0.0.1, a client certificate for user "alice", and an unrelated CA. */
export interface TestPki {
  dir: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
  /** Paths of the files, for kubeconfigs that reference files. */
  files: { ca: string; clientCert: string; clientKey: string; otherCa: string };
}

let pki: TestPki | undefined;

/** Makes (once per process) the certificates the tests use. Needs the `openssl` command. */
export function testPki(): TestPki {
  if (pki) return pki;
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-'));
  const ssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      const err = e as { code?: string; stderr?: Buffer };
      if (err.code === 'ENOENT') throw new Error('the kube tests need the `openssl` command (apt-get install openssl)');
      throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? e}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) =>
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const leaf = (name: string, subject: string, ext: string, serial: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      serial,
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-extfile',
      `${name}.ext`,
    );
  };
  ca('ca');
  ca('other-ca');
  leaf('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n', '2');
  leaf('client', '/O=devs/CN=alice', 'extendedKeyUsage=clientAuth\n', '3');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  pki = {
    dir,
    caCert: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    clientKey: read('client.key'),
    clientCert: read('client.crt'),
    files: {
      ca: join(dir, 'ca.crt'),
      clientCert: join(dir, 'client.crt'),
      clientKey: join(dir, 'client.key'),
      otherCa: join(dir, 'other-ca.crt'),
    },
  };
  return pki;
}

/** The bearer token of user "bob" in the kubeconfigs the tests write (and that must never appear in messages). */
export const BOB_TOKEN = 'bob-s3cret-token-0123456789abcdef';

/** Starts a fake API server with the test PKI; bob authenticates by token, alice by certificate. */
export async function startFakeServer(options: Partial<FakeApiServerOptions> = {}): Promise<FakeApiServer> {
  const p = testPki();
  const server = new FakeApiServer({
    key: p.serverKey,
    cert: p.serverCert,
    ca: p.caCert,
    tokens: { [BOB_TOKEN]: 'bob' },
    ...options,
  });
  await server.start();
  return server;
}

/** A temp folder removed by `dispose`. */
export function tempDir(prefix = 'kube-test-'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Users the written kubeconfig defines. */
export type TestUser = 'bob-token' | 'alice-cert' | 'exec-missing' | 'exec-ok' | 'bob-expired';

/**
 * Writes a kubeconfig with one cluster (the fake server, CA by relative path) and one context per user: bob-token
 * (token), alice-cert (client certificate and key files, relative paths), exec-missing (an exec plugin that does not
 * exist), exec-ok (an exec plugin, a Node script, that prints bob's token), bob-expired (a token the server rejects).
 */
export function writeKubeconfig(
  dir: string,
  server: string,
  options: { current?: TestUser; namespace?: string; file?: string; caFile?: string } = {},
): string {
  const p = testPki();
  writeFileSync(join(dir, 'ca.crt'), readFileSync(options.caFile ?? p.files.ca));
  writeFileSync(join(dir, 'client.crt'), p.clientCert);
  writeFileSync(join(dir, 'client.key'), p.clientKey);
  const plugin = join(dir, 'credential-plugin.js');
  writeFileSync(
    plugin,
    `process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:${JSON.stringify(BOB_TOKEN)}}}));\n`,
  );
  const exec = (command: string, args: string[] = []) => ({
    apiVersion: 'client.authentication.k8s.io/v1',
    command,
    args,
    interactiveMode: 'Never',
  });
  const users: [TestUser, Record<string, unknown>][] = [
    ['bob-token', { token: BOB_TOKEN }],
    ['alice-cert', { 'client-certificate': 'client.crt', 'client-key': 'client.key' }],
    ['exec-missing', { exec: exec('tekton-test-no-such-credential-plugin') }],
    ['exec-ok', { exec: exec(process.execPath, [plugin]) }],
    ['bob-expired', { token: 'expired-token-value-42' }],
  ];
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server, 'certificate-authority': 'ca.crt' } }],
    users: users.map(([name, user]) => ({ name, user })),
    contexts: users.map(([name]) => ({
      name,
      context: { cluster: 'fake', user: name, ...(options.namespace ? { namespace: options.namespace } : {}) },
    })),
    'current-context': options.current ?? 'bob-token',
  };
  const file = join(dir, options.file ?? 'config');
  writeFileSync(file, stringify(config));
  return file;
}

/** A TCP server that accepts connections and never answers (for timeouts). */
export async function blackhole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port with nothing listening. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---- a pretend Tekton controller ------------------------------------------------------------------------------------

const T0 = '2025-01-01T10:00:00Z';

/** Marks a run as started (Succeeded=Unknown/Running). */
export function startRun(
  server: FakeApiServer,
  kind: 'PipelineRun' | 'TaskRun',
  name: string,
  extra: Record<string, unknown> = {},
): void {
  server.update(kind, name, (o) => {
    o.status = {
      ...(o.status ?? {}),
      startTime: T0,
      conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: 'running' }],
      ...extra,
    };
  });
}

/** Finishes a run with a condition. */
export function finishRun(
  server: FakeApiServer,
  kind: 'PipelineRun' | 'TaskRun',
  name: string,
  status: 'True' | 'False',
  reason: string,
  completionTime = '2025-01-01T10:01:30Z',
): void {
  server.update(kind, name, (o) => {
    o.status = {
      ...(o.status ?? {}),
      completionTime,
      conditions: [{ type: 'Succeeded', status, reason, message: reason }],
    };
  });
}

/** Creates the TaskRun and pod of a pipeline task, as the controller would, with steps `steps`. */
export function addTaskRun(
  server: FakeApiServer,
  pipelineRun: string,
  pipelineTask: string,
  steps: string[],
): { taskRun: string; pod: string } {
  const taskRun = `${pipelineRun}-${pipelineTask}`;
  const pod = `${taskRun}-pod`;
  server.put({
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: taskRun,
      namespace: 'default',
      labels: { 'tekton.dev/pipelineRun': pipelineRun, 'tekton.dev/pipelineTask': pipelineTask },
    },
    spec: { taskRef: { name: pipelineTask } },
    status: {
      podName: pod,
      startTime: T0,
      conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }],
      taskSpec: { steps: steps.map((name) => ({ name, image: 'alpine' })) },
    },
  });
  server.put({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod, namespace: 'default', labels: { 'tekton.dev/taskRun': taskRun } },
    spec: { containers: steps.map((s) => ({ name: `step-${s}`, image: 'alpine' })) },
    status: {
      phase: 'Pending',
      containerStatuses: steps.map((s) => ({ name: `step-${s}`, state: { waiting: { reason: 'PodInitializing' } } })),
    },
  });
  return { taskRun, pod };
}

/** Sets a step container's state in the pod (running, or terminated with an exit code). */
export function setContainer(
  server: FakeApiServer,
  pod: string,
  container: string,
  state: 'running' | { exitCode: number },
): void {
  server.update('Pod', pod, (o) => {
    const cs = (o.status.containerStatuses as { name: string; state: unknown }[]).find((c) => c.name === container)!;
    cs.state =
      state === 'running'
        ? { running: { startedAt: '2025-01-01T10:00:05Z' } }
        : {
            terminated: {
              exitCode: state.exitCode,
              reason: state.exitCode ? 'Error' : 'Completed',
              startedAt: '2025-01-01T10:00:05Z',
              finishedAt: '2025-01-01T10:00:20Z',
            },
          };
  });
}
