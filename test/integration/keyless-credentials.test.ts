// Credentials without stored keys, end to end: a real ServiceAccount token of the test API server (an OIDC issuer)
// in a file the test writes, a ProviderConfig naming a keyless source, the real `pledge run` and the clouds' own
// exchanges: AWS AssumeRoleWithWebIdentity (moto's STS), Azure workload identity (a client assertion at
// cloudsim's Entra token endpoint), GCP workload identity federation (cloudsim's STS token exchange).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, motoS3, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { cloudsimAdmin } from './support/cloudsim-admin.ts';

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

/** What the test API server publishes as an OIDC issuer: its issuer URL and signing keys (as a cloud would fetch them). */
async function issuer(): Promise<{ issuer: string; jwks: unknown }> {
  const discovery = JSON.parse(await mustKubectl(['get', '--raw', '/.well-known/openid-configuration'])) as { issuer: string };
  const jwks = JSON.parse(await mustKubectl(['get', '--raw', '/openid/v1/jwks'])) as unknown;
  return { issuer: discovery.issuer, jwks };
}

/** Registers a trust at cloudsim's admin endpoint (Entra's federated identity credential, Google's pool provider). */
async function trust(path: string, body: unknown): Promise<void> {
  const env = cloudsimEnv();
  const res = await fetch(`${env.adminUrl}/_cloudsim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201, await res.text());
}

function cloudsimEnv() {
  const env = testEnv();
  assert.ok(env.cloudsim && env.azure && env.cloudsim.gcpKeyPath, 'cloudsim runs in the test environment');
  return { ...env.cloudsim, azure: env.azure, gcpKeyPath: env.cloudsim.gcpKeyPath };
}

/** No part of any token the test wrote appears in text (a condition message, an event). */
function assertNoToken(text: string, where: string): void {
  for (const token of tokens) for (const part of token.split('.')) assert.ok(!text.includes(part), `a token appears in ${where}`);
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
      // No piece of any token may be logged (the signature is what makes one usable; the claims name the identity).
      assertNoToken(await controller.log(), 'the controller log');
    }
    await rm(dir, { recursive: true, force: true });
  });

  const SUBJECT = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;

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


  test('AWS WebIdentity on cloudsim: STS checks the token against the role\'s trust (issuer, audience, subject, signature); a refusal names the cloud\'s code', async () => {
    const sim = cloudsimEnv();
    const oidc = await issuer();
    const account = `3${ROLE_ACCOUNT.slice(1)}`;
    const roleArn = `arn:aws:iam::${account}:role/pledge-irsa`;
    await trust('aws/web-identity-roles', { roleArn, issuer: oidc.issuer, subjects: [SUBJECT], jwks: oidc.jwks });
    await writeServiceAccountToken(join(dir, 'aws-sim-token'), 'sts.amazonaws.com');
    await writeServiceAccountToken(join(dir, 'aws-sim-token-wrong-audience'), 'api://AzureADTokenExchange');
    const config = (name: string, tokenFile: string) => `
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  region: us-east-1
  endpoint: ${sim.awsUrl}
  credentials:
    source: WebIdentity
    webIdentity: {roleArn: "${roleArn}", tokenFile: ${join(dir, tokenFile)}}
`;
    const bucket = (name: string, providerConfig: string) => `
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  forProvider: {region: us-east-1}
  providerConfigRef: {name: ${providerConfig}}
`;
    const good = `pledge-irsa-sim-${suffix}`;
    const refused = `pledge-irsa-refused-${suffix}`;
    const since = Date.now();
    await apply(`${config('keyless-aws-sim', 'aws-sim-token')}---${bucket(good, 'keyless-aws-sim')}---${config('keyless-aws-refused', 'aws-sim-token-wrong-audience')}---${bucket(refused, 'keyless-aws-refused')}`);
    await waitReady('bucket.s3.aws.pledge.dev', good);
    const state = (await (await fetch(`${sim.adminUrl}/_cloudsim/state`)).json()) as { s3: { buckets: Record<string, { name: string; account: string }> } };
    const made = Object.values(state.s3.buckets).find((b) => b.name === good);
    assert.equal(made?.account, account, 'the bucket belongs to the role\'s account: the assumed keys signed CreateBucket');
    const sts = (await cloudsimAdmin(sim.adminUrl).requests(since)).requests.filter((r) => r.operation === 'AssumeRoleWithWebIdentity');
    assert.ok(sts.some((r) => r.outcome === 'ok'), 'STS took the token');

    await eventually(async () => /InvalidIdentityToken/.test((await condition('bucket.s3.aws.pledge.dev', refused, 'Synced'))?.message ?? ''), 'Synced=False with InvalidIdentityToken');
    const synced = await condition('bucket.s3.aws.pledge.dev', refused, 'Synced');
    assert.match(synced?.message ?? '', /InvalidIdentityToken: Incorrect token audience/);
    assertNoToken(JSON.stringify(synced), 'the condition');
    assert.ok(!Object.values(state.s3.buckets).some((b) => b.name === refused), 'nothing was made with a refused token');

    for (const name of [good, refused]) {
      const del = await kubectl(['delete', 'bucket.s3.aws.pledge.dev', name, '--timeout=60s'], { timeoutMs: 70_000 });
      assert.equal(del.code, 0, del.stderr);
    }
  });

  test('Azure WorkloadIdentity: the token file is a client assertion Entra checks against the federated credential; a wrong audience is refused with Entra\'s message', async () => {
    const sim = cloudsimEnv();
    const oidc = await issuer();
    await trust('azure/federated-credentials', {
      tenantId: sim.azure.tenantId,
      clientId: sim.azure.clientId,
      name: 'pledge-keyless',
      issuer: oidc.issuer,
      subject: SUBJECT,
      audiences: ['api://AzureADTokenExchange'],
      jwks: oidc.jwks,
    });
    const config = (name: string, tokenFile: string) => `
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  tenantId: "${sim.azure.tenantId}"
  clientId: "${sim.azure.clientId}"
  subscriptionId: "${sim.azure.subscriptionId}"
  credentials: {source: WorkloadIdentity${tokenFile === '' ? '' : `, tokenFile: ${tokenFile}`}}
  endpoint: ${sim.azureUrl}
  authorityHost: ${sim.azureUrl}
`;
    const group = (name: string, providerConfig: string) => `
apiVersion: resources.azure.pledge.dev/v1
kind: ResourceGroup
metadata: {name: ${name}}
spec:
  forProvider: {location: westeurope}
  providerConfigRef: {name: ${providerConfig}}
`;
    const since = Date.now();
    // The token file from AZURE_FEDERATED_TOKEN_FILE, as the Azure Workload Identity webhook sets it.
    await writeServiceAccountToken(join(dir, 'azure-token'), 'api://AzureADTokenExchange');
    const good = `pledge-wi-${suffix}`;
    await apply(config('keyless-azure', '') + '---' + group(good, 'keyless-azure'));
    await waitReady('resourcegroup.resources.azure.pledge.dev', good);
    const held = await cloudsimAdmin(sim.adminUrl).held();
    assert.ok(held.arm.includes(good), 'the resource group exists in cloudsim');
    const tokenCalls = (await cloudsimAdmin(sim.adminUrl).requests(since)).requests.filter((r) => r.service === 'entra' && r.operation === 'Token');
    assert.ok(tokenCalls.some((r) => r.outcome === 'ok'), 'Entra issued a token for the assertion');

    // A token for another audience: Entra finds no federated credential for it.
    await writeServiceAccountToken(join(dir, 'azure-token-wrong-audience'), 'api://SomethingElse');
    const refused = `pledge-wi-refused-${suffix}`;
    await apply(config('keyless-azure-refused', join(dir, 'azure-token-wrong-audience')) + '---' + group(refused, 'keyless-azure-refused'));
    await eventually(async () => /AADSTS700212/.test((await condition('resourcegroup.resources.azure.pledge.dev', refused, 'Synced'))?.message ?? ''), 'Synced=False with AADSTS700212');
    const synced = await condition('resourcegroup.resources.azure.pledge.dev', refused, 'Synced');
    assert.equal(synced?.status, 'False');
    assert.match(synced?.message ?? '', /No matching federated identity record found for presented assertion audience 'api:\/\/SomethingElse'/);
    assertNoToken(JSON.stringify(synced), 'the condition');
    assertNoToken(await mustKubectl(['get', 'events', '-A', '-o', 'json']), 'the events');
    assert.ok(!(await cloudsimAdmin(sim.adminUrl).held()).arm.includes(refused), 'nothing was made with a refused token');

    for (const name of [good, refused]) {
      const del = await kubectl(['delete', 'resourcegroup.resources.azure.pledge.dev', name, '--timeout=60s'], { timeoutMs: 70_000 });
      assert.equal(del.code, 0, del.stderr);
    }
  });

  test('GCP ExternalAccount: the token file is exchanged at the STS (workload identity federation), directly and impersonating a service account', async () => {
    const sim = cloudsimEnv();
    const oidc = await issuer();
    const key = JSON.parse(await readFile(sim.gcpKeyPath, 'utf8')) as { project_id: string; client_email: string };
    const provider = 'projects/123456789012/locations/global/workloadIdentityPools/pledge-pool/providers/kubernetes';
    await trust('gcp/workload-identity-providers', {
      name: provider,
      issuer: oidc.issuer,
      jwks: oidc.jwks,
      serviceAccountUsers: { [key.client_email]: [SUBJECT] },
    });
    await writeServiceAccountToken(join(dir, 'gcp-token'), `https://iam.googleapis.com/${provider}`);
    const config = (name: string, impersonate: boolean) => `
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  projectId: ${key.project_id}
  endpoint: ${sim.gcsUrl}
  credentials:
    source: ExternalAccount
    externalAccount:
      audience: //iam.googleapis.com/${provider}
      tokenUrl: ${sim.gcsUrl}/v1/token
      credentialSource: {file: ${join(dir, 'gcp-token')}}
${impersonate ? `      serviceAccountImpersonationUrl: ${sim.gcsUrl}/v1/projects/-/serviceAccounts/${key.client_email}:generateAccessToken` : ''}
`;
    const bucket = (name: string, providerConfig: string) => `
apiVersion: storage.gcp.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  forProvider: {location: US}
  providerConfigRef: {name: ${providerConfig}}
`;
    const since = Date.now();
    const direct = `pledge-wif-${suffix}`;
    const impersonated = `pledge-wif-sa-${suffix}`;
    await apply(`${config('keyless-gcp', false)}---${bucket(direct, 'keyless-gcp')}---${config('keyless-gcp-sa', true)}---${bucket(impersonated, 'keyless-gcp-sa')}`);
    await waitReady('bucket.storage.gcp.pledge.dev', direct);
    await waitReady('bucket.storage.gcp.pledge.dev', impersonated);
    const held = await cloudsimAdmin(sim.adminUrl).held();
    assert.ok(held.gcs.includes(direct) && held.gcs.includes(impersonated), 'both buckets exist in cloudsim');
    const calls = (await cloudsimAdmin(sim.adminUrl).requests(since)).requests.filter((r) => r.service === 'google-oauth');
    const ok = (operation: string) => calls.filter((r) => r.operation === operation && r.outcome === 'ok').length;
    assert.ok(ok('sts.token') >= 2, `one token exchange per ProviderConfig (${ok('sts.token')})`);
    assert.ok(ok('generateAccessToken') >= 1, 'the impersonating one asked for the service account\'s token');
    assert.equal(ok('token'), 0, 'no service-account key was used');

    const pc = await getJson<{ spec: Record<string, unknown> }>('providerconfig.gcp.pledge.dev', 'keyless-gcp');
    assert.equal(pc?.spec.credentialsSecretRef, undefined, 'the ProviderConfig names no Secret');
    for (const name of [direct, impersonated]) {
      const del = await kubectl(['delete', 'bucket.storage.gcp.pledge.dev', name, '--timeout=60s'], { timeoutMs: 70_000 });
      assert.equal(del.code, 0, del.stderr);
    }
  });

  test('admission refuses a ProviderConfig whose keyless source lacks what it needs, naming the field', async () => {
    const sim = cloudsimEnv();
    const azure = `tenantId: "${sim.azure.tenantId}", clientId: "${sim.azure.clientId}", subscriptionId: "${sim.azure.subscriptionId}"`;
    const cases: Array<[string, string, RegExp]> = [
      ['azure.pledge.dev/v1', `{${azure}}`, /spec\.clientSecretSecretRef is required unless spec\.credentials\.source is WorkloadIdentity/],
      ['azure.pledge.dev/v1', `{${azure}, credentials: {source: Secret, tokenFile: /t}, clientSecretSecretRef: {name: creds, namespace: pledge-system, key: secret}}`, /tokenFile is only used when source is WorkloadIdentity/],
      ['gcp.pledge.dev/v1', '{projectId: my-project-1, credentials: {source: ExternalAccount}}', /externalAccount is required when source is ExternalAccount/],
      ['gcp.pledge.dev/v1', '{projectId: my-project-1, credentials: {source: ExternalAccount, externalAccount: {audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/k"}}}', /spec\.credentials\.externalAccount\.credentialSource: Required value/],
      ['aws.pledge.dev/v1', '{credentials: {source: Environment, webIdentity: {tokenFile: /t}}}', /webIdentity is only used when source is WebIdentity/],
      ['aws.pledge.dev/v1', '{credentials: {source: WebIdentity, webIdentity: {roleArn: "arn:aws:iam::123456789012:user/bob"}}}', /spec\.credentials\.webIdentity\.roleArn: Invalid value/],
    ];
    for (const [apiVersion, spec, message] of cases) {
      const res = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: `apiVersion: ${apiVersion}\nkind: ProviderConfig\nmetadata: {name: keyless-refused}\nspec: ${spec}\n` });
      assert.notEqual(res.code, 0, `${apiVersion} ${spec} was accepted`);
      assert.match(res.stderr, message);
    }
  });
});
