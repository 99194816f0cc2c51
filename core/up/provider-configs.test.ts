import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envProviderConfigs } from './provider-configs.ts';

const kinds = (objects: { apiVersion: string; kind: string }[]) => objects.map((o) => `${o.kind}.${o.apiVersion}`);

test('--clouds-from-env with no cloud variables: AWS through the SDK chain only, Azure and GCP skipped saying which variables', () => {
  const out = envProviderConfigs({}, () => assert.fail('no key file to read'));
  assert.deepEqual(out.configured, ['aws']);
  assert.match(out.skipped.join(' '), /AZURE_TENANT_ID.*GOOGLE_CLOUD_PROJECT/);
  assert.deepEqual(kinds(out.objects), ['Namespace.v1', 'ProviderConfig.aws.pledge.dev/v1', 'ClusterProviderConfig.aws.m.pledge.dev/v1']);
  assert.deepEqual(out.objects[1]?.spec, { region: 'us-east-1', credentials: { source: 'Environment' } });
});

test('--clouds-from-env with Azure and GCP variables: secrets go into Secrets the ProviderConfigs reference, never into a spec', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_SUBSCRIPTION_ID: 's', AZURE_CLIENT_SECRET: 'azure-secret-value',
    GOOGLE_CLOUD_PROJECT: 'p', GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json',
  };
  const out = envProviderConfigs(env, (path) => (path === '/keys/sa.json' ? '{"type":"service_account","private_key":"gcp-secret-value"}' : assert.fail(path)));
  assert.deepEqual(out.configured, ['aws', 'azure', 'gcp']);
  const specs = JSON.stringify(out.objects.filter((o) => o.kind !== 'Secret'));
  assert.doesNotMatch(specs, /azure-secret-value|gcp-secret-value/);
  const secrets = JSON.stringify(out.objects.filter((o) => o.kind === 'Secret'));
  assert.match(secrets, /azure-secret-value/);
  assert.match(secrets, /gcp-secret-value/);
  assert.match(specs, /"region":"eu-west-1"/);
  assert.match(specs, /"clientSecretSecretRef":\{"name":"azure-credentials","namespace":"pledge-system","key":"clientSecret"\}/);
});
