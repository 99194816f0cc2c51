// Once a second: a process's resident memory (/proc/<pid>/status VmRSS) and CPU time (utime + stime of
// /proc/<pid>/stat, every thread), plus the machine's 1-minute load average.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface Sample {
  /** epoch ms */
  t: number;
  rssBytes: number;
  /** user + system CPU seconds since the process started */
  cpuSeconds: number;
  load1: number;
}

export interface Sampler {
  samples: Sample[];
  /** A sample taken now, also added to samples. */
  sampleNow(): Promise<Sample | undefined>;
  stop(): void;
}

/** Clock ticks per second of /proc/<pid>/stat's times (almost always 100). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** RSS now and at its peak (VmHWM), and CPU time (utime + stime); undefined once the process has exited. */
export async function readProcess(pid: number): Promise<{ rssBytes: number; peakBytes: number; cpuSeconds: number } | undefined> {
  try {
    const [status, stat] = await Promise.all([readFile(`/proc/${pid}/status`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
    const peakKb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(rssKb) || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return { rssBytes: rssKb * 1024, peakBytes: peakKb * 1024, cpuSeconds: (utime + stime) / CLOCK_TICKS };
  } catch {
    return undefined; // the process has exited
  }
}

export async function load1(): Promise<number> {
  return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
}

export function startSampler(options: { pid: number; intervalMs?: number }): Sampler {
  const samples: Sample[] = [];
  const sampleNow = async (): Promise<Sample | undefined> => {
    const [proc, load] = await Promise.all([readProcess(options.pid), load1()]);
    if (!proc) return undefined;
    const sample = { t: Date.now(), ...proc, load1: load };
    samples.push(sample);
    return sample;
  };
  const timer = setInterval(() => {
    void sampleNow().catch((err: unknown) => process.stderr.write(`bench: sampling pid ${options.pid} failed: ${String(err)}\n`));
  }, options.intervalMs ?? 1_000);
  void sampleNow().catch(() => undefined);
  return { samples, sampleNow, stop: () => clearInterval(timer) };
}

/** The pid of a running process whose command line (NUL-separated arguments) satisfies match. */
export async function findProcess(match: (args: string[]) => boolean): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (match(args)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
