#!/usr/bin/env node
// The one place that joins core, the providers and the compositions module: core imports neither.
import { compositionsModule } from '../compositions/index.ts';
import { buildCli } from '../core/cli/index.ts';
import { CliError } from '../core/cli/output/index.ts';
import type { SimStarter } from '../core/up/sim.ts';
import { providers } from '../providers/index.ts';

// `pledge up --sim`: cloudsim in this process. Loaded only when asked (the container image has no cloudsim/).
const startSim: SimStarter = async ({ dir, statePath, ports, log }) => {
  const { startCloudsim } = await import('../cloudsim/index.ts');
  const sim = await startCloudsim({ dir, statePath, ports, log });
  const { azure, gcp } = sim.identities;
  return {
    endpoints: {
      awsUrl: sim.urls.aws,
      azureUrl: sim.urls.azure,
      gcsUrl: sim.urls.gcs,
      adminUrl: sim.urls.admin,
      caCertPath: sim.caCertPath,
      azure: { tenantId: azure.tenantId, clientId: azure.clientId, clientSecret: azure.clientSecret, subscriptionId: azure.subscriptionId },
      gcp: { projectId: gcp.projectId, keyFile: JSON.stringify(gcp.keyFile) },
    },
    stop: sim.stop,
  };
};

try {
  await buildCli(providers, [compositionsModule()], { startSim }).parseAsync(process.argv);
} catch (err) {
  // A CliError is for the user: its message names the file, object and field; no stack.
  if (!(err instanceof CliError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exitCode = err.exitCode;
}
