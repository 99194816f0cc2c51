import { join } from 'node:path';
import { scriptOutputPath } from '../../core/up/script-output.ts';

export type Binaries = { etcd: string; kubeApiserver: string; kubeControllerManager: string; motoServer: string };

/**
 * Finds (building or installing them the first time) etcd, kube-apiserver, kube-controller-manager and moto_server through
 * build-kube.sh (which honours KUBEBUILDER_ASSETS) and install-moto.sh. Both are quick once cached.
 */
export async function findBinaries(options: { signal?: AbortSignal } = {}): Promise<Binaries> {
  const [kubeDir, motoServer] = await Promise.all([
    scriptOutputPath(join(import.meta.dirname, 'build-kube.sh'), options),
    scriptOutputPath(join(import.meta.dirname, 'install-moto.sh'), options),
  ]);
  return { etcd: join(kubeDir, 'etcd'), kubeApiserver: join(kubeDir, 'kube-apiserver'), kubeControllerManager: join(kubeDir, 'kube-controller-manager'), motoServer };
}
