// Credentials without stored keys, end to end: a real ServiceAccount token of the test API server (an OIDC issuer)
// in a file the test writes, a ProviderConfig naming a keyless source, the real `pledge run` and the clouds' own
// exchanges: AWS AssumeRoleWithWebIdentity (moto's STS), Azure workload identity (a client assertion at
// cloudsim's Entra token endpoint), GCP workload identity federation (cloudsim's STS token exchange).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, motoS3, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const NAMESPACE = 'pledge-keyless';
const SERVICE_ACCOUNT = 'pledge';
/** The role's account: moto gives assumed-role keys to the account in the role ARN, and S3 calls with them land there. */
const ROLE_ACCOUNT = `2${randomBytes(6).toString('hex').replace(/[a-f]/g, '7').slice(0, 11)}`;
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/pledge-irsa`;

let dir: string;
let controller: ControllerProcess;
const tokens: string[] = [];

/** A ServiceAccount token the test API server signs (the OIDC issuer), for one audience, written where the source reads it. */
async function writeServiceAccountToken(file: string, audience: string): Promise<string> {
  const token = (await mustKubectl(['create', 'token', SERVICE_ACCOUNT, '-n', NAMESPACE, `--audience=${audience}`, '--duration=1h'])).trim();
  tokens.push(token);
  await writeFile(file, token, { mode: 0o600 });
  return token;
}

async function apply(yaml: string): Promise<void> {
  const res = await kubectlApply(yaml);
  assert.equal(res.code, 0, res.stderr);
}

async function waitReady(resource: string, name: string): Promise<void> {
  const res = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${resource}/${name}`], { timeoutMs: 70_000 });
  assert.equal(res.code, 0, `kubectl wait ${resource}/${name}: ${res.stderr}\ncontroller log:\n${(await controller.log()).slice(-4000)}`);
}

/** The controller process's environment: no cloud key of any kind, only where IRSA and workload identity point. */
function keylessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(AWS_|AZURE_|GOOGLE_|CLOUDSDK_)/.test(name)) delete env[name];
  }
  return { ...env, AWS_ROLE_ARN: ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'aws-token'), AZURE_FEDERATED_TOKEN_FILE: join(dir, 'azure-token') };
}

describe('credentials without stored keys', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pledge-keyless-'));
    await installCrds();
    await apply(`
apiVersion: v1
kind: Namespace
metadata: {name: ${NAMESPACE}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${SERVICE_ACCOUNT}, namespace: ${NAMESPACE}}
`);
    controller = await startController({ env: keylessEnv() });
  });

  after(async () => {
    await controller?.stop();
    if (controller) {
      const log = await controller.log();
      for (const token of tokens) {
        // The signature is the part that makes a token usable; no piece of any token may be logged.
        for (const part of token.split('.')) assert.ok(!log.includes(part), 'a ServiceAccount token appears in the controller log');
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  test('AWS WebIdentity (IRSA): the token file is traded at STS for the role\'s credentials, and the Bucket is made with them', async () => {
    const { motoUrl } = testEnv();
    const name = `pledge-irsa-${suffix}`;
    // As IRSA sets it up: the role and token file come from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE.
    await apply(`
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: keyless-aws}
spec:
  region: us-east-1
  endpoint: ${motoUrl}
  credentials: {source: WebIdentity}
---
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  forProvider: {region: us-east-1}
  providerConfigRef: {name: keyless-aws}
`);
    // No token file yet: the controller tries, and says which file it could not read.
    await eventually(async () => /aws-token/.test((await condition('bucket.s3.aws.pledge.dev', name, 'Synced'))?.message ?? ''), 'Synced=False naming the missing token file');
    assert.notEqual((await condition('bucket.s3.aws.pledge.dev', name, 'Ready'))?.status, 'True');

    await writeServiceAccountToken(join(dir, 'aws-token'), 'sts.amazonaws.com');
    await waitReady('bucket.s3.aws.pledge.dev', name);

    // moto files a bucket under the account of the keys that made it: the role's account proves the assumed
    // role's temporary keys signed CreateBucket (any static or default key would land in 123456789012).
    await motoS3({ account: ROLE_ACCOUNT }).send(new HeadBucketCommand({ Bucket: name }));
    const defaultAccount = await motoS3().send(new ListBucketsCommand({}));
    assert.ok(!(defaultAccount.Buckets ?? []).some((b) => b.Name === name), 'the bucket is not in the default account');
    const roleBuckets = await motoS3({ account: ROLE_ACCOUNT }).send(new ListBucketsCommand({}));
    assert.ok((roleBuckets.Buckets ?? []).some((b) => b.Name === name), `the bucket is in the role's account ${ROLE_ACCOUNT}`);

    const pc = await getJson<{ spec: { credentials: Record<string, unknown> } }>('providerconfig.aws.pledge.dev', 'keyless-aws');
    assert.deepEqual(Object.keys(pc?.spec.credentials ?? {}), ['source'], 'the ProviderConfig names no Secret');

    const del = await kubectl(['delete', 'bucket.s3.aws.pledge.dev', name, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
  });
});
