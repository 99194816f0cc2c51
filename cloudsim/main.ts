// cloudsim from the command line:
//   node cloudsim/main.ts --host 127.0.0.1 --port 0 [--state FILE] [--throttle-rate 0.1] ...
// prints its endpoints as one JSON line on stdout, then serves until SIGINT/SIGTERM.
// The Azure identity comes from CLOUDSIM_AZURE_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET and _SUBSCRIPTION_ID
// (all four, or none: then one is generated); its secret is written to <dir>/azure-identity.json, never printed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { AzureIdentity } from './identities.ts';
import { startCloudsim, type CloudsimOptions, type KnobsPatch, type ListenerName } from './index.ts';

type Flags = {
  host: string;
  port: number;
  awsPort?: number;
  azurePort?: number;
  gcsPort?: number;
  adminPort?: number;
  dir?: string;
  state?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  gcpProject?: string;
  latencyMs?: number;
  latencyJitterMs?: number;
  errorRate?: number;
  throttleRate?: number;
  retryAfter?: number;
  rdsCreateMs?: number;
  rdsModifyMs?: number;
  rdsDeleteMs?: number;
  armCreateMs?: number;
  armDeleteMs?: number;
  knobs?: KnobsPatch;
};

const number = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
};
const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
};
const knobsJson = (value: string): KnobsPatch => {
  try {
    return JSON.parse(value) as KnobsPatch;
  } catch {
    throw new InvalidArgumentError('expected JSON, e.g. {"faults":{"s3":{"throttleRate":0.2}}}');
  }
};

const program = new Command('cloudsim')
  .description('A simulated cloud: S3, RDS, Entra ID + ARM (https) and GCS on loopback, with fault knobs.')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'base port: aws = port, azure = port+1, gcs = port+2, admin = port+3 (0: free ports)', port, 0)
  .option('--aws-port <port>', 'S3 and RDS', port)
  .option('--azure-port <port>', 'Entra ID and ARM (https)', port)
  .option('--gcs-port <port>', 'GCS JSON API and OAuth token endpoint', port)
  .option('--admin-port <port>', 'admin endpoint only (/_cloudsim/...)', port)
  .option('--dir <dir>', 'certificates, key files (default: a temp dir removed on exit)')
  .option('--state <file>', 'persist resources to this JSON file, loaded at start')
  .option('--tls-cert <file>', 'serve Azure with this certificate (with --tls-key and --tls-ca)')
  .option('--tls-key <file>', 'its private key')
  .option('--tls-ca <file>', 'the CA that signed it')
  .option('--gcp-project <id>', 'project of the generated service account')
  .option('--latency-ms <ms>', 'added to every call', number)
  .option('--latency-jitter-ms <ms>', 'random extra latency up to this', number)
  .option('--error-rate <rate>', 'share of calls answered with the cloud’s 5xx (0..1)', number)
  .option('--throttle-rate <rate>', 'share of calls answered with the cloud’s throttling error (0..1)', number)
  .option('--retry-after <seconds>', 'Retry-After on throttling answers', number)
  .option('--rds-create-ms <ms>', 'RDS creating → available', number)
  .option('--rds-modify-ms <ms>', 'RDS modifying → available', number)
  .option('--rds-delete-ms <ms>', 'RDS deleting → gone', number)
  .option('--arm-create-ms <ms>', 'storage account create LRO duration', number)
  .option('--arm-delete-ms <ms>', 'resource group delete LRO duration', number)
  .option('--knobs <json>', 'any knobs as JSON (see README.md)', knobsJson)
  .parse();

const flags = program.opts<Flags>();

function portsFrom(f: Flags): Partial<Record<ListenerName, number>> {
  const base = (offset: number) => (f.port === 0 ? 0 : f.port + offset);
  return { aws: f.awsPort ?? base(0), azure: f.azurePort ?? base(1), gcs: f.gcsPort ?? base(2), admin: f.adminPort ?? base(3) };
}

function knobsFrom(f: Flags): KnobsPatch {
  const global = Object.fromEntries(
    Object.entries({ latencyMs: f.latencyMs, latencyJitterMs: f.latencyJitterMs, errorRate: f.errorRate, throttleRate: f.throttleRate, retryAfterSeconds: f.retryAfter }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const timings = Object.fromEntries(
    Object.entries({ rdsCreateMs: f.rdsCreateMs, rdsModifyMs: f.rdsModifyMs, rdsDeleteMs: f.rdsDeleteMs, armCreateMs: f.armCreateMs, armDeleteMs: f.armDeleteMs }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return {
    faults: { ...(Object.keys(global).length > 0 ? { '*': global } : {}), ...f.knobs?.faults },
    timings: { ...timings, ...f.knobs?.timings },
  };
}

function azureFromEnv(env: NodeJS.ProcessEnv): AzureIdentity[] | undefined {
  const values = {
    tenantId: env.CLOUDSIM_AZURE_TENANT_ID,
    clientId: env.CLOUDSIM_AZURE_CLIENT_ID,
    clientSecret: env.CLOUDSIM_AZURE_CLIENT_SECRET,
    subscriptionId: env.CLOUDSIM_AZURE_SUBSCRIPTION_ID,
  };
  const set = Object.values(values).filter((v) => v !== undefined && v !== '').length;
  if (set === 0) return undefined;
  if (set !== 4) throw new Error('set all of CLOUDSIM_AZURE_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET and _SUBSCRIPTION_ID, or none');
  return [values as AzureIdentity];
}

async function main(): Promise<void> {
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const tlsFlags = [flags.tlsCert, flags.tlsKey, flags.tlsCa].filter((v) => v !== undefined).length;
  if (tlsFlags !== 0 && tlsFlags !== 3) throw new Error('--tls-cert, --tls-key and --tls-ca go together');
  const aborter = new AbortController();
  const options: CloudsimOptions = {
    host: flags.host,
    ports: portsFrom(flags),
    dir: flags.dir,
    statePath: flags.state,
    gcpProjectId: flags.gcpProject,
    azureIdentities: azureFromEnv(process.env),
    knobs: knobsFrom(flags),
    log,
    signal: aborter.signal,
    ...(flags.tlsCert && flags.tlsKey && flags.tlsCa ? { tls: { certPath: flags.tlsCert, keyPath: flags.tlsKey, caCertPath: flags.tlsCa } } : {}),
  };
  const sim = await startCloudsim(options);
  const { azure, gcp } = sim.identities;
  const identityFile = join(sim.dir, 'azure-identity.json');
  await writeFile(identityFile, `${JSON.stringify(azure, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(
    `${JSON.stringify({
      urls: sim.urls,
      caCertPath: sim.caCertPath,
      dir: sim.dir,
      statePath: flags.state,
      identities: {
        azure: { tenantId: azure.tenantId, clientId: azure.clientId, subscriptionId: azure.subscriptionId, identityFile },
        gcp: { projectId: gcp.projectId, clientEmail: gcp.clientEmail, keyFilePath: gcp.keyFilePath },
      },
    })}\n`,
  );
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      aborter.abort();
      void sim.stop().then(resolve, (err: unknown) => {
        log(`cloudsim: stop failed: ${String(err)}`);
        resolve();
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await stopped;
}

try {
  await main();
} catch (err: unknown) {
  process.stderr.write(`cloudsim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
