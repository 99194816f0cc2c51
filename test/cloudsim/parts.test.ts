// cloudsim's pure parts: the XML reader, fault decisions, tokens, GCS etags and checksums.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../../cloudsim/gcs-objects.ts';
import { metagenerationEtag } from '../../cloudsim/gcs-records.ts';
import { decideFault, defaultKnobs, faultsFor, validateKnobsPatch } from '../../cloudsim/knobs.ts';
import { signToken, verifyToken } from '../../cloudsim/tokens.ts';
import { children, parseXml, textOf } from '../../cloudsim/xml.ts';

test('the XML reader takes namespaces, entities and self-closing elements, and refuses broken documents', () => {
  const root = parseXml('<?xml version="1.0"?>\n<s3:Tagging xmlns:s3="x"><TagSet><Tag><Key>a&amp;b</Key><Value/></Tag><Tag><Key>c</Key><Value>&#x41;</Value></Tag></TagSet></s3:Tagging>');
  assert.equal(root.name, 'Tagging');
  const tags = children(root.children[0], 'Tag').map((t) => [textOf(t, 'Key'), textOf(t, 'Value')]);
  assert.deepEqual(tags, [['a&b', ''], ['c', 'A']]);
  for (const broken of ['<a><b></a>', '<a>', 'text', '<a></a><b></b>', '<a>1 < 2</a>']) assert.throws(() => parseXml(broken), `${broken} is refused`);
});

test('faults: the most specific key wins field by field; outages come before throttling before errors', () => {
  const knobs = defaultKnobs();
  knobs.faults = { '*': { latencyMs: 5, errorRate: 1 }, s3: { throttleRate: 1, retryAfterSeconds: 9 }, 's3.HeadBucket': { throttleRate: 0 } };
  assert.deepEqual(faultsFor(knobs, 's3', 'HeadBucket'), { latencyMs: 5, latencyJitterMs: 0, errorRate: 1, throttleRate: 0, retryAfterSeconds: 9 });
  const decide = (operation: string, now = 0) => decideFault({ knobs, service: 's3', operation, now, random: () => 0.5 });
  assert.deepEqual(decide('ListBuckets'), { kind: 'throttle', retryAfterSeconds: 9 });
  assert.deepEqual(decide('HeadBucket'), { kind: 'error' });
  knobs.outages.s3 = 10_000;
  assert.deepEqual(decide('HeadBucket', 7_500), { kind: 'outage', retryAfterSeconds: 3 });
  assert.deepEqual(decide('ListBuckets', 10_000), { kind: 'throttle', retryAfterSeconds: 9 }, 'the outage ended');
  assert.throws(() => validateKnobsPatch({ faults: { s3: { throttleRate: 1.5 } } }), /throttleRate/);
  assert.throws(() => validateKnobsPatch({ faults: { 'ec2.X': {} } }), /unknown service/);
  assert.throws(() => validateKnobsPatch({ outages: {} }), /unknown field outages/);
});

test('tokens: signed, checked, expired, forged', () => {
  const key = Buffer.alloc(32, 1);
  const token = signToken(key, { sub: 'a', exp: 100 });
  assert.equal(verifyToken(key, token, 99_000).ok, true);
  assert.deepEqual(verifyToken(key, token, 100_000), { ok: false, reason: 'expired', claims: { sub: 'a', exp: 100 } });
  assert.equal(verifyToken(Buffer.alloc(32, 2), token, 0).ok, false);
  assert.equal(verifyToken(key, 'not.a.jwt', 0).ok, false);
});

test('GCS etags and CRC-32C are what GCS reports', () => {
  assert.equal(metagenerationEtag(1), 'CAE=');
  assert.equal(metagenerationEtag(2), 'CAI=');
  assert.equal(metagenerationEtag(300), 'CKwC');
  assert.equal(crc32c(Buffer.from('hello')), 'mnG7TA==');
  assert.equal(crc32c(Buffer.alloc(0)), 'AAAAAA==');
});
