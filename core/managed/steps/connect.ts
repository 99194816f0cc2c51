import { ConfigError } from '../../errors/index.ts';
import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { readConnectionDetails } from '../connection-secret.ts';
import { providerConfigAsRead, providerConfigRef, secretAccess, type ProviderConfigRef } from '../provider-config-ref.ts';
import type { ConnectContext, SecretKeySelector } from '../types.ts';
import { fail, next, type ReconcileDeps, type Step } from './pass.ts';

async function readSecret(deps: ReconcileDeps, ref: SecretKeySelector): Promise<string> {
  const secret = await deps.store.getSecret(ref.namespace, ref.name);
  if (!secret) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} not found`);
  const value = secret.data?.[ref.key];
  if (value === undefined) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} has no key "${ref.key}"`);
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Resolves the ProviderConfig and asks the kind for a client of the cloud. */
export const connect: Step = async (deps, pass) => {
  const { mr } = pass;
  let resolved: ProviderConfigRef;
  try {
    resolved = providerConfigRef(deps.kind, mr);
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
  const config = providerConfigAsRead(resolved, deps.getProviderConfig(resolved.name, resolved.namespace, resolved.kind));
  const providerConfig = config ?? (deps.kind.providerConfigOptional ? { metadata: { name: resolved.id } } : undefined);
  if (!providerConfig) {
    const err = new ConfigError(`${resolved.described} (spec.providerConfigRef.name) not found`);
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
  const allowed = secretAccess(deps.kind, mr, resolved, providerConfig);
  try {
    const ctx: ConnectContext = {
      providerConfig,
      readSecret: async (ref) => readSecret(deps, allowed(ref)),
      connectionDetails: await readConnectionDetails(deps.store, mr, mr.spec.writeConnectionSecretToRef),
      calls: deps.cloudCalls(resolved.id, mr.metadata.namespace ? `${mr.metadata.namespace}/${mr.metadata.name}` : mr.metadata.name),
      signal: pass.signal,
    };
    return next({ ...pass, external: await deps.kind.connect(mr, ctx) });
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
};
