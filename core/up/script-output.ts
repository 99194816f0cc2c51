import { spawn } from 'node:child_process';

/**
 * Runs an install script whose stdout ends with a path (test/env/build-kube.sh, install-kine.sh…) and resolves that
 * path; the script's stderr (build progress) goes to onProgress, or to ours when none is given.
 */
export function scriptOutputPath(script: string, options: { signal?: AbortSignal; onProgress?: (line: string) => void } = {}): Promise<string> {
  const { onProgress } = options;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', onProgress ? 'pipe' : 'inherit'], signal: options.signal });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    if (onProgress && child.stderr) {
      let partial = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') onProgress(line);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line !== '') resolve(line);
      else reject(new Error(`${script} exited with code ${String(code)}${out ? `: ${out.trim()}` : ''}`));
    });
  });
}
