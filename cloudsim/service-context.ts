/** What every simulated service is built from. */
import type { AwsWebIdentityRole, FederatedCredential, WorkloadIdentityProvider } from './federation.ts';
import type { Identities } from './identities.ts';
import type { SimRuntime } from './listener.ts';
import type { StateStore } from './state.ts';

export type ServiceContext = {
  runtime: SimRuntime;
  store: StateStore;
  identities: Identities;
  /** Trusted outside issuers, registered through the admin endpoint (not persisted). */
  federation: {
    azure: FederatedCredential[];
    gcp: WorkloadIdentityProvider[];
    aws: AwsWebIdentityRole[];
    /** Access key ids STS issued, and the account of the role each belongs to. */
    awsSessions: Map<string, string>;
  };
};

/** ISO 8601 with milliseconds, as every cloud here writes times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
