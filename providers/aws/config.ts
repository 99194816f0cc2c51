import { ConfigError } from '../../core/errors/index.ts';
import type { ConnectContext, KubeObject } from '../../core/managed/types.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';

export const AWS_CONFIG_DEFAULTS = {
  credentialsSource: 'Environment',
  accessKeyIdKey: 'accessKeyId',
  secretAccessKeyKey: 'secretAccessKey',
} as const;

export const CREDENTIALS_SOURCES = ['Secret', 'Environment'] as const;
export type CredentialsSource = (typeof CREDENTIALS_SOURCES)[number];

const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]+$';
const SECRET_KEY_PATTERN = '^[-._a-zA-Z0-9]+$';

const secretKeyName = (description: string, fallback?: string): JSONSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: SECRET_KEY_PATTERN,
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
});

/** spec of `aws.pledge.dev/v1 ProviderConfig`: where credentials come from, the default region, an optional endpoint. */
export const providerConfigSpec: JSONSchema = {
  type: 'object',
  description: 'How Pledge reaches AWS: credentials, default region and an optional endpoint override.',
  properties: {
    region: {
      type: 'string',
      pattern: REGION_PATTERN,
      description: 'Default region for kinds whose forProvider leaves it unset (e.g. us-east-1).',
    },
    credentials: {
      type: 'object',
      description: 'Where the AWS credentials come from.',
      default: { source: AWS_CONFIG_DEFAULTS.credentialsSource },
      properties: {
        source: {
          type: 'string',
          enum: [...CREDENTIALS_SOURCES],
          default: AWS_CONFIG_DEFAULTS.credentialsSource,
          description:
            'Secret: an access key in a Kubernetes Secret. Environment: the SDK default chain of the Pledge process ' +
            '(AWS_* variables, web identity / IRSA, instance or pod role).',
        },
        secretRef: {
          type: 'object',
          description: 'The Secret holding the access key; required when source is Secret.',
          required: ['name', 'namespace'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 253, description: 'Name of the Secret.' },
            namespace: { type: 'string', minLength: 1, maxLength: 63, description: 'Namespace of the Secret.' },
            accessKeyIdKey: secretKeyName('Key of the access key id in the Secret.', AWS_CONFIG_DEFAULTS.accessKeyIdKey),
            secretAccessKeyKey: secretKeyName('Key of the secret access key in the Secret.', AWS_CONFIG_DEFAULTS.secretAccessKeyKey),
            sessionTokenKey: secretKeyName('Key of a session token in the Secret, for temporary credentials.'),
          },
        },
      },
      'x-kubernetes-validations': [
        { rule: "self.source != 'Secret' || has(self.secretRef)", message: 'spec.credentials.secretRef is required when source is Secret' },
      ],
    },
    endpoint: {
      type: 'string',
      pattern: '^https?://[^\\s/]+(/.*)?$',
      description: 'Override of the AWS endpoint URL (an emulator such as moto, or cloudsim).',
    },
    s3ForcePathStyle: {
      type: 'boolean',
      description: 'Address buckets as <endpoint>/<bucket> rather than <bucket>.<endpoint>; defaults to true when endpoint is set.',
    },
  },
};

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What an AWS SDK client needs, resolved from a ProviderConfig. Holds secrets: never log it. */
export interface AwsClientConfig {
  /** Default region; a kind's forProvider.region takes precedence. */
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  /** Undefined means the SDK's default credential chain (source Environment). */
  credentials?: StaticCredentials;
}

interface SecretRefSpec {
  name: string;
  namespace: string;
  accessKeyIdKey: string;
  secretAccessKeyKey: string;
  sessionTokenKey?: string;
}

/** The ProviderConfig spec after defaults and validation; no secret values yet. */
export interface AwsProviderConfigSpec {
  region?: string;
  source: CredentialsSource;
  secretRef?: SecretRefSpec;
  endpoint?: string;
  forcePathStyle: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates and defaults a ProviderConfig's spec, throwing a ConfigError that names the field. */
export function parseProviderConfig(providerConfig: KubeObject): AwsProviderConfigSpec {
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

  const region = optionalString(spec.region, 'spec.region');
  if (region !== undefined && !new RegExp(REGION_PATTERN).test(region)) {
    fail(`spec.region "${region}" is not an AWS region name (for example us-east-1)`);
  }

  const endpoint = optionalString(spec.endpoint, 'spec.endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      fail('spec.endpoint must be an http:// or https:// URL');
    }
  }
  const pathStyle = spec.s3ForcePathStyle;
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') fail('spec.s3ForcePathStyle must be true or false');

  const credentials = spec.credentials ?? {};
  if (!isRecord(credentials)) return fail('spec.credentials must be an object');
  const source = optionalString(credentials.source, 'spec.credentials.source') ?? AWS_CONFIG_DEFAULTS.credentialsSource;
  if (!CREDENTIALS_SOURCES.includes(source as CredentialsSource)) {
    fail(`spec.credentials.source must be one of ${CREDENTIALS_SOURCES.join(', ')}, not "${source}"`);
  }

  const parsed: AwsProviderConfigSpec = {
    region,
    source: source as CredentialsSource,
    endpoint,
    forcePathStyle: typeof pathStyle === 'boolean' ? pathStyle : endpoint !== undefined,
  };
  if (parsed.source !== 'Secret') return parsed;

  const ref = credentials.secretRef;
  if (ref === undefined || ref === null) return fail('spec.credentials.secretRef is required when source is Secret');
  if (!isRecord(ref)) return fail('spec.credentials.secretRef must be an object');
  const field = (key: string): string | undefined => optionalString(ref[key], `spec.credentials.secretRef.${key}`);
  const name = field('name') ?? fail('spec.credentials.secretRef.name is required when source is Secret');
  const namespace = field('namespace') ?? fail('spec.credentials.secretRef.namespace is required when source is Secret');
  parsed.secretRef = {
    name,
    namespace,
    accessKeyIdKey: field('accessKeyIdKey') ?? AWS_CONFIG_DEFAULTS.accessKeyIdKey,
    secretAccessKeyKey: field('secretAccessKeyKey') ?? AWS_CONFIG_DEFAULTS.secretAccessKeyKey,
    sessionTokenKey: field('sessionTokenKey'),
  };
  return parsed;
}

/**
 * Turns a ProviderConfig into AWS SDK client settings, reading the Secret it names. Secret values are
 * trimmed (files written with a trailing newline are common) and never appear in errors.
 */
export async function resolveAwsConfig(
  providerConfig: KubeObject,
  readSecret: ConnectContext['readSecret'],
  signal: AbortSignal,
): Promise<AwsClientConfig> {
  const spec = parseProviderConfig(providerConfig);
  const config: AwsClientConfig = { region: spec.region, endpoint: spec.endpoint, forcePathStyle: spec.forcePathStyle };
  const ref = spec.secretRef;
  if (spec.source !== 'Secret' || ref === undefined) return config;

  const read = async (key: string, path: string): Promise<string> => {
    const value = (await readSecret({ name: ref.name, namespace: ref.namespace, key }, signal)).trim();
    if (value === '') {
      throw new ConfigError(`Secret ${ref.namespace}/${ref.name} key "${key}" (${path}) is empty`, {
        context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name },
      });
    }
    return value;
  };
  const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
    read(ref.accessKeyIdKey, 'spec.credentials.secretRef.accessKeyIdKey'),
    read(ref.secretAccessKeyKey, 'spec.credentials.secretRef.secretAccessKeyKey'),
    ref.sessionTokenKey === undefined ? undefined : read(ref.sessionTokenKey, 'spec.credentials.secretRef.sessionTokenKey'),
  ]);
  config.credentials = sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
  return config;
}
