// One gated call is one HTTP request: the SDK must not retry behind the token bucket's back. A loopback
// server that throttles every request stands in for a cloud under pressure (the answer the SDK retries most eagerly).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { ThrottledError } from '../../core/errors/index.ts';
import { gated, rdsClientFor, s3ClientFor } from '../../providers/aws/client.ts';
import { toPledgeError } from '../../providers/aws/errors.ts';
import { countingGate } from './aws-endpoint.ts';

const S3_SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const RDS_THROTTLING =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>';

describe('AWS SDK clients make one attempt per gated call', () => {
  let server: Server;
  let requests = 0;
  let endpoint = '';

  before(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      const rds = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
      res.writeHead(rds ? 400 : 503, { 'content-type': 'text/xml', 'retry-after': '1' });
      res.end(rds ? RDS_THROTTLING : S3_SLOW_DOWN);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const config = () => ({ endpoint, forcePathStyle: true, credentials: { accessKeyId: 'AKIACLIENTTEST', secretAccessKey: 'client-test' } });

  it('S3: a throttled request is not retried by the SDK', async () => {
    const s3 = s3ClientFor(config(), 'us-east-1');
    assert.equal(await s3.config.maxAttempts(), 1);
    const gate = countingGate();
    const before = requests;
    for (let i = 0; i < 3; i++) {
      await assert.rejects(
        gated(gate, 'GetBucketTagging', AbortSignal.timeout(10_000), () => s3.send(new GetBucketTaggingCommand({ Bucket: 'b-1' }))),
        (err: unknown) => toPledgeError(err, 'x') instanceof ThrottledError,
      );
    }
    assert.equal(requests - before, 3, 'three gated calls, three requests');
    assert.equal(gate.acquired, 3);
    assert.ok(gate.recorded.every((r) => r.err instanceof ThrottledError), 'throttling is recorded, so the bucket slows down');
  });

  it('RDS: a throttled request is not retried by the SDK', async () => {
    const rds = rdsClientFor(config(), 'us-east-1');
    assert.equal(await rds.config.maxAttempts(), 1);
    const gate = countingGate();
    const before = requests;
    for (let i = 0; i < 3; i++) {
      await assert.rejects(
        gated(gate, 'DescribeDBInstances', AbortSignal.timeout(10_000), () => rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db-1' }))),
        (err: unknown) => toPledgeError(err, 'x') instanceof ThrottledError,
      );
    }
    assert.equal(requests - before, 3, 'three gated calls, three requests');
    assert.equal(gate.acquired, 3);
  });

  it('reuses one client per service, region and credentials', () => {
    assert.equal(s3ClientFor(config(), 'us-east-1'), s3ClientFor(config(), 'us-east-1'));
    assert.notEqual(s3ClientFor(config(), 'us-east-1'), s3ClientFor(config(), 'eu-west-1'));
    assert.notEqual(rdsClientFor(config(), 'us-east-1') as unknown, s3ClientFor(config(), 'us-east-1') as unknown);
  });
});
