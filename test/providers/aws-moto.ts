// moto as an AWS endpoint for the provider suites (PLEDGE_TEST_MOTO_URL, started by test/env/run.ts).
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { testEnv } from '../env/index.ts';
import type { AwsEndpoint } from './aws-endpoint.ts';

const RAW_KEYS = { accessKeyId: 'AKIARAWTEST', secretAccessKey: 'raw' };

export function motoAws(): AwsEndpoint {
  const { motoUrl: url } = testEnv();
  return {
    name: 'moto',
    url,
    s3({ region = 'us-east-1', account } = {}) {
      const client = new S3Client({ region, endpoint: url, forcePathStyle: true, credentials: RAW_KEYS, followRegionRedirects: false });
      if (account) {
        // moto keeps one store per account and takes the account from this header.
        client.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers['x-moto-account-id'] = account;
            return next(args);
          },
          { step: 'build', name: 'motoAccount' },
        );
      }
      return client;
    },
    rds: (region = 'us-east-1') => new RDSClient({ region, endpoint: url, credentials: RAW_KEYS }),
  };
}
