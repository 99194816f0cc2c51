#!/usr/bin/env node
// The one place that joins core and the providers: core never imports a provider.
import { buildCli } from '../core/cli/index.ts';
import { providers } from '../providers/index.ts';

await buildCli(providers).parseAsync(process.argv);
