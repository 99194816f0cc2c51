// The S3 Bucket suite against moto (started by test/env/run.ts, PLEDGE_TEST_MOTO_URL).
import { awsBucketSuite } from './aws-bucket.case.ts';
import { motoAws } from './aws-moto.ts';

awsBucketSuite({
  ...motoAws(),
  // moto gives a new bucket none of AWS's defaults (SSE-S3, BucketOwnerEnforced, a full public access block).
  newBucket: {},
  // moto lets any account HEAD any bucket; AWS answers 403 to an account without access.
  foreignHeadBucket: 200,
  notRun: {
    'public-policy-blocked': 'moto does not enforce BlockPublicPolicy: it stores a public policy under a block that forbids it',
    throttled: 'moto has no fault injection',
  },
});
