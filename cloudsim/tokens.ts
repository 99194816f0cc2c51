/** Access tokens: JWTs that cloudsim signs (HS256) and checks, and RS256 assertions signed by service-account keys. */
import { createHmac, createVerify, timingSafeEqual } from 'node:crypto';

export type TokenClaims = Record<string, unknown> & { exp?: number; iat?: number; aud?: unknown; iss?: unknown };

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'not-yet-valid'; claims?: TokenClaims };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signToken(key: Buffer, claims: TokenClaims, header: Record<string, string> = {}): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', ...header }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${signature}`;
}

/** The header and claims of a JWT, without checking anything; undefined when it is not a JWT. */
export function decodeToken(token: string): { header: Record<string, unknown>; claims: TokenClaims; signed: string; signature: Buffer } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head = '', payload = '', signature = ''] = parts;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return undefined;
    return { header: header as Record<string, unknown>, claims: claims as TokenClaims, signed: `${head}.${payload}`, signature: Buffer.from(signature, 'base64url') };
  } catch {
    return undefined;
  }
}

function checkTimes(claims: TokenClaims, nowMs: number): TokenCheck {
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp === 'number' && claims.exp <= now) return { ok: false, reason: 'expired', claims };
  if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return { ok: false, reason: 'not-yet-valid', claims };
  return { ok: true, claims };
}

/** Checks a token cloudsim signed with key: signature, then expiry. */
export function verifyToken(key: Buffer, token: string, nowMs: number): TokenCheck {
  const decoded = decodeToken(token);
  if (decoded === undefined || decoded.header.alg !== 'HS256') return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(decoded.signed).digest();
  if (expected.length !== decoded.signature.length || !timingSafeEqual(expected, decoded.signature)) {
    return { ok: false, reason: 'signature' };
  }
  return checkTimes(decoded.claims, nowMs);
}

/** Checks an RS256 JWT against a PEM public (or private) key: signature, then expiry. */
export function verifyRs256(publicKeyPem: string, token: string, nowMs: number): TokenCheck {
  const decoded = decodeToken(token);
  if (decoded === undefined || decoded.header.alg !== 'RS256') return { ok: false, reason: 'malformed' };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(decoded.signed);
  if (!verifier.verify(publicKeyPem, decoded.signature)) return { ok: false, reason: 'signature' };
  return checkTimes(decoded.claims, nowMs);
}
