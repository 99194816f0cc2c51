/** The identities cloudsim accepts: Entra ID applications (client secret) and Google service accounts (RSA key). */
import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const makeKeyPair = promisify(generateKeyPair);

/** An Entra ID application and the subscription it may manage. */
export type AzureIdentity = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
};

/** A Google service account; cloudsim keeps the key to check the assertions it signs. */
export type GcpServiceAccount = {
  projectId: string;
  clientEmail: string;
  clientId: string;
  privateKeyId: string;
  /** PKCS#8 PEM. */
  privateKey: string;
};

export type Identities = { azure: AzureIdentity[]; gcp: GcpServiceAccount[] };

export const IDENTITY_DEFAULTS = {
  gcpProjectId: 'cloudsim-project',
  gcpServiceAccount: 'pledge',
  /**
   * universe_domain of the key file. Not googleapis.com on purpose: google-auth-library (Node) then signs its
   * own JWTs instead of calling oauth2.googleapis.com/token, which it hard-codes (it ignores token_uri).
   */
  gcpUniverse: 'cloudsim.local',
} as const;

export function generateAzureIdentity(): AzureIdentity {
  // Entra secrets look like `abc8Q~…`: 40 characters with a tilde in the fourth place.
  const secret = `${randomBytes(2).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 36)}`;
  return { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: secret, subscriptionId: randomUUID() };
}

export async function generateGcpServiceAccount(projectId: string = IDENTITY_DEFAULTS.gcpProjectId): Promise<GcpServiceAccount> {
  const { privateKey } = await makeKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    projectId,
    clientEmail: `${IDENTITY_DEFAULTS.gcpServiceAccount}@${projectId}.iam.gserviceaccount.com`,
    clientId: String(BigInt(`0x${randomBytes(8).toString('hex')}`)).padStart(21, '1').slice(0, 21),
    privateKeyId: randomBytes(20).toString('hex'),
    privateKey,
  };
}

/** The service-account key file Google issues, with token_uri pointing at cloudsim. */
export function serviceAccountKeyFile(account: GcpServiceAccount, gcsUrl: string): Record<string, string> {
  return {
    type: 'service_account',
    project_id: account.projectId,
    private_key_id: account.privateKeyId,
    private_key: account.privateKey,
    client_email: account.clientEmail,
    client_id: account.clientId,
    auth_uri: `${gcsUrl}/o/oauth2/auth`,
    token_uri: `${gcsUrl}/token`,
    auth_provider_x509_cert_url: `${gcsUrl}/oauth2/v1/certs`,
    client_x509_cert_url: `${gcsUrl}/robot/v1/metadata/x509/${encodeURIComponent(account.clientEmail)}`,
    universe_domain: IDENTITY_DEFAULTS.gcpUniverse,
  };
}

/** Checks identities given as options (or read back from a state file); throws naming the bad field. */
export function validateAzureIdentity(identity: AzureIdentity, where: string): AzureIdentity {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const field of ['tenantId', 'clientId', 'subscriptionId'] as const) {
    if (typeof identity[field] !== 'string' || !uuid.test(identity[field])) throw new Error(`${where}.${field}: expected a UUID`);
  }
  if (typeof identity.clientSecret !== 'string' || identity.clientSecret.length < 8) {
    throw new Error(`${where}.clientSecret: expected at least 8 characters`);
  }
  return identity;
}
