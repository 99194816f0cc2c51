import { ConfigError } from '../../core/errors/index.ts';
import type { ConnectContext, KubeObject } from '../../core/managed/types.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';

export const AZURE_CONFIG_DEFAULTS = {
  /** Azure Resource Manager of the public cloud. */
  endpoint: 'https://management.azure.com',
  /** Microsoft Entra ID of the public cloud. */
  authorityHost: 'https://login.microsoftonline.com',
  credentialsSource: 'Secret',
  /** What the Azure Workload Identity webhook sets in a pod whose ServiceAccount is labelled azure.workload.identity/use. */
  tokenFileEnv: 'AZURE_FEDERATED_TOKEN_FILE',
} as const;

export const CREDENTIALS_SOURCES = ['Secret', 'WorkloadIdentity'] as const;
export type CredentialsSource = (typeof CREDENTIALS_SOURCES)[number];

/** A tenant is a GUID or a verified domain (contoso.onmicrosoft.com). */
const TENANT_PATTERN = '^[A-Za-z0-9][-A-Za-z0-9.]*$';
const HTTPS_URL_PATTERN = '^https://[^\\s/]+(/.*)?$';
const SECRET_KEY_PATTERN = '^[-._a-zA-Z0-9]+$';

const httpsUrl = (description: string, fallback: string): JSONSchema => ({
  type: 'string',
  pattern: HTTPS_URL_PATTERN,
  default: fallback,
  description,
});

/**
 * spec of `azure.pledge.dev/v1 ProviderConfig`: an application (service principal) in one tenant, one subscription, signing
 * in with a client secret or, keyless, with a federated token (workload identity).
 */
export const providerConfigSpec: JSONSchema = {
  type: 'object',
  description:
    'How Pledge reaches Azure: an application (service principal) signing in with a client secret or with workload identity, ' +
    'the subscription, and optional endpoint overrides.',
  required: ['tenantId', 'clientId', 'subscriptionId'],
  'x-kubernetes-validations': [
    {
      rule: "(has(self.credentials) && self.credentials.source != 'Secret') || has(self.clientSecretSecretRef)",
      message: 'spec.clientSecretSecretRef is required unless spec.credentials.source is WorkloadIdentity',
    },
  ],
  properties: {
    tenantId: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      pattern: TENANT_PATTERN,
      description: 'Microsoft Entra tenant (directory) id of the service principal, a GUID or a verified domain.',
    },
    clientId: { type: 'string', minLength: 1, maxLength: 256, description: 'Application (client) id of the service principal.' },
    credentials: {
      type: 'object',
      description: 'How the application signs in.',
      properties: {
        source: {
          type: 'string',
          enum: [...CREDENTIALS_SOURCES],
          default: AZURE_CONFIG_DEFAULTS.credentialsSource,
          description:
            'Secret: the client secret in clientSecretSecretRef. WorkloadIdentity: a projected ServiceAccount token (a file) sent to ' +
            'Microsoft Entra as a client assertion, trusted through a federated identity credential of the application: no key stored.',
        },
        tokenFile: {
          type: 'string',
          minLength: 2,
          maxLength: 4096,
          pattern: '^/',
          description:
            `Absolute path of the federated token file of source WorkloadIdentity; defaults to ${AZURE_CONFIG_DEFAULTS.tokenFileEnv} of the ` +
            'Pledge process, which the Azure Workload Identity webhook sets. Read again at least every 5 minutes.',
        },
      },
      'x-kubernetes-validations': [
        { rule: "self.source == 'WorkloadIdentity' || !has(self.tokenFile)", message: 'spec.credentials.tokenFile is only used when source is WorkloadIdentity' },
      ],
    },
    clientSecretSecretRef: {
      type: 'object',
      description: 'The Kubernetes Secret key holding the client secret; required when credentials.source is Secret (the default).',
      required: ['name', 'namespace', 'key'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 253, description: 'Name of the Secret.' },
        namespace: { type: 'string', minLength: 1, maxLength: 63, description: 'Namespace of the Secret.' },
        key: { type: 'string', minLength: 1, maxLength: 253, pattern: SECRET_KEY_PATTERN, description: 'Key of the client secret in the Secret.' },
      },
    },
    subscriptionId: { type: 'string', minLength: 1, maxLength: 64, description: 'Subscription the managed resources live in.' },
    endpoint: httpsUrl('Azure Resource Manager endpoint; the token scope is <endpoint>/.default.', AZURE_CONFIG_DEFAULTS.endpoint),
    authorityHost: httpsUrl('Microsoft Entra authority host that issues tokens.', AZURE_CONFIG_DEFAULTS.authorityHost),
  },
};

/** What the Azure SDK clients need, resolved from a ProviderConfig. Holds the client secret: never log it. */
export interface AzureClientConfig {
  tenantId: string;
  clientId: string;
  /** Source Secret. */
  clientSecret?: string;
  /** Source WorkloadIdentity: the federated token file, read by the credential itself. */
  tokenFile?: string;
  subscriptionId: string;
  /** Without a trailing slash. */
  endpoint: string;
  /** Without a trailing slash. */
  authorityHost: string;
}

/** The ProviderConfig spec after defaults and validation; no secret value yet. */
export interface AzureProviderConfigSpec {
  tenantId: string;
  clientId: string;
  source: CredentialsSource;
  /** Source Secret only. */
  clientSecretSecretRef?: { name: string; namespace: string; key: string };
  /** As written; the environment default is applied by resolveAzureConfig. */
  tokenFile?: string;
  subscriptionId: string;
  endpoint: string;
  authorityHost: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates and defaults a ProviderConfig's spec, throwing a ConfigError that names the field. */
export function parseProviderConfig(providerConfig: KubeObject): AzureProviderConfigSpec {
  const who = `ProviderConfig "${providerConfig.metadata?.name ?? '(unnamed)'}"`;
  const fail = (problem: string): never => {
    throw new ConfigError(`${who}: ${problem}`, { context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name } });
  };
  const text = (value: unknown, path: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return fail(`${path} must be a string`);
    return value.trim() === '' ? undefined : value.trim();
  };
  const required = (value: unknown, path: string): string => text(value, path) ?? fail(`${path} is required`);
  const url = (value: unknown, path: string, fallback: string): string => {
    const raw = text(value, path) ?? fallback;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed.protocol !== 'https:') fail(`${path} must be an https:// URL, not "${raw}"`);
    return raw.replace(/\/+$/, '');
  };

  const spec = providerConfig.spec ?? {};
  if (!isRecord(spec)) return fail('spec must be an object');
  const tenantId = required(spec.tenantId, 'spec.tenantId');
  if (!new RegExp(TENANT_PATTERN).test(tenantId)) fail(`spec.tenantId "${tenantId}" is not a tenant id or domain`);
  const credentials = spec.credentials ?? {};
  if (!isRecord(credentials)) return fail('spec.credentials must be an object');
  const source = text(credentials.source, 'spec.credentials.source') ?? AZURE_CONFIG_DEFAULTS.credentialsSource;
  if (!CREDENTIALS_SOURCES.includes(source as CredentialsSource)) {
    fail(`spec.credentials.source must be one of ${CREDENTIALS_SOURCES.join(', ')}, not "${source}"`);
  }
  const parsed: AzureProviderConfigSpec = {
    tenantId,
    clientId: required(spec.clientId, 'spec.clientId'),
    source: source as CredentialsSource,
    subscriptionId: required(spec.subscriptionId, 'spec.subscriptionId'),
    endpoint: url(spec.endpoint, 'spec.endpoint', AZURE_CONFIG_DEFAULTS.endpoint),
    authorityHost: url(spec.authorityHost, 'spec.authorityHost', AZURE_CONFIG_DEFAULTS.authorityHost),
  };
  if (parsed.source === 'WorkloadIdentity') {
    const tokenFile = text(credentials.tokenFile, 'spec.credentials.tokenFile');
    if (tokenFile !== undefined && !tokenFile.startsWith('/')) fail('spec.credentials.tokenFile must be an absolute path');
    parsed.tokenFile = tokenFile;
    return parsed;
  }
  const ref = spec.clientSecretSecretRef;
  if (ref === undefined || ref === null) return fail('spec.clientSecretSecretRef is required unless spec.credentials.source is WorkloadIdentity');
  if (!isRecord(ref)) return fail('spec.clientSecretSecretRef must be an object');
  parsed.clientSecretSecretRef = {
    name: required(ref.name, 'spec.clientSecretSecretRef.name'),
    namespace: required(ref.namespace, 'spec.clientSecretSecretRef.namespace'),
    key: required(ref.key, 'spec.clientSecretSecretRef.key'),
  };
  return parsed;
}

/**
 * Turns a ProviderConfig into Azure client settings, reading the client secret from its Secret. The value
 * is trimmed (files written with a trailing newline are common) and never appears in errors.
 */
export async function resolveAzureConfig(
  providerConfig: KubeObject,
  readSecret: ConnectContext['readSecret'],
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AzureClientConfig> {
  const spec = parseProviderConfig(providerConfig);
  const { clientSecretSecretRef: ref, source: _source, tokenFile: _tokenFile, ...rest } = spec;
  if (spec.source === 'WorkloadIdentity') {
    const tokenFile = spec.tokenFile ?? (env[AZURE_CONFIG_DEFAULTS.tokenFileEnv] || undefined);
    if (tokenFile === undefined) {
      throw new ConfigError(
        `ProviderConfig "${providerConfig.metadata?.name ?? '(unnamed)'}": spec.credentials.tokenFile is unset and ${AZURE_CONFIG_DEFAULTS.tokenFileEnv} is not set ` +
          "in the controller's environment (the Azure Workload Identity webhook sets it when the ServiceAccount is labelled azure.workload.identity/use)",
        { context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name } },
      );
    }
    return { ...rest, tokenFile };
  }
  if (ref === undefined) throw new ConfigError('spec.clientSecretSecretRef is required unless spec.credentials.source is WorkloadIdentity');
  const clientSecret = (await readSecret(ref, signal)).trim();
  if (clientSecret === '') {
    throw new ConfigError(`Secret ${ref.namespace}/${ref.name} key "${ref.key}" (spec.clientSecretSecretRef) is empty`, {
      context: { kind: 'ProviderConfig', name: providerConfig.metadata?.name },
    });
  }
  return { ...rest, clientSecret };
}
