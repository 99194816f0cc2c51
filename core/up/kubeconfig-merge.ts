import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

/** The file kubectl writes to: the first of KUBECONFIG's paths, else ~/.kube/config. */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(delimiter).find((p) => p !== '');
  return first ?? join(env.HOME || homedir(), '.kube', 'config');
}

/**
 * Adds (or replaces) the cluster, user and context named like the current context of `ours` in the user's kubeconfig
 * and makes it current; every other cluster, user and context stays as it was.
 */
export async function mergeKubeconfig(ours: string, target: string): Promise<{ context: string }> {
  const add = new KubeConfig();
  add.loadFromString(ours);
  const name = add.getCurrentContext();
  const mine = new KubeConfig();
  if (existsSync(target)) mine.loadFromFile(target);
  const keep = <T extends { name: string }>(theirs: readonly T[], new_: readonly T[]): T[] => [...theirs.filter((x) => !new_.some((n) => n.name === x.name)), ...new_];
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: keep(mine.getClusters(), add.getClusters()),
    users: keep(mine.getUsers(), add.getUsers()),
    contexts: keep(mine.getContexts(), add.getContexts()),
    currentContext: name,
  });
  await mkdir(dirname(target), { recursive: true });
  // client-node's export repeats each context's name inside it; kubectl's own files do not.
  const exported = JSON.parse(merged.exportConfig()) as { contexts?: { context?: Record<string, unknown> }[] };
  for (const c of exported.contexts ?? []) delete c.context?.name;
  await writeFile(target, stringify(exported), { mode: 0o600 });
  return { context: name };
}
