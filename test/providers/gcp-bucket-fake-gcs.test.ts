// The GCS Bucket suite against fake-gcs-server (started by test/env/run.ts, PLEDGE_TEST_FAKE_GCS_URL).
import { Storage } from '@google-cloud/storage';
import { gcsBucketSuite } from './gcp-bucket.case.ts';

const url = process.env.PLEDGE_TEST_FAKE_GCS_URL;
if (!url) throw new Error('PLEDGE_TEST_FAKE_GCS_URL is not set: run under make test (or node test/env/run.ts -- node --test ...)');

gcsBucketSuite({
  name: 'fake-gcs-server',
  // fake-gcs-server takes unauthenticated requests, so the ProviderConfig has no credentials.
  providerConfigSpec: { projectId: 'pledge-test', endpoint: url },
  secrets: {},
  // It reports every bucket in its -location flag (default US-CENTRAL1), whatever the create asked for.
  location: 'US-CENTRAL1',
  otherLocation: 'EU',
  raw: async () => new Storage({ projectId: 'pledge-test', apiEndpoint: url, retryOptions: { autoRetry: false } }),
  notRun: {
    'every-field-on-create': 'fake-gcs-server ignores storageClass, labels, iamConfiguration and lifecycle on create',
    'drift-every-field': 'fake-gcs-server\'s PATCH applies only versioning (and defaultEventBasedHold)',
    'update-only-what-differs': 'fake-gcs-server\'s PATCH ignores labels and storageClass',
    'empty-labels-and-rules-remove-all': 'fake-gcs-server keeps no labels nor lifecycle rules',
    'other-projects-bucket': 'fake-gcs-server has no projects: every bucket is listed for every project',
    'token-fetched-once': 'fake-gcs-server ignores authentication, so this ProviderConfig has no key',
    'unknown-key-refused': 'fake-gcs-server has no token endpoint',
    throttled: 'fake-gcs-server has no fault injection',
  },
});
