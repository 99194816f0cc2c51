import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountConnectionDetails, connectionString, suffixFromArmEndpoint } from './connection-string.ts';

const KEY = 'c2VjcmV0LWtleS12YWx1ZQ==';

describe('connectionString', () => {
  const cases: Array<{ reason: string; blobEndpoint?: string; armEndpoint: string; want: string }> = [
    {
      reason: 'the public cloud: suffix from the blob endpoint',
      blobEndpoint: 'https://acct1.blob.core.windows.net/',
      armEndpoint: 'https://management.azure.com',
      want: `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
    },
    {
      reason: 'a sovereign cloud: the blob endpoint wins over the ARM endpoint',
      blobEndpoint: 'https://acct1.blob.core.chinacloudapi.cn/',
      armEndpoint: 'https://management.chinacloudapi.cn',
      want: `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn`,
    },
    {
      reason: 'a simulator with host-style endpoints keeps its port in the suffix',
      blobEndpoint: 'https://acct1.blob.localhost:8443/',
      armEndpoint: 'https://127.0.0.1:8443',
      want: `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=localhost:8443`,
    },
    {
      reason: 'a path-style (emulator) blob endpoint cannot be rebuilt from a suffix: it is given whole',
      blobEndpoint: 'https://127.0.0.1:8443/acct1/',
      armEndpoint: 'https://127.0.0.1:8443',
      want: `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};BlobEndpoint=https://127.0.0.1:8443/acct1`,
    },
    {
      reason: 'an http blob endpoint says so in the protocol',
      blobEndpoint: 'http://127.0.0.1:10000/acct1',
      armEndpoint: 'https://127.0.0.1:8443',
      want: `DefaultEndpointsProtocol=http;AccountName=acct1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10000/acct1`,
    },
    {
      reason: 'no blob endpoint: the suffix of the ARM endpoint\'s cloud',
      armEndpoint: 'https://management.usgovcloudapi.net/',
      want: `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${KEY};EndpointSuffix=core.usgovcloudapi.net`,
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      assert.equal(connectionString({ accountName: 'acct1', accountKey: KEY, armEndpoint: c.armEndpoint, ...(c.blobEndpoint ? { blobEndpoint: c.blobEndpoint } : {}) }), c.want);
    });
  }
});

describe('suffixFromArmEndpoint', () => {
  it('maps management.X to core.X for an unlisted cloud (Azure Stack style)', () => {
    assert.equal(suffixFromArmEndpoint('https://management.local.azurestack.external'), 'core.local.azurestack.external');
  });
  it('falls back to the public cloud for an endpoint without a management host', () => {
    assert.equal(suffixFromArmEndpoint('https://127.0.0.1:8443'), 'core.windows.net');
    assert.equal(suffixFromArmEndpoint('not a url'), 'core.windows.net');
  });
});

describe('accountConnectionDetails', () => {
  it('has accountName, primaryKey, connectionString and blobEndpoint', () => {
    const details = accountConnectionDetails({ accountName: 'acct1', accountKey: KEY, blobEndpoint: 'https://acct1.blob.core.windows.net/', armEndpoint: 'https://management.azure.com' });
    assert.deepEqual(Object.keys(details).sort(), ['accountName', 'blobEndpoint', 'connectionString', 'primaryKey']);
    assert.equal(details.primaryKey, KEY);
    assert.match(details.connectionString ?? '', /;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;/);
  });
});
