/**
 * The AWS listener: S3 and RDS on one port, told apart by the SigV4 credential scope. Signatures are not
 * checked; the access key id picks the account (a 12-digit key id is that account, as moto does), and so does
 * moto's `x-moto-account-id` header.
 */
import { randomBytes } from 'node:crypto';
import { createRdsService } from './rds.ts';
import { createS3Service } from './s3.ts';
import { createStsService } from './sts.ts';
import type { ServiceContext } from './service-context.ts';
import { header, type SimRequest, type SimService } from './sim-http.ts';

export const AWS_DEFAULTS = { account: '123456789012', region: 'us-east-1' } as const;

export type AwsCaller = {
  accessKeyId: string;
  account: string;
  /** The region the request was signed for. */
  region: string;
  /** The service of the credential scope (`s3`, `rds`), when signed. */
  service: string | undefined;
};

/**
 * Who sent the request, from `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request` or a presigned URL.
 * Keys that STS issued (`sessions`) belong to their role's account.
 */
export function awsCaller(req: SimRequest, sessions?: ReadonlyMap<string, string>): AwsCaller {
  const auth = header(req, 'authorization') ?? '';
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ?? req.query.get('X-Amz-Credential') ?? '';
  const [accessKeyId = '', , region, service] = credential.split('/');
  // moto's account header is honoured too, so test suites written for moto run here unchanged.
  const motoAccount = header(req, 'x-moto-account-id');
  return {
    accessKeyId,
    account:
      motoAccount !== undefined && /^\d{12}$/.test(motoAccount)
        ? motoAccount
        : /^\d{12}$/.test(accessKeyId)
          ? accessKeyId
          : (sessions?.get(accessKeyId) ?? AWS_DEFAULTS.account),
    region: region || AWS_DEFAULTS.region,
    service: service || undefined,
  };
}

/** A request id in AWS's style (upper-case alphanumerics). */
export function awsRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/** Regions S3 and RDS accept. */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'mx-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
  'ap-southeast-3', 'ap-southeast-4', 'ap-east-1', 'me-south-1', 'me-central-1', 'il-central-1', 'af-south-1',
] as const;

export function createAwsServices(ctx: ServiceContext): SimService[] {
  // STS first (AssumeRoleWithWebIdentity is an unsigned query-protocol POST), then RDS: it only claims requests
  // scoped to rds (or other unsigned query-protocol POSTs); S3 takes the rest.
  return [createStsService(ctx), createRdsService(ctx), createS3Service(ctx)];
}
