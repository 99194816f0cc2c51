#!/usr/bin/env node
// The one place that joins core, the providers and the compositions module: core imports neither.
import { compositionsModule } from '../compositions/index.ts';
import { buildCli } from '../core/cli/index.ts';
import { CliError } from '../core/cli/output/index.ts';
import { providers } from '../providers/index.ts';

try {
  await buildCli(providers, [compositionsModule()]).parseAsync(process.argv);
} catch (err) {
  // A CliError is for the user: its message names the file, object and field; no stack.
  if (!(err instanceof CliError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exitCode = err.exitCode;
}
