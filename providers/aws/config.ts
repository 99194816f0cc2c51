import { ConfigError } from '../../core/errors/index.ts';
import type { ConnectContext, KubeObject } from '../../core/managed/types.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';

export const AWS_CONFIG_DEFAULTS = {
  credentialsSource: 'Environment',
  accessKeyIdKey: 'accessKeyId',
  secretAccessKeyKey: 'secretAccessKey',
  /** What EKS's pod identity webhook (IRSA) sets in the pod; the WebIdentity source reads them when its fields are unset. */
  roleArnEnv: 'AWS_ROLE_ARN',
  tokenFileEnv: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  roleSessionName: 'pledge',
} as const;

export const CREDENTIALS_SOURCES = ['Secret', 'Environment', 'WebIdentity'] as const;
export type CredentialsSource = (typeof CREDENTIALS_SOURCES)[number];

const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]+$';
const ROLE_ARN_PATTERN = '^arn:aws[-a-z]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$';
const SESSION_NAME_PATTERN = '^[\\w+=,.@-]{2,64}$';
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
            '(AWS_* variables, web identity / IRSA, instance or pod role). WebIdentity: a role assumed with ' +
            'AssumeRoleWithWebIdentity, trading a projected ServiceAccount token (a file) for temporary credentials: no key stored.',
        },
        webIdentity: {
          type: 'object',
          description:
            `The role and token file of source WebIdentity. Unset fields come from ${AWS_CONFIG_DEFAULTS.roleArnEnv} and ` +
            `${AWS_CONFIG_DEFAULTS.tokenFileEnv} of the Pledge process, which IRSA sets from the ServiceAccount annotation eks.amazonaws.com/role-arn.`,
          properties: {
            roleArn: { type: 'string', maxLength: 2048, pattern: ROLE_ARN_PATTERN, description: 'The IAM role to assume (arn:aws:iam::<account>:role/<name>).' },
            tokenFile: {
              type: 'string',
              minLength: 2,
              maxLength: 4096,
              pattern: '^/',
              description: 'Absolute path of the OIDC token file (a projected ServiceAccount token); read again for every AssumeRoleWithWebIdentity call.',
            },
            roleSessionName: {
              type: 'string',
              pattern: SESSION_NAME_PATTERN,
              default: AWS_CONFIG_DEFAULTS.roleSessionName,
              description: 'Session name, seen in CloudTrail as the assumed role session.',
            },
          },
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
        { rule: "self.source == 'WebIdentity' || !has(self.webIdentity)", message: 'spec.credentials.webIdentity is only used when source is WebIdentity' },
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
  /** Undefined (and no webIdentity) means the SDK's default credential chain (source Environment). */
  credentials?: StaticCredentials;
  /** Source WebIdentity: temporary credentials from AssumeRoleWithWebIdentity at the STS of `endpoint`/`region`. */
  webIdentity?: WebIdentitySettings;
}

/** A role to assume with a web identity token. No secret: the token is read from the file when needed. */
export interface WebIdentitySettings {
  roleArn: string;
  tokenFile: string;
  roleSessionName: string;
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
  /** As written; environment defaults are applied by resolveAwsConfig. */
  webIdentity?: Partial<WebIdentitySettings>;
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
  if (parsed.source === 'WebIdentity') {
    const web = credentials.webIdentity ?? {};
    if (!isRecord(web)) return fail('spec.credentials.webIdentity must be an object');
    const roleArn = optionalString(web.roleArn, 'spec.credentials.webIdentity.roleArn');
    if (roleArn !== undefined && !new RegExp(ROLE_ARN_PATTERN).test(roleArn)) {
      fail(`spec.credentials.webIdentity.roleArn "${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    }
    const tokenFile = optionalString(web.tokenFile, 'spec.credentials.webIdentity.tokenFile');
    if (tokenFile !== undefined && !tokenFile.startsWith('/')) fail('spec.credentials.webIdentity.tokenFile must be an absolute path');
    const roleSessionName = optionalString(web.roleSessionName, 'spec.credentials.webIdentity.roleSessionName');
    if (roleSessionName !== undefined && !new RegExp(SESSION_NAME_PATTERN).test(roleSessionName)) {
      fail('spec.credentials.webIdentity.roleSessionName must be 2 to 64 of letters, digits and +=,.@_-');
    }
    parsed.webIdentity = { roleArn, tokenFile, roleSessionName };
    return parsed;
  }
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
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsClientConfig> {
  const spec = parseProviderConfig(providerConfig);
  const config: AwsClientConfig = { region: spec.region, endpoint: spec.endpoint, forcePathStyle: spec.forcePathStyle };
  if (spec.source === 'WebIdentity') {
    config.webIdentity = webIdentityOf(providerConfig, spec.webIdentity ?? {}, env);
    return config;
  }
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

/** The WebIdentity settings with IRSA's environment filling what the ProviderConfig leaves unset. */
function webIdentityOf(providerConfig: KubeObject, web: Partial<WebIdentitySettings>, env: NodeJS.ProcessEnv): WebIdentitySettings {
  const missing = (field: string, variable: string): never => {
    throw new ConfigError(
      `ProviderConfig "${providerConfig.metadata?.name ?? '(unnamed)'}": spec.credentials.webIdentity.${field} is unset and ${variable} is not set ` +
        'in the controller\'s environment (IRSA sets it when the ServiceAccount is annotated with eks.amazonaws.com/role-arn)',
      { context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name } },
    );
  };
  const fromEnv = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return {
    roleArn: web.roleArn ?? fromEnv(AWS_CONFIG_DEFAULTS.roleArnEnv) ?? missing('roleArn', AWS_CONFIG_DEFAULTS.roleArnEnv),
    tokenFile: web.tokenFile ?? fromEnv(AWS_CONFIG_DEFAULTS.tokenFileEnv) ?? missing('tokenFile', AWS_CONFIG_DEFAULTS.tokenFileEnv),
    roleSessionName: web.roleSessionName ?? AWS_CONFIG_DEFAULTS.roleSessionName,
  };
}
