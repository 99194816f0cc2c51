// The contract between `pledge up --sim` and cloudsim. core cannot import cloudsim: bin/pledge.ts (the one place that
// joins everything) implements SimStarter with cloudsim's startCloudsim and hands it to the CLI.

export type SimEndpoints = {
  /** http: S3 (path-style) and RDS. */
  awsUrl: string;
  /** https: Entra ID authority host and ARM endpoint, with a certificate signed by caCertPath. */
  azureUrl: string;
  /** http: GCS JSON API and the Google token endpoint. */
  gcsUrl: string;
  /** http: /_cloudsim/ counters and knobs. */
  adminUrl: string;
  /** PEM file of the CA of the Azure listener. */
  caCertPath: string;
  azure: { tenantId: string; clientId: string; clientSecret: string; subscriptionId: string };
  /** A service-account key file (JSON text) whose token_uri points at cloudsim. */
  gcp: { projectId: string; keyFile: string };
};

export type RunningSim = {
  endpoints: SimEndpoints;
  /** Stops the listeners and writes the state file. */
  stop(): Promise<void>;
};

export type SimStartOptions = {
  /** <data-dir>/cloudsim: state.json (resources and identities) and TLS files. */
  dir: string;
  statePath: string;
  ports: { aws: number; azure: number; gcs: number; admin: number };
  log(message: string): void;
};

export type SimStarter = (options: SimStartOptions) => Promise<RunningSim>;
