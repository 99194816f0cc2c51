import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError, type ErrorContext } from '../../core/errors/index.ts';

/** Google's OAuth 2.0 token endpoint: what a service-account key names in token_uri. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** A parsed service-account key. Holds the private key: never log it. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: KeyObject;
  privateKeyId?: string;
  projectId?: string;
  /** Where access tokens are exchanged for a signed assertion. */
  tokenUri: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Parses the JSON of a service-account key (what `gcloud iam service-accounts keys create` writes).
 * `where` names the Secret key it came from. Errors name the missing field, never a value from the key.
 *
 * token_uri is honoured only when `allowCustomTokenUri` (the ProviderConfig points at another endpoint, such as
 * cloudsim): against Google a key may only send its signed assertion to Google's own token endpoint.
 */
export function parseServiceAccountKey(
  json: string,
  options: { where: string; allowCustomTokenUri: boolean; context?: ErrorContext },
): ServiceAccountKey {
  const fail = (problem: string): never => {
    throw new ConfigError(`${options.where}: ${problem}`, { context: options.context });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return fail('is not JSON: expected a service-account key file (type "service_account")');
  }
  if (!isRecord(parsed)) return fail('is not a JSON object: expected a service-account key file');
  if (parsed.type !== 'service_account') {
    return fail(`has type ${JSON.stringify(typeof parsed.type === 'string' ? parsed.type : null)}: only "service_account" keys are supported`);
  }
  const clientEmail = optionalText(parsed.client_email) ?? fail('has no client_email');
  const pem = optionalText(parsed.private_key) ?? fail('has no private_key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    return fail('has a private_key that is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') fail('has a private_key that is not an RSA key');

  const tokenUri = optionalText(parsed.token_uri) ?? GOOGLE_TOKEN_URI;
  let url: URL | undefined;
  try {
    url = new URL(tokenUri);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail('has a token_uri that is not an http(s) URL');
  if (!options.allowCustomTokenUri && tokenUri !== GOOGLE_TOKEN_URI) {
    fail(`has token_uri ${tokenUri}: without spec.endpoint only ${GOOGLE_TOKEN_URI} is used`);
  }
  return {
    clientEmail,
    privateKey,
    privateKeyId: optionalText(parsed.private_key_id),
    projectId: optionalText(parsed.project_id),
    tokenUri,
  };
}
