// A Crossplane (Upbound) ProviderConfig as Pledge's: credentials sources mapped where Pledge has them, the rest reported.
import { GROUP, VERSION } from '../types.ts';
import type { Unconverted } from './managed.ts';
import { isObject, userMetadata, type Converted, type JsonObject } from './objects.ts';

export const CLOUD_OF: Record<string, string> = { 'aws.upbound.io': 'aws', 'azure.upbound.io': 'azure', 'gcp.upbound.io': 'gcp' };

export function convertProviderConfig(doc: JsonObject, cloud: string): Converted {
  const spec = isObject(doc.spec) ? doc.spec : {};
  const creds = isObject(spec.credentials) ? spec.credentials : {};
  const secretRef = isObject(creds.secretRef) ? creds.secretRef : undefined;
  const unconverted: Unconverted[] = [];
  const out: JsonObject = {};
  const handled = new Set(['credentials']);
  for (const key of Object.keys(creds)) {
    if (key !== 'source' && key !== 'secretRef') unconverted.push({ path: `spec.credentials.${key}`, reason: 'no counterpart in Pledge' });
  }
  if (cloud === 'aws') {
    if (creds.source === 'Secret' && secretRef) {
      out.credentials = { source: 'Secret', secretRef: { name: secretRef.name, namespace: secretRef.namespace } };
      unconverted.push({
        path: 'spec.credentials.secretRef.key',
        reason: `the Secret holds an AWS credentials file under "${String(secretRef.key)}"; Pledge reads the keys accessKeyId and secretAccessKey (store them there, or set accessKeyIdKey/secretAccessKeyKey)`,
      });
    } else if (creds.source === 'IRSA') out.credentials = { source: 'Environment' };
    else unconverted.push({ path: 'spec.credentials.source', reason: `credentials source ${String(creds.source)} has no Pledge counterpart (Secret, IRSA)` });
  } else if (cloud === 'gcp') {
    handled.add('projectID');
    if (spec.projectID !== undefined) out.projectId = spec.projectID;
    if (creds.source === 'Secret' && secretRef) {
      out.credentials = { source: 'Secret' };
      out.credentialsSecretRef = { name: secretRef.name, namespace: secretRef.namespace, ...(secretRef.key === undefined ? {} : { key: secretRef.key }) };
    } else unconverted.push({ path: 'spec.credentials.source', reason: `credentials source ${String(creds.source)} has no Pledge counterpart (Secret)` });
  } else {
    for (const [from, to] of [['tenantID', 'tenantId'], ['clientID', 'clientId'], ['subscriptionID', 'subscriptionId']] as const) {
      handled.add(from);
      if (spec[from] !== undefined) out[to] = spec[from];
    }
    if (creds.source === 'Secret' && secretRef) {
      out.clientSecretSecretRef = { name: secretRef.name, namespace: secretRef.namespace };
      unconverted.push({
        path: 'spec.credentials.secretRef.key',
        reason: `the Secret holds a JSON credentials file under "${String(secretRef.key)}"; Pledge takes tenantId, clientId and subscriptionId in the spec and the client secret alone in the Secret`,
      });
    } else unconverted.push({ path: 'spec.credentials.source', reason: `credentials source ${String(creds.source)} has no Pledge counterpart (Secret)` });
  }
  for (const key of Object.keys(spec)) if (!handled.has(key)) unconverted.push({ path: `spec.${key}`, reason: "Pledge's ProviderConfig has no such field" });
  return { object: { apiVersion: `${cloud}.${GROUP}/${VERSION}`, kind: 'ProviderConfig', metadata: userMetadata(doc.metadata), spec: out }, unconverted };
}
