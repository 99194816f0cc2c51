// Watch and list requests a controller at rest sends the API server, per minute, counted in kube-apiserver's audit
// log (the controller's ServiceAccount), and the controller's CPU meanwhile. Run inside the test environment:
//   node test/env/run.ts -- node bench/watch-requests.ts [--window-s 300]
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CHART_RELEASE } from '../test/env/controller-identity.ts';
import { installCrds, startController } from '../test/integration/harness.ts';

const { values } = parseArgs({ options: { 'window-s': { type: 'string', default: '300' }, 'settle-s': { type: 'string', default: '20' } } });
const windowS = Number(values['window-s']);
const auditLog = process.env.PLEDGE_TEST_AUDIT_LOG;
if (!auditLog) throw new Error('no audit log: run under `node test/env/run.ts` (PLEDGE_TEST_AUDIT_LOG)');
const user = `system:serviceaccount:${CHART_RELEASE.namespace}:${CHART_RELEASE.name}`;

type Line = { stage?: string; verb?: string; user?: { username?: string }; requestReceivedTimestamp?: string; objectRef?: { resource?: string } };

/** Requests of `user` received in [from, to): each counted once, at the stage that first logs it. */
async function requests(from: number, to: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const text of (await readFile(auditLog ?? '', 'utf8')).split('\n')) {
    if (!text.includes(user)) continue;
    const e = JSON.parse(text) as Line;
    const at = Date.parse(e.requestReceivedTimestamp ?? '');
    if (e.user?.username !== user || at < from || at >= to || e.stage === 'ResponseComplete' && e.verb === 'watch') continue;
    out.set(e.verb ?? '?', (out.get(e.verb ?? '?') ?? 0) + 1);
  }
  return out;
}

await installCrds();
const controller = await startController();
const cpuSeconds = async () => Number(/^pledge_process_cpu_seconds_total (\S+)/m.exec(await (await fetch(`${controller.metricsUrl}/metrics`)).text())?.[1]);
try {
  await sleep(Number(values['settle-s']) * 1000);
  const from = Date.now();
  const cpuFrom = await cpuSeconds();
  await sleep(windowS * 1000);
  const cpu = (await cpuSeconds()) - cpuFrom;
  const counts = await requests(from, Date.now());
  const perMinute = (verb: string) => (((counts.get(verb) ?? 0) * 60) / windowS).toFixed(1);
  console.log(`controller at rest, no objects, ${windowS} s window: watch opens ${perMinute('watch')}/min, lists ${perMinute('list')}/min, all requests ${((([...counts.values()].reduce((a, b) => a + b, 0)) * 60) / windowS).toFixed(1)}/min`);
  console.log(`controller CPU: ${((cpu / windowS) * 100).toFixed(2)} % of a core`);
  console.log(`by verb: ${[...counts].map(([verb, n]) => `${verb} ${n}`).join(', ')}`);
} finally {
  await controller.stop();
}
