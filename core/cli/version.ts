import { readFileSync } from 'node:fs';

/** The version in package.json, the one the chart's appVersion and the image tag follow. */
export const PLEDGE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
