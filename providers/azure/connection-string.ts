/**
 * The storage account's connection details: what an application needs to reach its blobs. Pure functions,
 * so the rules (endpoint suffix of each Azure cloud, emulator-style endpoints) are tested on their own.
 */

/** ARM host → storage endpoint suffix, for the clouds whose suffix is not management.X → core.X. */
const SUFFIX_BY_ARM_HOST: Readonly<Record<string, string>> = {
  'management.azure.com': 'core.windows.net',
  'management.chinacloudapi.cn': 'core.chinacloudapi.cn',
  'management.usgovcloudapi.net': 'core.usgovcloudapi.net',
};

const PUBLIC_CLOUD_SUFFIX = 'core.windows.net';

/** The storage endpoint suffix of the cloud whose ARM endpoint is armEndpoint (management.X → core.X). */
export function suffixFromArmEndpoint(armEndpoint: string): string {
  let host: string;
  try {
    host = new URL(armEndpoint).hostname.toLowerCase();
  } catch {
    return PUBLIC_CLOUD_SUFFIX;
  }
  const known = SUFFIX_BY_ARM_HOST[host];
  if (known) return known;
  return host.startsWith('management.') ? `core.${host.slice('management.'.length)}` : PUBLIC_CLOUD_SUFFIX;
}

export interface ConnectionStringInput {
  accountName: string;
  accountKey: string;
  /** primaryEndpoints.blob as ARM reports it, e.g. https://acct.blob.core.windows.net/ */
  blobEndpoint?: string;
  /** The ProviderConfig's ARM endpoint, used when the account reports no blob endpoint. */
  armEndpoint: string;
}

/**
 * `DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..;EndpointSuffix=..`. The suffix is read from
 * the blob endpoint (https://<account>.blob.<suffix>/), which is what the account really answers on; a blob
 * endpoint of another shape (an emulator's https://127.0.0.1:port/<account>/) is given as BlobEndpoint,
 * since no suffix could rebuild it; without a blob endpoint the suffix follows the ARM endpoint's cloud.
 */
export function connectionString(input: ConnectionStringInput): string {
  const { accountName, accountKey, blobEndpoint } = input;
  let url: URL | undefined;
  try {
    url = blobEndpoint ? new URL(blobEndpoint) : undefined;
  } catch {
    url = undefined;
  }
  const protocol = url?.protocol === 'http:' ? 'http' : 'https';
  const head = `DefaultEndpointsProtocol=${protocol};AccountName=${accountName};AccountKey=${accountKey}`;
  if (url === undefined) return `${head};EndpointSuffix=${suffixFromArmEndpoint(input.armEndpoint)}`;
  const prefix = `${accountName.toLowerCase()}.blob.`;
  const host = url.host.toLowerCase();
  if (host.startsWith(prefix) && host.length > prefix.length && (url.pathname === '/' || url.pathname === '')) {
    return `${head};EndpointSuffix=${host.slice(prefix.length)}`;
  }
  return `${head};BlobEndpoint=${url.href.replace(/\/+$/, '')}`;
}

/** The connection secret's keys: accountName, primaryKey, connectionString and, when known, blobEndpoint. */
export function accountConnectionDetails(input: ConnectionStringInput): Record<string, string> {
  return {
    accountName: input.accountName,
    primaryKey: input.accountKey,
    connectionString: connectionString(input),
    ...(input.blobEndpoint ? { blobEndpoint: input.blobEndpoint } : {}),
  };
}
