import { join } from 'node:path';
import { scriptOutputPath } from './script-output.ts';
import type { StorageKind } from './storage.ts';

export type UpBinaries = { kubeApiserver: string; kubeControllerManager: string; storage: string };

// The repository's own install scripts, by path from here: test/env/build-kube.sh honours KUBEBUILDER_ASSETS, then the
// cache, then builds from Go modules (progress on stderr); install-kine.sh builds kine once. Both print the path last.
const scripts = join(import.meta.dirname, '..', '..', 'test', 'env');

/** Finds (building the first time, with progress lines) kube-apiserver, kube-controller-manager and the storage binary. */
export async function findUpBinaries(storage: StorageKind, options: { signal?: AbortSignal; onProgress: (line: string) => void }): Promise<UpBinaries> {
  const [kubeDir, kine] = await Promise.all([
    scriptOutputPath(join(scripts, 'build-kube.sh'), options),
    storage === 'kine' ? scriptOutputPath(join(scripts, 'install-kine.sh'), options) : Promise.resolve(''),
  ]);
  return {
    kubeApiserver: join(kubeDir, 'kube-apiserver'),
    kubeControllerManager: join(kubeDir, 'kube-controller-manager'),
    storage: storage === 'kine' ? kine : join(kubeDir, 'etcd'),
  };
}
