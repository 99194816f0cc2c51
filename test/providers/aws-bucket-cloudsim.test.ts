// The S3 Bucket suite against cloudsim's S3 (started by test/env/run.ts, PLEDGE_TEST_CLOUDSIM_*), which gives a
// new bucket what AWS does.
import { awsBucketSuite } from './aws-bucket.case.ts';
import { cloudsimAws } from './aws-cloudsim.ts';

awsBucketSuite({
  ...cloudsimAws(),
  newBucket: {
    serverSideEncryption: { algorithm: 'AES256', bucketKeyEnabled: false },
    objectOwnership: 'BucketOwnerEnforced',
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  },
  foreignHeadBucket: 403,
  notRun: {},
});
