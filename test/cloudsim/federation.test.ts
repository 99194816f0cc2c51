// cloudsim's workload identity federation, by hand against the environment's cloudsim: an issuer of the test's own
// (an RSA key and its JWKS) trusted by an IAM role, an Entra federated identity credential and a GCP workload
// identity pool provider; every check each cloud makes refuses the token that fails it, in that cloud's words.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { admin, httpsCall, simEnv, uniqueName, type SimEnv } from './support.ts';

const ISSUER = `https://issuer-${randomUUID()}.example`;
const SUBJECT = 'system:serviceaccount:pledge-system:pledge';
const PROVIDER = `projects/123456789012/locations/global/workloadIdentityPools/pool-${randomUUID().slice(0, 8)}/providers/kubernetes`;
const GCP_AUDIENCE = `https://iam.googleapis.com/${PROVIDER}`;
const ROLE_ACCOUNT = String(400000000000 + Math.floor(Math.random() * 99999999999));
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/keyless`;

const issuerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwt(claims: Record<string, unknown>, key: KeyObject = issuerKey.privateKey, kid = 'issuer-key'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ iss: ISSUER, sub: SUBJECT, iat: now, nbf: now, exp: now + 600, ...claims })).toString('base64url');
  return `${head}.${body}.${sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`;
}

let sim: SimEnv;
let serviceAccount: string;

before(async () => {
  sim = simEnv();
  const jwks = { keys: [{ ...issuerKey.publicKey.export({ format: 'jwk' }), kid: 'issuer-key', use: 'sig', alg: 'RS256' }] };
  await admin(sim.adminUrl, 'POST', 'azure/federated-credentials', {
    tenantId: sim.azure.tenantId,
    clientId: sim.azure.clientId,
    name: 'federation-test',
    issuer: ISSUER,
    subject: SUBJECT,
    jwks,
  });
  const key = JSON.parse(await readFile(sim.gcpKeyPath ?? '', 'utf8')) as { client_email: string };
  serviceAccount = key.client_email;
  await admin(sim.adminUrl, 'POST', 'gcp/workload-identity-providers', { name: PROVIDER, issuer: ISSUER, jwks, serviceAccountUsers: { [serviceAccount]: [SUBJECT] } });
  await admin(sim.adminUrl, 'POST', 'aws/web-identity-roles', { roleArn: ROLE_ARN, issuer: ISSUER, subjects: [SUBJECT], jwks });
});

describe('AWS STS AssumeRoleWithWebIdentity', () => {
  async function assume(token: string, roleArn = ROLE_ARN) {
    const res = await fetch(sim.awsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'pledge', WebIdentityToken: token }),
    });
    return { status: res.status, body: await res.text() };
  }

  test('a trusted token buys keys of the role\'s account: S3 files what they make there', async () => {
    const answer = await assume(jwt({ aud: 'sts.amazonaws.com' }));
    assert.equal(answer.status, 200, answer.body);
    const keyId = /<AccessKeyId>(ASIA[A-Z0-9]{16})<\/AccessKeyId>/.exec(answer.body)?.[1];
    assert.ok(keyId, answer.body);
    assert.match(answer.body, new RegExp(`<Arn>arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/keyless/pledge</Arn>`));
    const bucket = uniqueName('sts-');
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const made = await fetch(`${sim.awsUrl}/${bucket}`, { method: 'PUT', headers: { authorization: `AWS4-HMAC-SHA256 Credential=${keyId}/${date}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0` } });
    assert.equal(made.status, 200, await made.text());
    const state = await admin<{ s3: { buckets: Record<string, { name: string; account: string }> } }>(sim.adminUrl, 'GET', 'state');
    assert.equal(Object.values(state.s3.buckets).find((b) => b.name === bucket)?.account, ROLE_ACCOUNT);
  });

  const refusals: Array<[string, () => string, string | undefined, number, RegExp]> = [
    ['an issuer with no OIDC provider', () => jwt({ aud: 'sts.amazonaws.com', iss: 'https://elsewhere.example' }), undefined, 400, /<Code>InvalidIdentityToken<\/Code><Message>No OpenIDConnect provider found in your account for https:\/\/elsewhere.example/],
    ['another audience', () => jwt({ aud: 'api://AzureADTokenExchange' }), undefined, 400, /<Code>InvalidIdentityToken<\/Code><Message>Incorrect token audience/],
    ['a subject the role does not trust', () => jwt({ aud: 'sts.amazonaws.com', sub: 'system:serviceaccount:default:default' }), undefined, 403, /<Code>AccessDenied<\/Code>/],
    ['another role of the account', () => jwt({ aud: 'sts.amazonaws.com' }), `arn:aws:iam::${ROLE_ACCOUNT}:role/other`, 403, /<Code>AccessDenied<\/Code>/],
    ['an expired token', () => jwt({ aud: 'sts.amazonaws.com', exp: Math.floor(Date.now() / 1000) - 60 }), undefined, 400, /<Code>ExpiredTokenException<\/Code>/],
    ['a signature by another key', () => jwt({ aud: 'sts.amazonaws.com' }, otherKey.privateKey), undefined, 400, /<Code>InvalidIdentityToken<\/Code><Message>The web identity token that was passed could not be validated/],
  ];
  for (const [what, make, roleArn, status, message] of refusals) {
    test(`${what} is refused`, async () => {
      const answer = await assume(make(), roleArn);
      assert.equal(answer.status, status, answer.body);
      assert.match(answer.body, message);
    });
  }
});

describe('Entra client assertion (workload identity)', () => {
  async function tokenFor(assertion: string) {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.azure.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: `${sim.azureUrl}/.default`,
    });
    const res = await httpsCall(`${sim.azureUrl}/${sim.azure.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      caPath: sim.caPath,
    });
    return { status: res.status, body: res.json() as { access_token?: string; error?: string; error_description?: string } };
  }

  test('a token of the trusted issuer, subject and audience buys an ARM token that ARM accepts', async () => {
    const answer = await tokenFor(jwt({ aud: 'api://AzureADTokenExchange' }));
    assert.equal(answer.status, 200, answer.body.error_description);
    const arm = await httpsCall(`${sim.azureUrl}/subscriptions/${sim.azure.subscriptionId}/resourcegroups/${uniqueName('fed-')}?api-version=2025-04-01`, {
      headers: { authorization: `Bearer ${answer.body.access_token}` },
      caPath: sim.caPath,
    });
    assert.equal(arm.status, 404, `ARM took the token and looked: ${arm.body}`);
  });

  const refusals: Array<[string, () => string, RegExp]> = [
    ['another issuer', () => jwt({ aud: 'api://AzureADTokenExchange', iss: 'https://elsewhere.example' }), /^AADSTS700211: .*issuer 'https:\/\/elsewhere.example'/],
    ['another subject', () => jwt({ aud: 'api://AzureADTokenExchange', sub: 'system:serviceaccount:default:default' }), /^AADSTS700213: .*subject 'system:serviceaccount:default:default'/],
    ['another audience', () => jwt({ aud: 'api://Other' }), /^AADSTS700212: .*audience 'api:\/\/Other'/],
    ['an expired token', () => jwt({ aud: 'api://AzureADTokenExchange', exp: Math.floor(Date.now() / 1000) - 60 }), /^AADSTS700024: Client assertion is not within its valid time range/],
    ['a signature by another key', () => jwt({ aud: 'api://AzureADTokenExchange' }, otherKey.privateKey), /^AADSTS5002727: Client assertion failed signature validation/],
    ['not a JWT', () => 'not-a-jwt', /^AADSTS50027: JWT token is invalid or malformed/],
  ];
  for (const [what, make, message] of refusals) {
    test(`${what} is refused, in Entra's words, without echoing the token`, async () => {
      const assertion = make();
      const answer = await tokenFor(assertion);
      assert.equal(answer.status, 400);
      assert.match(answer.body.error_description ?? '', message);
      assert.ok(!JSON.stringify(answer.body).includes(assertion.split('.').at(-1) ?? assertion));
    });
  }
});

describe('Google STS token exchange and generateAccessToken', () => {
  async function exchange(subjectToken: string, audience = `//iam.googleapis.com/${PROVIDER}`) {
    const res = await fetch(`${sim.gcsUrl}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        subject_token: subjectToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      }),
    });
    return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string; error_description?: string } };
  }

  test('a token for the provider buys a federated token that GCS accepts and that may impersonate the bound account', async () => {
    const answer = await exchange(jwt({ aud: GCP_AUDIENCE }));
    assert.equal(answer.status, 200, answer.body.error_description);
    const federated = answer.body.access_token ?? '';
    const gcs = await fetch(`${sim.gcsUrl}/storage/v1/b/${uniqueName('fed-')}`, { headers: { authorization: `Bearer ${federated}` } });
    assert.equal(gcs.status, 404, 'GCS took the token and looked');
    const impersonate = (token: string, email: string) =>
      fetch(`${sim.gcsUrl}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: ['https://www.googleapis.com/auth/devstorage.full_control'] }),
      });
    const granted = await impersonate(federated, serviceAccount);
    assert.equal(granted.status, 200);
    assert.match(((await granted.json()) as { accessToken: string }).accessToken, /^ya29\./);
    const denied = await impersonate(federated, 'someone-else@cloudsim-project.iam.gserviceaccount.com');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /iam\.serviceAccounts\.getAccessToken' denied/);
  });

  const refusals: Array<[string, () => string, string | undefined, RegExp]> = [
    ['an unknown provider', () => jwt({ aud: GCP_AUDIENCE }), '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/none/providers/none', /^invalid_target: /],
    ['another issuer', () => jwt({ aud: GCP_AUDIENCE, iss: 'https://elsewhere.example' }), undefined, /^invalid_grant: The issuer in ID Token https:\/\/elsewhere.example does not match/],
    ['another audience', () => jwt({ aud: 'sts.amazonaws.com' }), undefined, /^invalid_grant: The audience in ID Token \[sts.amazonaws.com\] does not match/],
    ['an expired token', () => jwt({ aud: GCP_AUDIENCE, exp: Math.floor(Date.now() / 1000) - 60 }), undefined, /^invalid_grant: ID Token expired/],
    ['a signature by another key', () => jwt({ aud: GCP_AUDIENCE }, otherKey.privateKey), undefined, /^invalid_grant: Invalid ID Token signature/],
  ];
  for (const [what, make, audience, message] of refusals) {
    test(`${what} is refused`, async () => {
      const answer = await exchange(make(), audience);
      assert.equal(answer.status, 400);
      assert.match(`${answer.body.error}: ${answer.body.error_description}`, message);
    });
  }
});
