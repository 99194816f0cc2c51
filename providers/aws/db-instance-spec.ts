/** The DBInstance kind's spec: types, defaults, schema with CEL rules, and the checks CEL cannot make. */
import type { JSONSchema } from '../../core/crd/schema.ts';
import { TerminalError } from '../../core/errors/index.ts';
import type { ManagedResource, SecretKeySelector } from '../../core/managed/types.ts';

export const STORAGE_TYPES = ['standard', 'gp2', 'gp3', 'io1', 'io2'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

export interface DBInstanceParameters {
  region: string;
  engine: string;
  engineVersion?: string;
  dbInstanceClass: string;
  allocatedStorage?: number;
  storageType?: StorageType;
  dbName?: string;
  masterUsername: string;
  /** Where the master password is; unset means Pledge generates one and keeps it in the connection secret. */
  masterUserPasswordSecretRef?: SecretKeySelector;
  publiclyAccessible?: boolean;
  backupRetentionPeriod?: number;
  tags?: Record<string, string>;
  applyImmediately?: boolean;
  skipFinalSnapshot?: boolean;
  finalDBSnapshotIdentifier?: string;
}

export interface DBInstanceObservation {
  arn?: string;
  status?: string;
  address?: string;
  port?: number;
  engineVersion?: string;
}

export type DBInstanceResource = ManagedResource<DBInstanceParameters, DBInstanceObservation>;

export const DB_INSTANCE_DEFAULTS = { applyImmediately: true, skipFinalSnapshot: false, finalSnapshotSuffix: '-final' } as const;

const EXTERNAL_NAME = 'pledge.dev/external-name';

/**
 * RDS identifier rules, kept once and used twice: CEL on metadata.name and a check of the external-name
 * annotation, which CEL cannot see. RDS lower-cases identifiers itself; Pledge asks for lower case so the
 * name in Kubernetes is the name in RDS.
 */
const IDENTIFIER_RULES: ReadonlyArray<{ cel: (n: string) => string; test: (n: string) => boolean; message: (field: string) => string }> = [
  { cel: (n) => `size(${n}) >= 1 && size(${n}) <= 63`, test: (n) => n.length >= 1 && n.length <= 63, message: (f) => `${f} must be 1 to 63 characters long to be an RDS DB instance identifier` },
  { cel: (n) => `${n}.matches('^[a-z0-9-]*$')`, test: (n) => /^[a-z0-9-]*$/.test(n), message: (f) => `${f} may contain only lowercase letters, digits and hyphens to be an RDS DB instance identifier` },
  { cel: (n) => `${n}.matches('^[a-z]')`, test: (n) => /^[a-z]/.test(n), message: (f) => `${f} must start with a letter to be an RDS DB instance identifier` },
  { cel: (n) => `!${n}.endsWith('-')`, test: (n) => !n.endsWith('-'), message: (f) => `${f} must not end with a hyphen to be an RDS DB instance identifier` },
  { cel: (n) => `!${n}.contains('--')`, test: (n) => !n.includes('--'), message: (f) => `${f} must not contain two consecutive hyphens (--) to be an RDS DB instance identifier` },
];

export function dbIdentifierProblem(name: string, field: string): string | undefined {
  return IDENTIFIER_RULES.find((rule) => !rule.test(name))?.message(field);
}

/** The instance's identifier: the external-name annotation when set, else metadata.name. */
export function dbIdentifierOf(mr: DBInstanceResource): string {
  const annotated = mr.metadata.annotations?.[EXTERNAL_NAME];
  const name = annotated || mr.metadata.name;
  const problem = dbIdentifierProblem(name, annotated ? `annotation ${EXTERNAL_NAME}` : 'metadata.name');
  if (problem) throw new TerminalError(`${problem} (got "${name}")`);
  return name;
}

/** The final snapshot's name, or undefined when none is taken. */
export function finalSnapshotOf(p: DBInstanceParameters, identifier: string): string | undefined {
  if (p.skipFinalSnapshot ?? DB_INSTANCE_DEFAULTS.skipFinalSnapshot) return undefined;
  return p.finalDBSnapshotIdentifier ?? `${identifier}${DB_INSTANCE_DEFAULTS.finalSnapshotSuffix}`;
}

const GENERATED_PASSWORD_NEEDS_SECRET =
  'spec.writeConnectionSecretToRef is required when spec.forProvider.masterUserPasswordSecretRef is unset: the generated master password is kept only there';

/** The spec as observe and delete need it. They must work whatever else the spec says, or a bad spec could block deletion. */
export function parametersOf(mr: DBInstanceResource): DBInstanceParameters {
  const p = mr.spec.forProvider;
  if (typeof p?.region !== 'string' || p.region === '') throw new TerminalError('spec.forProvider.region is required');
  return p;
}

/** The spec, checked before any call that changes the instance; TerminalErrors name the field. */
export function desiredOf(mr: DBInstanceResource): DBInstanceParameters {
  const p = parametersOf(mr);
  for (const field of ['engine', 'dbInstanceClass', 'masterUsername'] as const) {
    if (typeof p[field] !== 'string' || p[field] === '') throw new TerminalError(`spec.forProvider.${field} is required`);
  }
  if (p.masterUserPasswordSecretRef === undefined && mr.spec.writeConnectionSecretToRef === undefined) {
    throw new TerminalError(GENERATED_PASSWORD_NEEDS_SECRET);
  }
  if (p.skipFinalSnapshot === true && p.finalDBSnapshotIdentifier !== undefined) {
    throw new TerminalError('spec.forProvider.finalDBSnapshotIdentifier must be unset when skipFinalSnapshot is true');
  }
  return p;
}

const immutable = (field: string) => ({ rule: 'self == oldSelf', message: `spec.forProvider.${field} is immutable` });
const text = (description: string, extra: JSONSchema = {}): JSONSchema => ({ type: 'string', description, ...extra });

export const dbInstanceForProvider: JSONSchema = {
  type: 'object',
  required: ['region', 'engine', 'dbInstanceClass', 'masterUsername'],
  properties: {
    region: text('Region of the instance (e.g. eu-west-1). An instance cannot move: changing it is refused.', {
      pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$',
      'x-kubernetes-validations': [immutable('region')],
    }),
    engine: text('Database engine: postgres, mysql, mariadb, oracle-ee, sqlserver-ex, ... Changing it is refused.', {
      pattern: '^[a-z][a-z0-9-]*$',
      maxLength: 64,
      'x-kubernetes-validations': [immutable('engine')],
    }),
    engineVersion: text('Engine version. A prefix ("16") accepts any minor version RDS picks or upgrades to. Unset: RDS chooses, and Pledge leaves it alone.', {
      pattern: '^[0-9a-zA-Z][0-9a-zA-Z._-]*$',
      maxLength: 64,
    }),
    dbInstanceClass: text('Instance class, e.g. db.t3.micro.', { pattern: '^db\\.[a-z0-9-]+\\.[a-z0-9-]+$', maxLength: 64 }),
    allocatedStorage: { type: 'integer', minimum: 5, maximum: 65536, description: 'Storage in GiB. RDS can grow it but never shrink it.' },
    storageType: { type: 'string', enum: [...STORAGE_TYPES], description: 'Storage type.' },
    dbName: text('Name of the database created with the instance. Changing it is refused.', {
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      maxLength: 64,
      'x-kubernetes-validations': [immutable('dbName')],
    }),
    masterUsername: text('Name of the master user. Changing it is refused.', {
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      maxLength: 63,
      'x-kubernetes-validations': [immutable('masterUsername')],
    }),
    masterUserPasswordSecretRef: {
      type: 'object',
      description:
        'Secret key holding the master password; a change of the value is applied. Unset: Pledge generates a strong ' +
        'password and keeps it in the connection secret (spec.writeConnectionSecretToRef is then required).',
      required: ['name', 'namespace', 'key'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 253 },
        namespace: { type: 'string', minLength: 1, maxLength: 63 },
        key: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' },
      },
    },
    publiclyAccessible: { type: 'boolean', default: false, description: 'Give the instance a public address. Defaults to false (RDS itself would make it public outside a VPC subnet group).' },
    backupRetentionPeriod: { type: 'integer', minimum: 0, maximum: 35, description: 'Days of automated backups (0 disables them).' },
    tags: {
      type: 'object',
      description: 'Tags on the instance. When set, Pledge makes them exactly these ({} removes all); when unset, tags are left alone.',
      additionalProperties: { type: 'string', maxLength: 256 },
      maxProperties: 50,
      'x-kubernetes-validations': [
        { rule: "self.all(k, size(k) >= 1 && size(k) <= 128 && !k.startsWith('aws:') && !k.startsWith('rds:'))", message: 'spec.forProvider.tags keys must be 1 to 128 characters and must not start with aws: or rds:' },
      ],
    },
    applyImmediately: {
      type: 'boolean',
      default: DB_INSTANCE_DEFAULTS.applyImmediately,
      description: 'Apply modifications now rather than in the next maintenance window (a password change is always applied now).',
    },
    skipFinalSnapshot: {
      type: 'boolean',
      default: DB_INSTANCE_DEFAULTS.skipFinalSnapshot,
      description: 'Delete without a final snapshot. Default false: deleting takes a final snapshot first.',
    },
    finalDBSnapshotIdentifier: text('Name of the final snapshot taken on delete; default <identifier>-final.', {
      pattern: '^[a-zA-Z][a-zA-Z0-9-]*$',
      maxLength: 255,
      'x-kubernetes-validations': [
        { rule: "!self.endsWith('-') && !self.contains('--')", message: 'spec.forProvider.finalDBSnapshotIdentifier must not end with a hyphen nor contain two consecutive hyphens' },
      ],
    }),
  },
  'x-kubernetes-validations': [
    { rule: 'has(self.dbName) == has(oldSelf.dbName)', message: 'spec.forProvider.dbName is immutable' },
    { rule: '!(has(self.skipFinalSnapshot) && self.skipFinalSnapshot && has(self.finalDBSnapshotIdentifier))', message: 'spec.forProvider.finalDBSnapshotIdentifier must be unset when skipFinalSnapshot is true' },
  ],
};

export const dbInstanceAtProvider: JSONSchema = {
  type: 'object',
  properties: {
    arn: { type: 'string', description: 'ARN of the instance.' },
    status: { type: 'string', description: 'DBInstanceStatus as RDS reports it (creating, available, modifying, ...).' },
    address: { type: 'string', description: 'DNS name of the endpoint.' },
    port: { type: 'integer', description: 'Port of the endpoint.' },
    engineVersion: { type: 'string', description: 'Engine version running now.' },
  },
};

/** CEL rules on the whole object: the identifier rules on metadata.name, and where a generated password goes. */
export function dbInstanceValidations(): Array<{ rule: string; message: string }> {
  return [
    ...IDENTIFIER_RULES.map((rule) => ({ rule: rule.cel('self.metadata.name'), message: rule.message('metadata.name') })),
    { rule: 'has(self.spec.forProvider.masterUserPasswordSecretRef) || has(self.spec.writeConnectionSecretToRef)', message: GENERATED_PASSWORD_NEEDS_SECRET },
  ];
}
