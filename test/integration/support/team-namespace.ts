import { testEnv } from '../../env/index.ts';
import { TEST_CREDENTIALS } from '../harness.ts';

/**
 * A team's namespace as Crossplane v2's model has it: the Namespace, the team's AWS credentials in a Secret there,
 * and a namespaced ProviderConfig (aws.m.pledge.dev) pointing at moto that reads them (its Secret reference is local).
 */
export function teamNamespaceYaml(namespace: string, providerConfig = 'team'): string {
  return `
apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: v1
kind: Secret
metadata: {name: aws-creds, namespace: ${namespace}}
stringData: {accessKeyId: ${TEST_CREDENTIALS.accessKeyId}, secretAccessKey: ${TEST_CREDENTIALS.secretAccessKey}}
---
apiVersion: aws.m.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${providerConfig}, namespace: ${namespace}}
spec:
  region: us-east-1
  endpoint: ${testEnv().motoUrl}
  credentials: {source: Secret, secretRef: {name: aws-creds}}
`;
}
