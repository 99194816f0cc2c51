#!/usr/bin/env node
// The one place that joins core, the providers and the compositions module: core imports neither.
import { compositionsModule } from '../compositions/index.ts';
import { buildCli } from '../core/cli/index.ts';
import { providers } from '../providers/index.ts';

await buildCli(providers, [compositionsModule()]).parseAsync(process.argv);
