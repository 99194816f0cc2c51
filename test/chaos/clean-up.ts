// After a chaos run: whatever of the run is still in the cluster goes (finalizers stripped: no controller runs
// any more, and what it left in the cloud is already counted as a leak), then the run's ProviderConfigs.
import { kubectl } from '../env/index.ts';
import { removeCloudsimProviderConfigs } from '../integration/support/cloudsim-provider-configs.ts';
import { CHAOS_KIND_INFO, CHAOS_KINDS, type ChaosFleet } from './chaos-fleet.ts';

const ALL_RESOURCES = CHAOS_KINDS.map((k) => CHAOS_KIND_INFO[k].resource).join(',');

export async function cleanUpRun(chaos: ChaosFleet, expectLeftovers: boolean, log: (line: string) => void): Promise<void> {
  const listed = await kubectl(['get', ALL_RESOURCES, '-l', chaos.label, '-o', 'name'], { timeoutMs: 60_000 });
  const left = listed.stdout.split('\n').filter((l) => l.trim() !== '');
  if (left.length > 0) {
    if (!expectLeftovers) log(`clean-up: ${left.length} objects of the run are still in the cluster`);
    await kubectl(['delete', ALL_RESOURCES, '-l', chaos.label, '--wait=false', '--ignore-not-found'], { timeoutMs: 60_000 });
    // No controller runs now: strip the finalizers, a few objects at a time.
    for (let i = 0; i < left.length; i += 8) {
      await Promise.all(left.slice(i, i + 8).map((name) => kubectl(['patch', name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}'], { timeoutMs: 30_000 })));
    }
    const secrets = chaos.fleet.names.rds.map((n) => `${n}-conn`);
    if (secrets.length > 0) await kubectl(['delete', 'secret', '-n', 'default', ...secrets, '--ignore-not-found'], { timeoutMs: 60_000 });
  }
  await removeCloudsimProviderConfigs(chaos.providerConfig);
}
