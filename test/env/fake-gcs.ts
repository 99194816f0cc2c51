// fake-gcs-server, the GCS emulator: installed once by install-fake-gcs.sh, started per environment on loopback.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { httpGet } from './http-get.ts';
import { startChild, type SupervisedChild } from './supervised-child.ts';
import { waitUntil } from './wait-until.ts';

export type FakeGcsOptions = {
  /** The environment's directory; the log goes to `fake-gcs.log` there. */
  dir: string;
  port: number;
  signal: AbortSignal;
  /** Time allowed to answer once started, not counting a first install. */
  timeoutMs: number;
  /** Called as soon as the process exists, so the environment can stop it whatever happens next. */
  onStarted(child: SupervisedChild): void;
  log?: (message: string) => void;
};

/** Installs (first time only) and starts fake-gcs-server; resolves with its URL once it answers. */
export async function startFakeGcs(options: FakeGcsOptions): Promise<string> {
  const { dir, port, signal } = options;
  const binary = await installFakeGcs(signal);
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name: 'fake-gcs-server',
    command: binary,
    // In memory: nothing to clean up. public-host makes selfLink and upload URLs point back at this address.
    args: ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', `127.0.0.1:${port}`, '-log-level', 'warn'],
    logPath: join(dir, 'fake-gcs.log'),
  });
  options.onStarted(child);
  const t = Date.now();
  await waitUntil(async () => (await httpGet(`${url}/storage/v1/b?project=pledge-test`, { signal })).status === 200, {
    what: `fake-gcs-server at ${url} to answer`,
    timeoutMs: options.timeoutMs,
    signal,
    child,
  });
  options.log?.(`fake-gcs-server ready after ${Date.now() - t} ms`);
  return url;
}

/** Runs install-fake-gcs.sh (quick once cached) and returns the binary's path, its last line of output. */
function installFakeGcs(signal: AbortSignal): Promise<string> {
  const script = join(import.meta.dirname, 'install-fake-gcs.sh');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], signal });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line !== '') resolve(line);
      else reject(new Error(`${script} exited with code ${String(code)}${out ? `: ${out.trim()}` : ''}`));
    });
  });
}
