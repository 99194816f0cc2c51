import { ConfigError } from '../../core/errors/index.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';
import type { ConnectContext, KubeObject } from '../../core/managed/types.ts';
import { parseServiceAccountKey, type ServiceAccountKey } from './service-account-key.ts';

export const GCP_CONFIG_DEFAULTS = {
  /** Key of the service-account JSON in the Secret. */
  credentialsKey: 'credentials.json',
} as const;

/** GCP project ids: 6 to 30 characters, lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID_PATTERN = '^[a-z][a-z0-9-]{4,28}[a-z0-9]$';
const ENDPOINT_PATTERN = '^https?://[^\\s/]+(/.*)?$';

/** spec of `gcp.pledge.dev/v1 ProviderConfig`: the project, where the service-account key is, an optional endpoint. */
export const providerConfigSpec: JSONSchema = {
  type: 'object',
  description: 'How Pledge reaches Google Cloud: the project, a service-account key and an optional endpoint override.',
  required: ['projectId'],
  properties: {
    projectId: {
      type: 'string',
      pattern: PROJECT_ID_PATTERN,
      description: 'Project that new buckets are created in and that owns the buckets Pledge manages (e.g. my-project-123).',
    },
    credentialsSecretRef: {
      type: 'object',
      description:
        'The Secret key holding a service-account key file (JSON, type service_account). Required unless endpoint is set: ' +
        'without it, requests go unauthenticated, which only emulators accept.',
      required: ['name', 'namespace'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 253, description: 'Name of the Secret.' },
        namespace: { type: 'string', minLength: 1, maxLength: 63, description: 'Namespace of the Secret.' },
        key: {
          type: 'string',
          minLength: 1,
          maxLength: 253,
          pattern: '^[-._a-zA-Z0-9]+$',
          default: GCP_CONFIG_DEFAULTS.credentialsKey,
          description: 'Key of the service-account JSON in the Secret.',
        },
      },
    },
    endpoint: {
      type: 'string',
      pattern: ENDPOINT_PATTERN,
      description:
        'Base URL of the Cloud Storage JSON API (the part before /storage/v1), e.g. an emulator or cloudsim. With it set, ' +
        'the key\'s token_uri is used to obtain access tokens; without it, Google\'s.',
    },
  },
  'x-kubernetes-validations': [
    { rule: 'has(self.credentialsSecretRef) || has(self.endpoint)', message: 'spec.credentialsSecretRef is required unless spec.endpoint is set' },
  ],
};

/** The ProviderConfig spec after defaults and validation; no secret values yet. */
export interface GcpProviderConfigSpec {
  projectId: string;
  credentialsSecretRef?: { name: string; namespace: string; key: string };
  endpoint?: string;
}

/** What a GCS client needs, resolved from a ProviderConfig. Holds the private key: never log it. */
export interface GcpClientConfig {
  projectId: string;
  endpoint?: string;
  /** Undefined means unauthenticated requests (an emulator endpoint only). */
  key?: ServiceAccountKey;
  /** The Secret key the credentials came from, for messages. */
  keySource?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates and defaults a ProviderConfig's spec, throwing a ConfigError that names the field. */
export function parseProviderConfig(providerConfig: KubeObject): GcpProviderConfigSpec {
  const who = `ProviderConfig "${providerConfig.metadata?.name ?? '(unnamed)'}"`;
  const fail = (problem: string): never => {
    throw new ConfigError(`${who}: ${problem}`, { context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name } });
  };
  const optionalString = (value: unknown, path: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return fail(`${path} must be a string`);
    return value === '' ? undefined : value;
  };

  const spec = providerConfig.spec ?? {};
  if (!isRecord(spec)) return fail('spec must be an object');
  const projectId = optionalString(spec.projectId, 'spec.projectId') ?? fail('spec.projectId is required');
  if (!new RegExp(PROJECT_ID_PATTERN).test(projectId)) fail(`spec.projectId "${projectId}" is not a GCP project id (6 to 30 of a-z, 0-9, -)`);

  const endpoint = optionalString(spec.endpoint, 'spec.endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail('spec.endpoint must be an http:// or https:// URL');
  }

  const parsed: GcpProviderConfigSpec = { projectId, endpoint };
  const ref = spec.credentialsSecretRef;
  if (ref === undefined || ref === null) {
    if (endpoint === undefined) fail('spec.credentialsSecretRef is required unless spec.endpoint is set');
    return parsed;
  }
  if (!isRecord(ref)) return fail('spec.credentialsSecretRef must be an object');
  parsed.credentialsSecretRef = {
    name: optionalString(ref.name, 'spec.credentialsSecretRef.name') ?? fail('spec.credentialsSecretRef.name is required'),
    namespace: optionalString(ref.namespace, 'spec.credentialsSecretRef.namespace') ?? fail('spec.credentialsSecretRef.namespace is required'),
    key: optionalString(ref.key, 'spec.credentialsSecretRef.key') ?? GCP_CONFIG_DEFAULTS.credentialsKey,
  };
  return parsed;
}

/** Turns a ProviderConfig into GCS client settings, reading and parsing the service-account key it names. */
export async function resolveGcpConfig(
  providerConfig: KubeObject,
  readSecret: ConnectContext['readSecret'],
  signal: AbortSignal,
): Promise<GcpClientConfig> {
  const spec = parseProviderConfig(providerConfig);
  const config: GcpClientConfig = { projectId: spec.projectId, endpoint: spec.endpoint };
  const ref = spec.credentialsSecretRef;
  if (ref === undefined) return config;
  const where = `Secret ${ref.namespace}/${ref.name} key "${ref.key}" (spec.credentialsSecretRef)`;
  const json = await readSecret(ref, signal);
  config.key = parseServiceAccountKey(json, {
    where,
    allowCustomTokenUri: spec.endpoint !== undefined,
    context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name },
  });
  config.keySource = where;
  return config;
}
