// What the API server holds of a chaos run, read straight from it (one GET per kind, no kubectl: a list of a
// thousand objects through kubectl costs a second of CPU the controller also needs). Used for progress and for
// "Ready" — what the controller reported; the verdict on the clouds comes from cloudsim, not from here.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { httpGet } from '../env/http-get.ts';
import { CHAOS_KIND_INFO, CHAOS_KINDS, type ChaosKind } from './chaos-fleet.ts';

export interface KindView {
  /** Objects of the run in the cluster (including those being deleted). */
  present: number;
  ready: number;
  /** Names that are not Ready, with their Synced message, for reports (a few). */
  notReady: string[];
}

export type ClusterView = Record<ChaosKind, KindView>;

type Credentials = { server: string; ca: string; token: string };

type Kubeconfig = {
  clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ user?: { token?: string } }>;
};

/** The test environment's kubeconfig: one cluster with its CA inline, one user with a bearer token. */
async function credentialsOf(kubeconfigPath: string): Promise<Credentials> {
  const config = parse(await readFile(kubeconfigPath, 'utf8')) as Kubeconfig;
  const server = config.clusters?.[0]?.cluster?.server;
  const caData = config.clusters?.[0]?.cluster?.['certificate-authority-data'];
  const token = config.users?.[0]?.user?.token;
  if (!server || !caData || !token) throw new Error(`${kubeconfigPath}: expected a server, inline CA data and a bearer token`);
  return { server, ca: Buffer.from(caData, 'base64').toString('utf8'), token };
}

interface Item {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface ClusterReader {
  /** Each kind's objects of the run; throws when the API server does not answer (it may be restarting). */
  view(signal?: AbortSignal): Promise<ClusterView>;
}

export async function clusterReader(options: { kubeconfigPath: string; label: string }): Promise<ClusterReader> {
  const { server, ca, token } = await credentialsOf(options.kubeconfigPath);
  const selector = encodeURIComponent(options.label);
  return {
    async view(signal) {
      const lists = await Promise.all(
        CHAOS_KINDS.map(async (kind) => {
          const { apiVersion, resource } = CHAOS_KIND_INFO[kind];
          const plural = resource.slice(0, resource.indexOf('.'));
          const url = `${server}/apis/${apiVersion}/${plural}?labelSelector=${selector}`;
          const res = await httpGet(url, { ca, token, timeoutMs: 30_000, ...(signal ? { signal } : {}) });
          if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
          return [kind, (JSON.parse(res.body) as { items: Item[] }).items] as const;
        }),
      );
      const out = {} as ClusterView;
      for (const [kind, items] of lists) {
        const view: KindView = { present: items.length, ready: 0, notReady: [] };
        for (const item of items) {
          const ready = item.status?.conditions?.find((c) => c.type === 'Ready');
          if (ready?.status === 'True') view.ready++;
          else if (view.notReady.length < 3) {
            const synced = item.status?.conditions?.find((c) => c.type === 'Synced');
            view.notReady.push(`${item.metadata.name}: Ready=${ready?.status ?? '?'} ${ready?.reason ?? ''}; Synced=${synced?.status ?? '?'} ${synced?.message ?? ''}`.trim());
          }
        }
        out[kind] = view;
      }
      return out;
    },
  };
}

export const totalOf = (view: ClusterView, field: 'present' | 'ready') => CHAOS_KINDS.reduce((n, k) => n + view[k][field], 0);
