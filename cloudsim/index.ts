/**
 * cloudsim: a simulated cloud for tests, benchmarks and offline use. It serves the parts of S3, RDS,
 * Entra ID + Azure Resource Manager (HTTPS) and GCS that Pledge's providers call, with knobs for latency,
 * errors, throttling and outages. It imports nothing of Pledge. See README.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminHandler, type CloudsimControl, type KnobsView } from './admin.ts';
import { createArmService } from './arm.ts';
import { createAwsServices } from './aws.ts';
import { Counters } from './counters.ts';
import { createEntraService } from './entra.ts';
import { parseAwsWebIdentityRole, parseFederatedCredential, parseWorkloadIdentityProvider, type FederatedCredential } from './federation.ts';
import { createGcsService } from './gcs.ts';
import { createGoogleOAuthService } from './google-oauth.ts';
import {
  generateAzureIdentity,
  generateGcpServiceAccount,
  IDENTITY_DEFAULTS,
  serviceAccountKeyFile,
  validateAzureIdentity,
  type AzureIdentity,
  type GcpServiceAccount,
  type Identities,
} from './identities.ts';
import { applyKnobsPatch, defaultKnobs, validateKnobsPatch, type KnobsPatch } from './knobs.ts';
import { startListener, type Listener, type SimRuntime } from './listener.ts';
import type { ServiceContext } from './service-context.ts';
import type { ServiceName } from './sim-http.ts';
import { StateStore } from './state.ts';
import { createTls, loadTls, type TlsFiles } from './tls.ts';

export type { CounterSnapshot, Outcome, RequestFilter, RequestLog, RequestRecord } from './counters.ts';
export { COUNTER_DEFAULTS } from './counters.ts';
export type { FaultKnobs, KnobsPatch, Timings } from './knobs.ts';
export { TIMING_DEFAULTS } from './knobs.ts';
export type { KnobsView } from './admin.ts';
export type { AzureIdentity, GcpServiceAccount } from './identities.ts';
export type { AwsWebIdentityRole, FederatedCredential, JsonWebKeySet, WorkloadIdentityProvider } from './federation.ts';
export { SERVICE_NAMES, type ServiceName } from './sim-http.ts';

export const CLOUDSIM_DEFAULTS = {
  host: '127.0.0.1',
  /** 0: a free port. */
  ports: { aws: 0, azure: 0, gcs: 0, admin: 0 },
  gcpProjectId: IDENTITY_DEFAULTS.gcpProjectId,
} as const;

export type ListenerName = keyof typeof CLOUDSIM_DEFAULTS.ports;

export type CloudsimOptions = {
  host?: string;
  ports?: Partial<Record<ListenerName, number>>;
  /** Certificates and the service-account key file go here. Default: a new temp dir that stop() removes. */
  dir?: string;
  /** Persist resources (and generated identities) to this JSON file; read at start when it exists. */
  statePath?: string;
  /** Serve Azure with this certificate instead of generating a CA and certificate. */
  tls?: TlsFiles;
  /** Extra names (DNS or IP) for the generated certificate besides 127.0.0.1, ::1 and localhost. */
  tlsNames?: string[];
  /** Entra applications to accept; the first is `identities.azure`. Default: one generated (or the persisted ones). */
  azureIdentities?: AzureIdentity[];
  gcpProjectId?: string;
  knobs?: KnobsPatch;
  /** Calls kept in the request log (GET /_cloudsim/requests). Default COUNTER_DEFAULTS.requestLogSize. */
  requestLogSize?: number;
  /** Injectable for tests. */
  clock?: () => number;
  random?: () => number;
  log?: (message: string) => void;
  /** Aborting it stops cloudsim. */
  signal?: AbortSignal;
};

export type Cloudsim = CloudsimControl & {
  /** aws: S3 (path-style) and RDS; azure: Entra ID and ARM (https); gcs: GCS JSON API and the OAuth token endpoint; admin: /_cloudsim/ only. */
  urls: Record<ListenerName, string>;
  /** The CA that signed the Azure listener's certificate (PEM file): give it to NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  identities: {
    azure: AzureIdentity;
    gcp: { projectId: string; clientEmail: string; keyFilePath: string; keyFile: Record<string, string> };
    all: Identities;
  };
  dir: string;
  stop(): Promise<void>;
};

export async function startCloudsim(options: CloudsimOptions = {}): Promise<Cloudsim> {
  options.signal?.throwIfAborted();
  const host = options.host ?? CLOUDSIM_DEFAULTS.host;
  const ports = { ...CLOUDSIM_DEFAULTS.ports, ...options.ports };
  const log = options.log ?? (() => undefined);
  const now = options.clock ?? Date.now;
  const initialKnobs = validateKnobsPatch(options.knobs ?? {});
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'cloudsim-')));

  const store = new StateStore({ path: options.statePath, log });
  await store.load();
  const azureIdentities = (options.azureIdentities ?? store.state.identities?.azure ?? [generateAzureIdentity()]).map((i, n) =>
    validateAzureIdentity(i, `azureIdentities[${n}]`),
  );
  // The two slow steps (an RSA key, the openssl calls) run side by side.
  const [gcpAccounts, tls] = await Promise.all([
    store.state.identities?.gcp ?? generateGcpServiceAccount(options.gcpProjectId ?? CLOUDSIM_DEFAULTS.gcpProjectId).then((a) => [a]),
    options.tls ? loadTls(options.tls) : createTls({ dir: join(dir, 'tls'), extraNames: [host, ...(options.tlsNames ?? [])], signal: options.signal }),
  ]);
  const identities: Identities = { azure: azureIdentities, gcp: gcpAccounts };
  const [azure] = identities.azure;
  const [gcp] = identities.gcp;
  if (azure === undefined || gcp === undefined) throw new Error('cloudsim: azureIdentities must not be empty');
  store.state.identities = identities;
  store.changed();

  const stopping = new AbortController();
  const knobs = defaultKnobs();
  applyKnobsPatch(knobs, initialKnobs);
  const counters = new Counters({ clock: now, ...(options.requestLogSize === undefined ? {} : { requestLogSize: options.requestLogSize }) });
  const runtime: SimRuntime = { knobs, counters, now, random: options.random ?? Math.random, signal: stopping.signal, log };
  const ctx: ServiceContext = { runtime, store, identities, federation: { azure: [], gcp: [], aws: [], awsSessions: new Map() } };

  const control: CloudsimControl = {
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    requests: (filter) => counters.requests(filter),
    knobs: (): KnobsView => ({
      faults: structuredClone(knobs.faults),
      outages: Object.fromEntries(Object.entries(knobs.outages).filter(([, until]) => until > now()).map(([s, until]) => [s, new Date(until).toISOString()])),
      timings: { ...knobs.timings },
    }),
    setKnobs: (patch) => applyKnobsPatch(knobs, validateKnobsPatch(patch)),
    outage: (service: ServiceName, seconds: number) => {
      knobs.outages[service] = now() + seconds * 1000;
    },
    endOutages: (service?: ServiceName) => {
      if (service === undefined) knobs.outages = {};
      else delete knobs.outages[service];
    },
    reset: (resetOptions = {}) => {
      counters.reset();
      Object.assign(knobs, defaultKnobs());
      applyKnobsPatch(knobs, initialKnobs);
      if (resetOptions.state) store.clearResources();
    },
    resources: () => ({ s3: store.state.s3, rds: store.state.rds, arm: store.state.arm, gcs: store.state.gcs }),
    addFederatedCredential: (body) => {
      const credential = parseFederatedCredential(body);
      const same = (c: FederatedCredential) => c.tenantId === credential.tenantId && c.clientId === credential.clientId && c.name === credential.name;
      ctx.federation.azure = [...ctx.federation.azure.filter((c) => !same(c)), credential];
      return credential;
    },
    addAwsWebIdentityRole: (body) => {
      const role = parseAwsWebIdentityRole(body);
      ctx.federation.aws = [...ctx.federation.aws.filter((r) => r.roleArn !== role.roleArn), role];
      return role;
    },
    addWorkloadIdentityProvider: (body) => {
      const provider = parseWorkloadIdentityProvider(body);
      ctx.federation.gcp = [...ctx.federation.gcp.filter((p) => p.name !== provider.name), provider];
      return provider;
    },
  };
  const admin = adminHandler(control);

  const listeners: Listener[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping.abort();
      await Promise.all(listeners.map((l) => l.close()));
      await store.flush();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    })());
  try {
    const start = async (port: number, services: Parameters<typeof startListener>[0]['services'], secure = false) => {
      const listener = await startListener({ host, port, services, admin, runtime, ...(secure ? { tls } : {}) });
      listeners.push(listener);
      return listener.url;
    };
    const urls: Record<ListenerName, string> = {
      aws: await start(ports.aws, createAwsServices(ctx)),
      azure: await start(ports.azure, [createEntraService(ctx), createArmService(ctx)], true),
      gcs: await start(ports.gcs, [createGoogleOAuthService(ctx), createGcsService(ctx)]),
      admin: await start(ports.admin, []),
    };
    const keyFile = serviceAccountKeyFile(gcp, urls.gcs);
    const keyFilePath = join(dir, 'gcp-service-account.json');
    await writeFile(keyFilePath, `${JSON.stringify(keyFile, null, 2)}\n`, { mode: 0o600 });
    options.signal?.addEventListener('abort', () => void stop().catch((err: unknown) => log(`cloudsim: stop failed: ${String(err)}`)), { once: true });
    return {
      ...control,
      urls,
      caCertPath: tls.caCertPath,
      identities: { azure, gcp: gcpSummary(gcp, keyFilePath, keyFile), all: identities },
      dir,
      stop,
    };
  } catch (err: unknown) {
    await stop();
    throw err;
  }
}

function gcpSummary(account: GcpServiceAccount, keyFilePath: string, keyFile: Record<string, string>) {
  return { projectId: account.projectId, clientEmail: account.clientEmail, keyFilePath, keyFile };
}
