// A preload for child processes (`node --import ./test/resolved-modules.ts …`): appends every URL the process
// resolves, by import or require, to the file named by PLEDGE_RESOLVED_LOG, one a line, as it happens (so a
// process.exit loses nothing). test/lazy-sdk.test.ts reads it to see which packages a command really loads.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.PLEDGE_RESOLVED_LOG;
if (log === undefined || log === '') throw new Error('PLEDGE_RESOLVED_LOG is not set: name the file to append resolved URLs to');

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    appendFileSync(log, `${resolved.url}\n`);
    return resolved;
  },
});
