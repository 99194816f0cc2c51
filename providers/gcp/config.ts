import { ConfigError } from '../../core/errors/index.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';
import type { ConnectContext, KubeObject } from '../../core/managed/types.ts';
import { parseServiceAccountKey, type ServiceAccountKey } from './service-account-key.ts';

export const GCP_CONFIG_DEFAULTS = {
  /** Key of the service-account JSON in the Secret. */
  credentialsKey: 'credentials.json',
  credentialsSource: 'Secret',
  /** Google's Security Token Service: where external_account credentials trade the subject token. */
  stsTokenUrl: 'https://sts.googleapis.com/v1/token',
  /** What generateAccessToken URLs start with when not pointed elsewhere. */
  iamCredentialsUrl: 'https://iamcredentials.googleapis.com/',
  subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

export const CREDENTIALS_SOURCES = ['Secret', 'ExternalAccount'] as const;
export type CredentialsSource = (typeof CREDENTIALS_SOURCES)[number];
const SUBJECT_TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'];
const PROVIDER_AUDIENCE_PATTERN = '^//iam\\.googleapis\\.com/projects/[0-9]+/locations/global/workloadIdentityPools/[-a-z0-9]+/providers/[-a-z0-9]+$';
const IMPERSONATION_PATTERN = '^https?://[^\\s/]+/v1/projects/-/serviceAccounts/[^/:]+:generateAccessToken$';

/** GCP project ids: 6 to 30 characters, lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID_PATTERN = '^[a-z][a-z0-9-]{4,28}[a-z0-9]$';
const ENDPOINT_PATTERN = '^https?://[^\\s/]+(/.*)?$';

/** spec of `gcp.pledge.dev/v1 ProviderConfig`: the project, the credentials (a key in a Secret, or keyless), an optional endpoint. */
export const providerConfigSpec: JSONSchema = {
  type: 'object',
  description:
    'How Pledge reaches Google Cloud: the project, a service-account key or workload identity federation (no key), and an optional endpoint override.',
  required: ['projectId'],
  properties: {
    projectId: {
      type: 'string',
      pattern: PROJECT_ID_PATTERN,
      description: 'Project that new buckets are created in and that owns the buckets Pledge manages (e.g. my-project-123).',
    },
    credentials: {
      type: 'object',
      description: 'Where the credentials come from.',
      properties: {
        source: {
          type: 'string',
          enum: [...CREDENTIALS_SOURCES],
          default: GCP_CONFIG_DEFAULTS.credentialsSource,
          description:
            'Secret: a service-account key in credentialsSecretRef. ExternalAccount: workload identity federation, the ' +
            'external_account credential configuration in externalAccount: a projected ServiceAccount token (a file) is ' +
            'exchanged at the Security Token Service for a federated access token: no key stored.',
        },
        externalAccount: {
          type: 'object',
          description:
            'The external_account credential configuration (what `gcloud iam workload-identity-pools create-cred-config` writes), ' +
            'field by field: it holds no secret, so it lives here rather than in a Secret.',
          required: ['audience', 'credentialSource'],
          properties: {
            audience: {
              type: 'string',
              pattern: PROVIDER_AUDIENCE_PATTERN,
              description: 'The workload identity pool provider: //iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>.',
            },
            subjectTokenType: {
              type: 'string',
              enum: SUBJECT_TOKEN_TYPES,
              default: GCP_CONFIG_DEFAULTS.subjectTokenType,
              description: 'subject_token_type: the file holds an OIDC token (a JWT).',
            },
            tokenUrl: {
              type: 'string',
              pattern: ENDPOINT_PATTERN,
              default: GCP_CONFIG_DEFAULTS.stsTokenUrl,
              description: 'token_url: the Security Token Service. Another URL than Google\'s only with spec.endpoint set.',
            },
            serviceAccountImpersonationUrl: {
              type: 'string',
              pattern: IMPERSONATION_PATTERN,
              description:
                'service_account_impersonation_url: act as this service account (generateAccessToken) rather than as the federated ' +
                'principal. Unset: the federated token is used directly, and the principal needs the bucket permissions itself.',
            },
            credentialSource: {
              type: 'object',
              required: ['file'],
              description: 'credential_source: where the subject token is read.',
              properties: {
                file: { type: 'string', minLength: 2, maxLength: 4096, pattern: '^/', description: 'Absolute path of the token file (a projected ServiceAccount token), read for every exchange.' },
              },
            },
          },
        },
      },
      'x-kubernetes-validations': [
        { rule: "self.source != 'ExternalAccount' || has(self.externalAccount)", message: 'spec.credentials.externalAccount is required when source is ExternalAccount' },
        { rule: "self.source == 'ExternalAccount' || !has(self.externalAccount)", message: 'spec.credentials.externalAccount is only used when source is ExternalAccount' },
      ],
    },
    credentialsSecretRef: {
      type: 'object',
      description:
        'The Secret key holding a service-account key file (JSON, type service_account), for credentials source Secret. Required ' +
        'unless endpoint is set or the source is ExternalAccount: without it, requests go unauthenticated, which only emulators accept.',
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
    {
      rule: "has(self.credentialsSecretRef) || has(self.endpoint) || (has(self.credentials) && self.credentials.source == 'ExternalAccount')",
      message: 'spec.credentialsSecretRef is required unless spec.endpoint is set or spec.credentials.source is ExternalAccount',
    },
  ],
};

/** Workload identity federation settings: nothing secret; the subject token is read from the file when needed. */
export interface ExternalAccountSettings {
  audience: string;
  subjectTokenType: string;
  tokenUrl: string;
  tokenFile: string;
  serviceAccountImpersonationUrl?: string;
}

/** The ProviderConfig spec after defaults and validation; no secret values yet. */
export interface GcpProviderConfigSpec {
  projectId: string;
  source: CredentialsSource;
  credentialsSecretRef?: { name: string; namespace: string; key: string };
  externalAccount?: ExternalAccountSettings;
  endpoint?: string;
}

/** What a GCS client needs, resolved from a ProviderConfig. Holds the private key: never log it. */
export interface GcpClientConfig {
  projectId: string;
  endpoint?: string;
  /** Neither key nor externalAccount means unauthenticated requests (an emulator endpoint only). */
  key?: ServiceAccountKey;
  /** Source ExternalAccount. */
  externalAccount?: ExternalAccountSettings;
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

  const credentials = spec.credentials ?? {};
  if (!isRecord(credentials)) return fail('spec.credentials must be an object');
  const source = optionalString(credentials.source, 'spec.credentials.source') ?? GCP_CONFIG_DEFAULTS.credentialsSource;
  if (!CREDENTIALS_SOURCES.includes(source as CredentialsSource)) fail(`spec.credentials.source must be one of ${CREDENTIALS_SOURCES.join(', ')}, not "${source}"`);
  const parsed: GcpProviderConfigSpec = { projectId, source: source as CredentialsSource, endpoint };
  if (parsed.source === 'ExternalAccount') {
    parsed.externalAccount = parseExternalAccount(credentials.externalAccount, endpoint !== undefined, fail);
    return parsed;
  }
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
  if (spec.externalAccount !== undefined) {
    config.externalAccount = spec.externalAccount;
    return config;
  }
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

/**
 * Reads spec.credentials.externalAccount. Against Google (no spec.endpoint) the subject token may only go to Google's
 * STS and IAM Credentials, as a key's assertion may only go to Google's token endpoint.
 */
function parseExternalAccount(value: unknown, customEndpoint: boolean, fail: (problem: string) => never): ExternalAccountSettings {
  const where = 'spec.credentials.externalAccount';
  if (value === undefined || value === null) return fail(`${where} is required when source is ExternalAccount`);
  if (!isRecord(value)) return fail(`${where} must be an object`);
  const field = (name: string): string | undefined => {
    const v = value[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return fail(`${where}.${name} must be a string`);
    return v;
  };
  const audience = field('audience') ?? fail(`${where}.audience is required`);
  if (!new RegExp(PROVIDER_AUDIENCE_PATTERN).test(audience)) {
    fail(`${where}.audience must name a workload identity pool provider (//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>)`);
  }
  const subjectTokenType = field('subjectTokenType') ?? GCP_CONFIG_DEFAULTS.subjectTokenType;
  if (!SUBJECT_TOKEN_TYPES.includes(subjectTokenType)) fail(`${where}.subjectTokenType must be one of ${SUBJECT_TOKEN_TYPES.join(', ')}`);
  const tokenUrl = field('tokenUrl') ?? GCP_CONFIG_DEFAULTS.stsTokenUrl;
  if (!/^https?:\/\/[^\s/]+(\/.*)?$/.test(tokenUrl)) fail(`${where}.tokenUrl must be an http(s) URL`);
  if (!customEndpoint && tokenUrl !== GCP_CONFIG_DEFAULTS.stsTokenUrl) fail(`${where}.tokenUrl: without spec.endpoint only ${GCP_CONFIG_DEFAULTS.stsTokenUrl} is used`);
  const impersonation = field('serviceAccountImpersonationUrl');
  if (impersonation !== undefined) {
    if (!new RegExp(IMPERSONATION_PATTERN).test(impersonation)) fail(`${where}.serviceAccountImpersonationUrl must be a …/v1/projects/-/serviceAccounts/<email>:generateAccessToken URL`);
    if (!customEndpoint && !impersonation.startsWith(GCP_CONFIG_DEFAULTS.iamCredentialsUrl)) {
      fail(`${where}.serviceAccountImpersonationUrl: without spec.endpoint only ${GCP_CONFIG_DEFAULTS.iamCredentialsUrl} is used`);
    }
  }
  const source = value.credentialSource;
  if (!isRecord(source)) return fail(`${where}.credentialSource.file is required`);
  const file = source.file;
  if (typeof file !== 'string' || file === '') return fail(`${where}.credentialSource.file is required`);
  if (!file.startsWith('/')) fail(`${where}.credentialSource.file must be an absolute path`);
  return { audience, subjectTokenType, tokenUrl, tokenFile: file, ...(impersonation === undefined ? {} : { serviceAccountImpersonationUrl: impersonation }) };
}
