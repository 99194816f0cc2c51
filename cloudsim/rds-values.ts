/** What RDS accepts: engines and their versions, identifiers, passwords, storage; and query-protocol parameters. */
import type { RdsTag } from './rds-records.ts';

type Engine = { port: number; license: string; versions: Record<string, string>; defaultMajor: string; minStorage: number };

/** Major version → the minor version RDS picks when only the major is named (a snapshot of RDS's defaults). */
export const RDS_ENGINES: Record<string, Engine> = {
  postgres: { port: 5432, license: 'postgresql-license', defaultMajor: '17', minStorage: 20, versions: { '17': '17.4', '16': '16.8', '15': '15.12', '14': '14.17', '13': '13.20' } },
  mysql: { port: 3306, license: 'general-public-license', defaultMajor: '8.0', minStorage: 20, versions: { '8.4': '8.4.4', '8.0': '8.0.41' } },
  mariadb: { port: 3306, license: 'general-public-license', defaultMajor: '11.4', minStorage: 20, versions: { '11.4': '11.4.5', '10.11': '10.11.11', '10.6': '10.6.21' } },
  'oracle-se2': { port: 1521, license: 'license-included', defaultMajor: '19', minStorage: 20, versions: { '19': '19.0.0.0.ru-2025-01.rur-2025-01.r1' } },
  'sqlserver-ex': { port: 1433, license: 'license-included', defaultMajor: '16.00', minStorage: 20, versions: { '16.00': '16.00.4165.4.v1', '15.00': '15.00.4415.2.v1' } },
};

/** The full version for a requested one ("16" → "16.8", "16.3" stays), or undefined when RDS has no such version. */
export function resolveEngineVersion(engine: string, requested: string | undefined): string | undefined {
  const spec = RDS_ENGINES[engine];
  if (spec === undefined) return undefined;
  if (requested === undefined || requested === '') return spec.versions[spec.defaultMajor];
  if (spec.versions[requested] !== undefined) return spec.versions[requested];
  const major = Object.keys(spec.versions).find((m) => requested.startsWith(`${m}.`));
  return major !== undefined && /^[\w.-]+$/.test(requested) ? requested : undefined;
}

export function majorOf(engine: string, version: string): string {
  return Object.keys(RDS_ENGINES[engine]?.versions ?? {}).find((m) => version === m || version.startsWith(`${m}.`)) ?? version;
}

const IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,62}$/;

export function validIdentifier(id: string): boolean {
  return IDENTIFIER.test(id) && !id.endsWith('-');
}

/** RDS's complaint about a master password, or undefined when it is acceptable. */
export function passwordProblem(engine: string, password: string): string | undefined {
  const max = engine === 'mysql' || engine === 'mariadb' ? 41 : 128;
  if (password.length < 8) return 'The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.';
  if (password.length > max) return `The parameter MasterUserPassword is not a valid password because it is longer than ${max} characters.`;
  if (!/^[\x21-\x7e]+$/.test(password) || /[/"@]/.test(password)) {
    return "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.";
  }
  return undefined;
}

export const STORAGE_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'standard'];
export const MAX_STORAGE_GIB = 65_536;

/** Reads query-protocol parameters: scalars, booleans, numbers, `X.Member.N` lists, `Tags.Tag.N.Key/Value`. */
export class QueryParams {
  readonly #params: URLSearchParams;
  constructor(params: URLSearchParams) {
    this.#params = params;
  }
  str(name: string): string | undefined {
    const value = this.#params.get(name);
    return value === null ? undefined : value;
  }
  bool(name: string): boolean | undefined {
    const value = this.str(name);
    return value === undefined ? undefined : value.toLowerCase() === 'true';
  }
  /** A number, undefined when absent, NaN when present but not an integer. */
  int(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  }
  list(prefix: string): string[] {
    const out: string[] = [];
    for (let n = 1; this.#params.has(`${prefix}.${n}`); n++) out.push(this.#params.get(`${prefix}.${n}`) ?? '');
    return out;
  }
  tags(prefix = 'Tags.Tag'): RdsTag[] {
    const out: RdsTag[] = [];
    for (let n = 1; this.#params.has(`${prefix}.${n}.Key`); n++) out.push({ Key: this.#params.get(`${prefix}.${n}.Key`) ?? '', Value: this.#params.get(`${prefix}.${n}.Value`) ?? '' });
    return out;
  }
  filters(): { name: string; values: string[] }[] {
    const out: { name: string; values: string[] }[] = [];
    for (let n = 1; this.#params.has(`Filters.Filter.${n}.Name`); n++) {
      out.push({ name: this.#params.get(`Filters.Filter.${n}.Name`) ?? '', values: this.list(`Filters.Filter.${n}.Values.Value`) });
    }
    return out;
  }
}

/** Tags after adding (replacing same keys), keeping first-seen order. */
export function mergeTags(current: RdsTag[], added: RdsTag[]): RdsTag[] {
  const map = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of added) map.set(t.Key, t.Value);
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}
