/**
 * The admin endpoint, under /_cloudsim/ on every listener and on the admin listener:
 *   GET    /_cloudsim/healthz               {"ok":true}
 *   GET    /_cloudsim/counters              calls by service, operation and outcome
 *   DELETE /_cloudsim/counters              zero them (and empty the request log)
 *   GET    /_cloudsim/requests[?since=MS&service=s3]  when each call was answered, with its operation and outcome
 *   GET    /_cloudsim/knobs                 faults, outages (ISO end times), timings
 *   PATCH  /_cloudsim/knobs                 {"faults":{"s3":{"throttleRate":0.5}},"timings":{"rdsCreateMs":500}}
 *   POST   /_cloudsim/outages               {"service":"s3","seconds":10}
 *   DELETE /_cloudsim/outages[?service=s3]  end outages now
 *   POST   /_cloudsim/reset[?state=true]    counters and knobs back to start values; with state=true, forget every resource
 *   GET    /_cloudsim/state                 resources (no keys or secrets)
 *   POST   /_cloudsim/azure/federated-credentials      trust an outside issuer's tokens for an Entra application
 *   POST   /_cloudsim/gcp/workload-identity-providers  trust an outside issuer's tokens in a workload identity pool
 *   POST   /_cloudsim/aws/web-identity-roles            let an outside issuer's tokens assume an IAM role
 */
import type { CounterSnapshot, RequestFilter, RequestLog } from './counters.ts';
import type { AwsWebIdentityRole, FederatedCredential, WorkloadIdentityProvider } from './federation.ts';
import { validateKnobsPatch, type KnobsPatch, type Timings, type FaultKnobs } from './knobs.ts';
import { empty, isServiceName, json, jsonBody, type ServiceName, type SimRequest, type SimResponse } from './sim-http.ts';

export type KnobsView = {
  faults: Record<string, FaultKnobs>;
  outages: Partial<Record<ServiceName, string>>;
  timings: Timings;
};

/** What the admin endpoint (and the in-process API) can do. */
export interface CloudsimControl {
  counters(): CounterSnapshot;
  resetCounters(): void;
  /** The bounded log of answered calls (see Counters.requests). */
  requests(filter?: RequestFilter): RequestLog;
  knobs(): KnobsView;
  /** Throws an Error naming the field when the patch is invalid. */
  setKnobs(patch: KnobsPatch): void;
  /** Every call of service fails with 503 for the next `seconds`. */
  outage(service: ServiceName, seconds: number): void;
  endOutages(service?: ServiceName): void;
  reset(options?: { state?: boolean }): void;
  resources(): unknown;
  /** Adds (or replaces, by tenant, client and name) an Entra federated identity credential; throws naming a bad field. */
  addFederatedCredential(body: unknown): FederatedCredential;
  /** Adds (or replaces, by ARN) an IAM role that an OIDC issuer's tokens may assume; throws naming a bad field. */
  addAwsWebIdentityRole(body: unknown): AwsWebIdentityRole;
  /** Adds (or replaces, by name) a GCP workload identity pool provider; throws naming a bad field. */
  addWorkloadIdentityProvider(body: unknown): WorkloadIdentityProvider;
}

const badRequest = (message: string) => json(400, { error: message });

export function adminHandler(control: CloudsimControl): (req: SimRequest) => SimResponse {
  return (req) => {
    const path = req.path.replace(/\/+$/, '');
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'GET /_cloudsim/healthz':
          return json(200, { ok: true });
        case 'GET /_cloudsim/counters':
          return json(200, control.counters());
        case 'GET /_cloudsim/requests': {
          const since = req.query.get('since');
          const service = req.query.get('service');
          if (since !== null && (since === '' || !Number.isFinite(Number(since)))) return badRequest(`requests: since must be epoch milliseconds, got ${JSON.stringify(since)}`);
          if (service !== null && !isServiceName(service)) return badRequest(`requests: unknown service ${JSON.stringify(service)}`);
          return json(200, control.requests({ ...(since === null ? {} : { since: Number(since) }), ...(service === null ? {} : { service }) }));
        }
        case 'DELETE /_cloudsim/counters':
          control.resetCounters();
          return empty(204);
        case 'GET /_cloudsim/knobs':
          return json(200, control.knobs());
        case 'PATCH /_cloudsim/knobs':
        case 'PUT /_cloudsim/knobs':
        case 'POST /_cloudsim/knobs':
          control.setKnobs(validateKnobsPatch(jsonBody(req)));
          return json(200, control.knobs());
        case 'POST /_cloudsim/outages': {
          const body = jsonBody(req) as { service?: unknown; seconds?: unknown } | undefined;
          const service = typeof body?.service === 'string' ? body.service : '';
          if (!isServiceName(service)) return badRequest(`outages: unknown service ${JSON.stringify(body?.service)}`);
          if (typeof body?.seconds !== 'number' || !(body.seconds > 0)) return badRequest('outages: seconds must be a number > 0');
          control.outage(service, body.seconds);
          return json(200, control.knobs());
        }
        case 'DELETE /_cloudsim/outages': {
          const service = req.query.get('service') ?? undefined;
          if (service !== undefined && !isServiceName(service)) return badRequest(`outages: unknown service ${JSON.stringify(service)}`);
          control.endOutages(service);
          return json(200, control.knobs());
        }
        case 'POST /_cloudsim/reset':
          control.reset({ state: req.query.get('state') === 'true' });
          return json(200, control.knobs());
        case 'GET /_cloudsim/state':
          return json(200, control.resources());
        case 'POST /_cloudsim/azure/federated-credentials':
          return json(201, control.addFederatedCredential(jsonBody(req)));
        case 'POST /_cloudsim/aws/web-identity-roles':
          return json(201, control.addAwsWebIdentityRole(jsonBody(req)));
        case 'POST /_cloudsim/gcp/workload-identity-providers':
          return json(201, control.addWorkloadIdentityProvider(jsonBody(req)));
        default:
          return json(404, { error: `cloudsim admin: no ${route}; see cloudsim/README.md` });
      }
    } catch (err: unknown) {
      return badRequest(err instanceof Error ? err.message : String(err));
    }
  };
}
