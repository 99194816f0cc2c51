// Run by test/lazy-sdk.test.ts as `node --import ./test/resolved-modules.ts test/connect-probe.ts <cloud>`: imports
// the provider registry, writes the line `# connect` into the resolved-modules log, then connects every kind of
// <cloud> to a ProviderConfig whose endpoint is a closed port. Connecting sends nothing; a failure is printed,
// not thrown, since the test asks only which modules connecting loaded.
import { appendFileSync } from 'node:fs';
import type { ConnectContext, KubeObject } from '../core/managed/types.ts';
import { providers } from '../providers/index.ts';

const NOWHERE = { http: 'http://127.0.0.1:9', https: 'https://127.0.0.1:9' } as const;

/** For each cloud: a ProviderConfig spec that parses, and forProvider fields connect reads. */
const FIXTURES: Record<string, { spec: Record<string, unknown>; forProvider: Record<string, unknown> }> = {
  aws: {
    spec: { region: 'us-east-1', endpoint: NOWHERE.http, credentials: { source: 'Secret', secretRef: { name: 'probe', namespace: 'probe' } } },
    forProvider: { region: 'us-east-1' },
  },
  azure: {
    spec: {
      tenantId: 'probe',
      clientId: 'probe',
      clientSecretSecretRef: { name: 'probe', namespace: 'probe', key: 'secret' },
      subscriptionId: 'probe',
      endpoint: NOWHERE.https,
      authorityHost: NOWHERE.https,
    },
    forProvider: { location: 'westeurope', resourceGroupName: 'probe' },
  },
  gcp: { spec: { projectId: 'lazy-sdk-probe', endpoint: NOWHERE.http }, forProvider: { location: 'US' } },
};

const cloud = process.argv[2] ?? '';
const log = process.env.PLEDGE_RESOLVED_LOG;
const provider = providers.find((p) => p.name === cloud);
const fixture = FIXTURES[cloud];
if (log === undefined || provider === undefined || fixture === undefined) {
  throw new Error(`usage: PLEDGE_RESOLVED_LOG=<file> node --import ./test/resolved-modules.ts test/connect-probe.ts ${Object.keys(FIXTURES).join('|')}`);
}

const { group, version, kind } = provider.providerConfig.gvk;
const providerConfig: KubeObject = { apiVersion: `${group}/${version}`, kind, metadata: { name: 'nowhere' }, spec: fixture.spec };
const ctx: ConnectContext = {
  providerConfig,
  readSecret: async () => 'not-a-secret',
  connectionDetails: {},
  calls: {
    acquire: async () => {
      throw new Error('the probe makes no cloud calls');
    },
    record: () => {},
  },
  signal: AbortSignal.timeout(30_000),
};

appendFileSync(log, '# connect\n');
for (const managed of provider.kinds) {
  const mr = { metadata: { name: 'lazy-sdk-probe' }, spec: { forProvider: fixture.forProvider } };
  try {
    await managed.connect(mr, ctx);
    console.log(`${managed.gvk.kind}: connected`);
  } catch (err: unknown) {
    console.log(`${managed.gvk.kind}: connect failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
