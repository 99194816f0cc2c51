import { ConfigError } from '../../errors/index.ts';
import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { readConnectionDetails } from '../connection-secret.ts';
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
  const configName = mr.spec.providerConfigRef?.name ?? 'default';
  const providerConfig = deps.getProviderConfig(configName) ?? (deps.kind.providerConfigOptional ? { metadata: { name: configName } } : undefined);
  if (!providerConfig) {
    const err = new ConfigError(`ProviderConfig "${configName}" (spec.providerConfigRef.name) not found`);
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
  try {
    const ctx: ConnectContext = {
      providerConfig,
      readSecret: (ref) => readSecret(deps, ref),
      connectionDetails: await readConnectionDetails(deps.store, mr, mr.spec.writeConnectionSecretToRef),
      calls: deps.cloudCalls(configName, mr.metadata.name),
      signal: pass.signal,
    };
    return next({ ...pass, external: await deps.kind.connect(mr, ctx) });
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
};
