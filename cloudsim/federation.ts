/**
 * Workload identity federation: tokens of an outside OIDC issuer (a Kubernetes API server's ServiceAccount tokens)
 * that stand in for a secret. Entra calls the trust a federated identity credential of an application; Google a
 * workload identity pool provider. Both check the token's issuer, audience, expiry and signature against the
 * issuer's keys; cloudsim is given those keys (a JWKS) when the trust is registered, as Google's `jwksJson`
 * allows, rather than fetching the issuer's discovery document.
 */
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { decodeToken, type TokenClaims } from './tokens.ts';

export type JsonWebKeySet = { keys: JsonWebKey[] };

/** An Entra application's federated identity credential (Graph: application/federatedIdentityCredentials). */
export type FederatedCredential = {
  tenantId: string;
  clientId: string;
  name: string;
  issuer: string;
  subject: string;
  /** Entra allows one: api://AzureADTokenExchange by default. */
  audiences: string[];
  jwks: JsonWebKeySet;
};

/** A GCP workload identity pool provider (OIDC), and the service accounts its principals may impersonate. */
export type WorkloadIdentityProvider = {
  /** projects/{number}/locations/global/workloadIdentityPools/{pool}/providers/{provider} */
  name: string;
  issuer: string;
  /** Empty: the default, `https://iam.googleapis.com/<name>`. */
  allowedAudiences: string[];
  jwks: JsonWebKeySet;
  /** Service account emails, each with the token subjects allowed to impersonate it (roles/iam.workloadIdentityUser). */
  serviceAccountUsers: Record<string, string[]>;
};

/** An IAM role whose trust policy lets an IAM OIDC provider's tokens assume it (sts:AssumeRoleWithWebIdentity). */
export type AwsWebIdentityRole = {
  roleArn: string;
  /** Of the role ARN. */
  account: string;
  /** The IAM OIDC provider's URL. */
  issuer: string;
  /** Its client ids (the token's `aud`); sts.amazonaws.com by default, as IRSA projects. */
  audiences: string[];
  /** `<issuer>:sub` values the trust policy allows. */
  subjects: string[];
  jwks: JsonWebKeySet;
};

export type FederatedCheck =
  | { ok: true; claims: TokenClaims & { iss: string; sub: string }; audiences: string[] }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'not-yet-valid'; claims?: TokenClaims };

/** The audiences of a token: `aud` is a string or an array of them. */
export function audiencesOf(claims: TokenClaims): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Decodes an outside issuer's JWT and checks its RS256 signature against jwks (the key its `kid` names, or any
 * when it names none) and its times. Issuer, subject and audience are the caller's to match: each cloud reports
 * a mismatch in its own words.
 */
export function verifyFederatedToken(token: string, jwks: JsonWebKeySet, nowMs: number): FederatedCheck {
  const decoded = decodeToken(token);
  if (decoded === undefined || decoded.header.alg !== 'RS256') return { ok: false, reason: 'malformed' };
  const { claims } = decoded;
  if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string') return { ok: false, reason: 'malformed', claims };
  const kid = decoded.header.kid;
  const candidates = jwks.keys.filter((k) => k.kty === 'RSA' && (kid === undefined || k.kid === kid));
  const signed = candidates.some((jwk) => {
    try {
      return createVerify('RSA-SHA256').update(decoded.signed).verify(createPublicKey({ key: jwk, format: 'jwk' }), decoded.signature);
    } catch {
      return false;
    }
  });
  if (!signed) return { ok: false, reason: 'signature', claims };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, reason: 'expired', claims };
  if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return { ok: false, reason: 'not-yet-valid', claims };
  return { ok: true, claims: claims as TokenClaims & { iss: string; sub: string }, audiences: audiencesOf(claims) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (body: Record<string, unknown>, field: string, where: string): string => {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}.${field}: expected a non-empty string`);
  return value;
};

const strings = (value: unknown, where: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw new Error(`${where}: expected an array of strings`);
  return value as string[];
};

function jwksOf(value: unknown, where: string): JsonWebKeySet {
  if (!isRecord(value) || !Array.isArray(value.keys) || value.keys.length === 0) throw new Error(`${where}: expected a JSON Web Key Set {"keys":[…]}`);
  value.keys.forEach((key: unknown, n: number) => {
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    } catch {
      throw new Error(`${where}.keys[${n}]: not a public JSON Web Key`);
    }
  });
  return { keys: value.keys as JsonWebKey[] };
}

/** Checks a federated identity credential given to the admin endpoint; throws naming the bad field. */
export function parseFederatedCredential(body: unknown, where = 'federatedCredential'): FederatedCredential {
  if (!isRecord(body)) throw new Error(`${where}: expected an object`);
  const audiences = strings(body.audiences, `${where}.audiences`);
  return {
    tenantId: text(body, 'tenantId', where).toLowerCase(),
    clientId: text(body, 'clientId', where).toLowerCase(),
    name: text(body, 'name', where),
    issuer: text(body, 'issuer', where),
    subject: text(body, 'subject', where),
    audiences: audiences.length === 0 ? ['api://AzureADTokenExchange'] : audiences,
    jwks: jwksOf(body.jwks, `${where}.jwks`),
  };
}

const PROVIDER_NAME = /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/;

/** Checks a workload identity pool provider given to the admin endpoint; throws naming the bad field. */
export function parseWorkloadIdentityProvider(body: unknown, where = 'workloadIdentityProvider'): WorkloadIdentityProvider {
  if (!isRecord(body)) throw new Error(`${where}: expected an object`);
  const name = text(body, 'name', where);
  if (!PROVIDER_NAME.test(name)) throw new Error(`${where}.name: expected projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`);
  const users = body.serviceAccountUsers ?? {};
  if (!isRecord(users)) throw new Error(`${where}.serviceAccountUsers: expected {"<email>": ["<subject>", …]}`);
  return {
    name,
    issuer: text(body, 'issuer', where),
    allowedAudiences: strings(body.allowedAudiences, `${where}.allowedAudiences`),
    jwks: jwksOf(body.jwks, `${where}.jwks`),
    serviceAccountUsers: Object.fromEntries(Object.entries(users).map(([email, subjects]) => [email, strings(subjects, `${where}.serviceAccountUsers.${email}`)])),
  };
}

const ROLE_ARN = /^arn:aws[-a-z]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** Checks a web identity role given to the admin endpoint; throws naming the bad field. */
export function parseAwsWebIdentityRole(body: unknown, where = 'webIdentityRole'): AwsWebIdentityRole {
  if (!isRecord(body)) throw new Error(`${where}: expected an object`);
  const roleArn = text(body, 'roleArn', where);
  const account = ROLE_ARN.exec(roleArn)?.[1];
  if (account === undefined) throw new Error(`${where}.roleArn: expected arn:aws:iam::<12 digits>:role/<name>`);
  const audiences = strings(body.audiences, `${where}.audiences`);
  const subjects = strings(body.subjects, `${where}.subjects`);
  if (subjects.length === 0) throw new Error(`${where}.subjects: expected at least one`);
  return { roleArn, account, issuer: text(body, 'issuer', where), audiences: audiences.length === 0 ? ['sts.amazonaws.com'] : audiences, subjects, jwks: jwksOf(body.jwks, `${where}.jwks`) };
}
