/**
 * The master password of a DB instance. RDS never reports it, so the connection secret is the record of the
 * password that was applied: a generated one lives only there, and a password from the user's Secret is
 * compared with it to notice a change. Values never reach a message, a diff or a log.
 */
import { randomInt } from 'node:crypto';
import { ConfigError } from '../../core/errors/index.ts';
import type { ConnectContext } from '../../core/managed/types.ts';
import type { DBInstanceParameters } from './db-instance-spec.ts';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/**
 * A strong password every RDS engine accepts: letters and digits only (RDS refuses / " @ and spaces, and
 * some engines more), starting with a letter (Oracle), 30 characters (Oracle's maximum; about 178 bits),
 * with upper case, lower case and digits (SQL Server's complexity rule).
 */
export function generatePassword(length = 30): string {
  const all = UPPER + LOWER + DIGITS;
  for (;;) {
    let password = (UPPER + LOWER)[randomInt(UPPER.length + LOWER.length)] ?? 'P';
    while (password.length < length) password += all[randomInt(all.length)];
    if ([UPPER, LOWER, DIGITS].every((set) => [...password].some((c) => set.includes(c)))) return password;
  }
}

export interface PasswordCheck {
  upToDate: boolean;
  /** Why not, for the diff: never the value. */
  reason?: string;
}

type Sources = Pick<ConnectContext, 'connectionDetails' | 'readSecret'>;

/** The password from masterUserPasswordSecretRef, refusing an empty one. */
export async function readPassword(p: DBInstanceParameters, sources: Sources, signal: AbortSignal): Promise<string | undefined> {
  const ref = p.masterUserPasswordSecretRef;
  if (ref === undefined) return undefined;
  const value = await sources.readSecret(ref, signal);
  if (value === '') {
    throw new ConfigError(`Secret ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} key "${ref.key}" (spec.forProvider.masterUserPasswordSecretRef) is empty`);
  }
  return value;
}

/** The password to set now: the user's, or a new generated one. */
export async function passwordToApply(p: DBInstanceParameters, sources: Sources, signal: AbortSignal): Promise<string> {
  return (await readPassword(p, sources, signal)) ?? generatePassword();
}

/**
 * Whether the applied password is known to be the one wanted. Generated: the connection secret must hold it
 * (after a crash between create and the secret write it does not, and the password must be reset rather than
 * lost). From a Secret: the connection secret holds the one applied, which must equal the Secret's; without a
 * connection secret there is no record, and nothing is compared.
 */
export async function checkPassword(p: DBInstanceParameters, sources: Sources, hasConnectionSecret: boolean, signal: AbortSignal): Promise<PasswordCheck> {
  const applied = sources.connectionDetails.password;
  if (p.masterUserPasswordSecretRef === undefined) {
    return applied ? { upToDate: true } : { upToDate: false, reason: 'master password missing from the connection secret: it will be reset' };
  }
  let wanted: string | undefined;
  try {
    wanted = await readPassword(p, sources, signal);
  } catch {
    // Observe must not fail on it (a deletion would stall); update reads it again and reports why.
    return { upToDate: false, reason: 'master password from masterUserPasswordSecretRef cannot be read' };
  }
  if (!hasConnectionSecret || applied === wanted) return { upToDate: true };
  return { upToDate: false, reason: 'master password differs from masterUserPasswordSecretRef' };
}
